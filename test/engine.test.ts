/**
 * The engine's lifecycle on the fixture model, in-process: `await using` releases
 * the context, the model and the llama.cpp binding when the block ends, however it
 * ends; a context too large for memory is reported as running out of memory.
 */
import { describe, expect, it } from "vitest";
import { InsufficientMemoryError } from "node-llama-cpp";
import { inspectModelFile } from "../src/runner/model-file.js";
import { Engine, type GenerationResult } from "../src/runner/engine.js";
import { fitContext } from "../src/runner/context.js";
import { isOutOfMemory } from "../src/runner/llama-errors.js";
import { loadLlamaModel, type EngineOptions } from "../src/runner/load.js";
import { FIXTURE_MODEL } from "./helpers.js";

async function fixtureOptions(): Promise<EngineOptions> {
  const { info, sizeBytes } = await inspectModelFile(FIXTURE_MODEL);
  return { modelPath: FIXTURE_MODEL, modelInfo: info, modelBytes: sizeBytes, gpu: "cpu", threads: 1 };
}

describe("Engine", () => {
  it("is released by `await using` when its block throws, and disposing it again does nothing", async () => {
    let held: Engine | null = null;
    const results: GenerationResult[] = [];
    const block = async () => {
      await using engine = await Engine.load(await fixtureOptions());
      held = engine;
      const tokens = engine.model.tokenize("Say one word.", false);
      await engine.generate([{ key: "one", tokens, endOfTurn: [], maxTokens: 4, stop: [], temperature: 0, seed: 1 }], {
        parallel: 1,
        onResult: (result) => results.push(result),
      });
      throw new Error("the block failed after generating");
    };
    await expect(block()).rejects.toThrow("the block failed after generating");
    expect(results.map((result) => result.key)).toEqual(["one"]);
    expect(results[0]!.output_tokens).toBeGreaterThan(0);
    const engine = held! as Engine;
    expect(engine.disposed).toBe(true);
    expect(engine.model.disposed).toBe(true);
    expect(engine.llama.disposed).toBe(true);
    await expect(engine.dispose()).resolves.toBeUndefined();
  });

  it("records one context fit per context created, each replacing the last", async () => {
    await using engine = await Engine.load(await fixtureOptions());
    const tokens = engine.model.tokenize("Say one word.", false);
    const job = { key: "one", tokens, endOfTurn: [], maxTokens: 2, stop: [], temperature: 0, seed: 1 };
    await engine.generate([job, { ...job, key: "two" }], { parallel: 4, onResult: () => undefined });
    await engine.scoreLikelihood([{ kind: "perplexity", key: "text", tokens: engine.textTokens("One two three.").tokens }], {
      parallel: 4,
      window: 64,
      onResult: () => undefined,
    });
    expect(engine.hardware.contexts).toEqual([
      { requested_sequences: 2, sequences: 2, context_size: 256, estimated_vram_bytes: null, retries: [] },
      { requested_sequences: 1, sequences: 1, context_size: 256, estimated_vram_bytes: null, retries: [] },
    ]);
  });
});

describe("running out of memory", () => {
  it("is what a context too large for the machine fails with, after halving the sequences down to one", { timeout: 120_000 }, async () => {
    const loaded = await loadLlamaModel(await fixtureOptions());
    try {
      // 32M tokens: node-llama-cpp estimates ~146 GB of RAM for the cache with one sequence, more with two
      // (its estimate takes seconds at this size; much larger sizes overflow it).
      const failure = await fitContext(loaded, 2, 2 ** 25).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InsufficientMemoryError);
      expect(isOutOfMemory(failure)).toBe(true);
      expect((failure as Error).message).toMatch(/^A context size of 33554432 is too large/); // the last attempt had one sequence
      expect(loaded.hardware.contexts).toEqual([]);
    } finally {
      await loaded.model.dispose();
      await loaded.llama.dispose();
    }
  });

  it("is read from llama.cpp's own words when the thrown error does not say it", () => {
    const thrown = new Error("Failed to load model");
    expect(isOutOfMemory(thrown)).toBe(false);
    expect(isOutOfMemory(thrown, "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 812.00 MiB on device 0: cudaMalloc failed: out of memory")).toBe(true);
    expect(isOutOfMemory(thrown, "llama_model_load: error loading model: unknown model architecture: 'bonsai'")).toBe(false);
  });
});
