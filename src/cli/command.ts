/** Shared pieces of the commands: the Command shape, flags and defaults they all use. */
import { CheckRegistry, registerCheckModule } from "../checks/registry.js";
import { defaultCacheDir } from "../pipeline/cache.js";
import { packagePath } from "../util/paths.js";
import { choiceOption, intOption } from "./args.js";
import { ExitCode } from "./exit-code.js";

export interface Command {
  summary: string;
  help: string;
  run(argv: string[]): Promise<ExitCode>;
}

export const DEFAULT_SUITES = packagePath("suites");

export const CHECKS_FLAG_HELP = `  --checks FILE         an ES module whose default export is a check definition (or an array); repeatable`;

/** The flags of a command that loads a model: where it runs, and the generation cache it reads and writes. */
export const ENGINE_FLAGS = {
  gpu: { type: "string" },
  threads: { type: "string" },
  cache: { type: "string" },
  "no-cache": { type: "boolean" },
} as const;

/** Where a command's model runs and which generation cache it uses. */
export interface EngineOptions {
  /** `--gpu`: auto (CUDA when it loads, else CPU), cuda (required) or cpu. */
  gpu: "auto" | "cuda" | "cpu";
  /** `--threads`: CPU threads for the engine; undefined lets node-llama-cpp choose. */
  threads: number | undefined;
  /** The generation cache's folder; null with --no-cache. */
  cacheDir: string | null;
}

/** ENGINE_FLAGS as engine options; the cache is $BONSAI_CACHE, else ~/.cache/bonsai-eval, unless --cache or --no-cache. */
export function engineOptions(values: { gpu?: string; threads?: string; cache?: string; "no-cache"?: boolean }): EngineOptions {
  return {
    gpu: choiceOption(values.gpu, "--gpu", ["auto", "cuda", "cpu"] as const, "auto"),
    threads: intOption(values.threads, "--threads", { min: 1, max: 1024 }),
    cacheDir: values["no-cache"] ? null : (values.cache ?? defaultCacheDir()),
  };
}

export async function registryWith(modules: string[] | undefined): Promise<CheckRegistry> {
  const registry = new CheckRegistry();
  for (const file of modules ?? []) await registerCheckModule(registry, file);
  return registry;
}

export function printHelp(text: string): ExitCode {
  process.stdout.write(text);
  return ExitCode.Ok;
}
