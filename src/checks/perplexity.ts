import { defineCheck } from "./define.js";
import type { CheckAggregate, CheckDetails } from "./types.js";

export interface PerplexityParams {
  max_perplexity?: number;
  max_bits_per_char?: number;
  max_bits_per_byte?: number;
}

/** Perplexity per token and bits per character and per byte of a likelihood; the latter two compare across tokenizers. */
export function textMetrics(logprob: number, tokens: number, chars: number, bytes: number) {
  const nats = -logprob;
  return {
    perplexity: tokens > 0 ? Math.exp(nats / tokens) : null,
    bits_per_char: chars > 0 ? nats / Math.LN2 / chars : null,
    bits_per_byte: bytes > 0 ? nats / Math.LN2 / bytes : null,
  };
}

export interface PerplexityDetails extends CheckDetails {
  /** The text's negative log-likelihood and its length; absent when no likelihood was recorded. */
  nll_nats?: number;
  tokens?: number;
  chars?: number;
  bytes?: number;
}

/**
 * The texts of one language together: total NLL over total tokens, chars and
 * bytes (a corpus perplexity, not a mean of the texts'). Bits per character
 * depend on the script, so each language is a group of its own.
 */
const CORPUS_PERPLEXITY: CheckAggregate<PerplexityDetails> = {
  name: "corpus_perplexity",
  group: ({ result, language }) => (typeof result.details.nll_nats === "number" ? language : null),
  combine(items) {
    const total = { logprob: 0, tokens: 0, chars: 0, bytes: 0 };
    for (const { result } of items) {
      total.logprob -= result.details.nll_nats ?? 0;
      total.tokens += result.details.tokens ?? 0;
      total.chars += result.details.chars ?? 0;
      total.bytes += result.details.bytes ?? 0;
    }
    const metrics = textMetrics(total.logprob, total.tokens, total.chars, total.bytes);
    return {
      score: metrics.bits_per_char,
      signature: "perplexity|score:bits_per_char|sum:nll",
      language: items[0]!.language,
      values: { texts: items.length, tokens: total.tokens, chars: total.chars, bytes: total.bytes, logprob: total.logprob, ...metrics },
    };
  },
};

/**
 * Likelihood of held-out text. Score = bits per character (lower is better),
 * the figure that compares across models with different tokenizers.
 * Informational (no verdict: `pass: null`) unless a `max_*` limit is set.
 */
export const perplexity = defineCheck<PerplexityParams, PerplexityDetails>({
  type: "perplexity",
  better: "lower",
  unit: "bits per character",
  note: "bits per character",
  aggregate: CORPUS_PERPLEXITY,
  summary: "likelihood of `text`: perplexity per token, bits per character and per byte (score: bits per character)",
  paramsSchema: {
    type: "object",
    properties: {
      max_perplexity: { type: "number", exclusiveMinimum: 0 },
      max_bits_per_char: { type: "number", exclusiveMinimum: 0 },
      max_bits_per_byte: { type: "number", exclusiveMinimum: 0 },
    },
    additionalProperties: false,
  },
  validate(_params, probe) {
    return probe.type === "perplexity" ? null : "the perplexity check scores `type: perplexity` probes (with text)";
  },
  run({ params, likelihood }) {
    if (!likelihood || likelihood.kind !== "perplexity") {
      return { score: null, pass: false, details: { reason: "no likelihood recorded for this text" } };
    }
    const metrics = textMetrics(likelihood.logprob, likelihood.tokens, likelihood.chars, likelihood.bytes);
    const limits: Array<[string, number | undefined, number | null]> = [
      ["perplexity", params.max_perplexity, metrics.perplexity],
      ["bits per char", params.max_bits_per_char, metrics.bits_per_char],
      ["bits per byte", params.max_bits_per_byte, metrics.bits_per_byte],
    ];
    const broken = limits.filter(([, limit, value]) => limit !== undefined && (value === null || value > limit));
    const set = limits.filter(([, limit]) => limit !== undefined);
    const fmt = (value: number | null) => (value === null ? "n/a" : value.toFixed(4));
    const summary = `${fmt(metrics.bits_per_char)} bits/char, perplexity ${fmt(metrics.perplexity)} over ${likelihood.tokens} tokens`;
    return {
      score: metrics.bits_per_char,
      pass: set.length === 0 ? null : broken.length === 0,
      details: {
        reason:
          broken.length > 0
            ? `${summary}: ${broken.map(([name, limit, value]) => `${name} ${fmt(value)} > ${limit}`).join(", ")}`
            : set.length === 0
              ? `${summary} (no limit set: informational)`
              : `${summary}, within limits`,
        ...metrics,
        nll_nats: -likelihood.logprob,
        tokens: likelihood.tokens,
        chars: likelihood.chars,
        bytes: likelihood.bytes,
        windows: likelihood.windows,
      },
    };
  },
});
