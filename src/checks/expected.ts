import type { Probe } from "../format/suite.js";
import { emptyValueProblem } from "../lang/normalize.js";

/**
 * The convention every check follows: `expected` in the check's own spec wins;
 * otherwise the probe's `expected` list (for reference metrics, the references).
 */
export function expectedValues(params: { expected?: unknown }, probe: Probe): string[] {
  const own = params.expected;
  if (typeof own === "string") return [own];
  if (Array.isArray(own)) return own.filter((value): value is string => typeof value === "string");
  return probe.expected;
}

/** Schema fragment for an `expected` parameter: one string or a non-empty list. */
export const EXPECTED_SCHEMA = {
  description: "What this check compares against; defaults to the probe's `expected`.",
  oneOf: [
    { type: "string", minLength: 1 },
    { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
  ],
} as const;

/** Parameters of the checks that match expected aliases as normalized strings (contains, exact). */
export interface AliasMatchParams {
  expected?: string | string[];
  case_sensitive?: boolean;
}

export type FilledAliasMatchParams = AliasMatchParams & { case_sensitive: boolean };

export const ALIAS_MATCH_SCHEMA = {
  type: "object",
  properties: { expected: EXPECTED_SCHEMA, case_sensitive: { type: "boolean", default: false } },
  additionalProperties: false,
} as const;

/**
 * contains / exact: an alias given on the check that normalizes to nothing.
 * (The probe's own `expected` values are checked by the suite loader, at their line.)
 */
export function aliasProblem(params: Pick<AliasMatchParams, "expected">): string | null {
  const own = params.expected === undefined ? [] : typeof params.expected === "string" ? [params.expected] : params.expected;
  for (const value of own) {
    const problem = emptyValueProblem("expected value", value);
    if (problem) return problem;
  }
  return null;
}
