/**
 * `npm run check:gpu`: the CUDA path, checked in one command on a machine with
 * an NVIDIA GPU. Every run is the real `bonsai-eval run` CLI in a child
 * process, on the real model (Gemma 3 270M, fetched like `npm run models:real`)
 * and one job of short ja/zh/en prompts:
 *
 * 1. `--gpu cuda --parallel 1`: the manifest must name the GPU and a device,
 *    and every layer must be offloaded;
 * 2. `--gpu cpu --parallel 1`: the same greedy job on the CPU; the outputs are
 *    compared probe by probe (batched float arithmetic on a GPU can flip a
 *    near-tie: divergence is reported, not failed);
 * 3. `--gpu cuda` and `--gpu cpu` at `--parallel 8`: generated tokens/s of each;
 * 4. `--gpu cuda --parallel 8` with BONSAI_VRAM_BUDGET_BYTES set to the model's
 *    VRAM plus a quarter of what 8 sequences were estimated to need: the
 *    context must be cut below 8 sequences and the manifest must say so.
 *
 * Writes DIR/check-gpu.json (the facts) and DIR/check-gpu.md (a short table).
 * Exit codes: 0 every check passed; 1 a check failed; 2 bad arguments;
 * 3 no usable NVIDIA GPU (CUDA) here — nothing was checked.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureRealModel, REAL_MODEL } from "../src/fixture/real-model.js";
import { ensureFixtureModel } from "../src/fixture/tiny-model.js";
import { readOutputs } from "../src/format/outputs-file.js";
import type { Report } from "../src/format/report.js";
import { packagePath } from "../src/util/paths.js";
import { machineInfo, parseBenchArgs, round, runBench, table } from "./util.js";

const USAGE = `usage: npm run check:gpu -- [--model M.gguf] [--out DIR]
  --model M   GGUF to check with (default: the real model, Gemma 3 270M Q4_K_M, fetched if missing)
  --out DIR   where check-gpu.json and check-gpu.md go (default reports/check-gpu)
  -h, --help  this text
Exit codes: 0 all checks passed, 1 a check failed, 2 bad arguments, 3 no usable NVIDIA GPU (nothing checked).`;

export const NO_GPU_EXIT = 3;
const BIN = packagePath("bin", "bonsai-eval.js");
const PARALLEL = 8;
const MAX_TOKENS = 48;

const PROMPTS = [
  ["ja", "日本で一番高い山は"], ["ja", "東京について教えてください。"], ["ja", "ラーメンとは"], ["ja", "新幹線は"],
  ["zh", "中国的首都是"], ["zh", "请介绍一下长城。"], ["zh", "什么是绿茶？"], ["zh", "北京大学"],
  ["en", "The capital of Japan is"], ["en", "Mount Fuji is"], ["en", "Green tea is"], ["en", "Tell me about Tokyo."],
  ["ja", "富士山"], ["zh", "我们明天去"], ["en", "Once upon a time"], ["ja", "カタカナで書くと"],
] as const;

interface RunFacts {
  name: string;
  args: string[];
  exit_code: number | null;
  wall_ms: number;
  stderr_tail: string;
  gpu: string | false | null;
  gpu_devices: string[];
  model_gpu_layers: number | null;
  vram_total_bytes: number | null;
  vram_used_bytes: number | null;
  vram_budget_bytes: number | null;
  contexts: Array<{ requested_sequences: number; sequences: number; estimated_vram_bytes: number | null; retries: number }>;
  generated_tokens: number;
  generation_ms: number | null;
  tokens_per_second: number | null;
  outputs: Map<string, string>;
}

interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

export interface CheckGpuResult {
  exitCode: number;
  /** The line printed last: what was found. */
  line: string;
  jsonFile: string;
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv, outDir: string): Promise<RunFacts> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, "run", ...args, "--out", outDir, "--no-cache", "--quiet"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const facts: RunFacts = {
        name, args, exit_code: code, wall_ms: Math.round(performance.now() - started), stderr_tail: stderr.trim().split("\n").slice(-5).join("\n"),
        gpu: null, gpu_devices: [], model_gpu_layers: null, vram_total_bytes: null, vram_used_bytes: null, vram_budget_bytes: null, contexts: [],
        generated_tokens: 0, generation_ms: null, tokens_per_second: null, outputs: new Map(),
      };
      if (code === 0) {
        const report = JSON.parse(readFileSync(path.join(outDir, "report.json"), "utf8")) as Report;
        const hardware = report.manifest.hardware;
        if (hardware) {
          Object.assign(facts, {
            gpu: hardware.gpu, gpu_devices: hardware.gpu_devices, model_gpu_layers: hardware.model_gpu_layers,
            vram_total_bytes: hardware.vram_total_bytes, vram_used_bytes: hardware.vram_used_bytes, vram_budget_bytes: hardware.vram_budget_bytes ?? null,
            contexts: hardware.contexts.map((context) => ({
              requested_sequences: context.requested_sequences, sequences: context.sequences, estimated_vram_bytes: context.estimated_vram_bytes, retries: context.retries.length,
            })),
          });
        }
        facts.generated_tokens = report.manifest.timings.generated_tokens;
        facts.generation_ms = report.manifest.timings.generation_ms ?? null;
        facts.tokens_per_second = report.manifest.timings.tokens_per_second === null ? null : round(report.manifest.timings.tokens_per_second, 1);
        for (const line of readOutputs(path.join(outDir, "outputs.jsonl")).lines) facts.outputs.set(line.id, line.output);
      }
      resolve(facts);
    });
  });
}

/** Probes whose GPU output differs from the CPU output, with where the texts part. */
function divergence(gpu: Map<string, string>, cpu: Map<string, string>) {
  const differing: Array<{ id: string; first_difference_at: number; gpu: string; cpu: string }> = [];
  for (const [id, cpuText] of cpu) {
    const gpuText = gpu.get(id) ?? "";
    if (gpuText === cpuText) continue;
    const a = Array.from(gpuText);
    const b = Array.from(cpuText);
    let at = 0;
    while (at < a.length && at < b.length && a[at] === b[at]) at++;
    differing.push({ id, first_difference_at: at, gpu: a.slice(Math.max(0, at - 10), at + 30).join(""), cpu: b.slice(Math.max(0, at - 10), at + 30).join("") });
  }
  return { probes: cpu.size, identical: cpu.size - differing.length, differing };
}

export async function checkGpu(options: { modelPath?: string; outDir: string; log?: (line: string) => void }): Promise<CheckGpuResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const outDir = path.resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const jsonFile = path.join(outDir, "check-gpu.json");
  const started = performance.now();
  const work = path.join(os.tmpdir(), `bonsai-check-gpu-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const env = { ...process.env };
    delete env.BONSAI_VRAM_BUDGET_BYTES;
    const machine = machineInfo();
    // Is CUDA usable at all? Asked of the tiny fixture model first, so a machine without a GPU fetches nothing.
    const probeSuite = path.join(work, "cuda-probe.yaml");
    writeFileSync(probeSuite, JSON.stringify({ suite: "cuda-probe", probes: [{ id: "p0", prompt: "GPU", language: "en", category: "creative", max_tokens: 1, template: "raw", checks: [{ type: "regex", pattern: "." }] }] }));
    const probe = await run("cuda-probe", ["--model", await ensureFixtureModel(), "--suite", probeSuite, "--gpu", "cuda", "--parallel", "1"], env, path.join(work, "probe"));
    if (probe.exit_code !== 0 || probe.gpu !== "cuda") {
      const reason = probe.exit_code !== 0 ? (probe.stderr_tail.split("\n").at(-1) ?? `exit ${probe.exit_code}`).replace(/^bonsai-eval: /, "") : `the run went to ${String(probe.gpu)}`;
      const line = `check:gpu: no usable NVIDIA GPU (CUDA) on this machine — ${reason}. Nothing was checked; the CUDA path stays unverified.`;
      writeFileSync(jsonFile, JSON.stringify({ created_at: new Date().toISOString(), machine, gpu_found: false, reason, exit_code: NO_GPU_EXIT }, null, 2) + "\n");
      return { exitCode: NO_GPU_EXIT, line, jsonFile };
    }
    const modelPath = options.modelPath ?? (await ensureRealModel({ log }));
    const template = options.modelPath === undefined ? REAL_MODEL.template : "auto";
    const suite = path.join(work, "check-gpu.yaml");
    writeFileSync(suite, JSON.stringify({
      suite: "check-gpu",
      defaults: { category: "creative", max_tokens: MAX_TOKENS, template, checks: [{ type: "regex", pattern: "." }] },
      probes: PROMPTS.map(([language, prompt], index) => ({ id: `p${index}`, language, prompt })),
    }));
    const base = ["--model", modelPath, "--suite", suite];

    log(`check:gpu: ${path.basename(modelPath)}, ${PROMPTS.length} prompts × ${MAX_TOKENS} tokens, greedy`);
    const gpu1 = await run("gpu-parallel-1", [...base, "--gpu", "cuda", "--parallel", "1"], env, path.join(work, "gpu-1"));
    if (gpu1.exit_code !== 0) throw new Error(`the GPU run failed (exit ${gpu1.exit_code}): ${gpu1.stderr_tail}`);
    log(`  GPU, P=1: ${gpu1.generated_tokens} tokens in ${gpu1.wall_ms} ms`);
    const cpu1 = await run("cpu-parallel-1", [...base, "--gpu", "cpu", "--parallel", "1"], env, path.join(work, "cpu-1"));
    log(`  CPU, P=1: ${cpu1.generated_tokens} tokens in ${cpu1.wall_ms} ms`);
    const gpu8 = await run(`gpu-parallel-${PARALLEL}`, [...base, "--gpu", "cuda", "--parallel", String(PARALLEL)], env, path.join(work, "gpu-8"));
    log(`  GPU, P=${PARALLEL}: ${gpu8.tokens_per_second ?? "–"} tok/s`);
    const cpu8 = await run(`cpu-parallel-${PARALLEL}`, [...base, "--gpu", "cpu", "--parallel", String(PARALLEL)], env, path.join(work, "cpu-8"));
    log(`  CPU, P=${PARALLEL}: ${cpu8.tokens_per_second ?? "–"} tok/s`);

    // The model's VRAM is what was in use beyond the 8-sequence context's estimate; the budget leaves room for a quarter of that context.
    const fullContext = gpu8.contexts[0]?.estimated_vram_bytes ?? null;
    const modelVram = gpu8.vram_used_bytes !== null && fullContext !== null ? Math.max(0, gpu8.vram_used_bytes - fullContext) : null;
    const budget = modelVram !== null && fullContext !== null ? Math.round(modelVram + fullContext / 4) : null;
    const small = budget === null ? null
      : await run("gpu-small-vram-budget", [...base, "--gpu", "cuda", "--parallel", String(PARALLEL)], { ...env, BONSAI_VRAM_BUDGET_BYTES: String(budget) }, path.join(work, "gpu-budget"));
    if (small) log(`  GPU, P=${PARALLEL} in a ${(budget! / 2 ** 20).toFixed(0)} MiB budget: ${small.contexts[0]?.sequences ?? "–"} sequences`);

    const metadata = JSON.parse(readFileSync(path.join(work, "gpu-1", "report.json"), "utf8")) as Report;
    const blocks = metadata.manifest.model?.metadata.block_count ?? null;
    // node-llama-cpp counts the output layer too: a model of n blocks has n + 1 layers to offload.
    const totalLayers = blocks === null ? null : blocks + 1;
    const diverged = divergence(gpu1.outputs, cpu1.outputs);
    const speedup = gpu8.tokens_per_second !== null && cpu8.tokens_per_second ? round(gpu8.tokens_per_second / cpu8.tokens_per_second, 2) : null;
    const checks: Check[] = [
      { name: "runs on CUDA", pass: gpu1.gpu === "cuda", detail: `manifest hardware.gpu = ${JSON.stringify(gpu1.gpu)}` },
      { name: "device named", pass: gpu1.gpu_devices.length > 0 && gpu1.gpu_devices.every((name) => name.trim() !== ""), detail: gpu1.gpu_devices.join(", ") || "none" },
      { name: "every layer offloaded", pass: totalLayers !== null && gpu1.model_gpu_layers === totalLayers, detail: `${gpu1.model_gpu_layers ?? "?"} of ${totalLayers ?? "?"} layers` },
      { name: "CPU runs finished", pass: cpu1.exit_code === 0 && cpu8.exit_code === 0, detail: `exit ${cpu1.exit_code}, ${cpu8.exit_code}` },
      { name: `GPU P=${PARALLEL} finished`, pass: gpu8.exit_code === 0, detail: `exit ${gpu8.exit_code}` },
      {
        name: "small VRAM budget cuts the sequences",
        pass: small !== null && small.exit_code === 0 && small.vram_budget_bytes === budget && (small.contexts[0]?.sequences ?? PARALLEL) < PARALLEL,
        detail: small === null
          ? "no VRAM figures in the P=8 manifest to size a budget from"
          : `budget ${budget} bytes: ${small.contexts[0]?.requested_sequences ?? "?"} asked, ${small.contexts[0]?.sequences ?? "?"} fitted (estimate ${small.contexts[0]?.estimated_vram_bytes ?? "?"} bytes), recorded ${small.vram_budget_bytes}`,
      },
    ];
    const failed = checks.filter((check) => !check.pass);
    const facts = {
      created_at: new Date().toISOString(),
      machine,
      model: { file: path.basename(modelPath), sha256: metadata.manifest.model?.sha256 ?? null, block_count: blocks, total_layers: totalLayers },
      runtime: metadata.manifest.runtime,
      gpu_found: true,
      gpu: gpu1.gpu,
      gpu_devices: gpu1.gpu_devices,
      vram_total_bytes: gpu1.vram_total_bytes,
      job: { prompts: PROMPTS.length, max_tokens: MAX_TOKENS, template, decoding: "greedy" },
      tokens_per_second: { gpu: gpu8.tokens_per_second, cpu: cpu8.tokens_per_second, parallel: PARALLEL, gpu_over_cpu: speedup },
      vram_fit: { model_vram_bytes: modelVram, full_context_estimate_bytes: fullContext, budget_bytes: budget, contexts: small?.contexts ?? null },
      greedy_parallel_1_gpu_vs_cpu: diverged,
      checks,
      runs: [gpu1, cpu1, gpu8, cpu8, ...(small ? [small] : [])].map(({ outputs: _outputs, ...rest }) => rest),
      elapsed_s: round((performance.now() - started) / 1000, 1),
      exit_code: failed.length === 0 ? 0 : 1,
    };
    writeFileSync(jsonFile, JSON.stringify(facts, null, 2) + "\n");
    const summary = table([
      ["check", "result", "detail"],
      ...checks.map((check) => [check.name, check.pass ? "pass" : "FAIL", check.detail]),
      ["tokens/s at P=8", "", `GPU ${gpu8.tokens_per_second ?? "–"}, CPU ${cpu8.tokens_per_second ?? "–"} (×${speedup ?? "–"})`],
      ["greedy P=1, GPU vs CPU", "", `${diverged.identical} of ${diverged.probes} outputs identical${diverged.differing.length ? `; differ: ${diverged.differing.map((d) => `${d.id}@${d.first_difference_at}`).join(", ")}` : ""}`],
    ]);
    writeFileSync(path.join(outDir, "check-gpu.md"), `# check:gpu, ${facts.created_at.slice(0, 10)}, ${gpu1.gpu_devices.join(", ")}\n\n\`\`\`\n${summary}\n\`\`\`\n`);
    log(`\n${summary}\n`);
    const line = failed.length === 0
      ? `check:gpu: all ${checks.length} checks passed on ${gpu1.gpu_devices.join(", ")} in ${facts.elapsed_s} s; wrote ${jsonFile}`
      : `check:gpu: ${failed.length} of ${checks.length} checks FAILED (${failed.map((check) => check.name).join("; ")}); wrote ${jsonFile}`;
    return { exitCode: facts.exit_code, line, jsonFile };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const OPTIONS = { model: { type: "string" }, out: { type: "string" } } as const;

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2), OPTIONS, USAGE);
  if (parsed === null) return 0;
  const { model, out } = parsed.values;
  const result = await checkGpu({
    ...(model !== undefined ? { modelPath: path.resolve(model) } : {}),
    outDir: out ?? packagePath("reports", "check-gpu"),
  });
  console.log(result.line);
  return result.exitCode;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runBench("npm run check:gpu", main);
