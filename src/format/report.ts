/**
 * report.json: one TypeScript type, one JSON Schema (schemas/report.schema.json,
 * from src/format/report-schema.ts), kept in step by test/schemas.test.ts.
 */
import type { CheckFacts, CheckResult } from "./check-result.js";
import type { Likelihood, StopReason } from "./outputs.js";
import type { DataSourceInfo, ProbeType } from "./suite.js";
import type { Change, SettingChange } from "./change.js";
import type { HardwareInfo, ModelFile, ParallelChoice, RuntimeInfo } from "./manifest.js";
import type { CorpusScore } from "../metrics/corpus.js";

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schema_version: typeof REPORT_SCHEMA_VERSION;
  manifest: Manifest;
  probes: ReportProbe[];
  summary: Summary;
  problems: Problems;
  /** The verdict of a gate policy (run --gate, or the gate command); absent when no gate was applied. */
  gate?: GateResult;
}

export interface Manifest {
  tool: { name: "bonsai-eval"; version: string };
  /** `run` generated the outputs; `score` scored outputs recorded earlier; `merge` joined shard runs. */
  kind: "run" | "score" | "merge";
  /** False when the run was interrupted: some probes have no output. */
  complete: boolean;
  created_at: string;
  outputs_file: string;
  /** The round's name (`--label`, BONSAI_LABEL); by default the model file's name. Absent in reports written before labels: read it with `labelOf`. */
  label?: string;
  model: (ModelFile & { is_fixture: boolean }) | null;
  suites: SuiteInfo[];
  generation: GenerationInfo | null;
  runtime: RuntimeInfo | null;
  hardware: HardwareInfo | null;
  /** The slice of the probes this run covered (`--shard i/n`); null for all of them. */
  shard: { index: number; count: number } | null;
  /** Generation cache use; null when the cache was off or nothing was generated. */
  cache: CacheInfo | null;
  /** The judge that graded the judge checks, when the run judged (absent otherwise). */
  judge?: JudgeInfo;
  timings: Timings;
}

export interface JudgeInfo {
  /** "self": the evaluated model judged its own outputs. */
  model_file: string;
  model_sha256: string;
  template: string;
  /** Outputs judged in this run, and outputs whose recorded verdict was kept. */
  judged: number;
  kept: number;
  /** Pairwise checks left unjudged: their probe has no unchanged output in the baseline report. */
  without_baseline: number;
  /** The baseline report pairwise checks compared with; null when none was given. */
  baseline: string | null;
  cache: { hits: number; misses: number } | null;
  judge_ms: number;
}

export interface CacheInfo {
  dir: string;
  hits: number;
  misses: number;
  /** Entries found damaged (unparseable or failing their checksum) and regenerated. */
  damaged: number;
}

export interface SuiteInfo {
  name: string;
  path: string;
  sha256: string;
  probe_count: number;
  /** The suite's `description`, when it has one. */
  description?: string;
  /** A data-backed suite's data file: its sha256, record count and selection; absent for a YAML suite. */
  data?: DataSourceInfo;
}

export interface GenerationInfo {
  /** Templates used (normally one), with their source text. */
  templates: Array<{ name: string; source: string | null }>;
  parallel: number;
  context_size: number;
  gpu_choice: string;
  decoding: "greedy" | "sampled";
  repeat_penalty: "off";
  seed: number;
  max_tokens_override: number | null;
  template_override: string | null;
  /** Prompt tokens kept from the previous probe on the same sequence (a shared system prompt or few-shot prefix). */
  reused_prompt_tokens: number;
  /** How `parallel` was chosen (absent in reports from before --parallel auto). */
  parallel_choice?: ParallelChoice;
}

export interface Timings {
  started_at: string;
  finished_at: string;
  wall_ms: number;
  model_load_ms: number | null;
  generation_ms: number | null;
  scoring_ms: number;
  generated_tokens: number;
  tokens_per_second: number | null;
}

/**
 * pass / fail: the verdict of the probe's checks. scored: every check is
 * informational (a value, no threshold), so there is no verdict. stale: the
 * output was generated for another version of the probe and was not scored
 * (`--allow-stale` scores it). missing: no output; error: generation or a
 * check failed to run. Only pass and fail (missing and error count as fail)
 * enter pass counts and rates.
 */
export type ProbeStatus = "pass" | "fail" | "scored" | "stale" | "missing" | "error";

/**
 * Whether the output line was produced for the probe as the suite now holds
 * it: its `probe_hash` equals the probe's hash (current), differs (stale), or
 * the line has none, as outputs of other tools (unverified). null: no output.
 */
export type OutputVersion = "current" | "stale" | "unverified";

export interface ReportProbe {
  suite: string;
  id: string;
  type: ProbeType;
  category: string;
  language: string;
  tags: string[];
  /** The probe's `notes` from the suite, when it has them. */
  notes?: string;
  prompt: string;
  system: string | null;
  expected: string[];
  /** choice probes: the candidates and the index of the right one. */
  choices: string[];
  answer: number | null;
  /** perplexity probes: the scored text. */
  text: string | null;
  /** sha256 of the probe definition; a different hash in another report means the probe was edited. */
  hash: string;
  output: string | null;
  stop_reason: StopReason | null;
  stop_string: string | null;
  prompt_tokens: number | null;
  output_tokens: number | null;
  time_ms: number | null;
  trimmed_replacement_char: boolean;
  rendered_prompt: string | null;
  /** choice and perplexity probes: the measured log-likelihoods. */
  likelihood: Likelihood | null;
  /** Probes sampled several times (`samples: k`): every sample and pass@k; null otherwise. */
  samples: SampleSummary | null;
  output_version: OutputVersion | null;
  /** true: the output came from the generation cache, not generated by this run (its tokens and time are not this run's throughput); absent without an output and in reports written before. */
  cached?: boolean;
  /**
   * Against the gate's baseline report: regressed, fixed, still_failing,
   * still_passing, scored (no verdict on a side), edited (the probe changed),
   * stale, added (new in this report). Absent without a baseline.
   */
  change?: Change;
  checks: CheckResult[];
  /** The verdict; null for status scored and stale (no verdict). */
  pass: boolean | null;
  status: ProbeStatus;
}

export interface SampleSummary {
  /** Samples found in the outputs, and how many the probe asks for. */
  count: number;
  expected: number;
  passed: number;
  pass_rate: number;
  /** pass@k: at least one of the k samples passed. */
  pass_at_k: boolean;
  /** Share of samples equal (normalized) to the most common output. */
  agreement: number;
  distinct: number;
  outputs: Array<{ sample: number; output: string; pass: boolean | null; stop_reason: StopReason | null }>;
}

export interface Bucket {
  total: number;
  passed: number;
  failed: number;
  /** Probes with no verdict (status scored or stale), or informational check results: in total, not in the rate. */
  no_verdict: number;
  /** passed / (passed + failed); null when nothing has a verdict. */
  pass_rate: number | null;
}

export interface CheckBucket extends Bucket {
  /** Mean scores, one per language and unit: never averaged across them. */
  means: ScoreMean[];
  /** The check's direction, unit, note and aggregate, from its definition; absent for a type with no definition, and in reports written before they were recorded. */
  facts?: CheckFacts;
}

/** The mean of one check's scores over results in one language measured in one unit. */
export interface ScoreMean {
  language: string;
  /** How the score was measured: the check's `details.score_unit` (length: chars, words, tokens) or its word tokenizer (`tok:13a`); null when the check has one unit. */
  unit: string | null;
  results: number;
  mean: number;
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  /** Probes whose checks are all informational (status scored). */
  scored: number;
  /** Probes whose output was generated for another version of the probe and not scored (status stale). */
  stale: number;
  missing: number;
  errors: number;
  /** Probes scored from outputs without a probe_hash (other tools): counted in their status too. */
  unverified: number;
  /** passed / (passed + failed), with missing and error probes counted as failed; null when no probe has a verdict. */
  pass_rate: number | null;
  by_suite: Record<string, Bucket>;
  by_category: Record<string, Bucket>;
  by_language: Record<string, Bucket>;
  by_check: Record<string, CheckBucket>;
  /**
   * Every check aggregate's values (absent in reports written before them):
   * one per suite and group, and one per group over all suites (suite null).
   * corpus_metrics, choice_accuracy and perplexity are views of the values of
   * the aggregates named `corpus`, `choice_accuracy` and `corpus_perplexity`.
   */
  aggregates?: AggregateValue[];
  /** Corpus-level reference metrics per suite (statistics summed over segments, as sacreBLEU does). */
  corpus_metrics: Record<string, CorpusMetric[]>;
  /** Multiple-choice accuracy under each normalization; null without choice probes. */
  choice_accuracy: ChoiceAccuracy | null;
  /** Likelihood of the perplexity texts of each language together (total NLL over total tokens, chars, bytes); null without them. */
  perplexity: PerplexitySummary[] | null;
  /** Sampled probes (`samples: k`): pass@k and agreement; null without them. */
  sampling: SamplingSummary | null;
}

export interface ChoiceAccuracy {
  probes: number;
  raw: number;
  per_token: number;
  per_char: number;
}

export interface PerplexitySummary {
  /** Bits per character depend on the script: each language is summed apart. */
  language: string;
  texts: number;
  tokens: number;
  chars: number;
  bytes: number;
  perplexity: number | null;
  bits_per_char: number | null;
  bits_per_byte: number | null;
}

export interface SamplingSummary {
  probes: number;
  /** Share of sampled probes with at least one passing sample. */
  pass_at_k: number;
  mean_pass_rate: number;
  mean_agreement: number;
}

/** One group's value of a check's aggregate: the results of one check, in one suite (or all), combined one way (the signature). */
export interface AggregateValue {
  check: string;
  /** The aggregate's name (the check's `aggregate.name`). */
  aggregate: string;
  /** null: over every suite. */
  suite: string | null;
  language: string | null;
  score: number | null;
  /** How many results went in. */
  results: number;
  signature: string;
  values: Record<string, number | string | null>;
}

/** One corpus: the results of one check type, in one language, computed one way (the signature); the corpus score without its configuration. */
export type CorpusMetric = Omit<CorpusScore, "config">;

export interface Problems {
  /** Output lines whose suite/id matches no loaded probe. */
  unknown_outputs: Array<{ suite: string; id: string; line: number }>;
  /** Probes with no output line. */
  missing_outputs: Array<{ suite: string; id: string }>;
  /** Probes with more than one output line for the same sample (the last one is used). */
  duplicate_outputs: Array<{ suite: string; id: string; lines: number[] }>;
  /** Output lines generated for another version of the probe (probe_hash differs); scored only with --allow-stale. */
  stale_outputs: Array<{ suite: string; id: string; line: number; output_hash: string; probe_hash: string; scored: boolean }>;
  /** Output lines whose sample index the probe does not have (`sample` ≥ its `samples`): listed, left out of pass@k. */
  unknown_samples: Array<{ suite: string; id: string; sample: number; samples: number; line: number }>;
  /** Output file ended in a line cut by a crash; it was ignored. */
  truncated_outputs_tail: boolean;
}

/** The gate's verdict: every rule of the policy with what was measured and the limit. */
export interface GateResult {
  /** No rule at level fail failed (rules at level warn never fail the round). */
  pass: boolean;
  policy: { path: string; sha256: string; name: string | null };
  /** The report compared against by baseline rules; null when none was given. */
  baseline: { path: string; created_at: string; label?: string; model: string | null; model_sha256: string | null } | null;
  /** The settings that differ from the baseline's (empty without one; absent in reports written before). */
  setting_changes?: SettingChange[];
  /** warned: rules at level warn that did not hold (reported, not failing the round). */
  counts: { rules: number; passed: number; failed: number; skipped: number; warned: number };
  rules: GateRuleResult[];
}

/** The probes behind a rule that did not hold: the first `listed`, worst first, of `total`. */
export interface GateRuleProbes {
  /** regressed: flipped from pass to fail against the baseline; worsened: a score moved the wrong way; failing: failed in this report; worst: scores beyond the limit; missing: no output. */
  about: "regressed" | "worsened" | "failing" | "worst" | "missing";
  total: number;
  listed: Array<{ suite: string; id: string; reason: string | null; value: number | null }>;
}

export interface GateRuleResult {
  /** `min_pass_rate category=translation`, or the rule's name. */
  rule: string;
  kind: string;
  /** Line of the rule in the policy file. */
  line: number;
  /** The scope this result is for ("*" expanded to one result per value). */
  scope: { suite?: string; category?: string; language?: string; check?: string; tokenize?: string };
  /** warn: a rule at level warn that did not hold (it would have failed at level fail). */
  status: "pass" | "fail" | "skipped" | "warn";
  /** fail: the rule decides the round; warn: it is reported only. */
  level: "fail" | "warn";
  /** What was measured (a rate 0–1, a score, a count, a p-value, a delta); null when nothing could be. */
  measured: number | null;
  /** The bound measured is held to: the rule's threshold, α for a significance test, −max_decrease for a drop. */
  limit: number;
  /** How measured is compared with limit, e.g. ">=" or "<=". */
  comparison: string;
  /** One sentence with the measured value and the limit. */
  message: string;
  /** The probes behind the result, when it did not hold; null otherwise or when no probe is to blame (an empty scope). */
  probes: GateRuleProbes | null;
  details: Record<string, unknown>;
}
