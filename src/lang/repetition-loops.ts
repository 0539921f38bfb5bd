/**
 * The loop finder: back-to-back copies of one unit, at the end of the output
 * (Z-function of the reversed text, O(n), a final partial copy allowed) or
 * anywhere around the longest repeated substring; a loop found in a folded
 * text is given back in the original's offsets.
 */
import { fromCodePoints, numbersIn } from "./code-point-values.js";
import type { RepeatedSubstring } from "./repeated-substring.js";
import { type FoldedText, LINE_BREAK, isDigit, isSpace } from "./repetition-fold.js";

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
  /**
   * Near-copies (nearTailLoop): the most code points, besides numbers and
   * spacing, in which one copy differs from the next (10月15日（日）から… then
   * 10月16日（月）から…); absent when copies differ in nothing else.
   */
  differences?: number;
}

const SENTENCE_END = new Set([..."。．.！？!?；;…"].map((char) => char.codePointAt(0) as number));
const CLAUSE_END = new Set([..."、，,"].map((char) => char.codePointAt(0) as number));
const DECIMAL_POINT = new Set([..."．."].map((char) => char.codePointAt(0) as number));

/**
 * How natural a place `at` is for a copy of the unit to begin (higher is better):
 * the start of a line, after a sentence and a space, after a sentence end, after
 * a space; never on a space, nor inside a number. Used to pick the rotation of the unit a reader
 * recognises ("これはテストです。", not "です。これはテスト").
 */
export function boundaryScore(text: Int32Array, at: number): number {
  const first = text[at] as number;
  if (isSpace(first)) return -1;
  if (at === 0) return 4;
  const before = text[at - 1] as number;
  if (LINE_BREAK.has(before)) return 4;
  if (isSpace(before)) return at >= 2 && SENTENCE_END.has(text[at - 2] as number) ? 3 : 1;
  // 49.9: a point between digits ends no sentence, and no copy starts inside a number.
  if (isDigit(first) && (isDigit(before) || DECIMAL_POINT.has(before))) return -1;
  if (SENTENCE_END.has(before)) return 2;
  return 0;
}

/**
 * Whether a copy could begin at `at` after a comma (水景景色，…; 全校生徒が…まで、),
 * but not after a thousands separator (1,500) in its copy or the next one (the
 * first copy's comma may follow text before the loop: x,500 … 1,500 …).
 */
function afterComma(text: Int32Array, at: number, period: number): boolean {
  const separator = (comma: number): boolean => comma >= 1 && comma + 1 < text.length && isDigit(text[comma - 1] as number) && isDigit(text[comma + 1] as number);
  return at > 0 && CLAUSE_END.has(text[at - 1] as number) && !isSpace(text[at] as number) && !separator(at - 1) && !separator(at - 1 + period);
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
 *
 * `boundaryAt` scores a place (boundaryScore, in `text` by default); a text
 * folded without its line breaks asks the original, where they still are.
 */
export function describeLoop(
  text: Int32Array,
  regionStart: number,
  regionEnd: number,
  period: number,
  minRepeats: number,
  boundaryAt: (at: number) => number = (at) => boundaryScore(text, at),
): Loop | null {
  const length = regionEnd - regionStart;
  if (length < minRepeats * period) return null;
  let shift = 0;
  let shiftScore = boundaryAt(regionStart);
  const maxShift = Math.min(period - 1, MAX_ROTATION, length - minRepeats * period);
  for (let candidate = 1; candidate <= maxShift; candidate++) {
    // After a comma, only where no complete copy is lost by it.
    const keepsCopies = Math.floor((length - candidate) / period) === Math.floor(length / period);
    const score = Math.max(boundaryAt(regionStart + candidate), keepsCopies && afterComma(text, regionStart + candidate, period) ? 1 : -1);
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
export function tailLoop(text: Int32Array, minRepeats: number, boundaryAt?: (at: number) => number): Loop | null {
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
  return describeLoop(text, n - bestCover, n, bestPeriod, repeats, boundaryAt);
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
 * Every stretch of at least `minRepeats` back-to-back copies of a unit of up
 * to `maxPeriod` code points, wherever it is: a loop the model recovered from
 * (おばあちゃんのおばあちゃんのおばあちゃんの… in the middle of a story) need not
 * hold the output's longest repeat, which `loopAround` starts from. For each
 * period, the maximal stretches where text[i] = text[i + period]; a stretch
 * whose smallest period is shorter is left to that period. O(n log maxPeriod)
 * comparisons plus the stretches' lengths.
 */
export function loopsAnywhere(text: Int32Array, minRepeats: number, maxPeriod: number): Loop[] {
  const n = text.length;
  const repeats = Math.max(2, Math.floor(minRepeats));
  const loops: Loop[] = [];
  for (let period = 1; period <= Math.min(maxPeriod, Math.floor(n / repeats)); period++) {
    // A stretch where text[i] = text[i + period] long enough for a loop spans a
    // multiple of the period: look only there, then extend both ways.
    let covered = 0;
    for (let anchor = 0; anchor + period < n; anchor += period) {
      if (anchor < covered || text[anchor] !== text[anchor + period]) continue;
      let from = anchor;
      while (from > covered && text[from - 1] === text[from - 1 + period]) from--;
      let to = anchor + 1;
      while (to + period < n && text[to] === text[to + period]) to++;
      covered = to;
      // text[from, to + period) has period `period`.
      if (to - from >= (repeats - 1) * period && smallestPeriod(text, from, from + 2 * period) === period) {
        const loop = describeLoop(text, from, to + period, period, repeats);
        if (loop) loops.push(loop);
      }
    }
  }
  return loops;
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

/**
 * The numbers of each complete copy of a loop found with numbers folded
 * (copyStarts), as exact values of any script's digits (１．東京です。, ٣, ३:
 * Number() reads only ASCII, and not past 2^53); null with fewer than two
 * complete copies.
 */
export function copyNumbers(loop: Loop, text: Int32Array): bigint[][] | null {
  const starts = loop.copyStarts;
  if (starts === undefined || starts.length < 3) return null;
  return starts.slice(0, -1).map((start, copy) => numbersIn(text, start, starts[copy + 1]));
}

/** Whether every copy holds as many numbers as the first, so that they line up place by place. */
export const lineUp = (numbers: readonly bigint[][]): boolean => numbers.every((copy) => copy.length === numbers[0]!.length);

/**
 * Whether the numbers of a loop's complete copies (`copyStarts`, a loop
 * found with numbers folded) step evenly: at each place a copy has a number,
 * the number changes by the same amount from every copy to the next (0
 * included), or from every second or third copy to the next such. That is how a loop's numbers change — list numbers, step numbers,
 * a date counting up ("1. 東京です。" "2. 東京です。") — and not how data does:
 * a table of figures (1月：5.4℃, 2月：6.1℃, 3月：9.4℃…) shares its frame and
 * counts its months, but its figures are what it says. True for a loop whose
 * copies are all the same length (nothing was folded in it).
 */
export function numbersStepEvenly(loop: Loop, text: Int32Array): boolean {
  const numbers = copyNumbers(loop, text);
  if (numbers === null) return true;
  if (!lineUp(numbers)) return false;
  const first = numbers[0]!;
  // A count may step every copy, or every second or third one (it is a 1-D
  // model. it is a 1-D model. it is a 2-D model…: the unit is two copies long,
  // its period one copy once numbers are folded); that needs copies enough to
  // show two steps, or any figures would do.
  const stepsEvery = (block: number): boolean =>
    numbers.length >= (block === 1 ? 2 : 2 * block + 1) &&
    first.every((_, place) => {
      const step = numbers[block]![place]! - first[place]!;
      return numbers.every((copy, index) => index < block || copy[place]! - numbers[index - block]![place]! === step);
    });
  return [1, 2, 3].some(stepsEvery);
}

/**
 * Whether a loop's complete copies (`copyStarts`, a loop found with numbers
 * folded) differ in figures that nothing indexes: every copy has as many
 * numbers, and they hold no index — no place whose numbers strictly rise (or
 * strictly fall) across every copy, and the numbers read together, place by
 * place, do neither (建筑高度18米，建筑高度12米，建筑高度12米…). A table's rows
 * carry an index, even or not (1920年, 1930年, 1947年…; 6:05, 6:32, 7:08…),
 * beside their figures; the same words over and over with an unindexed figure
 * say nothing a row could be told by. False when the copies hold no number or
 * their numbers do not line up place by place.
 */
export function figuresWithoutIndex(loop: Loop, text: Int32Array): boolean {
  const numbers = copyNumbers(loop, text);
  if (numbers === null || numbers[0]!.length === 0 || !lineUp(numbers)) return false;
  const first = numbers[0]!;
  const compare = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
  // Whether every copy comes strictly after the one before it by `order`, or every one strictly before.
  const monotone = (order: (before: bigint[], after: bigint[]) => number): boolean =>
    numbers.every((copy, index) => index === 0 || order(numbers[index - 1]!, copy) < 0) ||
    numbers.every((copy, index) => index === 0 || order(numbers[index - 1]!, copy) > 0);
  const byPlace = (place: number) => (before: bigint[], after: bigint[]): number => compare(before[place]!, after[place]!);
  const inOrder = (before: bigint[], after: bigint[]): number => before.reduce((order, value, place) => order || compare(value, after[place]!), 0);
  return !monotone(inOrder) && !first.some((_, place) => monotone(byPlace(place)));
}

/**
 * A count that settles: the longest stretch of a loop's last complete copies
 * whose numbers step evenly (as numbersStepEvenly asks of a whole loop: every
 * copy, or every second or third, by the same amount at each place), as a
 * loop of its own, when it holds more than half of the copies and at least
 * `minCopies`; null when the whole loop steps evenly or no such stretch ends
 * it. A loop counting into the budget can start with copies that did not
 * count (1900年頃から1950年, 1950年頃から1990年, then 1990–2000, 2000–2010,
 * … to the end); a table whose figures happen to step evenly for a few rows
 * in its middle is not one.
 */
export function settledCount(loop: Loop, text: Int32Array, minCopies: number): Loop | null {
  const numbers = copyNumbers(loop, text);
  if (numbers === null || numbers.length < minCopies || numbersStepEvenly(loop, text)) return null;
  const last = numbers.length - 1;
  const sameStep = (from: bigint[], to: bigint[], nextFrom: bigint[], nextTo: bigint[]): boolean =>
    from.length === to.length &&
    from.length === nextFrom.length &&
    from.length === nextTo.length &&
    from.every((value, place) => to[place]! - value === nextTo[place]! - nextFrom[place]!);
  let first: number | null = null;
  for (const block of [1, 2, 3]) {
    if (last - block < 0) continue;
    // Steps numbers[j] → numbers[j + block], back from the last one while they equal it.
    const end = last - block;
    let j = end;
    while (j > 0 && sameStep(numbers[j - 1]!, numbers[j - 1 + block]!, numbers[end]!, numbers[last]!)) j--;
    if (!sameStep(numbers[j]!, numbers[j + block]!, numbers[end]!, numbers[last]!)) continue;
    const copies = last - j + 1;
    const needed = Math.max(minCopies, block === 1 ? 2 : 2 * block + 1, Math.floor(numbers.length / 2) + 1);
    if (copies >= needed && (first === null || j < first)) first = j;
  }
  return first === null ? null : lastCopiesOf(loop, text, first);
}

/** A loop's complete copies from `first` on, with its trailing partial copy, as a loop. */
function lastCopiesOf(loop: Loop, text: Int32Array, first: number): Loop {
  const starts = loop.copyStarts!;
  return {
    ...loop,
    unit: fromCodePoints(text, starts[first]!, starts[first + 1]!),
    count: starts.length - 1 - first,
    start: starts[first]!,
    copyStarts: starts.slice(first),
  };
}
