/**
 * The trend's interval of a pass-rate change is the paired bootstrap's, computed
 * from the flip counts instead of by resampling: it agrees with diff's
 * resampled bootstrap (compare/stats.ts) on the same pairs, to within what
 * 20,000 resamples can tell apart.
 */
import { describe, expect, it } from "vitest";
import { meanDeltaInterval } from "../src/compare/stats.js";
import { flipInterval } from "../src/history/flip-interval.js";

function deltas(n: number, fixed: number, regressed: number): number[] {
  return [...Array(fixed).fill(1), ...Array(regressed).fill(-1), ...Array(n - fixed - regressed).fill(0)];
}

describe("flipInterval", () => {
  it.each([
    [60, 3, 1],
    [60, 0, 4],
    [200, 30, 22],
    [1000, 180, 150],
    [5000, 700, 650],
  ])("n = %i, %i fixed, %i regressed: the resampled bootstrap's interval", (n, fixed, regressed) => {
    const exact = flipInterval(n, fixed, regressed, 0.95);
    const resampled = meanDeltaInterval(deltas(n, fixed, regressed), { resamples: 20_000, seed: 7, confidence: 0.95 });
    // One flip moves the mean by 1/n: the bounds agree to a flip or two (the normal limit, above 400 flips, to a few tenths of a point).
    const tolerance = Math.max(2 / n, 0.003);
    expect(Math.abs(exact.low! - resampled.low)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(exact.high! - resampled.high)).toBeLessThanOrEqual(tolerance);
  });

  it("is a point at zero when nothing flipped, and empty without pairs", () => {
    expect(flipInterval(50, 0, 0, 0.95)).toEqual({ low: 0, high: 0 });
    expect(flipInterval(0, 0, 0, 0.95)).toEqual({ low: null, high: null });
  });
});
