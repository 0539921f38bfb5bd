/**
 * `BONSAI_MODEL=… npm test`: the evaluation of a checkpoint as Vitest tests.
 * Its settings come from environment variables, read and checked here.
 */
import { InputError } from "../errors.js";
import { checkRunLabel } from "../format/report-file.js";
import type { GpuChoice } from "../runner/engine.js";
import { packagePath } from "../util/paths.js";
import { defaultCacheDir } from "./cache.js";
import { judgeSetting, type JudgeSetting } from "./judge-setting.js";
import { defaultRunDir } from "./run-dir.js";

export interface CheckpointConfig {
  model: string;
  suites: string[];
  policy: string | undefined;
  baseline: string | undefined;
  outDir: string;
  gpu: GpuChoice;
  /** BONSAI_PARALLEL: a number of sequences, or "auto" (as `run --parallel auto`). */
  parallel: number | "auto" | undefined;
  threads: number | undefined;
  template: string | undefined;
  /** BONSAI_LABEL: the round's name (as `run --label`). */
  label: string | undefined;
  junit: string | undefined;
  cacheDir: string | null;
  /** BONSAI_JUDGE_MODEL (a GGUF file, or self) and BONSAI_JUDGE_TEMPLATE: the judge of judge checks, as `run --judge-model`. */
  judge: JudgeSetting | undefined;
}

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
  const cache = env.BONSAI_CACHE;
  return {
    model,
    suites: env.BONSAI_SUITES ? env.BONSAI_SUITES.split(",").map((each) => each.trim()).filter(Boolean) : [packagePath("suites")],
    policy: env.BONSAI_POLICY || undefined,
    baseline: env.BONSAI_BASELINE || undefined,
    outDir: env.BONSAI_OUT || defaultRunDir(model),
    gpu,
    parallel: env.BONSAI_PARALLEL === "auto" ? "auto" : integer(env, "BONSAI_PARALLEL"),
    threads: integer(env, "BONSAI_THREADS"),
    template: env.BONSAI_TEMPLATE || undefined,
    label: env.BONSAI_LABEL ? checkRunLabel(env.BONSAI_LABEL, "BONSAI_LABEL") : undefined,
    junit: env.BONSAI_JUNIT || undefined,
    cacheDir: cache === "off" ? null : defaultCacheDir(env),
    judge: judgeSetting(null, env),
  };
}
