/**
 * The generation engine: one Llama, one model and one context with N parallel
 * sequences per run. Greedy by default, repeat penalty explicitly off, a token
 * budget on every generation, no injected system prompt. Nothing outside
 * src/runner/ imports node-llama-cpp.
 */
import os from "node:os";
import {
  getLlama,
  getModuleVersion,
  GgufInsights,
  InsufficientMemoryError,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type GgufFileInfo,
  type Token,
} from "node-llama-cpp";
import { InputError } from "../errors.js";
import { explainBinaryLoadFailure } from "./binary-load.js";
import { scoreContinuations, scoreText } from "./likelihood.js";
import { assertComplete } from "./model-file.js";
import type { StopReason } from "../format/outputs.js";
import type { ContextFit, HardwareInfo, RuntimeInfo } from "../format/manifest.js";

export type GpuChoice = "auto" | "cuda" | "cpu";

export interface EngineOptions {
  modelPath: string;
  /** The file's GGUF header, read before the engine starts; checked for truncation before the weights load. */
  modelInfo: GgufFileInfo;
  gpu: GpuChoice;
  /** CPU threads; chosen from the model size and cores when absent. */
  threads?: number;
}

export interface GenerationJob {
  key: string;
  tokens: Token[];
  /** Token sequences that end the turn besides EOG tokens (from the chat template). */
  endOfTurn: Token[][];
  maxTokens: number;
  stop: string[];
  temperature: number;
  seed: number;
}

export interface GenerationResult {
  key: string;
  output: string;
  stop_reason: StopReason;
  stop_string?: string;
  prompt_tokens: number;
  output_tokens: number;
  time_ms: number;
  first_token_ms: number | null;
  trimmed_replacement_char: boolean;
  error?: string;
}

export type LikelihoodJob =
  | { kind: "choice"; key: string; context: Token[]; continuations: Token[][] }
  | { kind: "perplexity"; key: string; tokens: Token[] };

export interface LikelihoodResult {
  key: string;
  kind: "choice" | "perplexity";
  /** choice: per-token log-probabilities of each continuation. */
  choices?: number[][];
  /** perplexity: log-probability of every token after the first. */
  logprobs?: number[];
  windows: number;
  time_ms: number;
  error?: string;
}

export interface LikelihoodOptions {
  parallel: number;
  /** Longest window (tokens) a perplexity text is read in; longer texts slide by half a window. */
  window: number;
  onResult(result: LikelihoodResult): void;
  signal?: AbortSignal;
}

export interface GenerateOptions {
  parallel: number;
  /** Called as each job finishes, in completion order. */
  onResult(result: GenerationResult): void;
  signal?: AbortSignal;
}

/**
 * Repeat penalty explicitly off: penalty 1 over no tokens. The sequence API has
 * no `false`, and leaving it unset defers to the binding's default; a penalty
 * would hide the very repetition the harness measures.
 */
const NO_REPEAT_PENALTY = { punishTokens: [] as Token[], penalty: 1, frequencyPenalty: 0, presencePenalty: 0 };

/** Shared prompt prefixes shorter than this are evaluated again rather than kept. */
const MIN_REUSED_PREFIX = 32;

/** Models below this size run fastest on one thread: llama.cpp's thread sync costs more than their matrices. */
const SMALL_MODEL_BYTES = 64 * 1024 * 1024;

export function chooseThreads(modelBytes: number, requested: number | undefined, gpu: string | false): { threads: number; reason: string } {
  if (requested !== undefined) return { threads: requested, reason: "--threads" };
  const cores = os.availableParallelism();
  if (gpu) return { threads: Math.min(4, cores), reason: "GPU run: a few threads feed the GPU" };
  if (modelBytes < SMALL_MODEL_BYTES) return { threads: 1, reason: "tiny model: one thread avoids llama.cpp's spin-wait overhead" };
  // Measured on a 2-core machine: a 53 MB model generated 4x slower with 2 threads than with 1 — llama.cpp's
  // threads spin-wait while the JavaScript thread that feeds them needs a core too.
  const threads = Math.max(1, cores - 1);
  return { threads, reason: `CPU run: one thread per core but one (${cores} cores), left for the thread that feeds llama.cpp` };
}

export class Engine {
  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly hardware: HardwareInfo,
    readonly runtime: RuntimeInfo,
    private context: LlamaContext | null = null,
  ) {}

  static async open(options: EngineOptions, modelBytes: number): Promise<Engine> {
    const warnings: string[] = [];
    const logger = (level: LlamaLogLevel, message: string) => {
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) warnings.push(message.trim());
    };
    const budget = vramBudget();
    // Threads depend on the GPU found, which depends on getLlama: resolve the GPU first with a provisional thread cap.
    const provisional = chooseThreads(modelBytes, options.threads, options.gpu === "cpu" ? false : "unknown");
    let llama: Llama;
    try {
      llama = await getLlama({
        gpu: options.gpu === "cpu" ? false : options.gpu === "cuda" ? "cuda" : "auto",
        build: "never",
        maxThreads: provisional.threads,
        logLevel: LlamaLogLevel.error,
        logger,
        progressLogs: false,
      });
    } catch (error) {
      const cuda = options.gpu === "cuda";
      const why = await explainBinaryLoadFailure(cuda, (error as Error).message.split("\n")[0]!);
      throw new InputError(cuda ? `CUDA cannot be used: ${why}` : `cannot load llama.cpp: ${why}`, cuda ? { field: "--gpu" } : {});
    }
    const gpu = llama.gpu;
    const { threads, reason } = chooseThreads(modelBytes, options.threads, gpu);
    llama.maxThreads = threads;
    try {
      await assertComplete(options.modelPath, options.modelInfo, modelBytes, llama);
    } catch (error) {
      await llama.dispose();
      throw error;
    }

    // On a GPU, node-llama-cpp offloads as many layers as it estimates fit; if loading still runs out
    // of memory, offload half as many, down to none, and record each attempt.
    const loadRetries: Array<{ gpu_layers: number | "auto"; error: string }> = [];
    let gpuLayers: number | "auto" = gpu ? "auto" : 0;
    let model: LlamaModel | null = null;
    while (!model) {
      try {
        model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers });
      } catch (error) {
        const message = warnings.at(-1) ?? (error as Error).message.split("\n")[0]!;
        const outOfMemory = error instanceof InsufficientMemoryError || /memory|alloc|oom/i.test(message);
        if (!outOfMemory || gpuLayers === 0) {
          await llama.dispose();
          throw new InputError(`llama.cpp cannot load the model: ${message}`, { file: options.modelPath });
        }
        loadRetries.push({ gpu_layers: gpuLayers, error: message });
        const tried: number = gpuLayers === "auto" ? (await GgufInsights.from(options.modelInfo, llama)).totalLayers : gpuLayers;
        gpuLayers = Math.floor(tried / 2);
      }
    }
    const vram = gpu ? await llama.getVramState().catch(() => null) : null;
    const hardware: HardwareInfo = {
      gpu,
      gpu_note: options.gpu === "auto" && !gpu ? "--gpu auto found no usable GPU (CUDA, Vulkan or Metal): running on the CPU" : null,
      gpu_devices: gpu ? await llama.getGpuDeviceNames().catch(() => []) : [],
      vram_total_bytes: vram ? vram.total : null,
      vram_used_bytes: vram ? vram.used : null,
      vram_budget_bytes: gpu ? budget : null,
      model_gpu_layers: model.gpuLayers,
      model_load_retries: loadRetries,
      contexts: [],
      cpu_model: os.cpus()[0]?.model ?? "unknown",
      cpu_cores: os.availableParallelism(),
      memory_bytes: os.totalmem(),
      threads,
      threads_reason: reason,
    };
    const runtime: RuntimeInfo = {
      node: process.version,
      node_llama_cpp: await getModuleVersion(),
      llama_cpp: llama.llamaCppRelease.release,
      platform: process.platform,
      arch: process.arch,
    };
    return new Engine(llama, model, hardware, runtime);
  }

  get trainContextSize(): number {
    return this.model.trainContextSize;
  }

  tokenCount(text: string): number {
    return this.model.tokenize(text, false).length;
  }

  detokenize(tokens: Token[], specialTokens = false): string {
    return this.model.detokenize(tokens, specialTokens);
  }

  /**
   * A choice's tokens as a continuation of the prompt: tokenized on its own, with
   * no SPM space prefix added, so " toys" (delimiter included) is "▁toys" and
   * "富士山" stays unprefixed.
   */
  continuationTokens(text: string): Token[] {
    return this.model.tokenize(text, false, "trimLeadingSpace");
  }

  /** A text to score for perplexity, after BOS when the model uses one (the first token is never scored). */
  textTokens(text: string): { tokens: Token[]; scoredText: string } {
    const body = this.model.tokenize(text, false);
    const bos = this.model.tokens.shouldPrependBosToken ? this.model.tokens.bos : null;
    if (bos !== null) return { tokens: [bos, ...body], scoredText: text };
    return { tokens: body, scoredText: this.model.detokenize(body.slice(1), false) };
  }

  /**
   * Runs every job over `parallel` sequences of one context. A sequence takes
   * the next job as soon as it finishes one, so long and short outputs mix.
   */
  async generate(jobs: GenerationJob[], options: GenerateOptions): Promise<{ contextSize: number }> {
    if (jobs.length === 0) return { contextSize: 0 };
    const contextSize = this.contextSizeFor(Math.max(0, ...jobs.map((job) => job.tokens.length + job.maxTokens)));
    await this.onSequences(jobs, options.parallel, contextSize, options.signal, async (sequence, job) => {
      const result = await this.runJob(sequence, job, contextSize, options.signal);
      if (result.stop_reason !== "aborted") options.onResult(result);
      return result.stop_reason !== "aborted";
    });
    return { contextSize };
  }

  /** Scores likelihood jobs (multiple-choice continuations, perplexity texts) over parallel sequences. */
  async scoreLikelihood(jobs: LikelihoodJob[], options: LikelihoodOptions): Promise<{ contextSize: number }> {
    if (jobs.length === 0) return { contextSize: 0 };
    const longest = Math.max(0, ...jobs.map((job) => (job.kind === "choice" ? job.context.length + Math.max(...job.continuations.map((c) => c.length)) : job.tokens.length)));
    const contextSize = this.contextSizeFor(Math.min(longest, options.window));
    await this.onSequences(jobs, options.parallel, contextSize, options.signal, async (sequence, job) => {
      const started = performance.now();
      try {
        if (job.kind === "choice") {
          if (job.context.length + Math.max(...job.continuations.map((c) => c.length)) > contextSize) throw new Error("question and choice exceed the context");
          const logprobs = await scoreContinuations(sequence, job.context, job.continuations);
          options.onResult({ key: job.key, kind: "choice", choices: logprobs, windows: 1, time_ms: Math.round(performance.now() - started) });
        } else {
          const window = Math.min(contextSize, options.window);
          const { logprobs, windows } = await scoreText(sequence, job.tokens, window, Math.max(1, Math.floor(window / 2)));
          options.onResult({ key: job.key, kind: "perplexity", logprobs, windows, time_ms: Math.round(performance.now() - started) });
        }
      } catch (error) {
        options.onResult({ key: job.key, kind: job.kind, error: (error as Error).message, windows: 0, time_ms: Math.round(performance.now() - started) });
      }
      return true;
    });
    return { contextSize };
  }

  /**
   * A context with as many of the requested sequences as fit: on a GPU the
   * parallelism is first cut to what node-llama-cpp estimates fits in free VRAM
   * next to the model; if creating the context still runs out of memory, it is
   * retried with half the sequences. Every choice is recorded in the manifest.
   */
  private async createContext(requested: number, contextSize: number): Promise<LlamaContext> {
    await this.context?.dispose();
    this.context = null;
    const fit: ContextFit = { requested_sequences: requested, sequences: requested, context_size: contextSize, estimated_vram_bytes: null, retries: [] };
    const estimate = async (sequences: number) =>
      (await this.model.fileInsights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: this.model.gpuLayers, sequences, batchSize: Math.min(2048, contextSize) })).gpuVram;
    let sequences = requested;
    if (this.hardware.gpu) {
      const vram = await this.llama.getVramState();
      const budget = this.hardware.vram_budget_bytes;
      const free = budget === null ? vram.free : Math.max(0, Math.min(vram.free, budget - vram.used));
      while (sequences > 1 && (await estimate(sequences)) > free) sequences = Math.max(1, Math.floor(sequences / 2));
      fit.estimated_vram_bytes = await estimate(sequences);
    }
    for (;;) {
      try {
        this.context = await this.model.createContext({ sequences, contextSize, threads: this.hardware.threads, batchSize: Math.min(2048, contextSize) });
        break;
      } catch (error) {
        const message = (error as Error).message;
        const outOfMemory = error instanceof InsufficientMemoryError || /memory|alloc|oom/i.test(message);
        if (!outOfMemory || sequences === 1) throw error;
        fit.retries.push({ sequences, error: message.split("\n")[0]! });
        sequences = Math.max(1, Math.floor(sequences / 2));
      }
    }
    fit.sequences = sequences;
    this.hardware.contexts.push(fit);
    if (this.hardware.gpu) this.hardware.vram_used_bytes = (await this.llama.getVramState()).used;
    return this.context;
  }

  private contextSizeFor(needed: number): number {
    return Math.max(256, Math.min(this.trainContextSize, Math.ceil(needed / 256) * 256));
  }

  /** A context with `parallel` sequences; each sequence pulls the next job until none is left (or `work` says stop). */
  private async onSequences<J>(
    jobs: J[],
    parallel: number,
    contextSize: number,
    signal: AbortSignal | undefined,
    work: (sequence: LlamaContextSequence, job: J) => Promise<boolean>,
  ): Promise<void> {
    if (jobs.length === 0) return;
    const context = await this.createContext(Math.max(1, Math.min(parallel, jobs.length)), contextSize);
    const sequences = context.totalSequences;
    let next = 0;
    const worker = async () => {
      const sequence = context.getSequence();
      try {
        while (!signal?.aborted) {
          const job = jobs[next++];
          if (job === undefined || !(await work(sequence, job))) break;
        }
      } finally {
        sequence.dispose();
      }
    };
    await Promise.all(Array.from({ length: sequences }, worker));
  }

  /**
   * Keeps the part of the sequence's state that the new prompt shares with the
   * last one (a system prompt, few-shot examples) and erases the rest; returns
   * how many prompt tokens need no evaluation. Short shared prefixes (a chat
   * template's first tokens) are not worth it and are evaluated again, as is
   * at least the prompt's last token, whose logits start the generation.
   */
  private async reusePrefix(sequence: LlamaContextSequence, tokens: Token[]): Promise<number> {
    const previous = sequence.contextTokens;
    let shared = 0;
    const limit = Math.min(previous.length, tokens.length - 1);
    while (shared < limit && previous[shared] === tokens[shared]) shared++;
    if (shared < MIN_REUSED_PREFIX) {
      await sequence.clearHistory();
      return 0;
    }
    if (shared < previous.length) await sequence.eraseContextTokenRanges([{ start: shared, end: previous.length }]);
    this.reusedPromptTokens += shared;
    return shared;
  }

  /** Prompt tokens not evaluated again thanks to a shared prefix (for the manifest). */
  reusedPromptTokens = 0;

  private async runJob(
    sequence: LlamaContextSequence,
    job: GenerationJob,
    contextSize: number,
    signal: AbortSignal | undefined,
  ): Promise<GenerationResult> {
    const started = performance.now();
    const base = { key: job.key, prompt_tokens: job.tokens.length, trimmed_replacement_char: false };
    if (job.tokens.length >= contextSize) {
      return {
        ...base, output: "", stop_reason: "error", output_tokens: 0, time_ms: 0, first_token_ms: null,
        error: `prompt is ${job.tokens.length} tokens; the model's context holds ${contextSize}`,
      };
    }
    const reused = await this.reusePrefix(sequence, job.tokens);
    const budget = Math.min(job.maxTokens, contextSize - job.tokens.length);
    const maxStopBytes = Math.max(0, ...job.stop.map((stop) => Buffer.byteLength(stop)));
    const output: Token[] = [];
    let stopReason: StopReason = "eog";
    let stopString: string | undefined;
    let firstTokenMs: number | null = null;

    const iterator = sequence.evaluate(job.tokens.slice(reused), {
      temperature: job.temperature,
      seed: job.seed,
      repeatPenalty: NO_REPEAT_PENALTY,
    });
    for await (const token of iterator) {
      if (firstTokenMs === null) firstTokenMs = performance.now() - started;
      if (signal?.aborted) {
        stopReason = "aborted";
        break;
      }
      output.push(token);
      const turnEnd = job.endOfTurn.find((marker) => endsWith(output, marker));
      if (turnEnd) {
        output.length -= turnEnd.length;
        stopReason = "eog";
        break;
      }
      if (maxStopBytes > 0) {
        // Each token is at least one byte, so a just-completed stop string lies within the last maxStopBytes tokens.
        // Read as the recorded output reads, a continuation: at the start, " Q:" is the first piece's own space.
        const window = output.length - (maxStopBytes + 1);
        const tail = this.model.detokenize(output.slice(-(maxStopBytes + 1)), false, window > 0 ? output.slice(Math.max(0, window - 3), window) : job.tokens);
        const hit = job.stop.find((stop) => tail.includes(stop));
        if (hit !== undefined) {
          stopReason = "stop_string";
          stopString = hit;
          break;
        }
      }
      if (output.length >= budget) {
        stopReason = "max_tokens";
        break;
      }
    }

    // With the prompt's last tokens as context: an SPM model's first piece "▁he" is " he" after a prompt,
    // and detokenized alone it would lose that space.
    let text = this.model.detokenize(output, false, job.tokens);
    if (stopString !== undefined) text = text.slice(0, text.indexOf(stopString));
    let trimmed = false;
    if (stopReason !== "eog" && text.endsWith("\uFFFD")) {
      text = text.replace(/\uFFFD+$/u, "");
      trimmed = true;
    }
    return {
      ...base,
      output: text,
      stop_reason: stopReason,
      ...(stopString !== undefined ? { stop_string: stopString } : {}),
      output_tokens: output.length,
      time_ms: Math.round(performance.now() - started),
      first_token_ms: firstTokenMs === null ? null : Math.round(firstTokenMs),
      trimmed_replacement_char: trimmed,
    };
  }

  async dispose(): Promise<void> {
    await this.context?.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}

/** BONSAI_VRAM_BUDGET_BYTES as a positive integer; anything else is bad input. */
function vramBudget(): number | null {
  const value = process.env.BONSAI_VRAM_BUDGET_BYTES;
  if (value === undefined || value === "") return null;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new InputError(`BONSAI_VRAM_BUDGET_BYTES must be a positive number of bytes, got "${value}"`, { field: "BONSAI_VRAM_BUDGET_BYTES" });
  }
  return bytes;
}

function endsWith(tokens: Token[], suffix: Token[]): boolean {
  if (suffix.length === 0 || suffix.length > tokens.length) return false;
  for (let i = 1; i <= suffix.length; i++) if (tokens[tokens.length - i] !== suffix[suffix.length - i]) return false;
  return true;
}
