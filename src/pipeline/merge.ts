/**
 * `bonsai-eval merge`: joins the run directories of `--shard i/n` runs into one
 * report, identical apart from timings to the report of an unsharded run.
 */
import path from "node:path";
import type { CheckRegistry } from "../checks/registry.js";
import { InputError } from "../errors.js";
import { readOutputs } from "../format/outputs-file.js";
import type { OutputLine } from "../format/outputs.js";
import type { Manifest, Report } from "../format/report.js";
import { loadSuites } from "../suite/load.js";
import type { Suite } from "../format/suite.js";
import { labelOf, loadReport } from "../format/report-file.js";
import { ClaimedRunDir, readIdentity, runDirFiles, samePath, type RunIdentity } from "./run-dir.js";
import { scoreRunDir } from "./score.js";
import { visibleControls } from "../util/untrusted-text.js";
import { outputKey } from "../format/probe-key.js";
import { JUDGEMENTS_FILE, readJudgements, type JudgementLine } from "../format/judgements.js";
import { writeFileAtomic } from "../util/atomic.js";

export interface MergeOptions {
  dirs: string[];
  outDir: string;
  registry: CheckRegistry;
  /** Suites to score against; default: the suite files the shard runs used. */
  suitePaths?: string[];
  /** Missing shards, dropped cut lines; default: stderr. */
  warn?: (message: string) => void;
  /** Score outputs generated for another version of a probe (--suite with edited probes) instead of leaving them stale. */
  allowStale?: boolean;
}

interface ShardRun {
  dir: string;
  manifest: Manifest;
  identity: RunIdentity | null;
  lines: OutputLine[];
  /** The judge's replies recorded beside the outputs (judgements.jsonl), by judgement key. */
  judgements: Map<string, JudgementLine>;
  cutTail: boolean;
}

function readShardRun(dir: string): ShardRun {
  const files = runDirFiles(dir);
  const { manifest } = loadReport(dir).report;
  const outputs = readOutputs(files.outputs);
  const lines = outputs.lines.map(({ line: _line, ...rest }) => rest);
  const judgements = readJudgements(path.join(dir, JUDGEMENTS_FILE));
  return { dir, manifest, identity: readIdentity(files), lines, judgements, cutTail: outputs.truncatedTail };
}

const shardName = (manifest: Manifest) => (manifest.shard ? `${manifest.shard.index}/${manifest.shard.count}` : "1/1 (unsharded)");

export async function mergeRunDirs(options: MergeOptions): Promise<Report> {
  const wallStart = performance.now();
  if (options.dirs.length === 0) throw new InputError("give the run directories to merge", { field: "DIR" });
  const runs = options.dirs.map(readShardRun);
  const [first] = runs as [ShardRun, ...ShardRun[]];

  for (const run of runs.slice(1)) {
    if (run.manifest.model?.sha256 !== first.manifest.model?.sha256) {
      throw new InputError(`was run on another model (${run.manifest.model?.file_name ?? "unknown"}) than ${first.dir}`, { file: run.dir });
    }
    // A data-backed suite's version is its YAML and its data file's slice.
    const suitesOf = (m: Manifest) => JSON.stringify(m.suites.map((suite) => [suite.name, suite.sha256, suite.data?.sha256 ?? null, suite.data?.selection_sha256 ?? null]));
    if (suitesOf(run.manifest) !== suitesOf(first.manifest)) throw new InputError(`used other suite versions than ${first.dir}`, { file: run.dir });
    const settingsOf = (r: ShardRun) => JSON.stringify({ ...(r.identity?.settings ?? {}), shard: null });
    if (settingsOf(run) !== settingsOf(first)) throw new InputError(`used other run settings than ${first.dir}`, { file: run.dir });
  }
  const warn = options.warn ?? ((message: string) => process.stderr.write(`bonsai-eval: warning: ${visibleControls(message)}\n`));
  const count = first.manifest.shard?.count ?? 1;
  const byIndex = new Map<number, ShardRun>();
  for (const run of runs) {
    if ((run.manifest.shard?.count ?? 1) !== count) {
      throw new InputError(`is shard ${shardName(run.manifest)}, ${first.dir} is shard ${shardName(first.manifest)}: shards of different splits cannot be merged`, { file: run.dir });
    }
    const index = run.manifest.shard?.index ?? 1;
    const twin = byIndex.get(index);
    if (twin) throw new InputError(`is shard ${index}/${count} again (so is ${twin.dir})`, { file: run.dir });
    byIndex.set(index, run);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  const complete = runs.every((run) => run.manifest.complete) && missing.length === 0;

  const suitePaths = options.suitePaths ?? first.manifest.suites.map((suite) => suite.path);
  const suites = loadSuites(suitePaths, { registry: options.registry });
  for (const suite of suites) {
    const recorded = first.manifest.suites.find((each) => each.name === suite.name);
    if (options.suitePaths === undefined && recorded && recorded.sha256 !== suite.sha256) {
      throw new InputError("suite file changed since the shard runs; pass --suite with the version they used", { file: suite.path });
    }
    if (options.suitePaths === undefined && recorded && (recorded.data?.sha256 ?? null) !== (suite.data?.sha256 ?? null)) {
      throw new InputError("data file changed since the shard runs; pass --suite with a suite of the version they used", { file: suite.data?.path ?? suite.path });
    }
  }

  for (const run of runs) {
    if (samePath(run.dir, options.outDir)) throw new InputError("--out is one of the shard directories; merge into a new directory", { file: options.outDir });
  }
  const identity: RunIdentity = {
    model_sha256: first.manifest.model?.sha256 ?? first.identity?.model_sha256 ?? "",
    settings: { ...(first.identity?.settings ?? {}), shard: null },
    suites: suites.map((suite) => suite.name).sort(),
    merged_from: runs.map((run) => path.resolve(run.dir)).sort(),
  };
  using merged = ClaimedRunDir.claim(options.outDir, identity);
  for (const index of missing) warn(`missing shard ${index}/${count}: the merged report is marked incomplete`);
  for (const run of runs) {
    if (!run.manifest.complete) warn(`${run.dir}: shard ${shardName(run.manifest)} was interrupted: the merged report is marked incomplete`);
    if (run.cutTail) warn(`${runDirFiles(run.dir).outputs}: dropped a cut last line (a write interrupted by a crash)`);
  }
  merged.replaceOutputs(joinShardLines(runs));
  const judgements = joinShardJudgements(runs);
  if (judgements.length > 0) writeFileAtomic(path.join(options.outDir, JUDGEMENTS_FILE), judgements.map((line) => `${JSON.stringify(line)}\n`).join(""));
  merged.recordIdentity(identity);
  return await scoreMerged(runs, suites, complete, options, wallStart);
}

/** Every shard's lines, the first of each output key (a probe is in one shard; a line twice is kept once). */
function joinShardLines(runs: ShardRun[]): OutputLine[] {
  const seen = new Set<string>();
  const lines: OutputLine[] = [];
  for (const run of runs) {
    for (const line of run.lines) {
      const key = outputKey(line.suite, line.id, line.sample ?? 0);
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(line);
    }
  }
  return lines;
}

/** Every shard's judge replies, the first of each key, so the merged report's judge checks find their verdicts. */
function joinShardJudgements(runs: ShardRun[]): JudgementLine[] {
  const joined = new Map<string, JudgementLine>();
  for (const run of runs) {
    for (const [key, line] of run.judgements) if (!joined.has(key)) joined.set(key, line);
  }
  return [...joined.values()];
}

function scoreMerged(runs: ShardRun[], suites: Suite[], complete: boolean, options: MergeOptions, wallStart: number): Promise<Report> {
  const [first] = runs as [ShardRun, ...ShardRun[]];
  const merged = runDirFiles(options.outDir);

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
    allowStale: options.allowStale ?? false,
    manifest: {
      kind: "merge",
      label: labelOf(manifest),
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
