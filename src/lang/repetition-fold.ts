/**
 * Folding before the repetition measures: digit runs and whitespace runs to one
 * placeholder each (so a numbered loop, or one spaced unevenly, is periodic),
 * and the shared frame of parallel list items removed (so what is measured is
 * the items' own content). Each keeps where its code points came from.
 */
import { codePointValues, fromCodePoints } from "./code-point-values.js";

/** Line breaks, and the placeholder for a run of them in a folded text. */
export const LINE_BREAK = new Set([0x0a, 0x0d, 0x2028, 0x2029, 0xfdd2]);
const SPACE = /\s/u;

/** Stand for a run of digits, of spaces and of line breaks in a folded text (noncharacters: never in real text). */
const DIGITS = 0xfdd0;
const SPACES = 0xfdd1;
const LINES = 0xfdd2;
const DIGIT = /\p{Nd}/u;

/** Whitespace, or the placeholder of a folded run of it. */
export const isSpace = (point: number): boolean => point === SPACES || point === LINES || SPACE.test(String.fromCodePoint(point));

/** A digit, or the placeholder of a folded run of digits. */
export const isDigit = (point: number): boolean => point === DIGITS || DIGIT.test(String.fromCodePoint(point));

/** A text with every run of digits, and every run of whitespace, folded to one placeholder, and where each folded code point came from. */
export interface FoldedText {
  points: Int32Array;
  /** origin[i]: code point offset in the original of points[i]; origin[points.length] = the original length. */
  origin: Int32Array;
  /** True when something was folded (else `points` is the original). */
  folded: boolean;
  /** True when the text has digits. */
  digits: boolean;
  /** True when the text has line breaks (which folding `wrapped` reads as spaces, or as nothing between CJK characters). */
  lineBreaks: boolean;
}

/** The characters of a list marker's number and its punctuation: Han numerals as list numbers are written (一、 十一、 （三）). */
const HAN_NUMERAL_CHARS = "〇一二三四五六七八九十百";
const MARKER_OPEN_CHARS = "(（";
const MARKER_CLOSE_CHARS = ".)．）、:：";
/** A number in Han numerals numbering a line, at its start (after spaces and an opening bracket), with the marker's punctuation. */
const HAN_LIST_NUMBER = new RegExp(`^[^\\S\\n]*[${MARKER_OPEN_CHARS}]?([${HAN_NUMERAL_CHARS}]+)[${MARKER_CLOSE_CHARS}]`, "u");

/**
 * Where Han numerals number a list (一、朝日に… 二、朝日に…: a run of them at
 * the start of a line, before the marker's punctuation): they fold as digits
 * do. Elsewhere they are words (一つ, 十分, 三、四人 inside a line), and stay;
 * at the start of a line 三、四人で… reads as a marker too, which only folds
 * its numeral.
 */
function hanListNumbers(text: Int32Array): Uint8Array | null {
  let marks: Uint8Array | null = null;
  for (let start = 0; start < text.length; start++) {
    if (start > 0 && !LINE_BREAK.has(text[start - 1] as number)) continue;
    const head = fromCodePoints(text, start, Math.min(text.length, start + 16));
    const number = HAN_LIST_NUMBER.exec(head);
    if (!number) continue;
    const at = start + Array.from(head.slice(0, number.index + number[0].length - number[1]!.length - 1)).length;
    marks ??= new Uint8Array(text.length);
    marks.fill(1, at, at + number[1]!.length);
  }
  return marks;
}

/**
 * Whether a unit holds numbers besides the list marker it starts with:
 * digits, or Han numerals numbering a later line of it (一、誤り\n二、正しい),
 * which must then count as a loop's numbers do.
 */
export function hasNumbersBesidesMarker(unit: string): boolean {
  const rest = withoutListMarker(unit);
  return DIGIT.test(rest) || rest.split("\n").slice(1).some((line) => HAN_LIST_NUMBER.test(line));
}

function classOf(point: number, lineBreakSymbol: number): number {
  if (LINE_BREAK.has(point)) return lineBreakSymbol;
  if (point < 0x80) return point >= 0x30 && point <= 0x39 ? DIGITS : point === 0x20 || (point >= 0x09 && point <= 0x0d) ? SPACES : point;
  const char = String.fromCodePoint(point);
  return DIGIT.test(char) ? DIGITS : SPACE.test(char) ? SPACES : point;
}

/**
 * Folds digit runs (any script's digits, ASCII and full-width alike, and the
 * Han numerals that number a list) and whitespace runs to one placeholder each, so that a numbered loop ("1.
 * 東京です。\n2. 東京です。\n…") or one whose copies are spaced differently is
 * periodic: its copies differ only in their numbers or spacing. Runs of line
 * breaks keep a placeholder of their own (a copy is told to start a line),
 * unless `wrapped`: then a line break is a space, as in a sentence repeated
 * and wrapped at other places ("…such as smallpox,\nmeasles…", then "…such
 * as\nsmallpox, measles…"), and line breaks alone between two CJK
 * characters are nothing, as Japanese and Chinese wrap without spaces
 * ("東京は\n日本の首都です。", then "東京は日本の\n首都です。").
 */
export function foldNumbersAndSpaces(text: Int32Array, options: { wrapped?: boolean } = {}): FoldedText {
  const lineBreakSymbol = options.wrapped ? SPACES : LINES;
  const unwrapped = options.wrapped ? lineBreaksBetweenCjk(text) : null;
  const points = new Int32Array(text.length);
  const origin = new Int32Array(text.length + 1);
  let count = 0;
  let digits = false;
  // Folding spaces changes nothing when every whitespace run is the same (all single spaces).
  let firstSpaces: string | null = null;
  let spaces = "";
  let unevenSpaces = false;
  let lineBreaks = false;
  const endSpaces = (): void => {
    if (spaces === "") return;
    firstSpaces ??= spaces;
    unevenSpaces ||= spaces !== firstSpaces;
    spaces = "";
  };
  const hanNumbers = hanListNumbers(text);
  for (let index = 0; index < text.length; index++) {
    const point = text[index] as number;
    if (unwrapped?.[index]) continue;
    const symbol = hanNumbers?.[index] ? DIGITS : classOf(point, lineBreakSymbol);
    if (symbol === SPACES || symbol === LINES) {
      spaces += String.fromCodePoint(point);
      lineBreaks ||= LINE_BREAK.has(point);
    } else endSpaces();
    if (symbol !== point) {
      digits ||= symbol === DIGITS;
      if (count > 0 && points[count - 1] === symbol) continue;
    }
    points[count] = symbol;
    origin[count++] = index;
  }
  endSpaces();
  origin[count] = text.length;
  return { points: points.slice(0, count), origin: origin.slice(0, count + 1), folded: digits || unevenSpaces || unwrapped !== null, digits, lineBreaks };
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const isCjk = (point: number | undefined): boolean => point !== undefined && CJK.test(String.fromCodePoint(point));

/** Where runs of line breaks alone (no other whitespace) lie between two CJK characters; null when none do. */
function lineBreaksBetweenCjk(text: Int32Array): Uint8Array | null {
  let marks: Uint8Array | null = null;
  for (let start = 0; start < text.length; start++) {
    if (!LINE_BREAK.has(text[start] as number) || !isCjk(text[start - 1])) continue;
    let end = start;
    while (end < text.length && LINE_BREAK.has(text[end] as number)) end++;
    if (isCjk(text[end])) {
      marks ??= new Uint8Array(text.length);
      marks.fill(1, start, end);
    }
    start = end;
  }
  return marks;
}

/** A text with the shared frame of list items removed, and where each kept code point came from. */
export interface FramesRemoved {
  points: Int32Array;
  /** origin[i]: code point offset in the original of points[i]. */
  origin: Int32Array;
  /** Lists (runs of 3 or more item lines) whose frame was removed. */
  lists: number;
}

/**
 * A list item's marker: a bullet, or a number with its punctuation (1. 2) ３．
 * 一、 （十二）), and the space after it. Japanese and Chinese number lists
 * in Han numerals as often as in digits.
 */
const LIST_MARKER = new RegExp(`^\\s*(?:[-*•・●○◆■▪]|[${MARKER_OPEN_CHARS}]?(?:\\p{Nd}+|[${HAN_NUMERAL_CHARS}]+)[${MARKER_CLOSE_CHARS}])\\s*`, "u");

/** A line without its list marker ("1. 休憩時" → "休憩時"). */
export function withoutListMarker(line: string): string {
  return line.replace(LIST_MARKER, "");
}
const NEWLINE = 0x0a;

/** Code points a run of unmarked lines must share at its start or its end to be items of a list (<strong>…</strong>, 「…」と答えた。). */
const MIN_SHARED_FRAME = 3;

/** A list item candidate: where its content starts (after any marker) and ends, and whether it had a marker. */
interface Item {
  content: number;
  end: number;
  marked: boolean;
}

/**
 * Removes, from each run of three or more list items, what every item of the
 * run has in common at its start and its end (after the marker): the frame
 * of parallel items ("・近所の公園に行ってみるのもおすすめです。",
 * "・図書館に行ってみるのもおすすめです。" keep 近所の公園 and 図書館). Items are
 * consecutive lines (blank lines between them allowed) that all have a list
 * marker, or that have none and all share at least MIN_SHARED_FRAME code points
 * at their start or their end (<strong>…</strong> headings, one a line); and,
 * within a line, three or more pieces between commas or semicolons (、，；)
 * that share as much (a list written inline: "explain why the sky is blue,
 * explain why the sky is green, …" keep blue, green). What is left is the
 * items' own content, whose repetition is what a loop would show. Runs whose
 * items would be left empty are identical items, and an inline run ends at
 * two identical items back to back (北京有很多名胜古迹，比如故宫和长城。 over
 * and over): a loop's copies keep their frame, for the loop detector and the
 * statistics to see. (List lines keep their older rule, under which a count
 * whose every line comes twice, y=4 y=4 y=5 y=5, is judged on its numbers.)
 */
export function removeListFrames(text: Int32Array): FramesRemoved {
  let keep: Uint8Array | null = null;
  let lists = 0;
  const remove = (items: readonly Item[], inline: boolean): void => {
    for (const [first, last, prefix, suffix] of framedRuns(text, items, inline)) {
      lists++;
      keep ??= new Uint8Array(text.length).fill(1);
      for (const item of items.slice(first, last + 1)) {
        keep.fill(0, item.content, item.content + prefix);
        keep.fill(0, item.end - suffix, item.end);
      }
    }
  };
  const lines = linesOf(text);
  if (lines.length >= 3) remove(lines, false);
  for (const line of lines) remove(inlineItems(text, line), true);
  if (!keep) return { points: text, origin: Int32Array.from({ length: text.length }, (_, index) => index), lists: 0 };
  const kept: Uint8Array = keep;
  let count = 0;
  for (const flag of kept) count += flag;
  const points = new Int32Array(count);
  const origin = new Int32Array(count);
  let at = 0;
  for (let index = 0; index < text.length; index++) {
    if (kept[index] === 0) continue;
    points[at] = text[index] as number;
    origin[at++] = index;
  }
  return { points, origin, lists };
}

/** The non-blank lines of a text as items, each without its list marker. */
function linesOf(text: Int32Array): Item[] {
  const lines: Item[] = [];
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf(NEWLINE, start);
    if (end < 0) end = text.length;
    const line = fromCodePoints(text, start, end);
    const marker = LIST_MARKER.exec(line);
    if (line.trim() !== "") {
      const marked = marker !== null && marker[0].length < line.length;
      lines.push({ content: marked ? start + codePointValues(marker[0]).length : start, end, marked });
    }
    start = end + 1;
  }
  return lines;
}

/** What separates the items of a list written on one line: commas and semicolons, Latin and CJK. */
const INLINE_SEPARATORS = new Set([0x2c, 0x3b, 0x3001, 0xff0c, 0xff1b]);

/** The pieces of a line between its commas and semicolons, leading spaces left out. */
function inlineItems(text: Int32Array, line: Item): Item[] {
  const items: Item[] = [];
  let start = line.content;
  for (let index = line.content; index <= line.end; index++) {
    if (index < line.end && !INLINE_SEPARATORS.has(text[index] as number)) continue;
    let content = start;
    while (content < index && isSpace(text[content] as number)) content++;
    if (content < index) items.push({ content, end: index, marked: false });
    start = index + 1;
  }
  return items;
}

/**
 * Runs of three or more consecutive items that share a frame, each as [first,
 * last, prefix, suffix]: a run extends while the next item is marked as the
 * first is, is not a copy of the item before it (inline items), and (unmarked) shares
 * MIN_SHARED_FRAME code points with the first at its start or end; what all
 * share is what each shares with the first. Only frames that leave every item
 * some content.
 */
function framedRuns(text: Int32Array, items: readonly Item[], inline: boolean): Array<[number, number, number, number]> {
  const common = (a: Item, b: Item, fromEnd: boolean): number => {
    const length = Math.min(a.end - a.content, b.end - b.content);
    let k = 0;
    while (k < length && (fromEnd ? text[a.end - 1 - k] === text[b.end - 1 - k] : text[a.content + k] === text[b.content + k])) k++;
    return k;
  };
  const copies = (a: Item, b: Item): boolean => a.end - a.content === b.end - b.content && common(a, b, false) === a.end - a.content;
  const runs: Array<[number, number, number, number]> = [];
  for (let first = 0; first < items.length; ) {
    const head = items[first]!;
    let prefix = head.end - head.content;
    let suffix = prefix;
    let shortest = prefix;
    let last = first;
    while (last + 1 < items.length) {
      const next = items[last + 1]!;
      if (next.marked !== head.marked || (inline && copies(items[last]!, next))) break;
      const nextPrefix = Math.min(prefix, common(head, next, false));
      const nextSuffix = Math.min(suffix, common(head, next, true));
      // An item without the frame ends the run (often the last, cut by the budget): marked items keep their frame once three share it.
      const losesFrame = nextPrefix < MIN_SHARED_FRAME && nextSuffix < MIN_SHARED_FRAME;
      if (losesFrame && (!head.marked || (last - first + 1 >= 3 && Math.max(prefix, suffix) >= MIN_SHARED_FRAME))) break;
      prefix = nextPrefix;
      suffix = nextSuffix;
      shortest = Math.min(shortest, next.end - next.content);
      last++;
    }
    suffix = Math.min(suffix, shortest - prefix);
    if (last - first + 1 >= 3 && prefix + suffix > 0 && prefix + suffix < shortest) runs.push([first, last, prefix, suffix]);
    first = last + 1;
  }
  return runs;
}
