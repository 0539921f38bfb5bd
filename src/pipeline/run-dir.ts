/**
 * A run directory: outputs.jsonl, run.json (what produced the outputs), the
 * report, and a lock while a run writes into it. Rerunning into the same
 * directory with the same model and settings resumes; anything else is refused.
 */
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { readOutputs } from "../outputs/jsonl.js";
import type { OutputLine } from "../outputs/types.js";
import { writeFileAtomic } from "../util/atomic.js";
import { folderStamp } from "../util/time.js";

export interface RunIdentity {
  model_sha256: string;
  /** Run-level settings that change outputs beyond what probe hashes cover. */
  settings: Record<string, unknown>;
}

export interface RunDirFiles {
  dir: string;
  outputs: string;
  identity: string;
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
    lock: path.join(dir, ".lock"),
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the directory's lock; a lock left by a dead process is taken over. Returns the release function. */
export function lockRunDir(files: RunDirFiles): () => void {
  mkdirSync(files.dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(files.lock, String(process.pid), { flag: "wx" });
      return () => {
        try {
          unlinkSync(files.lock);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(files.lock, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new InputError(`another bonsai-eval run (pid ${holder}) is writing into this directory; use another --out`, { file: files.dir });
      }
      unlinkSync(files.lock);
    }
  }
  throw new InputError("cannot lock the run directory", { file: files.dir });
}

/** Identifies one output: a probe and a sample. */
export function outputKey(suite: string, id: string, sample: number): string {
  return `${suite}\u0000${id}\u0000${sample}`;
}

/**
 * Outputs already finished in this directory by the same model and settings,
 * keyed by outputKey. Throws when the directory holds another model's outputs.
 */
export function resumableOutputs(files: RunDirFiles, identity: RunIdentity): Map<string, OutputLine> {
  const done = new Map<string, OutputLine>();
  if (!existsSync(files.outputs)) return done;
  const { lines } = readOutputs(files.outputs);
  if (lines.length === 0) return done;
  const previous = readIdentity(files);
  if (!previous || previous.model_sha256 !== identity.model_sha256 || JSON.stringify(previous.settings) !== JSON.stringify(identity.settings)) {
    throw new InputError(
      "this directory holds outputs from another model or other run settings; choose another --out (or delete it to start over)",
      { file: files.dir },
    );
  }
  for (const line of lines) {
    if (line.stop_reason === "aborted") continue;
    done.set(outputKey(line.suite, line.id, line.sample ?? 0), line);
  }
  return done;
}

/** The identity a run directory records (run.json); null when it has none or it cannot be read. */
export function readIdentity(files: RunDirFiles): RunIdentity | null {
  try {
    return JSON.parse(readFileSync(files.identity, "utf8")) as RunIdentity;
  } catch {
    return null;
  }
}

export function writeIdentity(files: RunDirFiles, identity: RunIdentity): void {
  writeFileAtomic(files.identity, JSON.stringify(identity, null, 2) + "\n");
}

/** Rewrites outputs.jsonl with only `lines` (atomically), dropping stale or unfinished ones before a resume. */
export function compactOutputs(files: RunDirFiles, lines: OutputLine[]): void {
  writeFileAtomic(files.outputs, lines.map((line) => JSON.stringify(line) + "\n").join(""));
}
