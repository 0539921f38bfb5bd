/**
 * Which loop an output is reported by, of those the finders give (exact,
 * folded, near-copies): the widest, as tailLoop chooses among periods.
 */
import { type Loop, numbersStepEvenly } from "./repetition-loops.js";

/** Exact copies 0, copies differing in numbers and spacing 1, near-copies 2: what a loop claims of its copies. */
const looseness = (loop: Loop): number => (loop.differences !== undefined ? 2 : loop.copyStarts !== undefined ? 1 : 0);

/**
 * The loop covering the most, the exactest on a tie. A shorter period wins
 * when it covers nearly as much of that loop's stretch (less than one copy of
 * the wider loop's unit less), as in tailLoop, if it is as exact or its
 * numbers step evenly (a count explains how its copies differ): 30
 * near-copies of one date range whose weekdays cycle, not 4 exact copies of a
 * week of them; but 1. 2. 3. 4. 5. over and over, not 1. with numbers that
 * do not count. A shorter period has more copies: the same unit found with
 * numbers and spaces folded is shorter only as folded.
 */
export function widestLoop(loops: readonly Loop[], text: Int32Array): Loop | null {
  const span = (loop: Loop): number => loop.end - loop.start;
  let best: Loop | null = null;
  for (const loop of loops) {
    if (best === null || span(loop) > span(best) || (span(loop) === span(best) && looseness(loop) < looseness(best))) best = loop;
  }
  if (best === null) return null;
  const wide = best;
  const shorter = loops.filter(
    (loop) =>
      loop.count > wide.count &&
      loop.unitLength < wide.unitLength &&
      Math.min(loop.end, wide.end) - Math.max(loop.start, wide.start) > span(wide) - wide.unitLength &&
      (looseness(loop) <= looseness(wide) || numbersStepEvenly(loop, text)),
  );
  for (const loop of shorter) {
    if (loop.unitLength < best.unitLength || (loop.unitLength === best.unitLength && span(loop) > span(best))) best = loop;
  }
  return best;
}
