/**
 * Fitting a context into memory: as many of the requested sequences as fit. On a
 * GPU the parallelism is first cut to what node-llama-cpp estimates fits in free
 * VRAM next to the model; if creating the context still runs out of memory, it is
 * retried with half the sequences. Every choice is recorded in the manifest.
 */
import type { LlamaContext } from "node-llama-cpp";
import type { ContextFit } from "../format/manifest.js";
import { firstLine, isOutOfMemory } from "./llama-errors.js";
import type { LoadedModel } from "./load.js";

/** Contexts are sized in steps of this many tokens, never smaller. */
const CONTEXT_STEP = 256;

/** llama.cpp's batch: the whole context when it is small, 2048 tokens at most. */
function batchSize(contextSize: number): number {
  return Math.min(2048, contextSize);
}

/** The context size for jobs needing `needed` tokens each, within what the model was trained on. */
export function contextSizeFor(needed: number, trainContextSize: number): number {
  return Math.max(CONTEXT_STEP, Math.min(trainContextSize, Math.ceil(needed / CONTEXT_STEP) * CONTEXT_STEP));
}

/** A context of `contextSize` tokens with up to `requested` sequences; the fit is appended to `loaded.hardware.contexts`. */
export async function fitContext(loaded: LoadedModel, requested: number, contextSize: number): Promise<LlamaContext> {
  const fit: ContextFit = { requested_sequences: requested, sequences: requested, context_size: contextSize, estimated_vram_bytes: null, retries: [] };
  if (loaded.hardware.gpu) {
    fit.sequences = await sequencesInFreeVram(loaded, requested, contextSize);
    fit.estimated_vram_bytes = await estimateVram(loaded, fit.sequences, contextSize);
  }
  const context = await createHalvingOnOutOfMemory(loaded, fit);
  loaded.hardware.contexts.push(fit);
  if (loaded.hardware.gpu) loaded.hardware.vram_used_bytes = (await loaded.llama.getVramState()).used;
  return context;
}

/** node-llama-cpp's estimate of a context's VRAM next to the model's offloaded layers. */
async function estimateVram({ model }: LoadedModel, sequences: number, contextSize: number): Promise<number> {
  const estimate = await model.fileInsights.estimateContextResourceRequirementsV2({
    contextSize,
    modelGpuLayers: model.gpuLayers,
    sequences,
    batchSize: batchSize(contextSize),
  });
  return estimate.gpuVram;
}

/** Halves the sequences until their estimate fits the free VRAM, or the VRAM budget left when one is set. */
async function sequencesInFreeVram(loaded: LoadedModel, requested: number, contextSize: number): Promise<number> {
  const vram = await loaded.llama.getVramState();
  const budget = loaded.hardware.vram_budget_bytes;
  const free = budget === null ? vram.free : Math.max(0, Math.min(vram.free, budget - vram.used));
  let sequences = requested;
  while (sequences > 1 && (await estimateVram(loaded, sequences, contextSize)) > free) sequences = Math.max(1, Math.floor(sequences / 2));
  return sequences;
}

/** Creates the context with `fit.sequences`, halving them after each out-of-memory failure (recorded in `fit.retries`). */
async function createHalvingOnOutOfMemory({ model, hardware }: LoadedModel, fit: ContextFit): Promise<LlamaContext> {
  for (;;) {
    try {
      return await model.createContext({ sequences: fit.sequences, contextSize: fit.context_size, threads: hardware.threads, batchSize: batchSize(fit.context_size) });
    } catch (error) {
      if (!isOutOfMemory(error) || fit.sequences === 1) throw error;
      fit.retries.push({ sequences: fit.sequences, error: firstLine(error) });
      fit.sequences = Math.max(1, Math.floor(fit.sequences / 2));
    }
  }
}
