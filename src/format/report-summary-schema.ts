/** JSON Schema of report.json's summary: counts and pass rates by suite, category, language and check, aggregates and corpus metrics. */
import { closedObject, int, nullable, rate } from "./report-schema-parts.js";

const bucket = closedObject({
  total: int,
  passed: int,
  failed: int,
  no_verdict: { ...int, description: "Probes with status scored or stale, or informational check results: counted in total, left out of pass_rate." },
  pass_rate: nullable({ ...rate, description: "passed / (passed + failed); null when nothing has a verdict." }),
});
const checkBucket = closedObject(
  {
    ...bucket.properties,
    means: {
      type: "array",
      description: "Mean scores, one per language and unit (details.score_unit, or the tokenizer as tok:NAME): never averaged across them.",
      items: closedObject({ language: { type: "string" }, unit: nullable({ type: "string" }), results: int, mean: { type: "number" } }),
    },
    facts: closedObject(
      {
        better: { ...nullable({ enum: ["higher", "lower"] }), description: "Which way the score improves; null: neither (a length)." },
        unit: { type: "string" },
        note: { type: "string" },
        aggregate: nullable({ type: "string" }),
      },
      { description: "The check's direction, unit, note and aggregate, from its definition (absent for a type with no definition and in reports written before)." },
    ),
  },
  { required: [...bucket.required, "means"] },
);

export const SUMMARY_SCHEMA = closedObject(
  {
    total: int,
    passed: int,
    failed: int,
    scored: int,
    stale: int,
    missing: int,
    errors: int,
    unverified: int,
    pass_rate: nullable({ ...rate, description: "passed / (passed + failed); missing and error probes count as failed, scored and stale ones are left out." }),
    by_suite: { type: "object", additionalProperties: bucket },
    by_category: { type: "object", additionalProperties: bucket },
    by_language: { type: "object", additionalProperties: bucket },
    by_check: { type: "object", additionalProperties: checkBucket },
    aggregates: {
      type: "array",
      description: "Every check aggregate's values: per suite and group, and per group over all suites (suite null). Absent in reports written before.",
      items: closedObject({
        check: { type: "string" },
        aggregate: { type: "string" },
        suite: nullable({ type: "string" }),
        language: nullable({ type: "string" }),
        score: nullable({ type: "number" }),
        results: int,
        signature: { type: "string" },
        values: { type: "object", additionalProperties: nullable({ type: ["number", "string"] }) },
      }),
    },
    corpus_metrics: {
      type: "object",
      additionalProperties: {
        type: "array",
        items: closedObject({
          type: { type: "string" },
          language: nullable({ type: "string" }),
          tokenize: nullable({ type: "string" }),
          score: { type: "number" },
          segments: int,
          signature: { type: "string" },
        }),
      },
    },
    choice_accuracy: nullable(closedObject({ probes: int, raw: rate, per_token: rate, per_char: rate })),
    perplexity: nullable({
      type: "array",
      description: "One likelihood total per language.",
      items: closedObject({
        language: { type: "string" },
        texts: int, tokens: int, chars: int, bytes: int,
        perplexity: nullable({ type: "number" }), bits_per_char: nullable({ type: "number" }), bits_per_byte: nullable({ type: "number" }),
      }),
    }),
    sampling: nullable(closedObject({ probes: int, pass_at_k: rate, mean_pass_rate: rate, mean_agreement: rate })),
  },
  {
    required: [
      "total", "passed", "failed", "scored", "stale", "missing", "errors", "unverified", "pass_rate", "by_suite", "by_category", "by_language", "by_check", "corpus_metrics",
      "choice_accuracy", "perplexity", "sampling",
    ],
  },
);
