/**
 * Scoring: outputs × probes → scored probes. Pure apart from the language
 * services it is handed; runs the same for `run` and for `score`.
 */
import type { CheckRegistry } from "../checks/registry.js";
import type { CheckResult } from "../format/check-result.js";
import { LanguageServiceError, type LanguageServices, type ServiceName } from "../lang/services.js";
import type { OutputLine } from "../format/outputs.js";
import type { Probe, Suite } from "../format/suite.js";
import { normalizeValue } from "../lang/normalize.js";
import { probeKey } from "../format/probe-key.js";
import type { OutputVersion, Problems, ProbeStatus, ReportProbe, SampleSummary } from "../format/report.js";
import { judgementKey, type JudgementLine } from "../format/judgements.js";

/** Recorded judge replies by judgementKey (judgements.jsonl). */
export type Judgements = ReadonlyMap<string, JudgementLine>;
const NO_JUDGEMENTS: Judgements = new Map();

/** The language services the checks of these suites will call, each with the check types that declared it. */
export function requiredServices(suites: Suite[], registry: CheckRegistry): Map<ServiceName, string[]> {
  const requests = new Map<ServiceName, string[]>();
  for (const suite of suites) {
    for (const probe of suite.probes) {
      for (const { type, ...params } of probe.checks) {
        for (const name of registry.get(type)?.services?.(params, probe) ?? []) {
          const checks = requests.get(name) ?? [];
          if (!checks.includes(type)) checks.push(type);
          requests.set(name, checks);
        }
      }
    }
  }
  return requests;
}

export function runChecks(probe: Probe, line: OutputLine, registry: CheckRegistry, services: LanguageServices, judgements: Judgements = NO_JUDGEMENTS): CheckResult[] {
  return probe.checks.map(({ type, ...params }, check) => {
    const definition = registry.get(type);
    if (!definition) return { type, score: null, pass: false, details: { reason: `check type "${type}" is not registered` } };
    try {
      // The definition sets the result's type and signature and fills the params' defaults (checks/define.ts).
      return definition.run({
        params,
        probe,
        output: line.output,
        stopReason: line.stop_reason ?? null,
        outputTokens: line.output_tokens ?? null,
        likelihood: line.likelihood ?? null,
        judgement: judgements.get(judgementKey({ suite: probe.suite, id: probe.id, sample: line.sample ?? 0, check })) ?? null,
        services,
      });
    } catch (error) {
      // A lazy service (services.ts) that fails to load on its first call fails the run as at start, not as one check's crash.
      if (error instanceof LanguageServiceError) throw error;
      return { type, score: null, pass: false, details: { reason: `check failed to run: ${(error as Error).message}`, crashed: true } };
    }
  });
}

/**
 * A probe's verdict from its check results: error when a check crashed, fail
 * when any check failed, scored (no verdict) when every check is
 * informational, else pass.
 */
export function probeVerdict(checks: readonly CheckResult[]): { pass: boolean | null; status: ProbeStatus } {
  if (checks.some((check) => check.details.crashed === true)) return { pass: false, status: "error" };
  if (checks.some((check) => check.pass === false)) return { pass: false, status: "fail" };
  if (checks.length > 0 && checks.every((check) => check.pass === null)) return { pass: null, status: "scored" };
  return { pass: true, status: "pass" };
}

/** Whether an output line was generated for this version of the probe. */
export function outputVersion(line: Pick<OutputLine, "probe_hash">, probe: Pick<Probe, "hash">): OutputVersion {
  if (line.probe_hash === undefined) return "unverified";
  return line.probe_hash === probe.hash ? "current" : "stale";
}

export interface ScoreResult {
  probes: ReportProbe[];
  problems: Problems;
}

export interface ScoreOptions {
  /** Score outputs generated for another version of a probe (marked stale) instead of leaving them unscored. */
  allowStale?: boolean;
  /** The judge's recorded replies, for judge checks. */
  judgements?: Judgements;
}

export function scoreOutputs(
  suites: Suite[],
  lines: Array<OutputLine & { line?: number }>,
  registry: CheckRegistry,
  services: LanguageServices,
  options: ScoreOptions = {},
): ScoreResult {
  // Lines per probe, then per sample; several lines for one sample are a problem (the last wins).
  const byProbe = new Map<string, Map<number, Array<OutputLine & { line?: number }>>>();
  for (const line of lines) {
    const samples = byProbe.get(probeKey(line)) ?? new Map<number, Array<OutputLine & { line?: number }>>();
    const list = samples.get(line.sample ?? 0) ?? [];
    list.push(line);
    samples.set(line.sample ?? 0, list);
    byProbe.set(probeKey(line), samples);
  }
  const known = new Set<string>();
  const problems: Problems = { unknown_outputs: [], missing_outputs: [], duplicate_outputs: [], stale_outputs: [], unknown_samples: [], truncated_outputs_tail: false };
  const allowStale = options.allowStale ?? false;
  const judgements = options.judgements ?? NO_JUDGEMENTS;
  const probes: ReportProbe[] = [];

  for (const suite of suites) {
    for (const probe of suite.probes) {
      const k = probeKey(probe);
      known.add(k);
      const samples = byProbe.get(k) ?? new Map<number, Array<OutputLine & { line?: number }>>();
      // A sample index the probe does not have (sample 3 of a probe with samples: 3) is listed and left out of pass@k.
      for (const [sample, found] of [...samples].filter(([index]) => index >= probe.generation.samples)) {
        for (const line of found) problems.unknown_samples.push({ suite: probe.suite, id: probe.id, sample, samples: probe.generation.samples, line: line.line ?? 0 });
        samples.delete(sample);
      }
      for (const found of samples.values()) {
        if (found.length > 1) problems.duplicate_outputs.push({ suite: probe.suite, id: probe.id, lines: found.map((line) => line.line ?? 0) });
      }
      const latest = [...samples.entries()].sort(([a], [b]) => a - b).map(([, found]) => found.at(-1)!);
      const primary = samples.get(0)?.at(-1) ?? null;
      if (!primary) problems.missing_outputs.push({ suite: probe.suite, id: probe.id });
      const stale = latest.filter((line) => outputVersion(line, probe) === "stale");
      for (const line of stale) {
        problems.stale_outputs.push({ suite: probe.suite, id: probe.id, line: line.line ?? 0, output_hash: line.probe_hash!, probe_hash: probe.hash, scored: allowStale });
      }
      if (primary && stale.length > 0 && !allowStale) {
        probes.push(staleProbe(probe, primary));
        continue;
      }
      const scored = scoreProbe(probe, primary, registry, services, judgements);
      if (stale.length > 0) scored.output_version = "stale";
      if (probe.generation.samples > 1 || latest.length > 1) scored.samples = summarizeSamples(probe, latest, scored, registry, services, judgements);
      probes.push(scored);
    }
  }
  for (const line of lines) {
    if (!known.has(probeKey(line))) problems.unknown_outputs.push({ suite: line.suite, id: line.id, line: line.line ?? 0 });
  }
  return { probes, problems };
}

/** pass@k and agreement over a probe's samples; each sample is checked like the first (whose result is reused). */
function summarizeSamples(probe: Probe, lines: OutputLine[], primary: ReportProbe, registry: CheckRegistry, services: LanguageServices, judgements: Judgements): SampleSummary {
  const outputs = lines.map((line) => {
    const pass =
      (line.sample ?? 0) === 0 && primary.output !== null
        ? primary.pass
        : line.stop_reason === "error"
          ? false
          : probeVerdict(runChecks(probe, line, registry, services, judgements)).pass;
    return { sample: line.sample ?? 0, output: line.output, pass, stop_reason: line.stop_reason ?? null };
  });
  const counts = new Map<string, number>();
  for (const { output } of outputs) {
    const normalized = normalizeValue(output);
    counts.set(normalized, (counts.get(normalized) ?? 0) + 1);
  }
  const passed = outputs.filter((sample) => sample.pass === true).length;
  const judged = outputs.filter((sample) => sample.pass !== null).length;
  return {
    count: outputs.length,
    expected: probe.generation.samples,
    passed,
    pass_rate: judged === 0 ? 0 : passed / judged,
    pass_at_k: passed > 0,
    agreement: outputs.length === 0 ? 0 : Math.max(...counts.values()) / outputs.length,
    distinct: counts.size,
    outputs,
  };
}

function probeFields(probe: Probe) {
  return {
    suite: probe.suite,
    id: probe.id,
    type: probe.type,
    category: probe.category,
    language: probe.language,
    tags: probe.tags,
    ...(probe.notes ? { notes: probe.notes } : {}),
    prompt: probe.prompt,
    system: probe.generation.system,
    expected: probe.expected,
    choices: probe.choices,
    answer: probe.answer,
    text: probe.text,
    hash: probe.hash,
    samples: null,
  };
}

function generatedFields(probe: Probe, line: OutputLine) {
  return {
    output: line.output,
    stop_reason: line.stop_reason ?? null,
    stop_string: line.stop_string ?? null,
    prompt_tokens: line.prompt_tokens ?? null,
    output_tokens: line.output_tokens ?? null,
    time_ms: line.time_ms ?? null,
    trimmed_replacement_char: line.trimmed_replacement_char ?? false,
    rendered_prompt: line.rendered_prompt ?? null,
    likelihood: line.likelihood ?? null,
    output_version: outputVersion(line, probe),
    cached: line.cached === true,
  };
}

/** An output of another version of the probe, shown but not scored: no checks, no verdict. */
function staleProbe(probe: Probe, line: OutputLine): ReportProbe {
  return { ...probeFields(probe), ...generatedFields(probe, line), checks: [], pass: null, status: "stale" };
}

function scoreProbe(probe: Probe, line: OutputLine | null, registry: CheckRegistry, services: LanguageServices, judgements: Judgements): ReportProbe {
  const base = probeFields(probe);
  if (!line) {
    return {
      ...base, output: null, stop_reason: null, stop_string: null, prompt_tokens: null, output_tokens: null, time_ms: null,
      trimmed_replacement_char: false, rendered_prompt: null, likelihood: null, output_version: null, checks: [], pass: false, status: "missing",
    };
  }
  const generated = generatedFields(probe, line);
  if (line.stop_reason === "error") {
    return {
      ...base, ...generated, pass: false, status: "error",
      checks: [{ type: "generation", score: null, pass: false, details: { reason: line.error ?? "generation failed" } }],
    };
  }
  const checks = runChecks(probe, line, registry, services, judgements);
  return { ...base, ...generated, checks, ...probeVerdict(checks) };
}
