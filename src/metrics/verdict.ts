/**
 * Pass/fail for a reference-metric score against an optional `min_score`.
 * Without a threshold the score is informational: no verdict (`pass: null`),
 * and the reason says that no threshold is set.
 */
export interface Verdict {
  pass: boolean | null;
  /** The half sentence to append to the score in a check's reason. */
  clause: string;
}

export function thresholdVerdict(score: number, minScore: number | undefined, format: (value: number) => string): Verdict {
  if (minScore === undefined) return { pass: null, clause: "informational: no min_score threshold is set" };
  return score >= minScore
    ? { pass: true, clause: `at or above min_score ${format(minScore)}` }
    : { pass: false, clause: `below min_score ${format(minScore)}` };
}

/** The references a metric can use: empty strings dropped (sacreBLEU drops them too). */
export function usableReferences(values: readonly string[]): string[] {
  return values.filter((value) => value !== "");
}
