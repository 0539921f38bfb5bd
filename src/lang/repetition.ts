/**
 * Repetition measures over one output: the building blocks of the `repetition`
 * check, kept apart from it so that other checks (and reports) can reuse them.
 *
 * Every offset and length here is in Unicode code points, so `𠮷` or an emoji
 * counts as one character and offsets can be used as report highlights.
 *
 * - seq-rep-n (Welleck et al. 2019): 1 − |unique n-grams| / |n-grams| of a token list.
 * - longest repeated substring (repeated-substring.ts): the longest substring
 *   that occurs at least twice without overlapping itself (suffix array + LCP,
 *   O(n log n)).
 * - compression ratio (Whisper's loop heuristic, over code points instead of
 *   UTF-8 bytes): for the whole text and as the maximum over fixed-size windows.
 * - loops (repetition-loops.ts): back-to-back copies of one unit, at the end of
 *   the output (Z-function of the reversed text, O(n), a final partial copy
 *   allowed) or anywhere around the longest repeated substring.
 * - folding (repetition-fold.ts): digit runs and whitespace runs as one
 *   placeholder each, so a numbered loop, or one spaced unevenly, is periodic;
 *   the shared frame of list items removed.
 * - near-copies (repetition-near.ts): a tail whose copies differ in a few
 *   code points besides numbers and spacing.
 * - table rows (repetition-table-row.ts): a Markdown row repeating one short
 *   cell, which the loop check leaves alone.
 * - markup (repetition-markup.ts): tags, which a unit's letters inside them
 *   do not make say anything.
 *
 * This module is the one entry to them all: it re-exports the loop finder, the
 * folding and the code point helpers.
 */
import { deflateSync } from "node:zlib";

export { codePointValues, digitValue, fromCodePoints, numbersIn } from "./code-point-values.js";
export { type RepeatedSubstring, lcpArray, longestRepeatedSubstring, suffixArray } from "./repeated-substring.js";
export { type Loop, boundaryScore, figuresWithoutIndex, loopAround, loopsAnywhere, numbersStepEvenly, settledCount, tailLoop, unfoldLoop } from "./repetition-loops.js";
export { NEAR_COPY_SHARE, nearCopiesCount, nearTailLoop } from "./repetition-near.js";
export { widestLoop } from "./repetition-widest.js";
export { type FoldedText, type FramesRemoved, foldNumbersAndSpaces, hasNumbersBesidesMarker, removeListFrames, withoutListMarker } from "./repetition-fold.js";
export { withinTableRow } from "./repetition-table-row.js";
export { withoutTags } from "./repetition-markup.js";

/**
 * seq-rep-n: 1 − |unique n-grams| / |n-grams| (Welleck et al. 2019). Null when
 * there are fewer than n tokens (no n-gram to count).
 */
export function seqRep(tokens: readonly string[], n: number): number | null {
  const total = tokens.length - n + 1;
  if (n < 1 || total <= 0) return null;
  const seen = new Set<string>();
  for (let start = 0; start < total; start++) {
    // U+0000 cannot occur inside a token of printable text, so keys do not collide.
    seen.add(n === 1 ? (tokens[start] as string) : tokens.slice(start, start + n).join("\u0000"));
  }
  return 1 - seen.size / total;
}

/**
 * Compression ratio over code points: code points / zlib (deflate) bytes, with
 * each distinct code point of the text written as one byte (its rank of first
 * occurrence; two bytes past the 255th). Null for empty text.
 *
 * Whisper's ratio divides UTF-8 bytes instead, which only means the same thing
 * for text of one byte a character: Japanese and Chinese take three bytes a
 * character, and kana share their first two (E3 81/82/83), so Huffman coding
 * alone gives ordinary Japanese prose 2.4–3.3 over 300-character windows (the
 * range loops were once told apart by). One symbol a character puts every
 * script on the scale of English: measured on the corpora in
 * fixtures/repetition, clean 300-character windows of ja, zh and en prose
 * reach 2.1–2.8 at most, loops 4 and more.
 */
export function compressionRatio(text: Int32Array): number | null {
  if (text.length === 0) return null;
  const rank = new Map<number, number>();
  const bytes = new Uint8Array(text.length * 3);
  let size = 0;
  for (const point of text) {
    let index = rank.get(point);
    if (index === undefined) {
      index = rank.size;
      rank.set(point, index);
    }
    if (index < 255) bytes[size++] = index;
    else {
      bytes[size++] = 255;
      bytes[size++] = (index - 255) >> 8;
      bytes[size++] = (index - 255) & 0xff;
    }
  }
  return text.length / deflateSync(bytes.subarray(0, size)).length;
}

export interface WindowRatio {
  ratio: number;
  /** Code point range of the window. */
  start: number;
  end: number;
}

/**
 * The highest compression ratio over windows of `window` code points (half
 * overlapping, the last one flush with the end); the whole text when it is no
 * longer than one window. Null for empty text. Over a long text deflate finds
 * more shared phrases and the ratio of ordinary prose creeps up, so a fixed
 * threshold only means the same thing on windows of one size.
 */
export function maxWindowCompressionRatio(text: Int32Array, window: number): WindowRatio | null {
  const n = text.length;
  if (n === 0) return null;
  const size = Math.max(1, Math.floor(window));
  const starts: number[] = [];
  if (n <= size) starts.push(0);
  else {
    const step = Math.max(1, Math.floor(size / 2));
    for (let start = 0; start + size < n; start += step) starts.push(start);
    starts.push(n - size);
  }
  let best: WindowRatio | null = null;
  for (const start of starts) {
    const end = Math.min(n, start + size);
    const ratio = compressionRatio(text.subarray(start, end)) as number;
    if (!best || ratio > best.ratio) best = { ratio, start, end };
  }
  return best;
}
