import { defineCheck } from "./define.js";
import { ALIAS_MATCH_SCHEMA, aliasProblem, expectedValues, type AliasMatchParams, type FilledAliasMatchParams } from "./expected.js";
import type { CheckDetails } from "./types.js";
import { normalizeForMatch, normalizeValue, originalRange } from "../lang/normalize.js";

export type ContainsParams = AliasMatchParams;

/** Passes when the output contains any expected alias (normalized). Score 1 or 0. */
export const contains = defineCheck<ContainsParams, CheckDetails, FilledAliasMatchParams>({
  type: "contains",
  better: "higher",
  unit: "0/1",
  note: "1 when an expected alias is in the output",
  summary: "the output contains any expected alias (after normalization)",
  needsExpected: true,
  paramsSchema: ALIAS_MATCH_SCHEMA,
  validate: aliasProblem,
  run({ params, probe, output }) {
    const options = { caseSensitive: params.case_sensitive };
    const haystack = normalizeForMatch(output, options);
    const aliases = expectedValues(params, probe);
    for (const alias of aliases) {
      const needle = normalizeValue(alias, options);
      const at = needle === "" ? -1 : haystack.text.indexOf(needle);
      if (at >= 0) {
        const range = originalRange(haystack, at, at + needle.length);
        return {
          score: 1,
          pass: true,
          details: { reason: `found "${alias}"`, matched: alias, highlights: [{ ...range, label: "expected" }] },
        };
      }
    }
    return {
      score: 0,
      pass: false,
      details: { reason: `none of ${aliases.length} expected value(s) found`, expected: aliases },
    };
  },
});
