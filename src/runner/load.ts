/**
 * Loading a model: the llama.cpp binding for the GPU asked for, the CPU threads,
 * the weights (offloading fewer layers after running out of memory), and the
 * hardware and runtime facts the manifest records about it.
 */
import os from "node:os";
import { getLlama, getModuleVersion, GgufInsights, LlamaLogLevel, type GgufFileInfo, type Llama, type LlamaModel } from "node-llama-cpp";
import { InputError } from "../errors.js";
import type { HardwareInfo, RuntimeInfo } from "../format/manifest.js";
import { explainBinaryLoadFailure } from "./binary-load.js";
import { firstLine, isOutOfMemory } from "./llama-errors.js";
import { assertComplete } from "./model-file.js";

export type GpuChoice = "auto" | "cuda" | "cpu";

export interface EngineOptions {
  modelPath: string;
  /** The file's GGUF header, read before the engine starts; checked for truncation before the weights load. */
  modelInfo: GgufFileInfo;
  /** The file's size: with the header, it shows a file cut short; it also sets the default threads. */
  modelBytes: number;
  gpu: GpuChoice;
  /** CPU threads; chosen from the model size and cores when absent. */
  threads?: number;
}

/** A loaded model and what the manifest says about where it runs. `hardware` grows as contexts are created. */
export interface LoadedModel {
  llama: Llama;
  model: LlamaModel;
  hardware: HardwareInfo;
  runtime: RuntimeInfo;
}

interface ThreadChoice {
  threads: number;
  reason: string;
}

/** Models below this size run fastest on one thread: llama.cpp's thread sync costs more than their matrices. */
const SMALL_MODEL_BYTES = 64 * 1024 * 1024;

export function chooseThreads(modelBytes: number, requested: number | undefined, gpu: string | false): ThreadChoice {
  if (requested !== undefined) return { threads: requested, reason: "--threads" };
  const cores = os.availableParallelism();
  if (gpu) return { threads: Math.min(4, cores), reason: "GPU run: a few threads feed the GPU" };
  if (modelBytes < SMALL_MODEL_BYTES) return { threads: 1, reason: "tiny model: one thread avoids llama.cpp's spin-wait overhead" };
  // Measured on a 2-core machine: a 53 MB model generated 4x slower with 2 threads than with 1 — llama.cpp's
  // threads spin-wait while the JavaScript thread that feeds them needs a core too.
  const threads = Math.max(1, cores - 1);
  return { threads, reason: `CPU run: one thread per core but one (${cores} cores), left for the thread that feeds llama.cpp` };
}

/** The binding, the checked file and its weights; whatever was loaded is released again when a later step fails. */
export async function loadLlamaModel(options: EngineOptions): Promise<LoadedModel> {
  const budget = vramBudget();
  const llamaErrors: string[] = [];
  const llama = await loadBinding(options, llamaErrors);
  const threads = chooseThreads(options.modelBytes, options.threads, llama.gpu);
  llama.maxThreads = threads.threads;
  let model: LlamaModel | null = null;
  try {
    await assertComplete(options.modelPath, options.modelInfo, options.modelBytes, llama);
    const loaded = await loadWeights(llama, options, llamaErrors);
    model = loaded.model;
    const hardware = await describeHardware(llama, model, { requestedGpu: options.gpu, vramBudget: budget, threads, loadRetries: loaded.retries });
    return { llama, model, hardware, runtime: await describeRuntime(llama) };
  } catch (error) {
    await model?.dispose();
    await llama.dispose();
    throw error;
  }
}

/**
 * getLlama for the GPU asked for, collecting llama.cpp's error logs into `llamaErrors`.
 * Threads depend on the GPU found, which getLlama finds: it starts with a provisional thread cap.
 */
async function loadBinding(options: EngineOptions, llamaErrors: string[]): Promise<Llama> {
  const provisional = chooseThreads(options.modelBytes, options.threads, options.gpu === "cpu" ? false : "unknown");
  try {
    return await getLlama({
      gpu: options.gpu === "cpu" ? false : options.gpu === "cuda" ? "cuda" : "auto",
      build: "never",
      maxThreads: provisional.threads,
      logLevel: LlamaLogLevel.error,
      logger(level, message) {
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) llamaErrors.push(message.trim());
      },
      progressLogs: false,
    });
  } catch (error) {
    const cuda = options.gpu === "cuda";
    const why = await explainBinaryLoadFailure(cuda, firstLine(error));
    throw new InputError(cuda ? `CUDA cannot be used: ${why}` : `cannot load llama.cpp: ${why}`, cuda ? { field: "--gpu" } : {});
  }
}

/**
 * On a GPU, node-llama-cpp offloads as many layers as it estimates fit; if loading still runs out
 * of memory, offload half as many, down to none, and record each attempt.
 */
async function loadWeights(llama: Llama, options: EngineOptions, llamaErrors: string[]): Promise<{ model: LlamaModel; retries: HardwareInfo["model_load_retries"] }> {
  const retries: HardwareInfo["model_load_retries"] = [];
  let gpuLayers: number | "auto" = llama.gpu ? "auto" : 0;
  for (;;) {
    try {
      return { model: await llama.loadModel({ modelPath: options.modelPath, gpuLayers }), retries };
    } catch (error) {
      // llama.cpp logs why a load failed; the thrown error often only says that it did.
      const message = llamaErrors.at(-1) ?? firstLine(error);
      if (!isOutOfMemory(error, message) || gpuLayers === 0) throw new InputError(`llama.cpp cannot load the model: ${message}`, { file: options.modelPath });
      retries.push({ gpu_layers: gpuLayers, error: message });
      const tried: number = gpuLayers === "auto" ? (await GgufInsights.from(options.modelInfo, llama)).totalLayers : gpuLayers;
      gpuLayers = Math.floor(tried / 2);
    }
  }
}

interface LoadFacts {
  requestedGpu: GpuChoice;
  vramBudget: number | null;
  threads: ThreadChoice;
  loadRetries: HardwareInfo["model_load_retries"];
}

async function describeHardware(llama: Llama, model: LlamaModel, facts: LoadFacts): Promise<HardwareInfo> {
  const gpu = llama.gpu;
  const vram = gpu ? await llama.getVramState().catch(() => null) : null;
  return {
    gpu,
    gpu_note: facts.requestedGpu === "auto" && !gpu ? "--gpu auto found no usable GPU (CUDA, Vulkan or Metal): running on the CPU" : null,
    gpu_devices: gpu ? await llama.getGpuDeviceNames().catch(() => []) : [],
    vram_total_bytes: vram ? vram.total : null,
    vram_used_bytes: vram ? vram.used : null,
    vram_budget_bytes: gpu ? facts.vramBudget : null,
    model_gpu_layers: model.gpuLayers,
    model_load_retries: facts.loadRetries,
    contexts: [],
    cpu_model: os.cpus()[0]?.model ?? "unknown",
    cpu_cores: os.availableParallelism(),
    memory_bytes: os.totalmem(),
    threads: facts.threads.threads,
    threads_reason: facts.threads.reason,
  };
}

async function describeRuntime(llama: Llama): Promise<RuntimeInfo> {
  return {
    node: process.version,
    node_llama_cpp: await getModuleVersion(),
    llama_cpp: llama.llamaCppRelease.release,
    platform: process.platform,
    arch: process.arch,
  };
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
