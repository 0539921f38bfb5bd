/**
 * Drift step 1: the answer as NFKC code points with their original offsets
 * (normalize.ts), and what carries no language masked: code blocks, inline
 * code, URLs, e-mail addresses, file paths and identifiers written without
 * code marks, allow-listed terms, and numbers (with a short unit: 3776m,
 * 10GB, 5G; the ideographic zero 〇).
 */
import { normalizeForMatch } from "./normalize.js";

export type MaskKind = "code_block" | "inline_code" | "url" | "email" | "path" | "identifier" | "allowed" | "number";
const MASK_KINDS: readonly MaskKind[] = ["code_block", "inline_code", "url", "email", "path", "identifier", "allowed", "number"];

const URL_CHARS = "[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]+";
const MASK_PATTERNS: ReadonlyArray<readonly [MaskKind, RegExp]> = [
  // A fence left open (an answer cut by the token limit) runs to the end.
  ["code_block", /(```|~~~)[\s\S]*?(?:\1|(?![\s\S]))/g],
  ["inline_code", /`[^`\n]+`/g],
  ["url", new RegExp(`\\b(?:https?|ftp)://${URL_CHARS}|\\bwww\\.${URL_CHARS}`, "gi")],
  ["email", /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g],
  // Code written without code marks, as answers often write it: file paths (/etc/hosts, ~/.bashrc,
  // C:\Windows\System32), and identifiers — dotted, snake_case and camelCase names (editor.formatOnSave,
  // service_healthy, README.md, macOS) and command-line flags (-i, --force). Not and/or, I/O, e-mail.
  ["path", /(?<![\w.\/-])(?:~|\.{1,2})?\/(?:[\w.@+~-]+\/?)+|\b[A-Za-z]:\\[\w.\\$~%-]*/g],
  ["identifier", /\b[A-Za-z_][A-Za-z0-9]*(?:[_.][A-Za-z0-9_]+)+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[A-Z][a-z]+[A-Z][A-Za-z0-9]*\b|(?<![\w-])--?[A-Za-z][\w-]*/g],
];
// 〇 is a digit in both languages (二〇二〇年) though only JIS X 0208 lists it among the ideographs.
const NUMBER_PATTERN = /\d+(?:[.,:/]\d+)*(?:%|[A-Za-z]{1,3}(?![A-Za-z]))?|〇+/g;
/** A letter or digit that an allow-listed Latin term must not touch ("AI" is not in "AIM"). */
const WORD_CHAR = /[\p{Script=Latin}\p{Nd}]/u;

export interface Masked {
  /** NFKC code points. */
  chars: string[];
  /** Original code point index of each normalized code point. */
  origin: number[];
  masked: Uint8Array;
  removed: Record<MaskKind, number>;
}

const lowerPerCodePoint = (text: string): string =>
  Array.from(text, (char) => {
    const lower = char.toLowerCase();
    return lower.length === char.length ? lower : char;
  }).join("");

export function mask(text: string, allow: readonly string[]): Masked {
  const normalized = normalizeForMatch(text, { caseSensitive: true, keepLayout: true });
  const { chars, origin, unitToPoint } = codePointView(normalized.text, normalized.origin);
  const masked = new Uint8Array(chars.length);
  const removed = Object.fromEntries(MASK_KINDS.map((kind) => [kind, 0])) as Record<MaskKind, number>;
  const maskUnits = (kind: MaskKind, fromUnit: number, toUnit: number): void => {
    const from = unitToPoint[fromUnit]!;
    const to = unitToPoint[toUnit]!;
    if (from >= to || masked[from]) return;
    masked.fill(1, from, to);
    removed[kind]++;
  };
  const applyPattern = (kind: MaskKind, pattern: RegExp): void => {
    for (const match of normalized.text.matchAll(pattern)) maskUnits(kind, match.index, match.index + match[0].length);
  };
  for (const [kind, pattern] of MASK_PATTERNS) applyPattern(kind, pattern);
  for (const [from, to] of allowedSpans(normalized.text, chars, unitToPoint, allow)) maskUnits("allowed", from, to);
  applyPattern("number", NUMBER_PATTERN);
  return { chars, origin, masked, removed };
}

/** Code points of the normalized text, the original offset of each, and a UTF-16 index → code point index map for regex matches. */
function codePointView(text: string, unitOrigin: readonly number[]): { chars: string[]; origin: number[]; unitToPoint: Int32Array } {
  const chars: string[] = [];
  const origin: number[] = [];
  const unitToPoint = new Int32Array(text.length + 1);
  let unit = 0;
  for (const char of text) {
    for (let k = 0; k < char.length; k++) unitToPoint[unit + k] = chars.length;
    origin.push(unitOrigin[unit]!);
    chars.push(char);
    unit += char.length;
  }
  unitToPoint[unit] = chars.length;
  return { chars, origin, unitToPoint };
}

/** UTF-16 spans of allow-listed terms: case-insensitive; a term with Latin letters must not sit inside a longer Latin word. */
function allowedSpans(text: string, chars: readonly string[], unitToPoint: Int32Array, allow: readonly string[]): Array<[number, number]> {
  const haystack = lowerPerCodePoint(text);
  const spans: Array<[number, number]> = [];
  for (const term of allow) {
    const needle = lowerPerCodePoint(term.normalize("NFKC"));
    if (needle.trim() === "") continue;
    const bounded = /\p{Script=Latin}/u.test(needle);
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      const from = unitToPoint[at]!;
      const to = unitToPoint[at + needle.length]!;
      if (bounded && ((from > 0 && WORD_CHAR.test(chars[from - 1]!)) || (to < chars.length && WORD_CHAR.test(chars[to]!)))) continue;
      spans.push([at, at + needle.length]);
    }
  }
  return spans;
}
