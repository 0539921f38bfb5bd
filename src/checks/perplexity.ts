import type { CheckDefinition } from "./types.js";

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

/**
 * Likelihood of held-out text. Score = bits per character (lower is better),
 * the figure that compares across models with different tokenizers.
 * Informational (no verdict: `pass: null`) unless a `max_*` limit is set.
 */
export const perplexity: CheckDefinition<PerplexityParams> = {
  type: "perplexity",
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
      return { type: "perplexity", score: null, pass: false, details: { reason: "no likelihood recorded for this text" } };
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
      type: "perplexity",
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
};
