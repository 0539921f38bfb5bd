import { defineCheck } from "./define.js";
import type { CheckDetails, Highlight, WithDefaults } from "./types.js";
import { emptyValueProblem, normalizeForMatch, normalizeValue, originalRange } from "../lang/normalize.js";

export interface NotContainsParams {
  /** Strings the output must not contain. */
  values: string | string[];
  case_sensitive?: boolean;
}

/** Passes when the output contains none of the given strings (normalized). Score 1 or 0. */
export const notContains = defineCheck<NotContainsParams, CheckDetails, WithDefaults<NotContainsParams, "case_sensitive">>({
  type: "not_contains",
  better: "higher",
  unit: "0/1",
  note: "1 when no forbidden value is in the output",
  summary: "the output contains none of `values` (after normalization)",
  paramsSchema: {
    type: "object",
    properties: {
      values: {
        oneOf: [
          { type: "string", minLength: 1 },
          { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
        ],
      },
      case_sensitive: { type: "boolean", default: false },
    },
    required: ["values"],
    additionalProperties: false,
  },
  validate(params) {
    for (const value of typeof params.values === "string" ? [params.values] : params.values) {
      const problem = emptyValueProblem("forbidden value", value, "the check can never fail");
      if (problem) return problem;
    }
    return null;
  },
  run({ params, output }) {
    const options = { caseSensitive: params.case_sensitive };
    const haystack = normalizeForMatch(output, options);
    const values = typeof params.values === "string" ? [params.values] : params.values;
    const found: string[] = [];
    const highlights: Highlight[] = [];
    for (const value of values) {
      const needle = normalizeValue(value, options);
      const at = needle === "" ? -1 : haystack.text.indexOf(needle);
      if (at >= 0) {
        found.push(value);
        highlights.push({ ...originalRange(haystack, at, at + needle.length), label: "forbidden" });
      }
    }
    return found.length === 0
      ? { score: 1, pass: true, details: { reason: "none of the forbidden values found" } }
      : {
          score: 0,
          pass: false,
          details: { reason: `found forbidden ${found.map((v) => `"${v}"`).join(", ")}`, found, highlights },
        };
  },
});
