/**
 * A run directory: outputs.jsonl, run.json (what produced the outputs), the
 * report, and a lock while a run writes into it. A directory belongs to one
 * run: a command writes only into a directory that is new (holds none of the
 * run files) or that holds its own compatible run; anything else is refused.
 */
import { closeSync, existsSync, lstatSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { OutputsWriter, readOutputs } from "../format/outputs-file.js";
import type { OutputLine } from "../format/outputs.js";
import { ensureDir, fileSystemError, writeFileAtomic, writeFully } from "../util/atomic.js";
import { stableStringify } from "../util/json.js";
import { folderStamp } from "../util/time.js";
import { outputKey } from "../format/probe-key.js";
import type { Probe } from "../format/suite.js";
import type { Plan } from "./jobs.js";

export interface RunIdentity {
  model_sha256: string;
  /** Run-level settings that change outputs beyond what probe hashes cover. */
  settings: Record<string, unknown>;
  /** The suites whose outputs the directory holds (a run with other suites adds to them). */
  suites?: string[];
  /** Set by merge: the shard run directories the outputs were joined from. */
  merged_from?: string[];
}

export interface RunDirFiles {
  dir: string;
  outputs: string;
  identity: string;
  report: string;
  html: string;
  lock: string;
}

/** Where a run writes when no --out is given: reports/<model>-<time> (the fixture's runs: reports/fixture-<time>). */
export function defaultRunDir(modelPath: string | undefined): string {
  const name = modelPath ? path.basename(modelPath).replace(/\.gguf$/i, "") : "fixture";
  return path.join("reports", `${name}-${folderStamp()}`);
}

export function runDirFiles(dir: string): RunDirFiles {
  return {
    dir,
    outputs: path.join(dir, "outputs.jsonl"),
    identity: path.join(dir, "run.json"),
    report: path.join(dir, "report.json"),
    html: path.join(dir, "report.html"),
    lock: path.join(dir, ".lock"),
  };
}

const RUN_FILE_NAMES = ["outputs.jsonl", "run.json", "report.json", "report.html", ".lock"];

/** The run files present in a directory (none when it does not exist). */
function presentRunFiles(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new InputError("is a file, not a directory", { file: dir });
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw fileSystemError(error, dir, "cannot read the directory");
  }
  return RUN_FILE_NAMES.filter((name) => name !== ".lock" && names.includes(name));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid of a live process holding the directory's lock, else null. A lock that is not a file is refused. */
function lockHolder(files: RunDirFiles): number | null {
  let stats;
  try {
    stats = lstatSync(files.lock);
  } catch {
    return null;
  }
  if (!stats.isFile()) throw new InputError("is not a lock file (remove it if no bonsai-eval run is using the directory)", { file: files.lock });
  let text: string;
  try {
    text = readFileSync(files.lock, "utf8");
  } catch (error) {
    throw fileSystemError(error, files.lock, "cannot read the lock");
  }
  const holder = Number(text.trim());
  return Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder) ? holder : null;
}

function refuseLocked(files: RunDirFiles): void {
  const holder = lockHolder(files);
  if (holder !== null) {
    throw new InputError(`another bonsai-eval run (pid ${holder}) is writing into this directory; use another --out`, { file: files.dir });
  }
}

/** Takes the directory's lock; a lock left by a dead process is taken over. Returns the release function. */
function lockRunDir(files: RunDirFiles): () => void {
  ensureDir(files.dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      createLock(files.lock);
      return () => {
        try {
          unlinkSync(files.lock);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw fileSystemError(error, files.lock, "cannot create the lock");
      refuseLocked(files);
      try {
        unlinkSync(files.lock);
      } catch (unlinkError) {
        throw fileSystemError(unlinkError, files.lock, "cannot remove a stale lock");
      }
    }
  }
  throw new InputError("cannot lock the run directory", { file: files.dir });
}

/** Creates the lock file holding our pid; one that cannot be written whole (a full disk) is removed again. */
function createLock(lock: string): void {
  const fd = openSync(lock, "wx");
  try {
    writeFully(fd, Buffer.from(String(process.pid)));
  } catch (error) {
    closeSync(fd);
    unlinkSync(lock);
    throw error;
  }
  closeSync(fd);
}

/** The identity a run directory records (run.json); null when it has none. */
export function readIdentity(files: RunDirFiles): RunIdentity | null {
  let text: string;
  try {
    text = readFileSync(files.identity, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw fileSystemError(error, files.identity, "cannot read");
  }
  try {
    const identity = JSON.parse(text) as RunIdentity;
    if (typeof identity?.model_sha256 !== "string" || typeof identity.settings !== "object" || identity.settings === null) throw new Error("not a run identity");
    return identity;
  } catch {
    throw new InputError("is not a bonsai-eval run.json; choose another --out (or delete the directory to start over)", { file: files.identity });
  }
}

function writeIdentity(files: RunDirFiles, identity: RunIdentity): void {
  writeFileAtomic(files.identity, JSON.stringify(identity, null, 2) + "\n");
}

/** Same model, same settings, same origin (a run, or a merge of the same shard directories). */
function compatible(a: RunIdentity, b: RunIdentity): boolean {
  return (
    a.model_sha256 === b.model_sha256 &&
    stableStringify(a.settings) === stableStringify(b.settings) &&
    stableStringify(a.merged_from ?? null) === stableStringify(b.merged_from ?? null)
  );
}

/**
 * The identity a directory's run.json records, null for a new directory. A
 * directory holding outputs or a report without run.json, or a lock that is
 * not ours or not a file, is refused.
 */
function existingIdentity(files: RunDirFiles): RunIdentity | null {
  const present = presentRunFiles(files.dir);
  refuseLocked(files);
  if (present.includes("run.json")) return readIdentity(files);
  if (present.length > 0) {
    throw new InputError(
      `holds ${present.join(", ")} of another run (no run.json); choose another --out (or delete the directory to start over)`,
      { file: files.dir },
    );
  }
  return null;
}

/** What can be refused about a run directory before the model is hashed and loaded. */
export function precheckRunDir(dir: string): void {
  existingIdentity(runDirFiles(dir));
}

/**
 * Checks that `dir` is new or holds a compatible run (same model, settings and
 * origin); returns the identity it records (null for a new directory).
 */
function claimRunDir(files: RunDirFiles, identity: RunIdentity): RunIdentity | null {
  const previous = existingIdentity(files);
  if (previous !== null && !compatible(previous, identity)) {
    const what = previous.merged_from || identity.merged_from ? "a run made another way (run or merge of other shards)" : "outputs from another model or other run settings";
    throw new InputError(`this directory holds ${what}; choose another --out (or delete it to start over)`, { file: files.dir });
  }
  return previous;
}

/**
 * A run directory this process holds: locked, and claimed for one run's
 * identity. Disposing it releases the lock.
 */
export class ClaimedRunDir implements Disposable {
  private constructor(
    readonly files: RunDirFiles,
    /** What run.json recorded before this run (null: a new directory). */
    readonly previous: RunIdentity | null,
    private readonly release: () => void,
  ) {}

  /** Locks `dir` and checks that it is new or holds a compatible run; a refused directory is unlocked again, its files unchanged. */
  static claim(dir: string, identity: RunIdentity): ClaimedRunDir {
    const files = runDirFiles(dir);
    const release = lockRunDir(files);
    try {
      return new ClaimedRunDir(files, claimRunDir(files, identity), release);
    } catch (error) {
      release();
      throw error;
    }
  }

  recordIdentity(identity: RunIdentity): void {
    writeIdentity(this.files, identity);
  }

  /** Replaces outputs.jsonl with exactly `lines` (atomically). */
  replaceOutputs(lines: OutputLine[]): void {
    OutputsWriter.rewrite(this.files.outputs, lines);
  }

  /**
   * What of `plan` is already done here. A finished output is kept when the
   * probe and its rendered prompt (template files, system prompt) are
   * unchanged; with `allowStale`, also when it was generated for another
   * version of the probe (it is then scored and marked stale). Outputs that
   * ended in an error or were aborted, stale ones otherwise, and a line cut by
   * a crash are dropped from outputs.jsonl, so they are generated again; lines
   * of suites outside `suites` stay byte for byte.
   */
  resume(plan: Plan, options: { suites: Set<string>; allowStale: boolean }): Resume {
    const { finished, lines, cutTail } = this.readFinished(options.suites);
    const kept = new Set<OutputLine>();
    let keptStale = 0;
    const unfinished = (job: { key: string; probe: Probe; rendered: string }): boolean => {
      const line = finished.get(job.key);
      if (line === undefined) return true;
      const current = line.probe_hash === job.probe.hash && line.rendered_prompt === job.rendered;
      const stale = line.probe_hash !== undefined && line.probe_hash !== job.probe.hash;
      if (!current && !(stale && options.allowStale)) return true;
      kept.add(line);
      if (!current) keptStale++;
      return false;
    };
    const pending: Plan = { generation: plan.generation.filter(unfinished), likelihood: plan.likelihood.filter(unfinished) };
    const survivors = lines.filter((line) => !options.suites.has(line.suite) || kept.has(line));
    if (cutTail || survivors.length !== lines.length) this.replaceOutputs(survivors);
    return { pending, kept: kept.size, keptStale, found: lines.length, droppedCutLine: cutTail };
  }

  /** Finished outputs of `suites` by outputKey (error and aborted ones left out), and every line of the file in order. */
  private readFinished(suites: Set<string>): { finished: Map<string, OutputLine>; lines: OutputLine[]; cutTail: boolean } {
    const state = { finished: new Map<string, OutputLine>(), lines: [] as OutputLine[], cutTail: false };
    if (!existsSync(this.files.outputs)) return state;
    const read = readOutputs(this.files.outputs);
    state.cutTail = read.truncatedTail;
    for (const { line: _line, ...line } of read.lines) {
      state.lines.push(line);
      if (!suites.has(line.suite) || line.stop_reason === "aborted" || line.stop_reason === "error") continue;
      state.finished.set(outputKey(line.suite, line.id, line.sample ?? 0), line);
    }
    return state;
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/** What a run directory already held of a run's plan. */
export interface Resume {
  /** The planned jobs still to run: never started, unfinished, failed, or stale (without --allow-stale). */
  pending: Plan;
  /** Finished outputs kept. */
  kept: number;
  /** Of those, outputs generated for another version of their probe, kept by --allow-stale. */
  keptStale: number;
  /** Lines outputs.jsonl held before the run (0: a fresh run). */
  found: number;
  /** A final line cut by a crash was dropped. */
  droppedCutLine: boolean;
}

function realOrResolved(file: string): string {
  const resolved = path.resolve(file);
  try {
    return realpathSync(resolved);
  } catch {
    try {
      return path.join(realpathSync(path.dirname(resolved)), path.basename(resolved));
    } catch {
      return resolved;
    }
  }
}

export function samePath(a: string, b: string): boolean {
  return realOrResolved(a) === realOrResolved(b);
}

/**
 * Checks that a report may be written into `dir` (score, gate): the directory
 * is new, or it is the folder of what is being reported on (`own`: the outputs
 * file scored, or the report gated), or it holds only a report of the same
 * outputs file. A directory holding another run is refused.
 */
export function claimReportDir(dir: string, own: { outputsFile?: string; reportFile?: string; outputsOf: string | null }): void {
  const files = runDirFiles(dir);
  const present = presentRunFiles(dir);
  if (present.length === 0) return;
  refuseLocked(files);
  if (own.outputsFile !== undefined && present.includes("outputs.jsonl") && samePath(files.outputs, own.outputsFile)) return;
  if (own.reportFile !== undefined && present.includes("report.json") && samePath(files.report, own.reportFile)) return;
  if (!present.includes("outputs.jsonl") && !present.includes("run.json") && present.includes("report.json") && own.outputsOf !== null) {
    let earlier: unknown;
    try {
      earlier = (JSON.parse(readFileSync(files.report, "utf8")) as { manifest?: { outputs_file?: unknown } }).manifest?.outputs_file;
    } catch {
      earlier = undefined;
    }
    if (typeof earlier === "string" && samePath(earlier, own.outputsOf)) return;
  }
  throw new InputError(`holds ${present.join(", ")} of another run or report; choose another --out`, { file: dir });
}

/**
 * Refuses a --junit path that would overwrite a run file of `runDirs` or any
 * existing file that is not JUnit XML (a suite, an outputs file, a report).
 */
export function assertJunitPath(junit: string, runDirs: string[]): void {
  for (const dir of runDirs) {
    const files = runDirFiles(dir);
    for (const file of [files.outputs, files.identity, files.report, files.html, files.lock]) {
      if (samePath(junit, file)) throw new InputError(`--junit would overwrite the run's own ${path.basename(file)}; choose another path`, { file: junit });
    }
  }
  let head: string;
  try {
    const fd = openSync(junit, "r");
    try {
      const buffer = Buffer.alloc(512);
      head = buffer.toString("utf8", 0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return; // absent (or a directory, which assertWritable reports)
  }
  if (!/^\s*<\?xml[^>]*\?>\s*<testsuites\b/.test(head)) {
    throw new InputError("--junit would overwrite a file that is not JUnit XML; choose another path", { file: junit });
  }
}
