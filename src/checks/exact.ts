import { defineCheck } from "./define.js";
import { ALIAS_MATCH_SCHEMA, aliasProblem, expectedValues, type AliasMatchParams, type FilledAliasMatchParams } from "./expected.js";
import type { CheckDetails } from "./types.js";
import { normalizeValue } from "../lang/normalize.js";

export type ExactParams = AliasMatchParams;

/** Passes when the whole output equals an expected alias (normalized). Score 1 or 0. */
export const exact = defineCheck<ExactParams, CheckDetails, FilledAliasMatchParams>({
  type: "exact",
  better: "higher",
  unit: "0/1",
  note: "1 when the output equals an expected alias",
  summary: "the whole output equals an expected alias (after normalization)",
  needsExpected: true,
  paramsSchema: ALIAS_MATCH_SCHEMA,
  validate: aliasProblem,
  run({ params, probe, output }) {
    const options = { caseSensitive: params.case_sensitive };
    const answer = normalizeValue(output, options);
    const aliases = expectedValues(params, probe);
    const matched = aliases.find((alias) => normalizeValue(alias, options) === answer);
    return matched !== undefined
      ? { score: 1, pass: true, details: { reason: `equals "${matched}"`, matched } }
      : {
          score: 0,
          pass: false,
          details: { reason: `output does not equal any of ${aliases.length} expected value(s)`, expected: aliases, normalized_output: answer },
        };
  },
});
