/**
 * Markdown table rows, for the loop finder: a row repeats a cell when its
 * columns hold one value (`| 広告なし | ○ | ○ | ○ | ○ |`), and that is the
 * table, not a loop.
 */
import { fromCodePoints } from "./code-point-values.js";
import { LINE_BREAK } from "./repetition-fold.js";

/**
 * Longest cell (code points, spaces trimmed) a row may repeat: a mark or a
 * short value (○, ×, あり, 対応, 1,000円, N/A, Included). A longer phrase
 * written cell after cell (東京タワーに行って写真を撮る) is the model looping.
 */
const MAX_REPEATED_CELL = 10;
const CR = 0x0d;
const LF = 0x0a;

/** Start of the line holding offset `at`. */
function lineStart(text: Int32Array, at: number): number {
  let start = at;
  while (start > 0 && !LINE_BREAK.has(text[start - 1] as number)) start--;
  return start;
}

/** End of the line holding offset `at`: its line break, or the text's end. */
function lineEnd(text: Int32Array, at: number): number {
  let end = at;
  while (end < text.length && !LINE_BREAK.has(text[end] as number)) end++;
  return end;
}

/** The cells of a table line (trimmed, it starts and ends with `|`), or null when it is not one. */
function tableCells(line: string): string[] | null {
  const trimmed = line.trim();
  if (trimmed.length < 2 || !trimmed.startsWith("|") || !trimmed.endsWith("|")) return null;
  return trimmed.slice(1, -1).split("|");
}

/**
 * Whether the copies text[start, end) of `unit` are cells of a Markdown
 * table row repeating one short value across its columns: each cell of the
 * unit is at most MAX_REPEATED_CELL code points, the copies stay within one
 * line, that line is a row closed by `|` and a line break, and the line
 * before or after it is a row (or the rule) of the same table, with as many
 * cells. So a loop that runs to the end of the output is never a row (the
 * token limit cuts a loop, not a table), nor is a lone line of cells, nor
 * one whose cells are sentences.
 */
export function withinTableRow(text: Int32Array, start: number, end: number, unit: string): boolean {
  if (!unit.includes("|")) return false;
  if (unit.split("|").some((cell) => Array.from(cell.trim()).length > MAX_REPEATED_CELL)) return false;
  const rowStart = lineStart(text, start);
  const rowEnd = lineEnd(text, start);
  if (end > rowEnd || rowEnd === text.length) return false;
  const cells = tableCells(fromCodePoints(text, rowStart, rowEnd));
  if (cells === null) return false;
  const neighbours: string[] = [];
  if (rowStart > 0) {
    // Step over the line break before the row (CR LF is one).
    const previousEnd = rowStart - 1 - (text[rowStart - 1] === LF && text[rowStart - 2] === CR ? 1 : 0);
    neighbours.push(fromCodePoints(text, lineStart(text, previousEnd), previousEnd));
  }
  const nextStart = rowEnd + 1 + (text[rowEnd] === CR && text[rowEnd + 1] === LF ? 1 : 0);
  if (nextStart <= text.length) neighbours.push(fromCodePoints(text, nextStart, lineEnd(text, nextStart)));
  return neighbours.some((line) => tableCells(line)?.length === cells.length);
}
