import { defineCheck } from "./define.js";
import type { WithDefaults } from "./types.js";
import { CORPUS_AGGREGATE, referenceView, type ReferenceMetricDetails } from "./corpus-aggregate.js";
import type { Probe } from "../format/suite.js";
import { EXPECTED_SCHEMA, expectedValues } from "./expected.js";
import {
  TOKENIZER_NAMES,
  sentenceBleu,
  tokenizerForLanguage,
  thresholdVerdict,
  usableReferences,
  type BleuOptions,
  type SmoothMethod,
  type TokenizerName,
} from "../metrics/index.js";

export interface BleuParams {
  /** The references; defaults to the probe's `expected`. */
  expected?: string | string[];
  /** Pass threshold on 0–100; without it the score is informational. */
  min_score?: number;
  /** Default by the probe's language: ja → ja-kuromoji, zh → zh, ko → char, else 13a. */
  tokenize?: TokenizerName;
  smooth?: SmoothMethod;
  /** The floor for `floor` (default 0.1) or k for `add-k` (default 1). */
  smooth_value?: number;
  max_order?: number;
  lowercase?: boolean;
}

type FilledBleuParams = WithDefaults<BleuParams, "smooth" | "max_order" | "lowercase">;

/** The tokenizer a probe gets: the spec's, or the default for its language. */
export function bleuTokenizerFor(params: BleuParams, probe: Probe): TokenizerName {
  return params.tokenize ?? tokenizerForLanguage(probe.language);
}

/**
 * Sentence BLEU (sacreBLEU 2.x semantics, effective order) of the output
 * against the references. Score 0–100. `details.stats` holds the segment's
 * sufficient statistics for corpus BLEU in the report.
 */
export const bleu = defineCheck<BleuParams, ReferenceMetricDetails, FilledBleuParams>({
  type: "bleu",
  summary: "sentence BLEU (sacreBLEU semantics) against the references, 0–100; corpus BLEU in the report",
  better: "higher",
  unit: "0–100",
  note: "sentence BLEU against the references, 0–100",
  aggregate: CORPUS_AGGREGATE,
  view: referenceView,
  needsExpected: true,
  paramsSchema: {
    type: "object",
    properties: {
      expected: EXPECTED_SCHEMA,
      min_score: { type: "number", minimum: 0, maximum: 100, description: "pass threshold on 0–100; omit for an informational score" },
      tokenize: { enum: [...TOKENIZER_NAMES], description: "default by language: ja → ja-kuromoji, zh → zh, ko → char, else 13a" },
      smooth: { enum: ["exp", "floor", "add-k", "none"], default: "exp" },
      smooth_value: { type: "number", minimum: 0, description: "floor value (default 0.1) or k (default 1)" },
      max_order: { type: "integer", minimum: 1, maximum: 10, default: 4 },
      lowercase: { type: "boolean", default: false },
    },
    additionalProperties: false,
  },
  services(params, probe) {
    return bleuTokenizerFor(params, probe) === "ja-kuromoji" ? ["ja"] : [];
  },
  validate(params) {
    const { smooth } = params;
    if (params.smooth_value !== undefined && smooth !== "floor" && smooth !== "add-k") {
      return `smooth_value applies only to smooth: floor or add-k (smooth is ${smooth})`;
    }
    return null;
  },
  run({ params, probe, output, services }) {
    const references = usableReferences(expectedValues(params, probe));
    if (references.length === 0) {
      return { score: null, pass: false, details: { reason: "no reference to compare against (set expected)" } };
    }
    const tokenize = bleuTokenizerFor(params, probe);
    const options: BleuOptions = {
      tokenize,
      smooth: params.smooth,
      maxOrder: params.max_order,
      lowercase: params.lowercase,
    };
    if (params.smooth_value !== undefined) options.smoothValue = params.smooth_value;
    if (tokenize === "ja-kuromoji") options.japanese = (text) => services.japanese(text).map((token) => token.surface);

    const result = sentenceBleu(output, references, options);
    // BLEU scores all references jointly; the one shown is the best on its own.
    let best = 0;
    if (references.length > 1) {
      let bestScore = -1;
      references.forEach((reference, index) => {
        const alone = sentenceBleu(output, [reference], options).score;
        if (alone > bestScore) {
          bestScore = alone;
          best = index;
        }
      });
    }
    const verdict = thresholdVerdict(result.score, params.min_score, (value) => value.toFixed(2));
    return {
      score: result.score,
      pass: verdict.pass,
      details: {
        reason: `BLEU ${result.score.toFixed(2)} (tok ${tokenize}, ${references.length} reference(s)); ${verdict.clause}`,
        signature: result.signature,
        reference: references[best],
        reference_index: best,
        nrefs: references.length,
        stats: result.stats,
        metric: result.config,
        precisions: result.precisions,
        bp: result.bp,
      },
    };
  },
});
