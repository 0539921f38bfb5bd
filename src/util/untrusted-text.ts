/**
 * The boundary for untrusted text: model output and metadata, suite and policy
 * values, reports from elsewhere. Everything such text reaches on a terminal or
 * in diff.md passes through `visibleControls` first, so an escape sequence is
 * shown, never obeyed: `ESC ] 0;title BEL` prints as `\u001b]0;title\u0007`.
 */
import { createHash } from "node:crypto";

/**
 * C0 and C1 controls, DEL, format controls (bidi overrides and isolates,
 * zero-width characters, soft hyphen, BOM, tag characters), line and paragraph
 * separators and lone surrogates. A zero-width joiner between two pictographs
 * (the family emoji) is an emoji sequence and stays.
 */
const INVISIBLE = /(?<![\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})|[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]|(?!\u200D)\p{Cf}/gu;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeCodePoint(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const point = char.codePointAt(0)!;
  return point > 0xffff ? `\\u{${point.toString(16)}}` : `\\u${point.toString(16).padStart(4, "0")}`;
}

/** The text with every invisible or controlling character written as a visible escape (`\u001b`, `\u202e`, `\n`). */
export function visibleControls(text: string): string {
  return text.replace(INVISIBLE, escapeCodePoint);
}

/** One line of at most `max` code points, controls made visible: for a terminal line or a Markdown list item. */
export function oneVisibleLine(text: string, max: number): string {
  const chars = Array.from(visibleControls(text.replace(/[\t\n\r\f\v \u00a0\u3000]+/g, " ").trim()));
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/**
 * Untrusted text as Markdown prose (GitHub-flavoured, as in a CI job summary or
 * a pull-request comment): one line, no raw HTML, no emphasis, links, images or
 * table breaks, and neither `@mentions` nor auto-links (a zero-width space
 * after `@`, inside `://` and after `www`).
 */
export function markdownText(text: string, max = 200): string {
  return oneVisibleLine(text, max)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#+\-.!|~:]/g, "\\$&")
    .replace(/@/g, "@\u200b")
    .replace(/\\:\/\//g, "\\:\u200b//")
    .replace(/\b(www)\\\./gi, "$1\u200b\\.");
}

/**
 * Untrusted text as a Markdown code span that nothing inside can close: the
 * fence is one backtick longer than the longest backtick run in the text, and
 * text that starts or ends with a backtick is padded with the one space each
 * side that CommonMark strips. Inside a code span there is no HTML, no link and
 * no mention. Not for table cells, where a `|` would still end the cell.
 */
export function markdownCode(text: string, max = 200): string {
  const line = oneVisibleLine(text, max);
  const longestRun = Math.max(0, ...Array.from(line.matchAll(/`+/g), (run) => run[0].length));
  const fence = "`".repeat(longestRun + 1);
  const pad = line === "" || line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * Untrusted text of unbounded size (a GGUF's 20 MB chat template, a 5 MB
 * `general.name`) as reports carry it: at most `maxLength` UTF-16 units, then
 * a note with the whole text's size in UTF-8 bytes and its sha256, so two
 * cut texts are still told apart.
 */
export function boundedText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const end = /[\ud800-\udbff]/.test(text[maxLength - 1] ?? "") ? maxLength - 1 : maxLength;
  const bytes = Buffer.byteLength(text, "utf8");
  const digest = createHash("sha256").update(text, "utf8").digest("hex");
  return `${text.slice(0, end)}… [truncated: ${bytes} bytes in all, sha256 ${digest}]`;
}
