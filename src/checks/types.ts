import type { Probe } from "../format/suite.js";
import type { Likelihood, StopReason } from "../format/outputs.js";
import type { LanguageServices, ServiceName } from "../lang/services.js";

/** Every check returns this shape; `type` is the check's name in the report. */
export interface CheckResult {
  type: string;
  /** A number in the check's own unit (documented per check); null when not measurable. */
  score: number | null;
  /**
   * true / false: the check's verdict. null: informational — a measurement
   * with no threshold set (BLEU without min_score…): it is neither a pass nor
   * a fail, and pass counts and rates leave it out.
   */
  pass: boolean | null;
  /** Why it passed or failed, in terms a person can act on. */
  details: CheckDetails;
}

export interface CheckDetails {
  /** One sentence: what was found. */
  reason: string;
  /** sacreBLEU-style description of how the score was computed, for metric checks. */
  signature?: string;
  /** The unit of `score` when it depends on the check's parameters (length: chars, words or tokens), so means never mix units. */
  score_unit?: string;
  /** Character ranges of the output a reader should look at (repeated span, drifted sentence…). */
  highlights?: Highlight[];
  [key: string]: unknown;
}

export interface Highlight {
  /** Code point offsets into the output, end exclusive. */
  start: number;
  end: number;
  label: string;
}

/** What a check sees. Checks are pure: no I/O, no clocks, no randomness. */
export interface CheckInput<Params> {
  params: Params;
  probe: Probe;
  output: string;
  stopReason: StopReason | null;
  outputTokens: number | null;
  /** choice and perplexity probes: the measured log-likelihoods; null for generated text. */
  likelihood: Likelihood | null;
  services: LanguageServices;
}

export interface CheckDefinition<Params = Record<string, unknown>> {
  type: string;
  /** One line for `--help` and the README. */
  summary: string;
  /** JSON Schema of the check's parameters (everything in the spec except `type`). */
  paramsSchema: Record<string, unknown>;
  /** True when the check cannot run without `expected` (its own or the probe's). */
  needsExpected?: boolean;
  /** Language services the check will call for this probe, so only those are loaded. */
  services?(params: Params, probe: Probe): ServiceName[];
  /**
   * Runs once when the suite is loaded, where I/O is allowed: resolve files the
   * spec names (a JSON Schema file, a word list) relative to the suite file and
   * return the params with their content inlined, so `run` stays pure and the
   * probe hash covers the content. Throw an Error with a message to reject.
   */
  load?(params: Params, context: { suiteFile: string }): Params;
  /** Extra validation beyond the schema; return a message to reject the spec. */
  validate?(params: Params, probe: Probe): string | null;
  run(input: CheckInput<Params>): CheckResult;
}
