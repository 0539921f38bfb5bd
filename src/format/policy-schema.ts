/**
 * The gate policy format: each rule kind's key, options and whether it needs
 * a baseline (RULE_DEFINITIONS, one entry per kind), and the JSON Schema built
 * from them (schemas/policy.schema.json). The loader validates the structure
 * with the schema, then checks what a schema says badly (exactly one rule key
 * per rule, which options go with which rule).
 */

const scopeValue = (what: string) => ({
  type: "string",
  minLength: 1,
  description: `Only probes of this ${what}; "*" applies the rule to every ${what} separately.`,
});

/** Which probes a rule looks at. `tokenize` picks check results by their tokenizer (bleu, token_f1), so a rule can name one corpus. */
export const SCOPE_KEYS = ["suite", "category", "language", "check", "tokenize"] as const;

/** What the policy format knows of one rule kind. Its evaluator is in compare/gate-rules/. */
export interface RuleKindDefinition {
  /** The schema of the rule key's value. */
  value: Record<string, unknown>;
  /** Compares with a baseline report (the previous round); skipped without one. */
  baseline: boolean;
  /** Measures the scores of one named check (scores of different checks are in different units): `check` is required, "*" refused, `stat` picks the statistic. */
  scoresOneCheck: boolean;
  /** The options it takes besides its key. */
  options: readonly string[];
}

/** Options every rule kind takes. */
const EVERY_RULE = ["name", "level"] as const;
const SCOPED = [...SCOPE_KEYS, "optional", ...EVERY_RULE] as const;

export const RULE_DEFINITIONS = {
  min_pass_rate: {
    value: { type: "number", minimum: 0, maximum: 1, description: "Lowest accepted pass rate, 0–1 (0.6 = 60%)." },
    baseline: false,
    scoresOneCheck: false,
    options: SCOPED,
  },
  max_score: {
    value: { type: "number", description: "Highest accepted `stat` of the `check`'s scores (e.g. repetition or language drift, 0–1)." },
    baseline: false,
    scoresOneCheck: true,
    options: [...SCOPE_KEYS, "stat", "optional", ...EVERY_RULE],
  },
  min_score: {
    value: { type: "number", description: "Lowest accepted `stat` of the `check`'s scores (e.g. chrf, 0–100)." },
    baseline: false,
    scoresOneCheck: true,
    options: [...SCOPE_KEYS, "stat", "optional", ...EVERY_RULE],
  },
  no_significant_regression: {
    value: {
      const: true,
      description: "Baseline rule: fails when the candidate is significantly worse than the baseline on the probes both share unchanged (exact McNemar on pass/fail flips, or a paired bootstrap interval for scores).",
    },
    baseline: true,
    scoresOneCheck: false,
    options: [...SCOPE_KEYS, "metric", "better", "alpha", "optional", ...EVERY_RULE],
  },
  max_regressions: {
    value: { type: "integer", minimum: 0, description: "Baseline rule: at most this many probes may flip from pass to fail." },
    baseline: true,
    scoresOneCheck: false,
    options: SCOPED,
  },
  max_decrease: {
    value: { type: "number", minimum: 0, description: "Baseline rule: the `metric` may fall by at most this much (pass rates as fractions: 0.02 = 2 points)." },
    baseline: true,
    scoresOneCheck: false,
    options: [...SCOPE_KEYS, "metric", "optional", ...EVERY_RULE],
  },
  max_increase: {
    value: { type: "number", minimum: 0, description: "Baseline rule: the `metric` may rise by at most this much (for lower-is-better scores such as repetition)." },
    baseline: true,
    scoresOneCheck: false,
    options: [...SCOPE_KEYS, "metric", "optional", ...EVERY_RULE],
  },
  min_win_rate: {
    value: { type: "number", minimum: 0, maximum: 1, description: "Lowest accepted share of pairwise judge comparisons with the baseline round that this round won, 0–1 (ties and inconsistent verdicts are not wins)." },
    baseline: false,
    scoresOneCheck: false,
    options: SCOPED,
  },
  max_loss_rate: {
    value: { type: "number", minimum: 0, maximum: 1, description: "Highest accepted share of pairwise judge comparisons with the baseline round that this round lost, 0–1." },
    baseline: false,
    scoresOneCheck: false,
    options: SCOPED,
  },
  require_same_settings: {
    value: {
      const: true,
      description: "Baseline rule: fails when any recorded setting differs from the baseline's (model file, quantization, templates, token budget, decoding, seed, parallel sequences, versions, suites' hashes); with level: warn it only reports them.",
    },
    baseline: true,
    scoresOneCheck: false,
    options: EVERY_RULE,
  },
  require_complete: {
    value: { const: true, description: "The run finished: no interrupted run, no probe without output." },
    baseline: false,
    scoresOneCheck: false,
    options: EVERY_RULE,
  },
} as const satisfies Record<string, RuleKindDefinition>;

export type RuleKind = keyof typeof RULE_DEFINITIONS;
export const RULE_KINDS = Object.keys(RULE_DEFINITIONS) as readonly RuleKind[];

/** The paired bootstrap a policy, `diff` and `gate` use unless told otherwise. */
export const BOOTSTRAP_DEFAULTS = { resamples: 1000, seed: 0, confidence: 0.95 } as const;

/** What a rule that does not hold does to the round. */
export const RULE_LEVELS = ["fail", "warn"] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export const METRICS = ["pass_rate", "mean_score", "corpus_score"] as const;
export type Metric = (typeof METRICS)[number];

export const STAT_PATTERN = "^(mean|min|max|median|p([1-9]?[0-9]|100))$";

const rule = {
  type: "object",
  description: "One rule: exactly one rule key (min_pass_rate, max_score, …) and its options.",
  properties: {
    ...Object.fromEntries(RULE_KINDS.map((kind) => [kind, RULE_DEFINITIONS[kind].value])),
    suite: scopeValue("suite"),
    category: scopeValue("category"),
    language: scopeValue("language"),
    check: { ...scopeValue("check type"), description: "The check type the rule is about (its pass rate, its scores); \"*\" for every check type separately." },
    tokenize: {
      ...scopeValue("tokenizer"),
      description: "Only results of the `check` computed with this tokenizer (bleu, token_f1: 13a, ja-kuromoji, zh…), e.g. to name one corpus of a corpus_score rule; \"*\" for every tokenizer separately.",
    },
    stat: {
      type: "string",
      pattern: STAT_PATTERN,
      default: "mean",
      description: "For max_score/min_score: mean (default), median, min, max or a percentile p50…p99 (nearest rank).",
    },
    metric: {
      enum: [...METRICS],
      default: "pass_rate",
      description: "For baseline rules: pass_rate (default), mean_score of the `check`, or corpus_score of the `check` (bleu, chrf, chrf++, token_f1; statistics summed over segments).",
    },
    better: { enum: ["higher", "lower"], description: "Which way a `check`'s score improves, for checks bonsai-eval does not know." },
    alpha: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, description: "Significance level for this rule (default: the policy's alpha)." },
    optional: { type: "boolean", default: false, description: "Skip the rule instead of failing when no probe matches its scope." },
    name: { type: "string", minLength: 1, description: "A label shown instead of the generated one." },
    level: {
      enum: [...RULE_LEVELS],
      default: "fail",
      description: "fail (default): the round fails when the rule does not hold; warn: the rule is measured and reported as a warning, and never fails the round.",
    },
  },
  additionalProperties: false,
  allOf: [
    ...RULE_KINDS.filter((kind) => RULE_DEFINITIONS[kind].scoresOneCheck).map((kind) => ({ if: { required: [kind] }, then: { required: ["check"] } })),
    { if: { required: ["tokenize"] }, then: { required: ["check"] } },
    { if: { required: ["metric"], properties: { metric: { enum: ["mean_score", "corpus_score"] } } }, then: { required: ["check"] } },
  ],
} as const;

export const POLICY_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://bonsai-eval.dev/schemas/policy.schema.json",
  title: "bonsai-eval gate policy",
  description: "The rules a round must meet: thresholds on this report, and limits against a baseline report (the previous round).",
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, description: "Shown in the verdict." },
    description: { type: "string" },
    alpha: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.05, description: "Significance level of the baseline rules." },
    bootstrap: {
      type: "object",
      description: "Paired bootstrap for score intervals.",
      properties: {
        resamples: { type: "integer", minimum: 100, maximum: 100000, default: 1000 },
        seed: { type: "integer", minimum: 0, default: 0 },
      },
      additionalProperties: false,
    },
    require_baseline: {
      type: "boolean",
      default: false,
      description: "Refuse to gate without --baseline (otherwise baseline rules are skipped and say so).",
    },
    rules: { type: "array", minItems: 1, items: rule },
  },
  required: ["rules"],
  additionalProperties: false,
} as const;
