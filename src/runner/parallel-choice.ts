/**
 * `--parallel auto`: how many sequences a run generates on. On a GPU, as many as
 * fit in VRAM next to the model (the engine cuts the request to node-llama-cpp's
 * estimate, up to GPU_MAX_SEQUENCES). On the CPU, where more sequences can be
 * slower (llama.cpp's threads and the JavaScript thread share the cores), a
 * short measured ramp: the run's own first prompts, RAMP_TOKENS tokens each, at
 * 1, 2, 4, … sequences, until the rate stops rising; the fastest wins.
 */
import type { Engine, GenerationJob } from "./engine.js";
import type { ParallelChoice } from "../format/manifest.js";

const GPU_MAX_SEQUENCES = 32;
const CPU_MAX_SEQUENCES = 16;
const RAMP_TOKENS = 16;
/** A step this much slower than the best so far ends the ramp: the rate has peaked. */
const PEAKED = 0.95;

export async function chooseParallel(engine: Engine, jobs: GenerationJob[], signal?: AbortSignal): Promise<ParallelChoice> {
  if (engine.hardware.gpu) {
    const sequences = Math.max(1, Math.min(GPU_MAX_SEQUENCES, jobs.length));
    return {
      requested: "auto", sequences, ramp: [],
      reason: `GPU: ${sequences} sequences (one per probe, at most ${GPU_MAX_SEQUENCES}), cut to what fits in VRAM next to the model (hardware.contexts)`,
    };
  }
  if (jobs.length === 0) return { requested: "auto", sequences: 1, ramp: [], reason: "nothing to generate" };
  const ramp: ParallelChoice["ramp"] = [];
  const limit = Math.max(1, Math.min(CPU_MAX_SEQUENCES, jobs.length));
  for (let sequences = 1; sequences <= limit && !signal?.aborted; sequences *= 2) {
    const probes = jobs.slice(0, sequences).map((job) => ({ ...job, key: `ramp-${job.key}`, maxTokens: Math.min(job.maxTokens, RAMP_TOKENS) }));
    let generated = 0;
    // All the step's jobs start together on their own sequences: the slowest job's time is the step's,
    // from its prompt to its last token, without the context creation that a tiny job would be all about.
    let ms = 0;
    await engine.generate(probes, {
      parallel: sequences,
      signal,
      onResult(result) {
        generated += result.output_tokens;
        ms = Math.max(ms, result.time_ms);
      },
    });
    ms = Math.max(1, ms);
    const step = { sequences, generated_tokens: generated, ms, tokens_per_second: Math.round((generated / (ms / 1000)) * 10) / 10 };
    ramp.push(step);
    const best = Math.max(...ramp.map((each) => each.tokens_per_second));
    if (step.tokens_per_second < PEAKED * best) break;
  }
  if (ramp.length === 0) return { requested: "auto", sequences: 1, ramp, reason: "CPU: interrupted before the ramp measured anything" };
  const best = ramp.reduce((a, b) => (b.tokens_per_second > a.tokens_per_second ? b : a));
  return {
    requested: "auto",
    sequences: best.sequences,
    ramp,
    reason:
      `CPU: measured ramp of ${RAMP_TOKENS} tokens per sequence on the first prompts; ${best.sequences} generated fastest ` +
      `(${ramp.map((step) => `${step.sequences}: ${step.tokens_per_second} tok/s`).join(", ")})`,
  };
}
