/**
 * The fixture model loaded in-process on the CPU (one thread), for tests that
 * drive node-llama-cpp directly: loaded before the file's tests, disposed after.
 */
import { afterAll, beforeAll } from "vitest";
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel } from "node-llama-cpp";
import { FIXTURE_MODEL } from "./helpers.js";

export interface FixtureContext {
  model: LlamaModel;
  context: LlamaContext;
}

export function useFixtureContext(options: { sequences: number; contextSize: number }): FixtureContext {
  let llama: Llama | undefined;
  const loaded = {} as FixtureContext;
  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: LlamaLogLevel.error });
    loaded.model = await llama.loadModel({ modelPath: FIXTURE_MODEL, gpuLayers: 0 });
    loaded.context = await loaded.model.createContext({ ...options, threads: 1 });
  });
  afterAll(async () => {
    await loaded.context?.dispose();
    await loaded.model?.dispose();
    await llama?.dispose();
  });
  return loaded;
}
