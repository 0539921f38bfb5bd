/**
 * The generation cache: one file per generation, keyed by the model's sha256,
 * the exact prompt tokens and every setting that changes the output. A rerun
 * after a suite edit regenerates only the probes whose key changed. Entries
 * carry a checksum; a damaged entry is detected, ignored and rewritten. The
 * cache is disposable: when it cannot be read or written (a read-only disk, a
 * file where its folder should be, a full disk) the run warns once and goes on
 * without it.
 */
import { mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sha256, stableStringify } from "../util/json.js";
import { writeFileAtomic } from "../util/atomic.js";
import type { Engine, GenerationJob, GenerationResult } from "../runner/engine.js";
import { visibleControls } from "../util/untrusted-text.js";

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

  /** Why the cache stopped being used (no more reads or writes); null while it works. */
  private disabled: string | null = null;

  constructor(
    readonly dir: string,
    private readonly modelSha256: string,
    private readonly warn: (message: string) => void = (message) => process.stderr.write(`bonsai-eval: ${visibleControls(message)}\n`),
  ) {}

  private disable(error: unknown): void {
    if (this.disabled !== null) return;
    const { code, message } = error as NodeJS.ErrnoException;
    this.disabled = code ?? message;
    this.warn(`generation cache ${this.dir} cannot be used: ${this.disabled}; running without it`);
  }

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
        // Only constrained jobs carry it, so the keys of free generations stay as they were.
        ...(job.jsonSchema ? { json_schema: job.jsonSchema } : {}),
      }),
    );
  }

  private file(key: string): string {
    return path.join(this.dir, this.modelSha256.slice(0, 16), key.slice(0, 2), `${key}.json`);
  }

  get(job: GenerationJob): CachedGeneration | null {
    if (this.disabled !== null) return null;
    const key = this.key(job);
    let text: string;
    try {
      text = readFileSync(this.file(key), "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // EISDIR: an entry that is a folder is damaged like one that does not parse.
      if (code === "EISDIR") this.damaged++;
      else if (code !== "ENOENT") this.disable(error);
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
    if (this.disabled !== null || result.stop_reason === "aborted" || result.stop_reason === "error") return;
    const key = this.key(job);
    const { key: _jobKey, ...stored } = result;
    const entry: Entry = { key, result: stored, checksum: sha256(stableStringify(stored)) };
    const file = this.file(key);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, JSON.stringify(entry), { durable: false });
    } catch (error) {
      this.disable(error);
    }
  }
}

export interface CachedGenerateOptions<J extends GenerationJob> {
  parallel: number;
  signal?: AbortSignal;
  /** Called as each job finishes: hits first, then generations in completion order. */
  onResult(job: J, result: GenerationResult, cached: boolean): void;
}

/**
 * Generation through the cache: each job is looked up before the engine sees
 * it, a hit is served as it was stored, and a generated result is stored as it
 * arrives. Without a cache every job goes to the engine.
 */
export class CachedGenerator {
  constructor(
    private readonly engine: Pick<Engine, "generate">,
    readonly cache: GenerationCache | null,
  ) {}

  async generate<J extends GenerationJob>(jobs: J[], options: CachedGenerateOptions<J>): Promise<{ contextSize: number }> {
    const misses: J[] = [];
    for (const job of jobs) {
      const hit = this.cache?.get(job) ?? null;
      if (hit) options.onResult(job, { ...hit, key: job.key }, true);
      else misses.push(job);
    }
    const byKey = new Map(misses.map((job) => [job.key, job]));
    return this.engine.generate(misses, {
      parallel: options.parallel,
      signal: options.signal,
      onResult: (result) => {
        const job = byKey.get(result.key)!;
        this.cache?.put(job, result);
        options.onResult(job, result, false);
      },
    });
  }
}
