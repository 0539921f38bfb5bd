/**
 * Near-copies at the end of an output: a tail whose copies of one unit differ
 * from copy to copy in a few code points besides their numbers (a weekday
 * stepping with its date, 10月15日（日）から10月16日（月）まで、 then
 * 10月16日（月）から10月17日（火）まで、), which no exact period holds.
 */
import { type Loop, copyNumbers, describeLoop, lineUp } from "./repetition-loops.js";

/**
 * A copy may differ from the next in one code point for every NEAR_COPY_SHARE
 * of the unit's (folded) length: 2 of a 23-point unit. Units shorter than that
 * must repeat exactly, which tailLoop finds.
 */
export const NEAR_COPY_SHARE = 8;

/**
 * The near-periodic tail of `text` (a folded text: numbers and spaces are one
 * placeholder each) with the most copies' cover: for a period p, the longest
 * suffix in which every p consecutive positions i hold at most ⌊p /
 * NEAR_COPY_SHARE⌋ with text[i] ≠ text[i + p], starting on a position that
 * matches; at least `minRepeats` copies of up to `maxPeriod` code points,
 * and at least one difference (an exact tail is tailLoop's). Only
 * substitutions: a copy with a word put in or left out shifts the period and
 * ends the tail. A shorter period wins when it covers nearly as much (less
 * than one copy of the longer less), as in tailLoop. Each period stops at its
 * first window over the limit, so text that is no tail costs a few
 * comparisons a period.
 */
export function nearTailLoop(text: Int32Array, minRepeats: number, maxPeriod: number): Loop | null {
  const n = text.length;
  const repeats = Math.max(2, Math.floor(minRepeats));
  const longest = Math.min(maxPeriod, Math.floor(n / repeats));
  // starts[period]: where the near-periodic tail of that period starts, or -1 when it holds too few copies or no difference.
  const starts = new Int32Array(longest + 1).fill(-1);
  let bestPeriod = 0;
  for (let period = NEAR_COPY_SHARE; period <= longest; period++) {
    const start = nearTailStart(text, period);
    if (n - start < repeats * period || !differsIn(text, start, period)) continue;
    starts[period] = start;
    if (bestPeriod === 0 || start < (starts[bestPeriod] as number)) bestPeriod = period;
  }
  if (bestPeriod === 0) return null;
  for (let period = NEAR_COPY_SHARE; period < bestPeriod; period++) {
    const start = starts[period] as number;
    if (start >= 0 && n - start > n - (starts[bestPeriod] as number) - bestPeriod) {
      bestPeriod = period;
      break;
    }
  }
  const loop = describeLoop(text, starts[bestPeriod] as number, n, bestPeriod, repeats);
  return loop && { ...loop, differences: mostDifferences(text, loop) };
}

/** Start of the longest suffix in which every `period` consecutive positions hold at most ⌊period / NEAR_COPY_SHARE⌋ mismatches with the position a period on, starting on a match. */
function nearTailStart(text: Int32Array, period: number): number {
  const n = text.length;
  const allowed = Math.floor(period / NEAR_COPY_SHARE);
  // Mismatching positions, newest (lowest) last; those from `oldest` on lie in the current window [i, i + period).
  const mismatches: number[] = [];
  let oldest = 0;
  let start = n - period;
  for (let i = n - period - 1; i >= 0; i--) {
    if (text[i] !== text[i + period]) {
      mismatches.push(i);
      while ((mismatches[oldest] as number) >= i + period) oldest++;
      if (mismatches.length - oldest > allowed) break;
    }
    start = i;
  }
  while (start < n - period && text[start] !== text[start + period]) start++;
  return start;
}

/** Whether some position of the tail from `start` differs from the one a period on. */
function differsIn(text: Int32Array, start: number, period: number): boolean {
  for (let i = start; i + period < text.length; i++) if (text[i] !== text[i + period]) return true;
  return false;
}

/** The most positions in which one complete copy of a loop differs from the copy (or partial copy) after it. */
function mostDifferences(text: Int32Array, loop: Loop): number {
  let most = 0;
  for (let copy = 0; copy < loop.count; copy++) {
    let differences = 0;
    const from = loop.start + copy * loop.unitLength;
    for (let i = from; i < from + loop.unitLength && i + loop.unitLength < text.length; i++) if (text[i] !== text[i + loop.unitLength]) differences++;
    most = Math.max(most, differences);
  }
  return most;
}

/**
 * Whether near-copies (a loop found with numbers folded, `copyStarts` set)
 * carry a count moving with them: their numbers line up place by place, and
 * some place steps by the same non-zero amount from every copy to the next
 * (10月15日（日）から10月16日（月）まで、 then 10月16日（月）から…). Without one,
 * copies that differ in a word are a list (月曜日：9時から17時まで, then
 * 火曜日：9時から17時まで; const a = getValue("a"); then const b = …), not a loop.
 */
export function nearCopiesCount(loop: Loop, text: Int32Array): boolean {
  const numbers = copyNumbers(loop, text);
  if (numbers === null || !lineUp(numbers)) return false;
  const first = numbers[0]!;
  return first.some((value, place) => {
    const step = numbers[1]![place]! - value;
    return step !== 0n && numbers.every((copy, index) => index === 0 || copy[place]! - numbers[index - 1]![place]! === step);
  });
}
