/**
 * The generation step of a run: the pending jobs go through the cache and the
 * engine, and every finished job is appended to outputs.jsonl at once, so a
 * crash or a signal loses only the jobs in flight.
 */
import { OutputsWriter } from "../format/outputs-file.js";
import type { OutputLine } from "../format/outputs.js";
import type { Engine } from "../runner/engine.js";
import { CachedGenerator, type GenerationCache } from "./cache.js";
import type { RunEvents } from "./events.js";
import { generationLine, likelihoodLine, type Plan } from "./jobs.js";

/** Longest window a perplexity text is read in; longer texts slide by half a window. */
const PERPLEXITY_WINDOW = 2048;

export interface GenerateStepOptions {
  engine: Engine;
  cache: GenerationCache | null;
  outputsFile: string;
  parallel: number;
  events: RunEvents;
  signal?: AbortSignal;
}

export interface Generated {
  /** The largest context the engine made (0 when nothing ran on it). */
  contextSize: number;
  /** Tokens the engine generated (cache hits not counted). */
  generatedTokens: number;
  generationMs: number;
}

export async function generatePending(pending: Plan, options: GenerateStepOptions): Promise<Generated> {
  const { engine, events } = options;
  const start = performance.now();
  let generatedTokens = 0;
  events.generationStarted(pending.generation.length + pending.likelihood.length);
  try {
    using recorder = new OutputsRecorder(options.outputsFile, events, options.signal);
    const generated = await new CachedGenerator(engine, options.cache).generate(pending.generation, {
      parallel: options.parallel,
      signal: recorder.signal,
      onResult(job, result, cached) {
        if (!cached) generatedTokens += result.output_tokens;
        recorder.record(generationLine(job, result, cached));
      },
    });
    const likelihoodJobs = new Map(pending.likelihood.map((job) => [job.key, job]));
    const scored = await engine.scoreLikelihood(pending.likelihood, {
      parallel: options.parallel,
      window: PERPLEXITY_WINDOW,
      signal: recorder.signal,
      onResult(result) {
        recorder.record(likelihoodLine(likelihoodJobs.get(result.key)!, result));
      },
    });
    recorder.throwIfFailed();
    return { contextSize: Math.max(generated.contextSize, scored.contextSize), generatedTokens, generationMs: performance.now() - start };
  } finally {
    events.generationEnded();
  }
}

/**
 * Appends each output line and announces it. A failed append (a full disk)
 * stops the engine through `signal`; the error is thrown once generation has
 * wound down, and no line is written after it. Disposing closes the file.
 */
class OutputsRecorder implements Disposable {
  private readonly writer: OutputsWriter;
  private readonly stop = new AbortController();
  private failure: { error: unknown } | null = null;
  private readonly forwardAbort = () => this.stop.abort();

  constructor(
    file: string,
    private readonly events: RunEvents,
    private readonly runSignal: AbortSignal | undefined,
  ) {
    this.writer = new OutputsWriter(file);
    if (runSignal?.aborted) this.stop.abort();
    else runSignal?.addEventListener("abort", this.forwardAbort, { once: true });
  }

  /** Aborted by the run's signal or by a failed write. */
  get signal(): AbortSignal {
    return this.stop.signal;
  }

  record(line: OutputLine): void {
    if (this.failure !== null) return;
    try {
      this.writer.append(line);
    } catch (error) {
      this.failure = { error };
      this.stop.abort();
      return;
    }
    this.events.outputWritten(line);
  }

  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure.error;
  }

  [Symbol.dispose](): void {
    this.runSignal?.removeEventListener("abort", this.forwardAbort);
    this.writer.close();
  }
}
