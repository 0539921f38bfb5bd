/**
 * Repetition measures over one output: the building blocks of the `repetition`
 * check, kept apart from it so that other checks (and reports) can reuse them.
 *
 * Every offset and length here is in Unicode code points, so `𠮷` or an emoji
 * counts as one character and offsets can be used as report highlights.
 *
 * - seq-rep-n (Welleck et al. 2019): 1 − |unique n-grams| / |n-grams| of a token list.
 * - longest repeated substring: the longest substring that occurs at least twice
 *   without overlapping itself (suffix array + LCP, O(n log n)).
 * - compression ratio (Whisper's loop heuristic, over code points instead of
 *   UTF-8 bytes): for the whole text and as the maximum over fixed-size windows.
 * - loops (repetition-loops.ts): back-to-back copies of one unit, at the end of
 *   the output (Z-function of the reversed text, O(n), a final partial copy
 *   allowed) or anywhere around the longest repeated substring.
 * - folding (repetition-fold.ts): digit runs and whitespace runs as one
 *   placeholder each, so a numbered loop, or one spaced unevenly, is periodic;
 *   the shared frame of list items removed.
 *
 * This module is the one entry to them all: it re-exports the loop finder, the
 * folding and the code point helpers.
 */
import { deflateSync } from "node:zlib";

export { codePointValues, fromCodePoints } from "./code-point-values.js";
export { type Loop, loopAround, loopsAnywhere, numbersStepEvenly, tailLoop, unfoldLoop } from "./repetition-loops.js";
export { type FoldedText, type FramesRemoved, foldNumbersAndSpaces, removeListFrames, withoutListMarker } from "./repetition-fold.js";

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
 * Suffix array of a code point sequence by prefix doubling with counting sort
 * (O(n log n)): the start offsets of all suffixes in lexicographic order.
 */
export function suffixArray(text: Int32Array): Int32Array {
  const n = text.length;
  if (n === 0) return new Int32Array(0);
  // Work on the cyclic string text + sentinel; the sentinel sorts first, so the
  // cyclic order of rotations is the order of suffixes.
  const size = n + 1;
  const order = new Int32Array(size);
  let classes = new Int32Array(size);
  // Initial order by code point: pack (code point, index) in one float64 and sort.
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (text[i] as number) * 2 ** 26 + i;
  packed.sort();
  order[0] = n;
  classes[n] = 0;
  let classCount = 1;
  let previous = -1;
  for (let rank = 0; rank < n; rank++) {
    const index = (packed[rank] as number) % 2 ** 26;
    const point = text[index] as number;
    if (point !== previous) classCount++;
    previous = point;
    order[rank + 1] = index;
    classes[index] = classCount - 1;
  }
  const shifted = new Int32Array(size);
  let nextClasses = new Int32Array(size);
  for (let half = 1; classCount < size && half < size; half <<= 1) {
    // Sort rotations by (class of i, class of i + half): order by second key is
    // `order` shifted left by `half`; a stable counting sort by the first key finishes it.
    for (let i = 0; i < size; i++) {
      let start = (order[i] as number) - half;
      if (start < 0) start += size;
      shifted[i] = start;
    }
    const counts = new Int32Array(classCount + 1);
    for (let i = 0; i < size; i++) {
      const bucket = (classes[shifted[i] as number] as number) + 1;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    for (let c = 0; c < classCount; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
    for (let i = 0; i < size; i++) {
      const start = shifted[i] as number;
      const bucket = classes[start] as number;
      order[counts[bucket] as number] = start;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    nextClasses[order[0] as number] = 0;
    classCount = 1;
    let before = order[0] as number;
    let beforeSecond = classes[before + half < size ? before + half : before + half - size] as number;
    for (let i = 1; i < size; i++) {
      const current = order[i] as number;
      const currentSecond = classes[current + half < size ? current + half : current + half - size] as number;
      if (classes[current] !== classes[before] || currentSecond !== beforeSecond) classCount++;
      nextClasses[current] = classCount - 1;
      before = current;
      beforeSecond = currentSecond;
    }
    const swap = classes;
    classes = nextClasses;
    nextClasses = swap;
  }
  // Drop the sentinel, which always sorts first.
  return order.subarray(1);
}

/**
 * Kasai's LCP array: lcp[r] is the length of the common prefix of the suffixes
 * at ranks r − 1 and r (lcp[0] = 0). O(n).
 */
export function lcpArray(text: Int32Array, suffixes: Int32Array): Int32Array {
  const n = text.length;
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[suffixes[r] as number] = r;
  const lcp = new Int32Array(n);
  let common = 0;
  for (let i = 0; i < n; i++) {
    const r = rank[i] as number;
    if (r === 0) {
      common = 0;
      continue;
    }
    const j = suffixes[r - 1] as number;
    while (i + common < n && j + common < n && text[i + common] === text[j + common]) common++;
    lcp[r] = common;
    if (common > 0) common--;
  }
  return lcp;
}

export interface RepeatedSubstring {
  /** Code point length of the repeated substring. */
  length: number;
  /** Start offsets of non-overlapping copies, ascending (at least two). */
  starts: number[];
}

/**
 * The longest substring that occurs at least twice without overlapping itself,
 * with every non-overlapping copy of it (greedy from the left). Null when no
 * character repeats. O(n log n): suffix array, LCP, and a binary search on the
 * length (a repeat of length L contains one of every shorter length).
 */
export function longestRepeatedSubstring(text: Int32Array): RepeatedSubstring | null {
  const n = text.length;
  if (n < 2) return null;
  const suffixes = suffixArray(text);
  const lcp = lcpArray(text, suffixes);
  let maxLcp = 0;
  for (let r = 1; r < n; r++) if ((lcp[r] as number) > maxLcp) maxLcp = lcp[r] as number;

  // Groups of adjacent ranks with lcp >= length share a prefix of that length;
  // a group whose first and last start are >= length apart holds a non-overlapping pair.
  const findGroup = (length: number): [number, number] | null => {
    let groupStart = 0;
    let low = suffixes[0] as number;
    let high = low;
    for (let r = 1; r <= n; r++) {
      if (r < n && (lcp[r] as number) >= length) {
        const start = suffixes[r] as number;
        if (start < low) low = start;
        if (start > high) high = start;
        continue;
      }
      if (high - low >= length) return [groupStart, r];
      if (r < n) {
        groupStart = r;
        low = suffixes[r] as number;
        high = low;
      }
    }
    return null;
  };

  let best = 0;
  let bestGroup: [number, number] | null = null;
  let lo = 1;
  let hi = Math.min(maxLcp, Math.floor(n / 2));
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const group = findGroup(mid);
    if (group) {
      best = mid;
      bestGroup = group;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (!bestGroup) return null;
  const positions = Array.from(suffixes.subarray(bestGroup[0], bestGroup[1])).sort((a, b) => a - b);
  const starts: number[] = [];
  for (const position of positions) {
    const last = starts[starts.length - 1];
    if (last === undefined || position - last >= best) starts.push(position);
  }
  return { length: best, starts };
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
