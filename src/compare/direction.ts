/**
 * Which way a check's score improves. Most scores are "higher is better"
 * (chrF, BLEU, token F1, 0/1 checks); a few measure a fault or a cost, where
 * lower is better (loop share, drift share, katakana distance, bits per
 * character). `length` measures a length: neither.
 */
import type { Better } from "../format/check-result.js";

export type { Better } from "../format/check-result.js";

const LOWER_IS_BETTER = new Set(["repetition", "language", "katakana", "perplexity"]);
const NO_DIRECTION = new Set(["length"]);

export function scoreDirection(checkType: string, override: Better = null): Better {
  if (override) return override;
  if (LOWER_IS_BETTER.has(checkType)) return "lower";
  if (NO_DIRECTION.has(checkType)) return null;
  return "higher";
}
