/**
 * `bonsai-eval merge`: joins the run directories of `--shard i/n` runs into one
 * report, identical apart from timings to the report of an unsharded run.
 */
import { mkdirSync } from "node:fs";
import type { CheckRegistry } from "../checks/registry.js";
import { InputError } from "../errors.js";
import { readOutputs } from "../outputs/jsonl.js";
import type { OutputLine } from "../outputs/types.js";
import type { Manifest, Report } from "../report/types.js";
import { loadSuites } from "../suite/load.js";
import { writeFileAtomic } from "../util/atomic.js";
import { loadReport } from "../compare/load-report.js";
import { readIdentity, runDirFiles, type RunIdentity } from "./run-dir.js";
import { scoreRunDir } from "./score.js";

export interface MergeOptions {
  dirs: string[];
  outDir: string;
  registry: CheckRegistry;
  /** Suites to score against; default: the suite files the shard runs used. */
  suitePaths?: string[];
}

interface ShardRun {
  dir: string;
  manifest: Manifest;
  identity: RunIdentity | null;
  lines: OutputLine[];
}

function readShardRun(dir: string): ShardRun {
  const files = runDirFiles(dir);
  const { manifest } = loadReport(dir).report;
  const lines = readOutputs(files.outputs).lines.map(({ line: _line, ...rest }) => rest);
  return { dir, manifest, identity: readIdentity(files), lines };
}

export async function mergeRunDirs(options: MergeOptions): Promise<Report> {
  const wallStart = performance.now();
  if (options.dirs.length === 0) throw new InputError("give the run directories to merge", { field: "DIR" });
  const runs = options.dirs.map(readShardRun);
  const [first] = runs as [ShardRun, ...ShardRun[]];

  for (const run of runs.slice(1)) {
    if (run.manifest.model?.sha256 !== first.manifest.model?.sha256) {
      throw new InputError(`was run on another model (${run.manifest.model?.file_name ?? "unknown"}) than ${first.dir}`, { file: run.dir });
    }
    const suitesOf = (m: Manifest) => JSON.stringify(m.suites.map((suite) => [suite.name, suite.sha256]));
    if (suitesOf(run.manifest) !== suitesOf(first.manifest)) throw new InputError(`used other suite versions than ${first.dir}`, { file: run.dir });
    const settingsOf = (r: ShardRun) => JSON.stringify({ ...(r.identity?.settings ?? {}), shard: null });
    if (settingsOf(run) !== settingsOf(first)) throw new InputError(`used other run settings than ${first.dir}`, { file: run.dir });
  }
  const shards = runs.map((run) => run.manifest.shard);
  const count = shards[0]?.count ?? 1;
  const indexes = new Set(shards.map((shard) => shard?.index ?? 1));
  const complete = runs.every((run) => run.manifest.complete) && shards.every((shard) => (shard?.count ?? 1) === count) && indexes.size === count;

  const suitePaths = options.suitePaths ?? first.manifest.suites.map((suite) => suite.path);
  const suites = loadSuites(suitePaths, { registry: options.registry });
  for (const suite of suites) {
    const recorded = first.manifest.suites.find((each) => each.name === suite.name);
    if (options.suitePaths === undefined && recorded && recorded.sha256 !== suite.sha256) {
      throw new InputError("suite file changed since the shard runs; pass --suite with the version they used", { file: suite.path });
    }
  }

  mkdirSync(options.outDir, { recursive: true });
  const merged = runDirFiles(options.outDir);
  const seen = new Set<string>();
  const lines: OutputLine[] = [];
  for (const run of runs) {
    for (const line of run.lines) {
      const key = `${line.suite}\u0000${line.id}\u0000${line.sample ?? 0}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(line);
    }
  }
  writeFileAtomic(merged.outputs, lines.map((line) => JSON.stringify(line) + "\n").join(""));

  const sum = (pick: (m: Manifest) => number | null) => runs.reduce((total, run) => total + (pick(run.manifest) ?? 0), 0);
  const generationMs = sum((m) => m.timings.generation_ms);
  const generatedTokens = sum((m) => m.timings.generated_tokens);
  const { manifest } = first;
  return scoreRunDir({
    suites,
    outputsFile: merged.outputs,
    outDir: options.outDir,
    registry: options.registry,
    wallStart,
    manifest: {
      kind: "merge",
      complete,
      model: manifest.model,
      generation: manifest.generation,
      runtime: manifest.runtime,
      hardware: manifest.hardware,
      shard: null,
      cache: null,
      timings: {
        started_at: runs.map((run) => run.manifest.timings.started_at).sort()[0]!,
        model_load_ms: Math.max(...runs.map((run) => run.manifest.timings.model_load_ms ?? 0)),
        generation_ms: generationMs,
        generated_tokens: generatedTokens,
        tokens_per_second: generationMs > 0 ? generatedTokens / (generationMs / 1000) : null,
      },
    },
  });
}
