/**
 * Scoring recorded outputs into a report: used at the end of `run`, and by
 * `score` for outputs recorded earlier or produced by another tool.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { CheckRegistry } from "../checks/registry.js";
import { loadLanguageServices, type LanguageServices } from "../lang/services.js";
import { labelOf, loadReport } from "../format/report-file.js";
import { readOutputs, type ReadOutputs } from "../format/outputs-file.js";
import { judgementsFileBeside, readJudgements } from "../format/judgements.js";
import { requiredServices, scoreOutputs } from "../scoring/score-outputs.js";
import { summarize } from "../scoring/summary.js";
import { REPORT_SCHEMA_VERSION, type Manifest, type Report, type Timings } from "../format/report.js";
import { writeReport } from "../report/write.js";
import { loadSuites } from "../suite/load.js";
import type { Suite } from "../format/suite.js";
import { TOOL_VERSION } from "./version.js";

export type ManifestParts = Omit<Manifest, "tool" | "created_at" | "outputs_file" | "suites" | "timings"> & {
  timings: Omit<Timings, "finished_at" | "wall_ms" | "scoring_ms">;
};

export interface ScoreRunDirOptions {
  suites: Suite[];
  outputsFile: string;
  /** The outputs file as already read, when the caller has it. */
  outputs?: ReadOutputs;
  outDir: string;
  registry: CheckRegistry;
  modelTokenCount?: (text: string) => number;
  /** Services already being loaded (run starts them before generation, off its critical path). */
  services?: Promise<LanguageServices>;
  manifest: ManifestParts;
  wallStart: number;
  /** Score outputs generated for another version of a probe (marked stale) instead of leaving them unscored. */
  allowStale?: boolean;
}

export async function scoreRunDir(options: ScoreRunDirOptions): Promise<Report> {
  const scoringStart = performance.now();
  const services =
    (await options.services) ??
    (await loadLanguageServices(requiredServices(options.suites, options.registry), { modelTokenCount: options.modelTokenCount }));
  const { lines, truncatedTail } = options.outputs ?? readOutputs(options.outputsFile);
  // The judge's replies recorded beside the outputs: judge checks are scored again without the judge model.
  const judgements = readJudgements(judgementsFileBeside(options.outputsFile));
  const { probes, problems } = scoreOutputs(options.suites, lines, options.registry, services, { allowStale: options.allowStale ?? false, judgements });
  problems.truncated_outputs_tail = truncatedTail;
  const scoringMs = performance.now() - scoringStart;
  const finished = new Date();
  const report: Report = {
    schema_version: REPORT_SCHEMA_VERSION,
    manifest: {
      tool: { name: "bonsai-eval", version: TOOL_VERSION },
      created_at: finished.toISOString(),
      outputs_file: path.resolve(options.outputsFile),
      suites: options.suites.map((suite) => ({
        name: suite.name,
        path: suite.path,
        sha256: suite.sha256,
        probe_count: suite.probes.length,
        ...(suite.description ? { description: suite.description } : {}),
        ...(suite.data ? { data: suite.data } : {}),
      })),
      ...options.manifest,
      timings: {
        ...options.manifest.timings,
        finished_at: finished.toISOString(),
        wall_ms: Math.round(performance.now() - options.wallStart),
        scoring_ms: Math.round(scoringMs),
      },
    },
    probes,
    summary: summarize(probes, options.registry),
    problems,
  };
  writeReport(options.outDir, report, options.registry);
  return report;
}

export interface ScoreOptions {
  outputsFile: string;
  suitePaths: string[];
  outDir: string;
  registry: CheckRegistry;
  /** `--allow-stale`: score outputs of other probe versions anyway, marked stale. */
  allowStale?: boolean;
  /** The round's name (`--label`); absent: the earlier report's label beside the outputs, else its model file's name, else the outputs file's folder. */
  label?: string;
}

/** `bonsai-eval score`: no model is loaded. A report.json beside the outputs lends its model and hardware facts. */
export async function scoreOutputsFile(options: ScoreOptions): Promise<Report> {
  const wallStart = performance.now();
  const suites = loadSuites(options.suitePaths, { registry: options.registry });
  const outputs = readOutputs(options.outputsFile); // a bad line fails here, with file:line, before anything is written
  const sibling = path.join(path.dirname(options.outputsFile), "report.json");
  let earlier: Manifest | null = null;
  if (existsSync(sibling)) {
    try {
      earlier = loadReport(sibling).report.manifest;
    } catch {
      earlier = null; // not a bonsai-eval report: score without its facts
    }
  }
  const now = new Date().toISOString();
  return scoreRunDir({
    suites,
    outputsFile: options.outputsFile,
    outputs,
    outDir: options.outDir,
    registry: options.registry,
    wallStart,
    allowStale: options.allowStale ?? false,
    manifest: {
      kind: "score",
      label: options.label ?? (earlier ? labelOf(earlier) : path.basename(path.dirname(path.resolve(options.outputsFile)))),
      complete: earlier?.complete ?? true,
      model: earlier?.model ?? null,
      generation: earlier?.generation ?? null,
      runtime: earlier?.runtime ?? null,
      hardware: earlier?.hardware ?? null,
      shard: earlier?.shard ?? null,
      cache: earlier?.cache ?? null,
      ...(earlier?.judge ? { judge: earlier.judge } : {}),
      timings: {
        started_at: earlier?.timings.started_at ?? now,
        model_load_ms: earlier?.timings.model_load_ms ?? null,
        generation_ms: earlier?.timings.generation_ms ?? null,
        generated_tokens: earlier?.timings.generated_tokens ?? 0,
        tokens_per_second: earlier?.timings.tokens_per_second ?? null,
      },
    },
  });
}
