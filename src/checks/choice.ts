import type { ChoiceLikelihood } from "../format/outputs.js";
import { defineCheck } from "./define.js";
import type { CheckAggregate, CheckDetails, WithDefaults } from "./types.js";

export const NORMALIZATIONS = ["raw", "per_token", "per_char"] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

export interface ChoiceParams {
  /** Which score picks the prediction. Default per_char: comparable across tokenizers, fair to Japanese and Chinese. */
  normalization?: Normalization;
}

export interface ChoiceDetails extends CheckDetails {
  normalization?: Normalization;
  /** Whether the prediction under each normalization is the answer; absent when no likelihoods were recorded. */
  correct?: Record<Normalization, boolean>;
}

/** The score of each choice under a normalization: total log p, per token, or per character. */
export function choiceScores(likelihood: ChoiceLikelihood, normalization: Normalization): number[] {
  return likelihood.choices.map(({ logprob, tokens, chars }) =>
    normalization === "raw" ? logprob : normalization === "per_token" ? logprob / tokens : logprob / Math.max(1, chars),
  );
}

export function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * A multiple-choice probe, scored as lm-evaluation-harness does: each choice's
 * log-likelihood as a continuation of the prompt; the likeliest is the
 * prediction. Score 1 when it is the answer. Details give the prediction under
 * every normalization, so raw, per-token and per-character accuracy are all known.
 */
/**
 * Accuracy over the choice results that have likelihoods, under every
 * normalization (`values`); the score is the accuracy under each result's own
 * normalization. One group for all languages: a choice is right or wrong in
 * any script.
 */
const CHOICE_ACCURACY: CheckAggregate<ChoiceDetails> = {
  name: "choice_accuracy",
  group: ({ result }) => (result.details.correct ? "choice" : null),
  combine(items) {
    const rate = (right: (details: ChoiceDetails) => boolean) => items.filter(({ result }) => right(result.details)).length / items.length;
    const values = Object.fromEntries(NORMALIZATIONS.map((n) => [n, rate((details) => details.correct?.[n] === true)]));
    return { score: rate((details) => details.correct?.[details.normalization ?? "per_char"] === true), signature: "choice_accuracy|norm:own|versions:raw,per_token,per_char", language: null, values };
  },
};

export const choice = defineCheck<ChoiceParams, ChoiceDetails, WithDefaults<ChoiceParams, "normalization">>({
  type: "choice",
  better: "higher",
  unit: "0/1",
  note: "1 when the likeliest choice is the answer",
  aggregate: CHOICE_ACCURACY,
  summary: "the likeliest choice (log-likelihood after the prompt) is the answer; raw, per-token and per-character variants",
  paramsSchema: {
    type: "object",
    properties: { normalization: { enum: [...NORMALIZATIONS], default: "per_char" } },
    additionalProperties: false,
  },
  validate(_params, probe) {
    return probe.type === "choice" ? null : "the choice check scores `type: choice` probes (with choices and answer)";
  },
  run({ params, probe, likelihood }) {
    if (!likelihood || likelihood.kind !== "choice" || likelihood.choices.length !== probe.choices.length || probe.answer === null) {
      return { score: null, pass: false, details: { reason: "no choice likelihoods recorded for this probe" } };
    }
    const { normalization } = params;
    const predictions = Object.fromEntries(NORMALIZATIONS.map((n) => [n, argmax(choiceScores(likelihood, n))])) as Record<Normalization, number>;
    const correct = Object.fromEntries(NORMALIZATIONS.map((n) => [n, predictions[n] === probe.answer])) as Record<Normalization, boolean>;
    const predicted = predictions[normalization];
    const pass = correct[normalization];
    return {
      score: pass ? 1 : 0,
      pass,
      details: {
        reason: pass
          ? `picked the answer "${probe.choices[predicted]}" (${normalization})`
          : `picked "${probe.choices[predicted]}" over the answer "${probe.choices[probe.answer]}" (${normalization})`,
        normalization,
        target_delimiter: likelihood.target_delimiter ?? null,
        answer: probe.answer,
        predictions,
        correct,
        choices: probe.choices.map((text, i) => ({
          text,
          logprob: likelihood.choices[i]!.logprob,
          per_token: choiceScores(likelihood, "per_token")[i],
          per_char: choiceScores(likelihood, "per_char")[i],
          tokens: likelihood.choices[i]!.tokens,
        })),
      },
    };
  },
});
