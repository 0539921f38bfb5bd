/**
 * `BONSAI_MODEL=… npm test`: the evaluation of a checkpoint as Vitest tests.
 * Its settings come from environment variables, read and checked here.
 */
import path from "node:path";
import { InputError } from "../errors.js";
import type { GpuChoice } from "../runner/engine.js";
import { packagePath } from "../util/paths.js";
import { defaultCacheDir } from "./cache.js";

export interface CheckpointConfig {
  model: string;
  suites: string[];
  policy: string | undefined;
  baseline: string | undefined;
  outDir: string;
  gpu: GpuChoice;
  parallel: number | undefined;
  threads: number | undefined;
  template: string | undefined;
  junit: string | undefined;
  cacheDir: string | null;
}

/** Environment variables that configure a checkpoint evaluation, for the README and errors. */
export const CHECKPOINT_ENV = {
  BONSAI_MODEL: "the GGUF to evaluate (required; without it npm test runs the project's own tests)",
  BONSAI_SUITES: "suite files or folders, separated by commas (default: the bundled suites/)",
  BONSAI_POLICY: "gate policy YAML; adds a test for the gate verdict",
  BONSAI_BASELINE: "the previous round's report.json or run folder, for the policy's baseline rules",
  BONSAI_OUT: "run directory (default: reports/<model>-<time>)",
  BONSAI_GPU: "auto | cuda | cpu (default auto)",
  BONSAI_PARALLEL: "parallel sequences",
  BONSAI_THREADS: "CPU threads",
  BONSAI_TEMPLATE: "override every probe's template",
  BONSAI_JUNIT: "also write JUnit XML here",
  BONSAI_CACHE: "generation cache folder, or `off` (default ~/.cache/bonsai-eval)",
} as const;

function integer(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InputError(`${name} must be a positive integer, got "${value}"`, { field: name });
  return Number(value);
}

export function checkpointConfig(env: NodeJS.ProcessEnv = process.env): CheckpointConfig {
  const model = env.BONSAI_MODEL;
  if (!model) throw new InputError("BONSAI_MODEL is not set", { field: "BONSAI_MODEL" });
  const gpu = (env.BONSAI_GPU || "auto") as GpuChoice;
  if (!["auto", "cuda", "cpu"].includes(gpu)) throw new InputError(`BONSAI_GPU must be auto, cuda or cpu, got "${gpu}"`, { field: "BONSAI_GPU" });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "").replace("T", "-");
  const cache = env.BONSAI_CACHE;
  return {
    model,
    suites: env.BONSAI_SUITES ? env.BONSAI_SUITES.split(",").map((each) => each.trim()).filter(Boolean) : [packagePath("suites")],
    policy: env.BONSAI_POLICY || undefined,
    baseline: env.BONSAI_BASELINE || undefined,
    outDir: env.BONSAI_OUT || path.join("reports", `${path.basename(model).replace(/\.gguf$/i, "")}-${stamp}`),
    gpu,
    parallel: integer(env, "BONSAI_PARALLEL"),
    threads: integer(env, "BONSAI_THREADS"),
    template: env.BONSAI_TEMPLATE || undefined,
    junit: env.BONSAI_JUNIT || undefined,
    cacheDir: cache === "off" ? null : defaultCacheDir(env),
  };
}
