/**
 * Check tests go through what users hit: the check, as a suite writes it, is
 * put in a real suite file, loaded and validated by the suite loader (the
 * parameters' schema and defaults, the check's own load and validate), and the
 * output is scored by the scorer (the result's type and signature, a crash
 * turned into a check error). A spec the loader rejects throws its one-line
 * errors, as `bonsai-eval validate` would print them.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CheckRegistry } from "../src/checks/registry.js";
import type { CheckResult } from "../src/format/check-result.js";
import type { Likelihood, StopReason } from "../src/format/outputs.js";
import type { Probe, Suite } from "../src/format/suite.js";
import type { LanguageServices } from "../src/lang/services.js";
import { scoreOutputs } from "../src/scoring/score-outputs.js";
import { loadSuite } from "../src/suite/load.js";
import { tempDir } from "./helpers.js";

/** A check as a suite's `checks:` entry writes it. */
export type CheckSpec = { type: string } & Record<string, unknown>;

/** The probe fields a check test sets; the rest are the loader's defaults. */
export type ProbeFields = Partial<Pick<Probe, "suite" | "id" | "prompt" | "category" | "language" | "expected">>;

export interface ScoredOutput {
  output: string;
  stopReason?: StopReason | null;
  outputTokens?: number | null;
  likelihood?: Likelihood | null;
}

const BUILT_IN = new CheckRegistry();
let suiteDir: string | null = null;
let written = 0;
/** Suites already loaded, by their text: many cases score other outputs against one probe. */
const loaded = new Map<string, Suite>();

function suiteText(check: CheckSpec, probe: ProbeFields): string {
  const entry: Record<string, unknown> = {
    id: probe.id ?? "probe",
    prompt: probe.prompt ?? "prompt",
    category: probe.category ?? "open_qa",
    language: probe.language ?? "ja",
    checks: [check],
  };
  if (probe.expected && probe.expected.length > 0) entry.expected = probe.expected;
  // JSON is YAML: the loader reads it with positions like any suite file.
  return JSON.stringify({ suite: probe.suite ?? "check-test", probes: [entry] }, null, 2);
}

function loadCheckSuite(text: string, registry: CheckRegistry): Suite {
  const key = registry === BUILT_IN ? text : null;
  const cached = key === null ? undefined : loaded.get(key);
  if (cached) return cached;
  suiteDir ??= tempDir("bonsai-check-");
  const file = path.join(suiteDir, `suite-${++written}.yaml`);
  writeFileSync(file, text);
  const suite = loadSuite(file, { registry });
  if (key !== null) loaded.set(key, suite);
  return suite;
}

/** Scores one output with one check of one probe, through the suite loader and the scorer. */
export function scoreCheck(
  check: CheckSpec,
  scored: ScoredOutput,
  services: LanguageServices,
  options: { probe?: ProbeFields; registry?: CheckRegistry } = {},
): CheckResult {
  const registry = options.registry ?? BUILT_IN;
  const suite = loadCheckSuite(suiteText(check, options.probe ?? {}), registry);
  const probe = suite.probes[0]!;
  const line = {
    suite: probe.suite,
    id: probe.id,
    output: scored.output,
    probe_hash: probe.hash,
    ...(scored.stopReason ? { stop_reason: scored.stopReason } : {}),
    ...(typeof scored.outputTokens === "number" ? { output_tokens: scored.outputTokens } : {}),
    ...(scored.likelihood ? { likelihood: scored.likelihood } : {}),
  };
  const { probes } = scoreOutputs([suite], [line], registry, services);
  return probes[0]!.checks[0]!;
}
