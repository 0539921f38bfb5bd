import type { Probe } from "../format/suite.js";
import type { Likelihood, StopReason } from "../format/outputs.js";
import type { LanguageServices, ServiceName } from "../lang/services.js";
import type { CheckResult } from "../format/check-result.js";

/** Check authors find the result shape beside the definition. */
export type { CheckDetails, CheckResult, Highlight } from "../format/check-result.js";

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
