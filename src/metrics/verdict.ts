/**
 * The references a reference metric uses, and pass/fail for its score against
 * an optional `min_score`. Without a threshold the score is informational: no verdict (`pass: null`),
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

/** The usable references of a segment `metric` scores; none left is an error (a check says so before it gets here). */
export function requireReferences(metric: string, values: readonly string[]): string[] {
  const usable = usableReferences(values);
  if (usable.length === 0) throw new Error(`${metric} needs at least one non-empty reference`);
  return usable;
}
