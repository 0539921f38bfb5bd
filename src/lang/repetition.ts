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
 * - loops: back-to-back copies of one unit, at the end of the output (Z-function
 *   of the reversed text, O(n), a final partial copy allowed) or anywhere around
 *   the longest repeated substring.
 * - compression ratio (Whisper's loop heuristic, over code points instead of
 *   UTF-8 bytes): for the whole text and as the maximum over fixed-size windows.
 * - folding: digit runs and whitespace runs as one placeholder each, so a
 *   numbered loop, or one spaced unevenly, is periodic.
 */
import { deflateSync } from "node:zlib";

/** Code points of a string as numbers (`scripts.ts`' `codePoints` gives them as strings). */
export function codePointValues(text: string): Int32Array {
  const points = new Int32Array(text.length);
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const point = text.codePointAt(index) as number;
    points[count++] = point;
    if (point > 0xffff) index++;
  }
  return points.subarray(0, count);
}

/** The text of code points [start, end). */
export function fromCodePoints(points: Int32Array, start = 0, end = points.length): string {
  let text = "";
  // Chunked to stay clear of the argument-count limit of String.fromCodePoint.
  for (let at = start; at < end; at += 4096) {
    text += String.fromCodePoint(...points.subarray(at, Math.min(end, at + 4096)));
  }
  return text;
}


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

/** Z-function: z[i] is the length of the longest common prefix of s and s[i..]. O(n). */
function zFunction(s: Int32Array): Int32Array {
  const n = s.length;
  const z = new Int32Array(n);
  if (n === 0) return z;
  z[0] = n;
  let left = 0;
  let right = 0;
  for (let i = 1; i < n; i++) {
    let length = i < right ? Math.min(right - i, z[i - left] as number) : 0;
    while (i + length < n && s[length] === s[i + length]) length++;
    z[i] = length;
    if (i + length > right) {
      left = i;
      right = i + length;
    }
  }
  return z;
}

export interface Loop {
  /** The repeated unit. */
  unit: string;
  /** Code point length of the unit. */
  unitLength: number;
  /** Complete back-to-back copies. */
  count: number;
  /** Code points of a trailing partial copy (a prefix of the unit), 0 if none. */
  partial: number;
  /** Code point range of the copies and the partial copy, end exclusive. */
  start: number;
  end: number;
  /** True when the loop runs to the end of the output. */
  atEnd: boolean;
  /**
   * Where each complete copy starts, and where the last one ends (count + 1
   * offsets), when copies may differ (a loop found with numbers and spaces folded);
   * absent when every copy is `unitLength` long.
   */
  copyStarts?: number[];
}

/** Line breaks, and the placeholder for a run of them in a folded text. */
const LINE_BREAK = new Set([0x0a, 0x0d, 0x2028, 0x2029, 0xfdd2]);
const SENTENCE_END = new Set([..."。．.！？!?；;…"].map((char) => char.codePointAt(0) as number));
const SPACE = /\s/u;
const isSpace = (point: number): boolean => point === SPACES || point === LINES || SPACE.test(String.fromCodePoint(point));

/**
 * How natural a place `at` is for a copy of the unit to begin (higher is better):
 * the start of a line, after a sentence and a space, after a sentence end, after
 * a space; never on a space. Used to pick the rotation of the unit a reader
 * recognises ("これはテストです。", not "です。これはテスト").
 */
function boundaryScore(text: Int32Array, at: number): number {
  const first = text[at] as number;
  if (isSpace(first)) return -1;
  if (at === 0) return 4;
  const before = text[at - 1] as number;
  if (LINE_BREAK.has(before)) return 4;
  if (isSpace(before)) return at >= 2 && SENTENCE_END.has(text[at - 2] as number) ? 3 : 1;
  if (SENTENCE_END.has(before)) return 2;
  return 0;
}

/**
 * How far the first copy may be moved to start at a natural boundary. A
 * periodic region extends left over text that happens to end like the unit
 * ("…山です。" before a loop of "…山です。"); such a coincidence is short, and a
 * loop that really began mid-sentence keeps its start.
 */
const MAX_ROTATION = 16;

/**
 * A loop from a region [regionStart, regionEnd) that has period `period`: the
 * unit is rotated to begin at a natural boundary within MAX_ROTATION code
 * points (keeping at least `minRepeats` copies); what is left after the last
 * complete copy is the partial copy. Null when the region holds fewer than
 * `minRepeats` copies.
 */
function describeLoop(text: Int32Array, regionStart: number, regionEnd: number, period: number, minRepeats: number): Loop | null {
  const length = regionEnd - regionStart;
  if (length < minRepeats * period) return null;
  let shift = 0;
  let shiftScore = boundaryScore(text, regionStart);
  const maxShift = Math.min(period - 1, MAX_ROTATION, length - minRepeats * period);
  for (let candidate = 1; candidate <= maxShift; candidate++) {
    const score = boundaryScore(text, regionStart + candidate);
    if (score > shiftScore) {
      shift = candidate;
      shiftScore = score;
    }
  }
  const start = regionStart + shift;
  return {
    unit: fromCodePoints(text, start, start + period),
    unitLength: period,
    count: Math.floor((regionEnd - start) / period),
    partial: (regionEnd - start) % period,
    start,
    end: regionEnd,
    atEnd: regionEnd === text.length,
  };
}

/**
 * The loop the output ends in: at least `minRepeats` back-to-back copies of a
 * unit of any length, optionally followed by a partial copy (generation cut by
 * the token limit). Among the periods that qualify, the one covering the most
 * of the output wins; a shorter unit wins when it covers nearly as much (less
 * than one copy of the longer unit less), so "abab…" is reported as "ab".
 * Null when no period qualifies. O(n): Z-function of the reversed text.
 */
export function tailLoop(text: Int32Array, minRepeats: number): Loop | null {
  const n = text.length;
  const repeats = Math.max(2, Math.floor(minRepeats));
  if (n < repeats) return null;
  const z = zFunction(text.slice().reverse());
  // The suffix of length z[p] + p is p-periodic: it ends in (z[p] + p) / p copies.
  let bestPeriod = 0;
  let bestCover = 0;
  const maxPeriod = Math.floor(n / repeats);
  for (let period = 1; period <= maxPeriod; period++) {
    const cover = (z[period] as number) + period;
    if (cover >= repeats * period && cover > bestCover) {
      bestCover = cover;
      bestPeriod = period;
    }
  }
  if (bestPeriod === 0) return null;
  for (let period = 1; period < bestPeriod; period++) {
    const cover = (z[period] as number) + period;
    if (cover >= repeats * period && cover > bestCover - bestPeriod) {
      bestPeriod = period;
      bestCover = cover;
      break;
    }
  }
  return describeLoop(text, n - bestCover, n, bestPeriod, repeats);
}

/** Smallest period of text[start, end): the least p with text[i] = text[i + p] throughout. */
function smallestPeriod(text: Int32Array, start: number, end: number): number {
  const length = end - start;
  const z = zFunction(text.subarray(start, end));
  for (let period = 1; period < length; period++) if (period + (z[period] as number) === length) return period;
  return length;
}

/**
 * A loop anywhere in the output, found around the longest repeated substring:
 * when a loop is the largest repetition of an output, its longest repeat lies
 * inside it and is either periodic itself (several copies of the unit) or has
 * its second copy right after the first. The period is then extended both ways
 * as far as the text keeps it. Null when that gives fewer than `minRepeats` copies.
 */
export function loopAround(text: Int32Array, repeat: RepeatedSubstring, minRepeats: number): Loop | null {
  const repeats = Math.max(2, Math.floor(minRepeats));
  const first = repeat.starts[0] as number;
  let period = smallestPeriod(text, first, first + repeat.length);
  if (period === repeat.length) {
    // Not periodic inside: a loop only if two copies are back to back.
    const adjacent = repeat.starts.findIndex((start, index) => index > 0 && start - (repeat.starts[index - 1] as number) === repeat.length);
    if (adjacent < 0) return null;
    period = repeat.length;
  }
  let regionStart = first;
  while (regionStart > 0 && text[regionStart - 1] === text[regionStart - 1 + period]) regionStart--;
  let regionEnd = first + period;
  while (regionEnd < text.length && text[regionEnd] === text[regionEnd - period]) regionEnd++;
  return describeLoop(text, regionStart, regionEnd, period, repeats);
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

/** Stand for a run of digits, of spaces and of line breaks in a folded text (noncharacters: never in real text). */
const DIGITS = 0xfdd0;
const SPACES = 0xfdd1;
const LINES = 0xfdd2;
const DIGIT = /\p{Nd}/u;

/** A text with every run of digits, and every run of whitespace, folded to one placeholder, and where each folded code point came from. */
export interface FoldedText {
  points: Int32Array;
  /** origin[i]: code point offset in the original of points[i]; origin[points.length] = the original length. */
  origin: Int32Array;
  /** True when something was folded (else `points` is the original). */
  folded: boolean;
  /** True when the text has digits. */
  digits: boolean;
}

function classOf(point: number): number {
  if (LINE_BREAK.has(point)) return LINES;
  if (point < 0x80) return point >= 0x30 && point <= 0x39 ? DIGITS : point === 0x20 || (point >= 0x09 && point <= 0x0d) ? SPACES : point;
  const char = String.fromCodePoint(point);
  return DIGIT.test(char) ? DIGITS : SPACE.test(char) ? SPACES : point;
}

/**
 * Folds digit runs (any script's digits, ASCII and full-width alike) and
 * whitespace runs to one placeholder each, so that a numbered loop ("1.
 * 東京です。\n2. 東京です。\n…") or one whose copies are spaced differently is
 * periodic: its copies differ only in their numbers or spacing.
 */
export function foldNumbersAndSpaces(text: Int32Array): FoldedText {
  const points = new Int32Array(text.length);
  const origin = new Int32Array(text.length + 1);
  let count = 0;
  let digits = false;
  // Folding spaces changes nothing when every whitespace run is the same (all single spaces).
  let firstSpaces: string | null = null;
  let spaces = "";
  let unevenSpaces = false;
  const endSpaces = (): void => {
    if (spaces === "") return;
    firstSpaces ??= spaces;
    unevenSpaces ||= spaces !== firstSpaces;
    spaces = "";
  };
  for (let index = 0; index < text.length; index++) {
    const point = text[index] as number;
    const symbol = classOf(point);
    if (symbol === SPACES || symbol === LINES) spaces += String.fromCodePoint(point);
    else endSpaces();
    if (symbol !== point) {
      digits ||= symbol === DIGITS;
      if (count > 0 && points[count - 1] === symbol) continue;
    }
    points[count] = symbol;
    origin[count++] = index;
  }
  endSpaces();
  origin[count] = text.length;
  return { points: points.slice(0, count), origin: origin.slice(0, count + 1), folded: digits || unevenSpaces, digits };
}

/**
 * A loop found in a folded text, in the original's offsets: the unit is
 * its first copy as written, `unitLength` the folded length (what repeats),
 * `start`/`end` and `copyStarts` original offsets.
 */
export function unfoldLoop(loop: Loop, folded: FoldedText, original: Int32Array): Loop {
  const at = (index: number): number => folded.origin[index] as number;
  const copyStarts = Array.from({ length: loop.count + 1 }, (_, copy) => at(loop.start + copy * loop.unitLength));
  return {
    ...loop,
    unit: fromCodePoints(original, copyStarts[0] as number, copyStarts[1] as number),
    start: at(loop.start),
    end: at(loop.end),
    copyStarts,
  };
}

/** A text with the shared frame of list items removed, and where each kept code point came from. */
export interface FramesRemoved {
  points: Int32Array;
  /** origin[i]: code point offset in the original of points[i]. */
  origin: Int32Array;
  /** Lists (runs of 3 or more item lines) whose frame was removed. */
  lists: number;
}

/** A list item's marker: a bullet, or a number with its punctuation (1. 2) ３．), and the space after it. */
const LIST_MARKER = /^\s*(?:[-*•・●○◆■▪]|[(（]?\p{Nd}+[.)．）、:：])\s*/u;

/** A line without its list marker ("1. 休憩時" → "休憩時"). */
export function withoutListMarker(line: string): string {
  return line.replace(LIST_MARKER, "");
}
const NEWLINE = 0x0a;

/**
 * Removes, from each run of three or more consecutive list items, what every
 * item of the run has in common at its start and its end (after the marker):
 * the frame of parallel items ("・近所の公園に行ってみるのもおすすめです。",
 * "・図書館に行ってみるのもおすすめです。" keep 近所の公園 and 図書館). What is left is
 * the items' own content, whose repetition is what a loop would show. Runs
 * whose items would be left empty are identical items — a loop — and are
 * kept whole for the loop detector and the statistics to see.
 */
export function removeListFrames(text: Int32Array): FramesRemoved {
  const lines: Array<{ start: number; end: number; content: number }> = [];
  let breaks = 0;
  for (let index = text.indexOf(NEWLINE); index >= 0 && breaks < 2; index = text.indexOf(NEWLINE, index + 1)) breaks++;
  for (let start = 0; breaks >= 2 && start <= text.length; ) {
    let end = text.indexOf(NEWLINE, start);
    if (end < 0) end = text.length;
    const line = fromCodePoints(text, start, end);
    const marker = LIST_MARKER.exec(line);
    lines.push({ start, end, content: marker && marker[0].length < line.length ? start + codePointValues(marker[0]).length : -1 });
    start = end + 1;
  }
  let keep: Uint8Array | null = null;
  let lists = 0;
  for (let first = 0; first < lines.length; ) {
    let last = first;
    while (last < lines.length && lines[last]!.content >= 0) last++;
    if (last - first >= 3) {
      const items = lines.slice(first, last);
      const shortest = Math.min(...items.map((item) => item.end - item.content));
      const sameAt = (offset: (item: (typeof items)[number]) => number): boolean =>
        items.every((item) => text[offset(item)] === text[offset(items[0]!)]);
      let prefix = 0;
      while (prefix < shortest && sameAt((item) => item.content + prefix)) prefix++;
      let suffix = 0;
      while (suffix < shortest - prefix && sameAt((item) => item.end - 1 - suffix)) suffix++;
      if (prefix + suffix > 0 && prefix + suffix < shortest) {
        lists++;
        keep ??= new Uint8Array(text.length).fill(1);
        for (const item of items) {
          keep.fill(0, item.content, item.content + prefix);
          keep.fill(0, item.end - suffix, item.end);
        }
      }
    }
    first = Math.max(last, first + 1);
  }
  if (!keep) return { points: text, origin: Int32Array.from({ length: text.length }, (_, index) => index), lists: 0 };
  let count = 0;
  for (const flag of keep) count += flag;
  const points = new Int32Array(count);
  const origin = new Int32Array(count);
  let at = 0;
  for (let index = 0; index < text.length; index++) {
    if (keep[index] === 0) continue;
    points[at] = text[index] as number;
    origin[at++] = index;
  }
  return { points, origin, lists };
}
