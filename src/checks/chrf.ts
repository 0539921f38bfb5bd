import { defineCheck } from "./define.js";
import type { CheckDefinition, WithDefaults } from "./types.js";
import { CORPUS_AGGREGATE, referenceView, type ReferenceMetricDetails } from "./corpus-aggregate.js";
import { EXPECTED_SCHEMA, expectedValues } from "./expected.js";
import { chrfName, sentenceChrf, thresholdVerdict, usableReferences } from "../metrics/index.js";

export interface ChrfParams {
  /** The references; defaults to the probe's `expected`. The best-scoring one counts. */
  expected?: string | string[];
  /** Pass threshold on 0–100; without it the score is informational. */
  min_score?: number;
  /** Weight of recall against precision; default 2. */
  beta?: number;
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams; default false. */
  whitespace?: boolean;
}

type FilledChrfParams = WithDefaults<ChrfParams, "beta" | "lowercase" | "whitespace">;

/**
 * chrF (word order 0) and chrF++ (word order 2) share everything but the word
 * order: character 6-grams with whitespace removed, sacreBLEU 2.x semantics.
 */
function chrfCheck(type: "chrf" | "chrf++", wordOrder: 0 | 2): CheckDefinition<ChrfParams, ReferenceMetricDetails> {
  return defineCheck<ChrfParams, ReferenceMetricDetails, FilledChrfParams>({
    type,
    better: "higher",
    unit: "0–100",
    note: `sentence ${wordOrder === 0 ? "chrF" : "chrF++"} against the best reference, 0–100`,
    aggregate: CORPUS_AGGREGATE,
    view: referenceView,
    summary:
      wordOrder === 0
        ? "chrF (character 6-grams, sacreBLEU semantics) against the best reference, 0–100; corpus chrF in the report"
        : "chrF++ (character 6-grams + word 1–2-grams, sacreBLEU semantics) against the best reference, 0–100; corpus chrF++ in the report",
    needsExpected: true,
    paramsSchema: {
      type: "object",
      properties: {
        expected: EXPECTED_SCHEMA,
        min_score: {
          type: "number",
          minimum: 0,
          maximum: 100,
          description: "pass threshold on 0–100; omit for an informational score",
        },
        beta: { type: "number", exclusiveMinimum: 0, default: 2 },
        lowercase: { type: "boolean", default: false },
        whitespace: { type: "boolean", default: false, description: "keep whitespace in character n-grams" },
      },
      additionalProperties: false,
    },
    services: () => [],
    run({ params, probe, output }) {
      const references = usableReferences(expectedValues(params, probe));
      if (references.length === 0) {
        return { score: null, pass: false, details: { reason: "no reference to compare against (set expected)" } };
      }
      const result = sentenceChrf(output, references, {
        wordOrder,
        beta: params.beta,
        lowercase: params.lowercase,
        whitespace: params.whitespace,
      });
      const verdict = thresholdVerdict(result.score, params.min_score, (value) => value.toFixed(2));
      const name = chrfName(result.config);
      return {
        score: result.score,
        pass: verdict.pass,
        details: {
          reason: `${name} ${result.score.toFixed(2)} against the best of ${references.length} reference(s); ${verdict.clause}`,
          signature: result.signature,
          reference: references[result.bestReference],
          reference_index: result.bestReference,
          nrefs: references.length,
          stats: result.stats,
          metric: result.config,
        },
      };
    },
  });
}

export const chrf = chrfCheck("chrf", 0);
export const chrfPlusPlus = chrfCheck("chrf++", 2);
