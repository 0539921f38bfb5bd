import { defineCheck } from "./define.js";
import { CORPUS_AGGREGATE, referenceView, type ReferenceMetricDetails } from "./corpus-aggregate.js";
import { EXPECTED_SCHEMA, expectedValues } from "./expected.js";
import { servicesForLanguage } from "../lang/services.js";
import {
  bestTokenF1,
  normalizeF1Tokens,
  thresholdVerdict,
  tokenF1Signature,
  usableReferences,
  type TokenF1Config,
} from "../metrics/index.js";

export interface TokenF1Params {
  /** The references; defaults to the probe's `expected`. The best-scoring one counts. */
  expected?: string | string[];
  /** Pass threshold on 0–1; without it the score is informational. */
  min_score?: number;
}

/**
 * SQuAD-style token F1 over language-aware word tokens (kuromoji for Japanese,
 * jieba for Chinese, Unicode words otherwise), best over the references.
 * Score 0–1 (not 0–100 like BLEU and chrF).
 */
export const tokenF1 = defineCheck<TokenF1Params, ReferenceMetricDetails>({
  type: "token_f1",
  better: "higher",
  unit: "0–1",
  note: "token F1 against the best reference, 0–1",
  aggregate: CORPUS_AGGREGATE,
  view: referenceView,
  summary: "SQuAD-style token F1 (language-aware tokens) against the best reference, 0–1",
  needsExpected: true,
  paramsSchema: {
    type: "object",
    properties: {
      expected: EXPECTED_SCHEMA,
      min_score: { type: "number", minimum: 0, maximum: 1, description: "pass threshold on 0–1; omit for an informational score" },
    },
    additionalProperties: false,
  },
  services(_params, probe) {
    return servicesForLanguage(probe.language);
  },
  run({ params, probe, output, services }) {
    const references = usableReferences(expectedValues(params, probe));
    if (references.length === 0) {
      return { score: null, pass: false, details: { reason: "no reference to compare against (set expected)" } };
    }
    const language = probe.language;
    const config: TokenF1Config = {
      metric: "token_f1",
      tokenize: services.wordTokenizer(language).name,
      articles: language === "en" || language.startsWith("en-") ? "en" : null,
    };
    const tokens = (text: string) => normalizeF1Tokens(services.words(text, language), { articles: config.articles });
    const { stats, bestReference } = bestTokenF1(tokens(output), references.map(tokens));
    const verdict = thresholdVerdict(stats.f1, params.min_score, (value) => value.toFixed(2));
    return {
      score: stats.f1,
      pass: verdict.pass,
      details: {
        reason:
          `token F1 ${stats.f1.toFixed(3)} (${stats.common} shared of ${stats.hyp_tokens} output / ` +
          `${stats.ref_tokens} reference tokens, ${config.tokenize}); ${verdict.clause}`,
        signature: tokenF1Signature(config, references.length),
        reference: references[bestReference],
        reference_index: bestReference,
        nrefs: references.length,
        stats,
        metric: config,
      },
    };
  },
});
