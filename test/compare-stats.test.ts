/**
 * The statistics behind the diff and the gate, against hand computations:
 * exact McNemar is a two-sided binomial tail on the discordant pairs, the
 * bootstrap is a percentile interval over seeded resamples.
 */
import { describe, expect, it } from "vitest";
import { binomialHalfPmf, mcnemarExact, meanDeltaInterval, nearestRank, pairedBootstrap, seededRandom } from "../src/compare/stats.js";
import { diffText } from "../src/compare/text-diff.js";

describe("exact McNemar", () => {
  it("is 2 · P(X ≤ min(b, c)) for X ~ Binomial(b + c, 1/2), capped at 1", () => {
    // 5 regressed, 0 fixed: 2 · (1/2)^5 = 1/16
    expect(mcnemarExact(5, 0).p_value).toBe(0.0625);
    // 6 regressed, 0 fixed: 2 · (1/2)^6 = 1/32, the smallest all-one-way count below 0.05
    expect(mcnemarExact(6, 0).p_value).toBe(0.03125);
    // 7 regressed, 1 fixed: 2 · (C(8,0) + C(8,1)) / 2^8 = 18/256
    expect(mcnemarExact(7, 1).p_value).toBe(18 / 256);
    // 2 regressed, 0 fixed — "a swing of two probes": 2 · 1/4 = 0.5, far from significant
    expect(mcnemarExact(2, 0).p_value).toBe(0.5);
    // 10 vs 2: 2 · (1 + 12 + 66) / 4096 = 158/4096
    expect(mcnemarExact(10, 2).p_value).toBe(158 / 4096);
    // symmetric in its arguments, and 1 when balanced or when nothing flipped
    expect(mcnemarExact(1, 7).p_value).toBe(mcnemarExact(7, 1).p_value);
    expect(mcnemarExact(3, 3).p_value).toBe(1);
    expect(mcnemarExact(0, 0)).toEqual({ regressed: 0, fixed: 0, discordant: 0, p_value: 1 });
  });

  it("stays finite for thousands of discordant pairs (log-space binomial)", () => {
    expect(binomialHalfPmf(4, 2)).toBeCloseTo(6 / 16, 12);
    const p = mcnemarExact(2600, 2400).p_value;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.01);
    expect(mcnemarExact(2500, 2500).p_value).toBe(1);
  });

  it("rejects counts that are not non-negative integers", () => {
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 2)).toThrow(RangeError);
  });
});

describe("paired bootstrap", () => {
  it("uses the nearest-rank quantile: the ⌈q·n⌉-th smallest value", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(sorted, 0.025)).toBe(1);
    expect(nearestRank(sorted, 0.5)).toBe(5);
    expect(nearestRank(sorted, 0.95)).toBe(10);
    expect(nearestRank(sorted, 0.9)).toBe(9);
    expect(nearestRank(sorted, 0)).toBe(1);
  });

  it("gives a zero-width interval when every pair moved by the same amount", () => {
    const interval = meanDeltaInterval([-1, -1, -1, -1], { resamples: 200, seed: 3 });
    expect(interval).toMatchObject({ estimate: -1, low: -1, high: -1, confidence: 0.95, resamples: 200, seed: 3 });
  });

  it("matches the hand-computed distribution of two pairs with deltas 0 and 1", () => {
    // Resampling two pairs gives a mean of 0, ½ or 1 with probabilities ¼, ½, ¼:
    // the 2.5% and 97.5% quantiles of 2,000 draws are 0 and 1.
    const interval = meanDeltaInterval([0, 1], { resamples: 2000, seed: 7 });
    expect(interval.estimate).toBe(0.5);
    expect([interval.low, interval.high]).toEqual([0, 1]);
    // At 40% confidence the quantiles are the 30th and 70th percentiles: both ½.
    const narrow = meanDeltaInterval([0, 1], { resamples: 2000, seed: 7, confidence: 0.4 });
    expect([narrow.low, narrow.high]).toEqual([0.5, 0.5]);
  });

  it("is reproducible with a seed and different with another", () => {
    const deltas = Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7));
    const a = meanDeltaInterval(deltas, { seed: 11 });
    const b = meanDeltaInterval(deltas, { seed: 11 });
    const c = meanDeltaInterval(deltas, { seed: 12 });
    expect(a).toEqual(b);
    expect([a.low, a.high]).not.toEqual([c.low, c.high]);
    expect(a.low).toBeLessThanOrEqual(a.estimate);
    expect(a.high).toBeGreaterThanOrEqual(a.estimate);
  });

  it("resamples pairs with replacement from a seeded uniform PRNG", () => {
    const random = seededRandom(42);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((sum, value) => sum + value, 0) / draws.length).toBeCloseTo(0.5, 1);
    expect(seededRandom(42)()).toBe(draws[0]);
    const seen: number[][] = [];
    pairedBootstrap(3, (indices) => (indices ? (seen.push([...indices]), 0) : 0), { resamples: 50, seed: 1 });
    expect(seen).toHaveLength(50);
    expect(seen.every((draw) => draw.length === 3 && draw.every((i) => i >= 0 && i < 3))).toBe(true);
    expect(seen.some((draw) => new Set(draw).size < 3)).toBe(true); // with replacement
  });
});

describe("character diff of outputs", () => {
  const apply = (segments: ReturnType<typeof diffText>, side: "base" | "candidate") =>
    segments.filter((s) => s.op === "equal" || s.op === (side === "base" ? "delete" : "insert")).map((s) => s.text).join("");

  it("diffs Japanese by code point and folds one-character islands (ン) into the change", () => {
    const segments = diffText("答えはウォントンです。", "答えはワンタンです。");
    expect(segments).toEqual([
      { op: "equal", text: "答えは" },
      { op: "delete", text: "ウォント" },
      { op: "insert", text: "ワンタ" },
      { op: "equal", text: "ンです。" },
    ]);
  });

  it("keeps surrogate pairs whole", () => {
    const segments = diffText("a😀b", "a😁b");
    expect(segments).toEqual([
      { op: "equal", text: "a" },
      { op: "delete", text: "😀" },
      { op: "insert", text: "😁" },
      { op: "equal", text: "b" },
    ]);
  });

  it("reconstructs both texts exactly, for random edits", () => {
    const random = seededRandom(5);
    const alphabet = "あいうえおカキクケコ山川 ab.";
    const pick = () => alphabet[Math.floor(random() * alphabet.length)]!;
    for (let round = 0; round < 200; round++) {
      const base = Array.from({ length: Math.floor(random() * 40) }, pick).join("");
      const chars = Array.from(base);
      for (let edit = 0; edit < 5; edit++) {
        const at = Math.floor(random() * (chars.length + 1));
        if (random() < 0.5) chars.splice(at, 1);
        else chars.splice(at, 0, pick());
      }
      const candidate = chars.join("");
      const segments = diffText(base, candidate);
      expect(apply(segments, "base")).toBe(base);
      expect(apply(segments, "candidate")).toBe(candidate);
    }
  });

  it("gives up on detail past maxEdits and still marks the whole change", () => {
    const segments = diffText("x" + "abc".repeat(50) + "y", "x" + "def".repeat(50) + "y", { maxEdits: 10 });
    expect(segments).toEqual([
      { op: "equal", text: "x" },
      { op: "delete", text: "abc".repeat(50) },
      { op: "insert", text: "def".repeat(50) },
      { op: "equal", text: "y" },
    ]);
    // Two different answers sharing one stray letter: one change, not confetti.
    expect(diffText("abcdefghij", "zbyxwvutsr")).toEqual([
      { op: "delete", text: "abcdefghij" },
      { op: "insert", text: "zbyxwvutsr" },
    ]);
    expect(diffText("same", "same")).toEqual([{ op: "equal", text: "same" }]);
    expect(diffText("", "new")).toEqual([{ op: "insert", text: "new" }]);
  });
});
