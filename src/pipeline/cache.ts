/**
 * The generation cache: one file per generation, keyed by the model's sha256,
 * the exact prompt tokens and every setting that changes the output. A rerun
 * after a suite edit regenerates only the probes whose key changed. Entries
 * carry a checksum; a damaged entry is detected, ignored and rewritten.
 */
import { mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sha256, stableStringify } from "../util/json.js";
import { writeFileAtomic } from "../util/atomic.js";
import type { GenerationJob, GenerationResult } from "../runner/engine.js";

export type CachedGeneration = Omit<GenerationResult, "key">;

interface Entry {
  key: string;
  result: CachedGeneration;
  checksum: string;
}

/** BONSAI_CACHE, else $XDG_CACHE_HOME/bonsai-eval, else ~/.cache/bonsai-eval. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BONSAI_CACHE) return env.BONSAI_CACHE;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "bonsai-eval");
}

export class GenerationCache {
  hits = 0;
  misses = 0;
  damaged = 0;

  constructor(
    readonly dir: string,
    private readonly modelSha256: string,
  ) {}

  /** A job's key is computed once: get() and put() both need it. */
  private readonly keys = new WeakMap<GenerationJob, string>();

  key(job: GenerationJob): string {
    let key = this.keys.get(job);
    if (key === undefined) {
      key = this.computeKey(job);
      this.keys.set(job, key);
    }
    return key;
  }

  private computeKey(job: GenerationJob): string {
    return sha256(
      stableStringify({
        model: this.modelSha256,
        tokens: job.tokens,
        endOfTurn: job.endOfTurn,
        maxTokens: job.maxTokens,
        stop: job.stop,
        temperature: job.temperature,
        seed: job.temperature > 0 ? job.seed : null,
        // Entries made before outputs were detokenized as the prompt's continuation lack an SPM answer's leading space.
        detokenization: "after-prompt",
      }),
    );
  }

  private file(key: string): string {
    return path.join(this.dir, this.modelSha256.slice(0, 16), key.slice(0, 2), `${key}.json`);
  }

  get(job: GenerationJob): CachedGeneration | null {
    const key = this.key(job);
    let text: string;
    try {
      text = readFileSync(this.file(key), "utf8");
    } catch {
      this.misses++;
      return null;
    }
    try {
      const entry = JSON.parse(text) as Entry;
      if (entry.key === key && entry.checksum === sha256(stableStringify(entry.result))) {
        this.hits++;
        return entry.result;
      }
    } catch {
      /* fall through: damaged */
    }
    this.damaged++;
    this.misses++;
    return null;
  }

  put(job: GenerationJob, result: GenerationResult): void {
    if (result.stop_reason === "aborted" || result.stop_reason === "error") return;
    const key = this.key(job);
    const { key: _jobKey, ...stored } = result;
    const entry: Entry = { key, result: stored, checksum: sha256(stableStringify(stored)) };
    const file = this.file(key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify(entry), { durable: false });
  }
}
