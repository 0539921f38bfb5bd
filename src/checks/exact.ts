import type { CheckDefinition } from "./types.js";
import { ALIAS_MATCH_SCHEMA, aliasProblem, expectedValues, type AliasMatchParams } from "./expected.js";
import { normalizeValue } from "../lang/normalize.js";

export type ExactParams = AliasMatchParams;

/** Passes when the whole output equals an expected alias (normalized). Score 1 or 0. */
export const exact: CheckDefinition<ExactParams> = {
  type: "exact",
  summary: "the whole output equals an expected alias (after normalization)",
  needsExpected: true,
  paramsSchema: ALIAS_MATCH_SCHEMA,
  validate: aliasProblem,
  run({ params, probe, output }) {
    const options = { caseSensitive: params.case_sensitive ?? false };
    const answer = normalizeValue(output, options);
    const aliases = expectedValues(params, probe);
    const matched = aliases.find((alias) => normalizeValue(alias, options) === answer);
    return matched !== undefined
      ? { type: "exact", score: 1, pass: true, details: { reason: `equals "${matched}"`, matched } }
      : {
          type: "exact",
          score: 0,
          pass: false,
          details: { reason: `output does not equal any of ${aliases.length} expected value(s)`, expected: aliases, normalized_output: answer },
        };
  },
};
