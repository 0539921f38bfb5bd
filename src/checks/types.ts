import type { Probe } from "../format/suite.js";
import type { Likelihood, StopReason } from "../format/outputs.js";
import type { JudgementLine } from "../format/judgements.js";
import type { LanguageServices, ServiceName } from "../lang/services.js";
import type { Better, CheckDetails, CheckResult } from "../format/check-result.js";
import type { DetailsView } from "../format/details-view.js";

/** Check authors find the result shape and the view blocks beside the definition. */
export type { Better, CheckDetails, CheckFacts, CheckResult, Highlight } from "../format/check-result.js";
export type { DetailsView, Tone, ViewBlock, ViewSide } from "../format/details-view.js";

/** What a check sees. Checks are pure: no I/O, no clocks, no randomness. */
export interface CheckInput<Params> {
  /** The spec's parameters with the schema's defaults filled in. */
  params: Params;
  probe: Probe;
  output: string;
  stopReason: StopReason | null;
  outputTokens: number | null;
  /** choice and perplexity probes: the measured log-likelihoods; null for generated text. */
  likelihood: Likelihood | null;
  /** judge checks: the judge's recorded replies for this output and check (judgements.jsonl); null when none is recorded. */
  judgement?: JudgementLine | null;
  services: LanguageServices;
}

/** What a check's own `run` returns: the result without its `type`, which the machinery sets. */
export type CheckOutcome<Details extends CheckDetails = CheckDetails> = Omit<CheckResult<Details>, "type">;

/** One result as an aggregate sees it: the result and the language of its probe. */
export interface AggregateItem<Details extends CheckDetails = CheckDetails> {
  result: CheckResult<Details>;
  language: string;
}

/** The one number a group of results combines into, with how it was computed. */
export interface AggregateOutcome {
  score: number | null;
  /** How the number was computed; two groups are compared only when their signatures are equal. */
  signature: string;
  /** The group's language; null when the group spans languages. */
  language: string | null;
  /** More numbers or labels of the group (a tokenizer, other normalizations…). */
  values?: Record<string, number | string | null>;
}

/**
 * How the results of one check combine into one number for a group (a suite,
 * or every suite) — the way sacreBLEU's metric owns its corpus score: BLEU
 * from summed statistics, not a mean of sentence scores.
 */
export interface CheckAggregate<Details extends CheckDetails = CheckDetails> {
  /** Recorded in the report with each value: "corpus", "choice_accuracy", "corpus_perplexity"… */
  name: string;
  /**
   * The group a result belongs to: results with equal keys combine, so the key
   * holds the language and every setting that changes the number (tokenizer,
   * smoothing…). null leaves the result out (no statistics, not measured).
   */
  group(item: AggregateItem<Details>): string | null;
  /** The value of one group (never empty). */
  combine(items: ReadonlyArray<AggregateItem<Details>>): AggregateOutcome;
}

/**
 * The params with the keys whose schema has a `default` always set: what
 * `run` sees (`WithDefaults<JsonParams, "extract">`).
 */
export type WithDefaults<Params, Keys extends keyof Params> = Params & { [Key in Keys]-?: Exclude<Params[Key], undefined> };

/**
 * What describes a check, apart from running it: the fields a check module
 * declares. `Params` is the spec as written; `Filled` the params with the
 * schema's defaults, as `validate`, `services`, `signature` and `run` see them.
 */
interface CheckDescription<Params, Details extends CheckDetails, Filled = Params> {
  type: string;
  /** One line for `--help` and the README. */
  summary: string;
  /** JSON Schema of the check's parameters (everything in the spec except `type`); its `default`s are what `run` sees when a key is left out. */
  paramsSchema: Record<string, unknown>;
  /** Which way the score improves: "higher", "lower" (a fault or a cost), or null (neither: a length). */
  better: Better;
  /** The unit of the score: "0/1", "0–1", "0–100", "morae", "bits per character"… */
  unit: string;
  /** What the score means, in a few words (report.html writes it beside the score's distribution). */
  note: string;
  /** How results combine into one number for a group; absent: the report keeps means only. */
  aggregate?: CheckAggregate<Details>;
  /** True when the check cannot run without `expected` (its own or the probe's). */
  needsExpected?: boolean;
  /** Language services the check will call for this probe, so only those are loaded. */
  services?(params: Filled, probe: Probe): ServiceName[];
  /**
   * Runs once when the suite is loaded, where I/O is allowed: resolve files the
   * spec names (a JSON Schema file, a word list) relative to the suite file and
   * return the params with their content inlined, so `run` stays pure and the
   * probe hash covers the content. Sees the params as written (no defaults).
   * Throw an Error with a message to reject.
   */
  load?(params: Params, context: { suiteFile: string }): Params;
  /** Extra validation beyond the schema; return a message to reject the spec. */
  validate?(params: Filled, probe: Probe): string | null;
  /**
   * sacreBLEU-style description of how the score is computed, from the
   * check's own settings (and what it resolves from the probe and the loaded
   * services: a tokenizer by language). Written into every result's
   * `details.signature`.
   */
  signature?(params: Filled, context: { probe: Probe; services: LanguageServices }): string;
  /** What report.html shows of a result's details; absent: its details as a table. */
  view?(details: Details): DetailsView;
}

/** What a check module writes: its description and a `run` that returns score, pass and details. */
export interface CheckDeclaration<Params = Record<string, unknown>, Details extends CheckDetails = CheckDetails, Filled = Params>
  extends CheckDescription<Params, Details, Filled> {
  run(input: CheckInput<Filled>): CheckOutcome<Details>;
}

/**
 * A check as the registry holds it (`defineCheck` of a declaration): `run`,
 * `validate`, `services` and `signature` see the params with the schema's
 * defaults, and `run` returns the whole result, its `type` and signature set.
 */
export interface CheckDefinition<Params = Record<string, unknown>, Details extends CheckDetails = CheckDetails> extends CheckDescription<Params, Details> {
  run(input: CheckInput<Params>): CheckResult<Details>;
}
