/**
 * Which way a check's score improves. Most scores are "higher is better"
 * (chrF, BLEU, token F1, 0/1 checks); a few measure a fault or a cost, where
 * lower is better (loop share, drift share, katakana distance, bits per
 * character). `length` measures a length: neither.
 */
export type Better = "higher" | "lower" | null;

const LOWER_IS_BETTER = new Set(["repetition", "language", "katakana", "perplexity"]);
const NO_DIRECTION = new Set(["length"]);

export function scoreDirection(checkType: string, override: Better = null): Better {
  if (override) return override;
  if (LOWER_IS_BETTER.has(checkType)) return "lower";
  if (NO_DIRECTION.has(checkType)) return null;
  return "higher";
}

/** "improved", "regressed" or "unchanged" for a score delta (candidate − base) in a direction. */
export function deltaMeaning(delta: number, better: Better): "improved" | "regressed" | "changed" | "unchanged" {
  if (delta === 0 || !Number.isFinite(delta)) return "unchanged";
  if (better === null) return "changed";
  return (delta > 0) === (better === "higher") ? "improved" : "regressed";
}
