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
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { InputError } from "../errors.js";
import type { StopReason } from "../outputs/types.js";

export type GpuChoice = "auto" | "cuda" | "cpu";

export interface EngineOptions {
  modelPath: string;
  gpu: GpuChoice;
  /** CPU threads; chosen from the model size and cores when absent. */
  threads?: number;
}

export interface HardwareInfo {
  gpu: string | false;
  gpu_devices: string[];
  vram_total_bytes: number | null;
  cpu_model: string;
  cpu_cores: number;
  memory_bytes: number;
  threads: number;
  threads_reason: string;
}

export interface RuntimeInfo {
  node: string;
  node_llama_cpp: string;
  llama_cpp: string;
  platform: string;
  arch: string;
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

/** Models below this size run fastest on one thread: llama.cpp's thread sync costs more than their matrices. */
const SMALL_MODEL_BYTES = 64 * 1024 * 1024;

export function chooseThreads(modelBytes: number, requested: number | undefined, gpu: string | false): { threads: number; reason: string } {
  if (requested !== undefined) return { threads: requested, reason: "--threads" };
  const cores = os.availableParallelism();
  if (gpu) return { threads: Math.min(4, cores), reason: "GPU run: a few threads feed the GPU" };
  if (modelBytes < SMALL_MODEL_BYTES) return { threads: 1, reason: "tiny model: one thread avoids llama.cpp's spin-wait overhead" };
  return { threads: cores, reason: `CPU run: one thread per core (${cores})` };
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
      const what = options.gpu === "cuda" ? "CUDA cannot be used" : "no usable llama.cpp binary";
      throw new InputError(`${what}: ${(error as Error).message.split("\n")[0]}`, { field: "--gpu" });
    }
    const gpu = llama.gpu;
    const { threads, reason } = chooseThreads(modelBytes, options.threads, gpu);
    llama.maxThreads = threads;

    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: gpu ? "auto" : 0 });
    } catch (error) {
      await llama.dispose();
      const detail = warnings.at(-1) ?? (error as Error).message.split("\n")[0];
      throw new InputError(`llama.cpp cannot load the model: ${detail}`, { file: options.modelPath });
    }
    const vram = gpu ? await llama.getVramState().catch(() => null) : null;
    const hardware: HardwareInfo = {
      gpu,
      gpu_devices: gpu ? await llama.getGpuDeviceNames().catch(() => []) : [],
      vram_total_bytes: vram ? vram.total : null,
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
   * Runs every job over `parallel` sequences of one context. A sequence takes
   * the next job as soon as it finishes one, so long and short outputs mix.
   */
  async generate(jobs: GenerationJob[], options: GenerateOptions): Promise<{ contextSize: number }> {
    if (jobs.length === 0) return { contextSize: 0 };
    const parallel = Math.max(1, Math.min(options.parallel, jobs.length));
    const needed = Math.max(...jobs.map((job) => job.tokens.length + job.maxTokens));
    const contextSize = Math.min(this.trainContextSize, Math.ceil(needed / 256) * 256);
    await this.context?.dispose();
    this.context = await this.model.createContext({
      sequences: parallel,
      contextSize,
      threads: this.hardware.threads,
      batchSize: Math.min(2048, contextSize),
    });
    const context = this.context;
    let next = 0;
    const worker = async () => {
      const sequence = context.getSequence();
      try {
        while (!options.signal?.aborted) {
          const job = jobs[next++];
          if (!job) break;
          const result = await this.runJob(sequence, job, contextSize, options.signal);
          if (result.stop_reason === "aborted") break;
          options.onResult(result);
        }
      } finally {
        sequence.dispose();
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return { contextSize };
  }

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
    await sequence.clearHistory();
    const budget = Math.min(job.maxTokens, contextSize - job.tokens.length);
    const maxStopBytes = Math.max(0, ...job.stop.map((stop) => Buffer.byteLength(stop)));
    const output: Token[] = [];
    let stopReason: StopReason = "eog";
    let stopString: string | undefined;
    let firstTokenMs: number | null = null;

    const iterator = sequence.evaluate(job.tokens, {
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
        const tail = this.model.detokenize(output.slice(-(maxStopBytes + 1)), false);
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

    let text = this.model.detokenize(output, false);
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

function endsWith(tokens: Token[], suffix: Token[]): boolean {
  if (suffix.length === 0 || suffix.length > tokens.length) return false;
  for (let i = 1; i <= suffix.length; i++) if (tokens[tokens.length - i] !== suffix[suffix.length - i]) return false;
  return true;
}
