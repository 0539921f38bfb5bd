/**
 * llama.cpp's own `llama-batched-bench`, built from the llama.cpp source that
 * node-llama-cpp ships in its package (`llama/gitRelease.bundle`) and linked
 * against the very prebuilt CPU libraries the harness loads (libllama,
 * libllama-common, libggml), so both sides run the same llama.cpp. Only this
 * one tool is compiled (two source files, a few seconds); the binary is cached
 * under node_modules/.cache/, keyed by the bundle's commit. Its main() is
 * bench/llama-batched-bench-main.cpp: upstream's, with the log flushed at exit.
 *
 * It decodes random tokens: `pl` sequences of `pp` prompt tokens, then `tg`
 * steps of one token per sequence (no sampling, no logits read back) — the
 * upper bound for generation at that parallelism.
 */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { packagePath } from "../src/util/paths.js";

const execFileAsync = promisify(execFile);

const BUNDLE = packagePath("node_modules", "node-llama-cpp", "llama", "gitRelease.bundle");
/** The prebuilt CPU binaries node-llama-cpp loads on linux-x64 (and the ggml CPU backends it picks from). */
const PREBUILT_BIN_DIR = packagePath("node_modules", "@node-llama-cpp", "linux-x64", "bins", "linux-x64");
const CACHE_DIR = packagePath("node_modules", ".cache", "bonsai-eval");
const MAIN_SOURCE = packagePath("bench", "llama-batched-bench-main.cpp");

export interface BatchedBenchTool {
  binary: string;
  /** llama.cpp's release name as node-llama-cpp records it (e.g. "v0.5.0"), and the source bundle's commit. */
  release: string;
  commit: string;
  commitDate: string;
}

/** The bundle's commit, without cloning it. */
function bundleCommit(): string {
  return execFileSync("git", ["bundle", "list-heads", BUNDLE], { encoding: "utf8" }).trim().split(/\s/)[0]!;
}

/** Builds llama-batched-bench once per bundle commit; later calls return the cached binary. */
export function ensureBatchedBench(release: string): BatchedBenchTool {
  if (!existsSync(BUNDLE)) throw new Error(`no llama.cpp source bundle at ${BUNDLE}`);
  if (!existsSync(PREBUILT_BIN_DIR)) throw new Error(`no prebuilt linux-x64 llama.cpp binaries at ${PREBUILT_BIN_DIR}`);
  const commit = bundleCommit();
  // The binary finds libllama through an rpath, so a build for another checkout's node_modules is another build.
  const buildKey = createHash("sha256").update(readFileSync(MAIN_SOURCE)).update(PREBUILT_BIN_DIR).digest("hex").slice(0, 8);
  const dir = path.join(CACHE_DIR, `llama-batched-bench-${commit.slice(0, 12)}-${buildKey}`);
  const binary = path.join(dir, "llama-batched-bench");
  const dateFile = path.join(dir, "commit-date");
  if (!existsSync(binary)) {
    const work = `${dir}.build-${process.pid}`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    try {
      const source = path.join(work, "llama.cpp");
      execFileSync("git", ["clone", "--quiet", "--no-checkout", BUNDLE, source], { stdio: "pipe" });
      execFileSync("git", ["-C", source, "checkout", "--quiet", commit, "--", "include", "ggml/include", "common", "vendor", "tools/batched-bench"], { stdio: "pipe" });
      const date = execFileSync("git", ["-C", source, "log", "-1", "--format=%cI", commit], { encoding: "utf8" }).trim();
      const libs = readdirSync(PREBUILT_BIN_DIR)
        .filter((name) => /^lib(llama|llama-common|ggml|ggml-base)(\.v[\d.]+)?\.so$/.test(name))
        .map((name) => path.join(PREBUILT_BIN_DIR, name));
      execFileSync("g++", [
        "-std=c++17", "-O2",
        ...["include", "ggml/include", "common", "vendor"].flatMap((include) => ["-I", path.join(source, include)]),
        path.join(source, "tools", "batched-bench", "batched-bench.cpp"),
        MAIN_SOURCE,
        "-o", path.join(work, "llama-batched-bench"),
        ...libs, `-Wl,-rpath,${PREBUILT_BIN_DIR}`,
      ], { stdio: "pipe" });
      writeFileSync(path.join(work, "commit-date"), date);
      rmSync(source, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
      renameSync(work, dir);
    } catch (error) {
      rmSync(work, { recursive: true, force: true });
      const failure = error as Error & { stderr?: Buffer };
      throw new Error(`building llama-batched-bench failed: ${failure.message}\n${failure.stderr?.toString().slice(-2000) ?? ""}`);
    }
  }
  const commitDate = existsSync(dateFile) ? readFileSync(dateFile, "utf8").trim() : "";
  return { binary, release, commit, commitDate };
}

export interface BatchedBenchSettings {
  modelPath: string;
  /** Prompt tokens per sequence. */
  promptTokens: number;
  /** Generated tokens per sequence. */
  generatedTokens: number;
  parallel: number[];
  threads: number;
  /** Tokens per sequence: the KV cache holds parallel × this (the harness's context size per sequence). */
  contextSize: number;
  batchSize: number;
  /** 0 on CPU; -1 (all) on a GPU. */
  gpuLayers: number;
}

/** One line of `--output-format jsonl`. */
export interface BatchedBenchRow {
  pp: number;
  tg: number;
  pl: number;
  n_kv: number;
  n_threads: number;
  n_batch: number;
  /** Seconds of prompt processing and of generation; tokens per second of each. */
  t_pp: number;
  speed_pp: number;
  t_tg: number;
  speed_tg: number;
  t: number;
  speed: number;
}

export async function runBatchedBench(tool: BatchedBenchTool, settings: BatchedBenchSettings): Promise<{ rows: BatchedBenchRow[]; wallMs: number; args: string[] }> {
  const largest = Math.max(...settings.parallel);
  const args = [
    "-m", settings.modelPath,
    "-c", String(largest * settings.contextSize),
    "-b", String(settings.batchSize),
    "-ub", String(Math.min(512, settings.batchSize)),
    "-npp", String(settings.promptTokens),
    "-ntg", String(settings.generatedTokens),
    "-npl", settings.parallel.join(","),
    "-t", String(settings.threads),
    "-tb", String(settings.threads),
    ...(settings.gpuLayers !== 0 ? ["-ngl", String(settings.gpuLayers)] : []),
    "--output-format", "jsonl",
  ];
  const started = performance.now();
  let output: { stdout: string; stderr: string };
  try {
    // ggml looks for its CPU backend modules (libggml-cpu-*.so) in the working directory.
    output = await execFileAsync(tool.binary, args, { cwd: PREBUILT_BIN_DIR, maxBuffer: 16 * 2 ** 20, timeout: 3 * 60 * 60 * 1000 });
  } catch (error) {
    const failure = error as Error & { code?: number | string; signal?: string; stderr?: string };
    const how = failure.signal ? `killed by ${failure.signal}` : `exit ${String(failure.code)}`;
    throw new Error(`llama-batched-bench ${args.join(" ")}: ${how}\n${failure.stderr?.slice(-1500) ?? ""}`);
  }
  const { stdout, stderr } = output;
  const wallMs = performance.now() - started;
  const rows = `${stdout}\n${stderr}`
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes('"speed_tg"'))
    .map((line) => JSON.parse(line) as BatchedBenchRow);
  if (rows.length === 0) throw new Error(`llama-batched-bench ${args.join(" ")} printed no results:\n${stderr.slice(-2000)}`);
  return { rows, wallMs, args };
}
