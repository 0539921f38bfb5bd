/**
 * `npm run bench`: generation throughput of the harness against a bare
 * node-llama-cpp evaluate loop, over the same prompts and token budgets, for
 * P = 1, 2, 4, 8, 16 parallel sequences.
 *
 * Per P:
 * - `bare`: one context with P sequences on the loaded model; each sequence
 *   greedily `evaluate`s the next prompt until end-of-generation or the budget;
 *   threads, context and batch size as the harness chooses them;
 * - `gen`: the harness engine alone — Engine.generate, results kept in memory
 *   (no writes, no scoring);
 * - `io`: Engine.generate plus what runEvaluation does per result on the main
 *   thread (generation-cache entry, outputs.jsonl line, progress);
 *   these three run in one child process on one loaded model, in rotating order
 *   (bare gen io, io gen bare, …), and their ratios are taken between
 *   neighbouring rounds, so that load from elsewhere on the machine mostly cancels;
 * - `cold`: the bare loop once in a fresh child process (model load, no warm-up):
 *   what a standalone script does, the reference for e2e;
 * - `e2e`: the real `runEvaluation` in a fresh child process — suites → model
 *   load → engine → outputs.jsonl and the generation cache → scoring with every
 *   check (language services loaded cold) → report.json/html;
 * - `llama.cpp`: llama.cpp's own llama-batched-bench (bench/batched-bench.ts),
 *   same llama.cpp, same P, threads, context and batch size, the mean prompt
 *   length and the token budget: its generation rate is the ceiling.
 * Then a job of short probes (classification, 16 tokens) at P = 8, e2e against
 * llama-batched-bench, to show the per-probe overhead.
 * Prints tables and writes reports/bench-throughput[-model].json.
 */
import { execFile } from "node:child_process";
import { sha256 } from "../src/util/json.js";
import { packagePath } from "../src/util/paths.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Token } from "node-llama-cpp";
import { CheckRegistry } from "../src/checks/registry.js";
import { Progress } from "../src/cli/progress.js";
import type { OutputLine } from "../src/format/outputs.js";
import { ensureFixtureModel } from "../src/fixture/tiny-model.js";
import { runEvaluation } from "../src/pipeline/run.js";
import { Engine, type GenerationJob, type GpuChoice } from "../src/runner/engine.js";
import { inspectModelFile } from "../src/runner/model-file.js";
import { resolveTemplate } from "../src/runner/templates.js";
import { loadSuites } from "../src/suite/load.js";
import { loadLanguageServices } from "../src/lang/services.js";
import { OutputsWriter, readOutputs } from "../src/format/outputs-file.js";
import { generationLine } from "../src/pipeline/jobs.js";
import { GenerationCache } from "../src/pipeline/cache.js";
import { requiredServices, scoreOutputs } from "../src/scoring/score-outputs.js";
import type { Probe } from "../src/format/suite.js";
import { ensureRealModel } from "../src/fixture/real-model.js";
import { ensureBenchModel } from "./bench-model.js";
import { runLikelihoodBench, type LikelihoodRun } from "./likelihood.js";
import { ensureBatchedBench, runBatchedBench, type BatchedBenchRow, type BatchedBenchTool } from "./batched-bench.js";
import { buildCorpus, LANGS, type Lang } from "./corpus.js";
import { choiceOption, intOption } from "../src/cli/args.js";
import { intListOption, machineInfo, median, packageVersion, parseBenchArgs, percentile, round, runBench, table, writeJson } from "./util.js";

const USAGE = `usage: npm run bench -- [options]
  --model M          fixture (default) | bench (a larger generated model, ~53 MB) | real (Gemma 3 270M, npm run models:real) | path to a GGUF
  --parallel LIST    parallel sequences to measure (default 1,2,4,8,16; 8 for real)
  --prompts N        prompts, a third each ja, zh, en (default 72 for the fixture, 32 for real, 30 otherwise)
  --max-tokens N     token budget per prompt (default 128 for the fixture and real, 64 otherwise)
  --short-probes N   short probes (classification, 16 tokens) for the per-probe overhead job at P = 8 (default 96; 0: skip)
  --no-llama-cpp     skip llama.cpp's own llama-batched-bench
  --likelihood LIST  perplexity text lengths (tokens) for likelihood memory and time, a fresh process each
                     (default 32,128 for real, 256,1024 otherwise; 0: skip)
  --template T       raw (default) | auto (the GGUF's chat template) | a named template
  --threads N        CPU threads (default: what the harness chooses for the model)
  --gpu G            auto | cpu | cuda (default auto)
  --rounds N         timed rounds per P, bare/gen/io in rotating order (default 9 for the fixture, 3 for real, 6 otherwise)
  --no-e2e           skip the end-to-end runs
  --out FILE         JSON report (default reports/bench-throughput.json; -<model> appended for non-fixture models)
  -h, --help         this text`;

type PathName = "bare" | "gen" | "io" | "cold" | "e2e";
/** The paths timed in turn inside one process, in rotating order. */
const PAIRED: readonly PathName[] = ["bare", "gen", "io"];
const RESULT_MARK = "BENCH_RESULT ";

/**
 * Short prompts, so that outputs run from a few tokens to the budget (the
 * scheduler must refill freed sequences). With the chat template the fixture
 * ends most answers after 2–3 tokens (its end-of-turn is held back by
 * 1 / tokens-so-far, which the template's own tokens use up), hence `raw` by default.
 */
const PROMPTS: Record<Lang, string[]> = {
  ja: ["こんにちは", "日本", "富士山", "ワンタン", "カタカナ", "東京について教えてください。", "日本で一番高い山は？", "日本語で説明してください。", "今日の天気は？", "ラーメンとは何ですか。", "新幹線について", "私は学生です。"],
  zh: ["你好", "我们", "北京", "北京是中国的首都。", "中国的首都是哪里？", "请介绍一下长城。", "今天天气很好。", "什么是绿茶？", "我们明天去北京大学。", "谢谢你的帮助。", "请用中文回答。", "老师"],
  en: ["hello", "The capital of Japan is", "What is the highest mountain?", "Tell me a long story.", "Translate into Japanese: wonton", "Write about Tokyo.", "Mount Fuji is", "Green tea", "The weather today", "Explain katakana.", "Please answer in English.", "Beijing"],
};

/** Prompt i: a third per language; past the pool, numbered variants ("日本 2"). */
function promptAt(index: number): { language: Lang; prompt: string } {
  const language = LANGS[index % LANGS.length] as Lang;
  const pool = PROMPTS[language];
  const slot = Math.floor(index / LANGS.length);
  const round_ = Math.floor(slot / pool.length);
  return { language, prompt: `${pool[slot % pool.length]}${round_ > 0 ? ` ${round_ + 1}` : ""}` };
}

const AIM_RATIO = 0.9;
const AIM_PARALLEL = 8;

interface WorkerSpec {
  path: "pair" | "cold" | "e2e";
  /** pair: timed rounds, bare and gen alternating. */
  rounds: number;
  modelPath: string;
  suitePath: string;
  parallel: number;
  /** e2e only: `--parallel auto` instead of `parallel`. */
  parallelAuto?: boolean;
  threads?: number;
  gpu: GpuChoice;
}

interface JobTiming {
  tokens: number;
  first_token_ms: number | null;
  stop: string;
}

interface WorkerResult {
  path: PathName;
  parallel: number;
  threads: number;
  context_size: number;
  prompts: number;
  prompt_tokens: number;
  generated_tokens: number;
  /** Engine.load (getLlama + loadModel) in this process. */
  load_ms: number;
  /** Context creation + every token (the generation phase). */
  generation_ms: number;
  /** e2e: all of runEvaluation; bare and gen: the generation phase. */
  wall_ms: number;
  /** Process CPU time (all threads: JS and llama.cpp) during the generation phase. */
  generation_cpu_ms: number;
  /** First token of the run, from the start of the generation phase. */
  first_token_of_run_ms: number | null;
  /** io: main-thread time spent in the per-result records (outputs line, cache entry, progress). */
  record_ms?: number;
  jobs: JobTiming[];
  peak_rss_mib: number;
  e2e?: {
    startup_ms: number;
    scoring_ms: number;
    /** Scoring the same outputs again in the same process (services loaded, JIT warm): scoring proper. */
    rescoring_ms: number;
    wall_cpu_ms: number;
    after_generation_ms: number;
    first_output_ms: number | null;
    cache: unknown;
    parallel_choice: unknown;
  };
}

// ---------------------------------------------------------------------------
// Workers (child processes)

function loadProbes(suitePath: string): Probe[] {
  return loadSuites([suitePath], { registry: new CheckRegistry() }).flatMap((suite) => suite.probes);
}

type Prompt = GenerationJob;

/** Rendered like runEvaluation renders them (the probes' template), as GenerationJobs. */
function renderJobs(probes: Probe[], model: Engine["model"], chatTemplate: string | null, suitePath: string): Prompt[] {
  const template = resolveTemplate(probes[0]!.generation.template, { model, chatTemplate, baseDir: path.dirname(suitePath) });
  return probes.map((probe, index) => {
    const rendered = template.render(probe.prompt, probe.generation.system);
    return {
      key: String(index), tokens: rendered.tokens, endOfTurn: rendered.endOfTurn, maxTokens: probe.generation.max_tokens,
      stop: probe.generation.stop, temperature: probe.generation.temperature, seed: probe.generation.seed ?? 0,
    };
  });
}

/**
 * The bare loop: one context with P sequences on the same loaded model; each
 * sequence takes the next prompt and greedily `evaluate`s it until
 * end-of-generation or the budget, then detokenizes. Context size, batch size
 * and threads as the engine chooses them; no repeat-penalty object, no stop
 * handling, no result records.
 */
async function bareRound(engine: Engine, prompts: Prompt[], parallel: number): Promise<WorkerResult> {
  const model = engine.model;
  const threads = engine.hardware.threads;
  const needed = Math.max(...prompts.map((prompt) => prompt.tokens.length + prompt.maxTokens));
  const contextSize = Math.min(model.trainContextSize, Math.ceil(needed / 256) * 256);
  const sequences = Math.min(parallel, prompts.length);
  const generationStart = performance.now();
  const cpuStart = process.cpuUsage();
  const context = await model.createContext({ sequences, contextSize, threads, batchSize: Math.min(2048, contextSize) });
  const jobs: JobTiming[] = new Array(prompts.length);
  let firstTokenOfRun: number | null = null;
  let next = 0;
  await Promise.all(
    Array.from({ length: sequences }, async () => {
      const sequence = context.getSequence();
      for (let index = next++; index < prompts.length; index = next++) {
        const prompt = prompts[index]!;
        const started = performance.now();
        await sequence.clearHistory();
        const budget = Math.min(prompt.maxTokens, contextSize - prompt.tokens.length);
        const output: Token[] = [];
        let first: number | null = null;
        let stop = "eog";
        for await (const token of sequence.evaluate(prompt.tokens, { temperature: 0 })) {
          if (first === null) {
            first = performance.now() - started;
            firstTokenOfRun ??= performance.now() - generationStart;
          }
          output.push(token);
          if (output.length >= budget) {
            stop = "max_tokens";
            break;
          }
        }
        model.detokenize(output);
        jobs[index] = { tokens: output.length, first_token_ms: first, stop };
      }
      sequence.dispose();
    }),
  );
  const generationMs = performance.now() - generationStart;
  const generationCpuMs = cpuMs(process.cpuUsage(cpuStart));
  await context.dispose();
  return roundResult("bare", { parallel: sequences, threads, contextSize, prompts, jobs, generationMs, generationCpuMs, firstTokenOfRun });
}

/**
 * A warm round's result, the same fields for bare, gen and io. Without a
 * measured first token of the run, the earliest first token of a job stands in
 * (the jobs that start at once bound the run's first token).
 */
function roundResult(
  path: PathName,
  round: {
    parallel: number; threads: number; contextSize: number; prompts: Prompt[]; jobs: JobTiming[];
    generationMs: number; generationCpuMs: number; firstTokenOfRun?: number | null; recordMs?: number;
  },
): WorkerResult {
  const firstTokens = round.jobs.map((job) => job.first_token_ms).filter((ms): ms is number => ms !== null);
  return {
    path, parallel: round.parallel, threads: round.threads, context_size: round.contextSize, prompts: round.prompts.length,
    prompt_tokens: round.prompts.reduce((sum, prompt) => sum + prompt.tokens.length, 0),
    generated_tokens: round.jobs.reduce((sum, job) => sum + job.tokens, 0),
    load_ms: 0, generation_ms: round.generationMs, generation_cpu_ms: round.generationCpuMs, wall_ms: round.generationMs,
    first_token_of_run_ms: round.firstTokenOfRun !== undefined ? round.firstTokenOfRun : firstTokens.length > 0 ? Math.min(...firstTokens) : null,
    jobs: round.jobs, peak_rss_mib: 0, ...(round.recordMs !== undefined ? { record_ms: round.recordMs } : {}),
  };
}

/** The harness engine alone: Engine.generate, results kept in memory (no writes, no scoring). */
async function genRound(engine: Engine, prompts: Prompt[], parallel: number): Promise<WorkerResult> {
  const timings: JobTiming[] = new Array(prompts.length);
  const generationStart = performance.now();
  const cpuStart = process.cpuUsage();
  const { contextSize } = await engine.generate(prompts, {
    parallel,
    onResult(result) {
      timings[Number(result.key)] = { tokens: result.output_tokens, first_token_ms: result.first_token_ms, stop: result.stop_reason };
    },
  });
  const generationMs = performance.now() - generationStart;
  const generationCpuMs = cpuMs(process.cpuUsage(cpuStart));
  const parallelUsed = Math.min(parallel, prompts.length);
  return roundResult("gen", { parallel: parallelUsed, threads: engine.hardware.threads, contextSize, prompts, jobs: timings, generationMs, generationCpuMs });
}

/**
 * The harness's generation path with its I/O, as runEvaluation does it per
 * probe: a generation-cache lookup (a miss: the cache is fresh) before, and per
 * result a cache entry, an outputs.jsonl line and a progress event — all on the
 * main thread while the other sequences generate.
 */
async function ioRound(engine: Engine, prompts: Prompt[], parallel: number, probes: Probe[], modelSha256: string): Promise<WorkerResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bonsai-bench-io-"));
  try {
    const cache = new GenerationCache(path.join(dir, "cache"), modelSha256);
    const writer = new OutputsWriter(path.join(dir, "outputs.jsonl"));
    const progress = new Progress(process.stderr, true);
    const timings: JobTiming[] = new Array(prompts.length);
    const rendered = prompts.map((prompt) => engine.detokenize(prompt.tokens, true)); // run.ts renders these before generating
    let recordMs = 0;
    const generationStart = performance.now();
    const cpuStart = process.cpuUsage();
    progress.generationStarted(prompts.length);
    const pending = prompts.filter((job) => cache.get(job) === null);
    const { contextSize } = await engine.generate(pending, {
      parallel,
      onResult(result) {
        const start = performance.now();
        const index = Number(result.key);
        const probe = probes[index]!;
        cache.put(prompts[index]!, result);
        const line = generationLine({ ...prompts[index]!, probe, sample: 0, rendered: rendered[index]! }, result, false);
        writer.append(line);
        progress.outputWritten(line);
        timings[index] = { tokens: result.output_tokens, first_token_ms: result.first_token_ms, stop: result.stop_reason };
        recordMs += performance.now() - start;
      },
    });
    writer.close();
    progress.generationEnded();
    const generationMs = performance.now() - generationStart;
    const generationCpuMs = cpuMs(process.cpuUsage(cpuStart));
    const parallelUsed = Math.min(parallel, prompts.length);
    return roundResult("io", { parallel: parallelUsed, threads: engine.hardware.threads, contextSize, prompts, jobs: timings, generationMs, generationCpuMs, recordMs });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * bare, gen and io in one process on one loaded model, in rotating order
 * (bare gen io, io gen bare, …) so that the i-th rounds of each run next to
 * each other in time and load from elsewhere on the machine mostly cancels in
 * their ratios. A short untimed round of each first warms up the JIT.
 */
async function pairWorker(spec: WorkerSpec): Promise<WorkerResult[]> {
  const probes = loadProbes(spec.suitePath);
  const { info, metadata, sizeBytes } = await inspectModelFile(spec.modelPath);
  const modelSha256 = sha256(readFileSync(spec.modelPath));
  const loadStart = performance.now();
  await using engine = await Engine.load({ modelPath: spec.modelPath, modelInfo: info, modelBytes: sizeBytes, gpu: spec.gpu, threads: spec.threads });
  const loadMs = performance.now() - loadStart;
  const prompts = renderJobs(probes, engine.model, metadata.chat_template, spec.suitePath);
  const warmup = prompts.slice(0, Math.max(2, spec.parallel)).map((prompt) => ({ ...prompt, maxTokens: Math.min(prompt.maxTokens, 8) }));
  const run = (which: PathName, jobs: Prompt[]) =>
    which === "bare" ? bareRound(engine, jobs, spec.parallel)
      : which === "gen" ? genRound(engine, jobs, spec.parallel)
        : ioRound(engine, jobs, spec.parallel, probes, modelSha256);
  for (const which of PAIRED) await run(which, warmup);
  const rounds: WorkerResult[] = [];
  for (let block = 0; rounds.length < spec.rounds; block++) {
    for (const which of block % 2 === 0 ? PAIRED : [...PAIRED].reverse()) {
      if (rounds.length < spec.rounds) rounds.push(await run(which, prompts));
    }
  }
  const peak = peakRss();
  return rounds.map((round_) => ({ ...round_, load_ms: loadMs, peak_rss_mib: peak }));
}

/** The bare loop as a standalone script runs it: a fresh process, the model loaded, one round, no warm-up. */
async function coldWorker(spec: WorkerSpec): Promise<WorkerResult> {
  const probes = loadProbes(spec.suitePath);
  const { info, metadata, sizeBytes } = await inspectModelFile(spec.modelPath);
  const wallStart = performance.now();
  await using engine = await Engine.load({ modelPath: spec.modelPath, modelInfo: info, modelBytes: sizeBytes, gpu: spec.gpu, threads: spec.threads });
  const loadMs = performance.now() - wallStart;
  const prompts = renderJobs(probes, engine.model, metadata.chat_template, spec.suitePath);
  const result = await bareRound(engine, prompts, spec.parallel);
  return { ...result, path: "cold", load_ms: loadMs, wall_ms: performance.now() - wallStart, peak_rss_mib: peakRss() };
}

/** Progress that records when generation starts and outputs arrive, and prints nothing. */
class Timeline extends Progress {
  generationStartAt: number | null = null;
  firstOutputAt: number | null = null;
  private cpuStart: NodeJS.CpuUsage | null = null;
  generationCpuMs = 0;
  readonly lines: OutputLine[] = [];
  constructor() {
    super(process.stderr, true);
  }
  override generationStarted(jobs: number): void {
    this.generationStartAt = performance.now();
    this.cpuStart = process.cpuUsage();
    super.generationStarted(jobs);
  }
  /** Called right after the engine returns (and the outputs file is closed). */
  override generationEnded(): void {
    if (this.cpuStart) this.generationCpuMs = cpuMs(process.cpuUsage(this.cpuStart));
    super.generationEnded();
  }
  override outputWritten(line: OutputLine): void {
    this.firstOutputAt ??= performance.now();
    this.lines.push(line);
    super.outputWritten(line);
  }
}

async function e2eWorker(spec: WorkerSpec): Promise<WorkerResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bonsai-bench-e2e-"));
  try {
    const timeline = new Timeline();
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await runEvaluation({
      modelPath: spec.modelPath,
      suitePaths: [spec.suitePath],
      outDir: path.join(dir, "run"),
      parallel: spec.parallelAuto ? "auto" : spec.parallel,
      gpu: spec.gpu,
      threads: spec.threads,
      seed: 0,
      // A fresh cache: every probe is generated, and each result is written to it, as on a first run.
      cacheDir: path.join(dir, "cache"),
      registry: new CheckRegistry(),
      events: timeline,
    });
    const wallMs = performance.now() - wallStart;
    const wallCpuMs = cpuMs(process.cpuUsage(cpuStart));
    const { manifest } = result.report;
    // Scoring proper: the same outputs again, now that the language services are loaded.
    const registry = new CheckRegistry();
    const suites = loadSuites([spec.suitePath], { registry });
    const services = await loadLanguageServices(requiredServices(suites, registry));
    const { lines } = readOutputs(path.join(dir, "run", "outputs.jsonl"));
    const rescoreStart = performance.now();
    scoreOutputs(suites, lines, registry, services);
    const rescoringMs = performance.now() - rescoreStart;
    const timings = manifest.timings;
    const generationMs = timings.generation_ms ?? 0;
    const startupMs = (timeline.generationStartAt ?? wallStart) - wallStart;
    return {
      path: "e2e",
      parallel: manifest.generation?.parallel ?? spec.parallel,
      threads: manifest.hardware?.threads ?? 0,
      context_size: manifest.generation?.context_size ?? 0,
      prompts: result.report.probes.length,
      prompt_tokens: result.report.probes.reduce((sum, probe) => sum + (probe.prompt_tokens ?? 0), 0),
      generated_tokens: timings.generated_tokens,
      load_ms: timings.model_load_ms ?? 0,
      generation_ms: generationMs,
      generation_cpu_ms: timeline.generationCpuMs,
      wall_ms: wallMs,
      first_token_of_run_ms: null,
      jobs: timeline.lines.map((line) => ({ tokens: line.output_tokens ?? 0, first_token_ms: null, stop: line.stop_reason ?? "" })),
      peak_rss_mib: peakRss(),
      e2e: {
        startup_ms: startupMs,
        scoring_ms: timings.scoring_ms,
        rescoring_ms: rescoringMs,
        wall_cpu_ms: wallCpuMs,
        after_generation_ms: wallMs - startupMs - generationMs,
        first_output_ms: timeline.firstOutputAt === null ? null : timeline.firstOutputAt - wallStart,
        cache: manifest.cache ?? null,
        parallel_choice: manifest.generation?.parallel_choice ?? null,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function peakRss(): number {
  return round((process.resourceUsage().maxRSS * 1024) / 2 ** 20, 1);
}

// ---------------------------------------------------------------------------
// Parent

const execFileAsync = promisify(execFile);

async function runWorker(spec: WorkerSpec): Promise<WorkerResult[]> {
  const entry = fileURLToPath(import.meta.url);
  try {
    const { stdout } = await execFileAsync(process.execPath, [entry, "--worker", JSON.stringify(spec)], {
      maxBuffer: 64 * 2 ** 20,
      // A real model on a busy CPU can take many minutes per worker: the limit only catches a hung one.
      timeout: 3 * 60 * 60 * 1000,
    });
    const line = stdout.split("\n").find((row) => row.startsWith(RESULT_MARK));
    if (!line) throw new Error(`no result from the ${spec.path} worker:\n${stdout.slice(-2000)}`);
    return JSON.parse(line.slice(RESULT_MARK.length)) as WorkerResult[];
  } catch (error) {
    const failure = error as Error & { stderr?: string; killed?: boolean };
    const why = failure.killed ? " (killed at the time limit)" : "";
    throw new Error(`${spec.path} P=${spec.parallel} failed${why}: ${failure.message}\n${failure.stderr?.slice(-2000) ?? ""}`);
  }
}

type Rate = (result: WorkerResult) => number;
/** Generated tokens per second of the generation phase (context creation + every token). */
const generationRate: Rate = (r) => r.generated_tokens / (r.generation_ms / 1000);
/** … per CPU-second of the process during that phase (all threads): robust to other load on the machine. */
const generationCpuRate: Rate = (r) => r.generated_tokens / (r.generation_cpu_ms / 1000);
/** … per second of the whole path (model load, and for e2e everything runEvaluation does). */
const wallRate: Rate = (r) => r.generated_tokens / (r.wall_ms / 1000);

function medianOf(runs: readonly WorkerResult[], rate: Rate): number {
  return runs.length === 0 ? Number.NaN : median(runs.map(rate));
}

/**
 * Median over sweeps of a/b, each ratio taken within one sweep (the two runs
 * adjacent in time), so that load from elsewhere on the machine mostly cancels.
 */
function pairedRatio(a: readonly WorkerResult[], rateA: Rate, b: readonly WorkerResult[], rateB: Rate): number {
  const ratios: number[] = [];
  for (let sweep = 0; sweep < Math.min(a.length, b.length); sweep++) ratios.push(rateA(a[sweep]!) / rateB(b[sweep]!));
  return ratios.length === 0 ? Number.NaN : median(ratios);
}

/** The run whose generation rate is the median one: its details (TTFT, breakdown) are shown. */
function medianRun(runs: readonly WorkerResult[]): WorkerResult | null {
  if (runs.length === 0) return null;
  const middle = medianOf(runs, generationRate);
  return [...runs].sort((x, y) => Math.abs(generationRate(x) - middle) - Math.abs(generationRate(y) - middle))[0]!;
}

function ttft(run: WorkerResult | null) {
  const values = (run?.jobs ?? []).map((job) => job.first_token_ms).filter((ms): ms is number => ms !== null);
  return {
    median: values.length > 0 ? round(median(values), 1) : null,
    p90: values.length > 0 ? round(percentile(values, 90), 1) : null,
    first_of_run: run?.first_token_of_run_ms == null ? null : round(run.first_token_of_run_ms, 1),
  };
}

function summarizeP(parallel: number, bare: WorkerResult[], gen: WorkerResult[], io: WorkerResult[], cold: WorkerResult[], e2e: WorkerResult[]) {
  const all = [...bare, ...gen, ...io, ...cold, ...e2e];
  const tokens = all.map((run) => run.generated_tokens);
  const e2eRun = e2e[0] ?? null;
  const outsideMs = e2eRun ? e2eRun.wall_ms - e2eRun.generation_ms : Number.NaN;
  // e2e runs once in a fresh process: compared with the bare loop run once in a fresh process just before it.
  const e2ePhaseRatio = medianOf(e2e, generationRate) / medianOf(cold, generationRate);
  // e2e/bare = r·G/(G+O): r the generation-phase ratio, G generation time, O time outside generation.
  const generationForAim = e2ePhaseRatio > AIM_RATIO ? (AIM_RATIO * outsideMs) / (e2ePhaseRatio - AIM_RATIO) / 1000 : null;
  const bareMedian = medianRun(bare);
  const genMedian = medianRun(gen);
  return {
    parallel,
    threads: all[0]?.threads ?? null,
    rounds: { bare: bare.length, gen: gen.length, e2e: e2e.length },
    generated_tokens: tokens[0] ?? null,
    /**
     * Greedy on CPU: every path and every P should generate the same tokens — but a
     * near-tie can flip with the batch's composition (float summation order), which
     * depends on timing: then counts vary a little between runs, in every path.
     */
    same_tokens: tokens.every((count) => count === tokens[0]),
    token_counts: [...new Set(tokens)].sort((a, b) => a - b),
    tokens_per_second: {
      bare: round(medianOf(bare, generationRate), 1),
      harness_generation: round(medianOf(gen, generationRate), 1),
      harness_generation_with_io: round(medianOf(io, generationRate), 1),
      e2e_generation_phase: round(medianOf(e2e, generationRate), 1),
      e2e_wall: round(medianOf(e2e, wallRate), 1),
      bare_cold_process: round(medianOf(cold, generationRate), 1),
      bare_cold_process_wall: round(medianOf(cold, wallRate), 1),
    },
    tokens_per_cpu_second: {
      bare: round(medianOf(bare, generationCpuRate), 1),
      harness_generation: round(medianOf(gen, generationCpuRate), 1),
      harness_generation_with_io: round(medianOf(io, generationCpuRate), 1),
      e2e_generation_phase: round(medianOf(e2e, generationCpuRate), 1),
    },
    ratio: {
      harness_generation_vs_bare: round(pairedRatio(gen, generationRate, bare, generationRate), 3),
      harness_generation_vs_bare_cpu: round(pairedRatio(gen, generationCpuRate, bare, generationCpuRate), 3),
      harness_with_io_vs_bare: round(pairedRatio(io, generationRate, bare, generationRate), 3),
      harness_with_io_vs_bare_cpu: round(pairedRatio(io, generationCpuRate, bare, generationCpuRate), 3),
      /** Fresh process against fresh process: the e2e generation phase, and the whole e2e wall, against the bare loop. */
      e2e_generation_phase_vs_bare: round(e2ePhaseRatio, 3),
      e2e_wall_vs_bare: round(medianOf(e2e, wallRate) / medianOf(cold, generationRate), 3),
      /** … and against a bare script's wall (model load + loop). */
      e2e_wall_vs_bare_script: round(medianOf(e2e, wallRate) / medianOf(cold, wallRate), 3),
    },
    /** How long generation must last at this P for the e2e wall to reach the aim, with this much time outside generation. */
    generation_seconds_for_aim: generationForAim === null ? null : round(generationForAim, 1),
    e2e_breakdown_ms: e2eRun?.e2e
      ? {
          wall: round(e2eRun.wall_ms),
          outside_generation_share: round(outsideMs / e2eRun.wall_ms, 3),
          startup: round(e2eRun.e2e.startup_ms),
          model_load: round(e2eRun.load_ms),
          generation: round(e2eRun.generation_ms),
          after_generation: round(e2eRun.e2e.after_generation_ms),
          scoring: round(e2eRun.e2e.scoring_ms),
          scoring_proper: round(e2eRun.e2e.rescoring_ms),
          services_load_approx: round(e2eRun.e2e.scoring_ms - e2eRun.e2e.rescoring_ms),
          first_output: e2eRun.e2e.first_output_ms === null ? null : round(e2eRun.e2e.first_output_ms),
          wall_cpu: round(e2eRun.e2e.wall_cpu_ms),
        }
      : null,
    time_to_first_token_ms: { bare: ttft(bareMedian), harness: ttft(genMedian) },
    /** io rounds: main-thread ms per result spent writing its records (cache entry, outputs line, progress). */
    record_ms_per_result: io.length > 0 ? round(median(io.map((run) => (run.record_ms ?? 0) / run.prompts)), 3) : null,
    model_load_ms: { engine: (bareMedian ?? genMedian) ? round((bareMedian ?? genMedian)!.load_ms) : null, e2e: e2eRun ? round(e2eRun.load_ms) : null },
    /** bare, gen and io share one process (one model): one figure for them. */
    peak_rss_mib: {
      bare_and_gen: bare.length + gen.length + io.length > 0 ? Math.max(...[...bare, ...gen, ...io].map((run) => run.peak_rss_mib)) : null,
      e2e: e2e.length > 0 ? Math.max(...e2e.map((run) => run.peak_rss_mib)) : null,
    },
    stops: Object.fromEntries(
      (["eog", "max_tokens"] as const).map((stop) => [stop, (bareMedian ?? genMedian ?? e2eRun)?.jobs.filter((job) => job.stop === stop).length ?? 0]),
    ),
  };
}

/** llama.cpp's release as node-llama-cpp records it for its prebuilt binaries. */
function llamaCppRelease(): string {
  try {
    return (JSON.parse(readFileSync(packagePath("node_modules", "node-llama-cpp", "llama", "binariesGithubRelease.json"), "utf8")) as { release: string }).release;
  } catch {
    return "unknown";
  }
}

interface LlamaCppRun {
  row: BatchedBenchRow;
  wall_ms: number;
  args: string[];
}

/** llama-batched-bench at the harness's P, threads, context and batch size, with its mean prompt length and this budget. */
async function llamaCppRun(tool: BatchedBenchTool, modelPath: string, harness: WorkerResult, parallel: number, budget: number): Promise<LlamaCppRun> {
  const { rows, wallMs, args } = await runBatchedBench(tool, {
    modelPath,
    promptTokens: Math.max(1, Math.round(harness.prompt_tokens / harness.prompts)),
    generatedTokens: budget,
    parallel: [Math.min(parallel, harness.prompts)],
    threads: harness.threads,
    contextSize: harness.context_size,
    batchSize: Math.min(2048, harness.context_size),
    gpuLayers: 0,
  });
  return { row: rows[0]!, wall_ms: wallMs, args: args.map((arg) => (arg === modelPath ? path.basename(arg) : arg)) };
}

/**
 * `--parallel auto` against the fixed settings: e2e generation phase against e2e
 * generation phase (fresh processes, the same job). The ramp runs before the
 * generation phase; its cost is the auto run's wall beyond what the same
 * generation took at the chosen fixed setting, shown apart.
 */
function summarizeAuto(auto: WorkerResult, fixed: WorkerResult[]) {
  const best = fixed.reduce((a, b) => (generationRate(b) > generationRate(a) ? b : a));
  const same = fixed.find((run) => run.parallel === auto.parallel);
  const choice = auto.e2e?.parallel_choice as { reason?: string; ramp?: Array<{ ms: number }> } | null | undefined;
  return {
    chosen: auto.parallel,
    reason: choice?.reason ?? "",
    ramp: choice?.ramp ?? null,
    e2e_generation_tokens_per_second: round(generationRate(auto), 1),
    best_fixed_parallel: best.parallel,
    best_fixed_e2e_generation_tokens_per_second: round(generationRate(best), 1),
    vs_best_fixed: round(generationRate(auto) / generationRate(best), 3),
    /** The auto run's wall beyond the fixed run at the P it chose (the ramp, and noise). */
    ramp_cost_ms: same ? round(auto.wall_ms - same.wall_ms) : null,
    fixed: fixed.map((run) => ({ parallel: run.parallel, e2e_generation_tokens_per_second: round(generationRate(run), 1), e2e_wall_ms: round(run.wall_ms) })),
  };
}

/** The per-probe overhead job: many probes of a few tokens, where fixed costs per probe show. */
const SHORT_PROBE_TOKENS = 16;

interface ShortJob {
  probes: number;
  parallel: number;
  generated_tokens: number;
  e2e_wall_ms: number;
  e2e_generation_ms: number;
  bare_generation_ms: number;
  /** What llama-batched-bench would take for the same prompt and generated tokens at its measured rates. */
  llama_cpp_equivalent_ms: number | null;
  llama_cpp: LlamaCppRun | null;
  /** Per probe: e2e generation phase over the bare loop, over llama.cpp, and the e2e wall over llama.cpp. */
  overhead_ms_per_probe: { generation_vs_bare: number; generation_vs_llama_cpp: number | null; wall_vs_llama_cpp: number | null };
}

function summarizeShortJob(cold: WorkerResult, e2e: WorkerResult, llamaCpp: LlamaCppRun | null): ShortJob {
  const probes = e2e.prompts;
  const equivalent = llamaCpp
    ? (cold.prompt_tokens / llamaCpp.row.speed_pp + cold.generated_tokens / llamaCpp.row.speed_tg) * 1000
    : null;
  const perProbe = (ms: number) => round(ms / probes, 2);
  return {
    probes,
    parallel: e2e.parallel,
    generated_tokens: e2e.generated_tokens,
    e2e_wall_ms: round(e2e.wall_ms),
    e2e_generation_ms: round(e2e.generation_ms),
    bare_generation_ms: round(cold.generation_ms),
    llama_cpp_equivalent_ms: equivalent === null ? null : round(equivalent),
    llama_cpp: llamaCpp,
    overhead_ms_per_probe: {
      generation_vs_bare: perProbe(e2e.generation_ms - cold.generation_ms),
      generation_vs_llama_cpp: equivalent === null ? null : perProbe(e2e.generation_ms - equivalent),
      wall_vs_llama_cpp: equivalent === null ? null : perProbe(e2e.wall_ms - equivalent),
    },
  };
}

const OPTIONS = {
  model: { type: "string", default: "fixture" },
  parallel: { type: "string" },
  prompts: { type: "string" },
  "max-tokens": { type: "string" },
  "short-probes": { type: "string" },
  "no-llama-cpp": { type: "boolean", default: false },
  likelihood: { type: "string" },
  template: { type: "string", default: "raw" },
  threads: { type: "string" },
  gpu: { type: "string" },
  rounds: { type: "string" },
  "no-e2e": { type: "boolean", default: false },
  out: { type: "string" },
  /** Not in USAGE: the child process that times one path (`--worker <WorkerSpec JSON>`, from runWorker). */
  worker: { type: "string" },
} as const;
type BenchValues = NonNullable<ReturnType<typeof parseBenchArgs<typeof OPTIONS>>>["values"];

interface BenchSettings {
  /** fixture | bench | real | a GGUF path */
  model: string;
  promptCount: number;
  maxTokens: number;
  shortProbes: number;
  likelihoodLengths: number[];
  templateName: string;
  threads: number | undefined;
  gpu: GpuChoice;
  parallels: number[];
  rounds: number;
  withE2e: boolean;
  withLlamaCpp: boolean;
  out: string | undefined;
}

/** The flags read and checked before anything is fetched or loaded; defaults as USAGE says, some per model. */
function benchSettings(values: BenchValues): BenchSettings {
  const small = values.model === "fixture";
  const real = values.model === "real";
  const likelihood = intListOption(values.likelihood, "--likelihood", { min: 0, max: 1_000_000 }) ?? (real ? [32, 128] : [256, 1024]);
  return {
    model: values.model,
    promptCount: intOption(values.prompts, "--prompts", { min: 1, max: 100_000 }) ?? (small ? 72 : real ? 32 : 30),
    maxTokens: intOption(values["max-tokens"], "--max-tokens", { min: 1, max: 32768 }) ?? (small || real ? 128 : 64),
    shortProbes: intOption(values["short-probes"], "--short-probes", { max: 100_000 }) ?? 96,
    likelihoodLengths: likelihood.filter((tokens) => tokens > 0),
    templateName: values.template,
    threads: intOption(values.threads, "--threads", { min: 1, max: 1024 }),
    gpu: choiceOption<GpuChoice>(values.gpu, "--gpu", ["auto", "cpu", "cuda"], "auto"),
    parallels: intListOption(values.parallel, "--parallel", { min: 1, max: 256 }) ?? (real ? [AIM_PARALLEL] : [1, 2, 4, 8, 16]),
    rounds: Math.max(PAIRED.length, intOption(values.rounds, "--rounds", { max: 1000 }) ?? (small ? 9 : real ? 3 : 6)),
    withE2e: !values["no-e2e"],
    withLlamaCpp: !values["no-llama-cpp"],
    out: values.out,
  };
}

async function runAsWorker(spec: WorkerSpec): Promise<void> {
  const results = spec.path === "pair" ? await pairWorker(spec) : spec.path === "cold" ? [await coldWorker(spec)] : [await e2eWorker(spec)];
  process.stdout.write(RESULT_MARK + JSON.stringify(results) + "\n");
}

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2), OPTIONS, USAGE);
  if (parsed === null) return 0;
  if (parsed.values.worker !== undefined) {
    await runAsWorker(JSON.parse(parsed.values.worker) as WorkerSpec);
    return 0;
  }
  const { model: modelArg, promptCount, maxTokens, shortProbes, likelihoodLengths, templateName, threads, gpu, parallels, rounds, withE2e, withLlamaCpp, out: outArg } =
    benchSettings(parsed.values);
  const modelPath =
    modelArg === "fixture" ? await ensureFixtureModel()
      : modelArg === "bench" ? await ensureBenchModel()
        : modelArg === "real" ? await ensureRealModel({ log: (line) => console.error(line) })
          : path.resolve(modelArg);
  const small = modelArg === "fixture";
  const real = modelArg === "real";
  // llama-batched-bench is linked against the prebuilt CPU libraries: compared on CPU runs only.
  const llamaCppTool = !withLlamaCpp || gpu === "cuda" ? null : ensureBatchedBench(llamaCppRelease());
  const defaultOut = small ? "reports/bench-throughput.json" : `reports/bench-throughput-${modelArg === "bench" || real ? modelArg : path.basename(modelPath, ".gguf")}.json`;
  const out = outArg ?? defaultOut;

  const machine = machineInfo();
  const { metadata, sizeBytes } = await inspectModelFile(modelPath);
  console.log(`bonsai-eval bench — ${machine.cpu_model}, nproc ${machine.nproc}, ${machine.memory_gib} GiB, Node ${machine.node}, load ${machine.load_average_1m}`);
  console.log(
    `model: ${path.relative(process.cwd(), modelPath)} (${metadata.name ?? "unnamed"}, ${(sizeBytes / 2 ** 20).toFixed(1)} MiB, ` +
      `${metadata.embedding_length ?? "?"} embd × ${metadata.block_count ?? "?"} blocks, ${metadata.quantization ?? "?"})`,
  );
  console.log(
    `prompts: ${promptCount} short ja/zh/en prompts, template ${templateName}, max ${maxTokens} tokens each, greedy, every check on in e2e; ` +
      `threads ${threads ?? "as the harness chooses"}; P = ${parallels.join(", ")}; per P ${rounds} rounds of bare/gen/io in rotating order${withE2e ? ", then a cold bare run and an e2e run" : ""}`,
  );

  // The probes: short prompts with the checks of the scoring corpus (every check on), this token budget.
  const dir = mkdtempSync(path.join(os.tmpdir(), "bonsai-bench-throughput-"));
  const results = new Map<string, WorkerResult[]>();
  const runsOf = (name: PathName, parallel: number) => results.get(`${name}:${parallel}`) ?? [];
  const llamaCpp = new Map<number, LlamaCppRun>();
  let shortJob: ShortJob | null = null;
  let autoRun: WorkerResult | null = null;
  let likelihood: LikelihoodRun[] = [];
  const started = performance.now();
  try {
    const writeSuite = (name: string, count: number, budget: number, category?: string) => {
      const probes = buildCorpus(count).map((item, index) => {
        const { language, prompt } = promptAt(index);
        return { ...item.probe, id: `p${index}`, language, prompt, template: templateName, max_tokens: budget, ...(category ? { category } : {}) };
      });
      const file = path.join(dir, `${name}.yaml`);
      writeFileSync(file, JSON.stringify({ suite: name, probes }));
      return file;
    };
    const suitePath = writeSuite("bench-prompts", promptCount, maxTokens);

    for (const parallel of parallels) {
      const specs: WorkerSpec[] = [{ path: "pair", rounds, modelPath, suitePath, parallel, gpu, ...(threads !== undefined ? { threads } : {}) }];
      if (withE2e) specs.push({ ...specs[0]!, path: "cold" }, { ...specs[0]!, path: "e2e" });
      for (const spec of specs) {
        for (const result of await runWorker(spec)) {
          results.set(`${result.path}:${parallel}`, [...runsOf(result.path, parallel), result]);
          if (results.size === 1 && runsOf(result.path, parallel).length === 1) {
            console.log(`threads: ${result.threads} (the harness's choice unless --threads); context ${result.context_size} tokens per sequence\n`);
          }
          process.stderr.write(
            `  ${result.path.padEnd(4)} P=${String(parallel).padStart(2)}: ${result.generated_tokens} tokens, ` +
              `${Math.round(generationRate(result))} tok/s in generation${result.path === "e2e" ? `, wall ${Math.round(result.wall_ms)} ms` : ""}\n`,
          );
        }
      }
      const reference = runsOf("bare", parallel)[0] ?? runsOf("gen", parallel)[0];
      if (llamaCppTool && reference) {
        // One retry: on a machine shared with other work the tool has been killed once mid-run.
        const run = await llamaCppRun(llamaCppTool, modelPath, reference, parallel, maxTokens).catch((error: Error) => {
          process.stderr.write(`  llama-batched-bench P=${parallel} failed, once more: ${error.message.split("\n")[0]}\n`);
          return llamaCppRun(llamaCppTool, modelPath, reference, parallel, maxTokens);
        });
        llamaCpp.set(parallel, run);
        process.stderr.write(`  llama-batched-bench P=${String(parallel).padStart(2)}: ${Math.round(run.row.speed_tg)} tok/s in generation\n`);
      }
    }
    if (withE2e && parallels.length > 1) {
      const [auto] = await runWorker({ path: "e2e", parallelAuto: true, rounds: 1, modelPath, suitePath, parallel: 0, gpu, ...(threads !== undefined ? { threads } : {}) });
      autoRun = auto!;
      process.stderr.write(`  e2e  --parallel auto: chose ${autoRun.parallel}, ${Math.round(wallRate(autoRun))} tok/s wall\n`);
    }
    if (shortProbes > 0 && withE2e) {
      const shortPath = writeSuite("bench-short-probes", shortProbes, SHORT_PROBE_TOKENS, "classification");
      const spec: WorkerSpec = { path: "cold", rounds: 1, modelPath, suitePath: shortPath, parallel: AIM_PARALLEL, gpu, ...(threads !== undefined ? { threads } : {}) };
      const [cold] = await runWorker(spec);
      const [e2e] = await runWorker({ ...spec, path: "e2e" });
      const reference = llamaCppTool ? await llamaCppRun(llamaCppTool, modelPath, cold!, AIM_PARALLEL, SHORT_PROBE_TOKENS) : null;
      shortJob = summarizeShortJob(cold!, e2e!, reference);
      process.stderr.write(`  short probes P=${AIM_PARALLEL}: ${shortJob.probes} probes, e2e wall ${shortJob.e2e_wall_ms} ms\n`);
    }
    if (likelihoodLengths.length > 0) {
      likelihood = await runLikelihoodBench(likelihoodLengths.map((tokens) => ({ modelPath, tokens, window: 2048, gpu, ...(threads !== undefined ? { threads } : {}) })));
      for (const run of likelihood) process.stderr.write(`  likelihood ${run.tokens} tokens: ${run.ms} ms, peak RSS ${run.peak_rss_mib} MiB\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const elapsed = (performance.now() - started) / 1000;
  const summary = parallels.map((parallel) =>
    summarizeP(parallel, runsOf("bare", parallel), runsOf("gen", parallel), runsOf("io", parallel), runsOf("cold", parallel), runsOf("e2e", parallel)),
  );

  const pct = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 100)}%` : "–");
  const num = (value: number | null | undefined) => (value === null || value === undefined ? Number.NaN : value);
  console.log(
    `\ngenerated tokens/s of the generation phase (context creation + every token). bare/gen/gen+io: warm, one process, ratios = median over neighbouring rounds. ` +
      `bare cold and e2e: fresh processes, once each; e2e wall = all of runEvaluation; bare script = model load + loop.`,
  );
  console.log(
    table([
      ["P", "tokens", "bare tok/s", "gen tok/s", "gen+io tok/s", "gen/bare", "gen/bare CPU", "gen+io/bare", "bare cold tok/s", "e2e gen-phase tok/s", "e2e wall tok/s", "e2e gen-phase/bare", "e2e wall/bare", "e2e wall/bare script", "outside gen"],
      ...summary.map((s) => [
        s.parallel,
        s.same_tokens ? `${s.generated_tokens ?? "–"}` : s.token_counts.join("–"),
        s.tokens_per_second.bare,
        s.tokens_per_second.harness_generation,
        s.tokens_per_second.harness_generation_with_io,
        pct(s.ratio.harness_generation_vs_bare),
        pct(s.ratio.harness_generation_vs_bare_cpu),
        pct(s.ratio.harness_with_io_vs_bare),
        s.tokens_per_second.bare_cold_process,
        s.tokens_per_second.e2e_generation_phase,
        s.tokens_per_second.e2e_wall,
        pct(s.ratio.e2e_generation_phase_vs_bare),
        pct(s.ratio.e2e_wall_vs_bare),
        pct(s.ratio.e2e_wall_vs_bare_script),
        s.e2e_breakdown_ms ? pct(s.e2e_breakdown_ms.outside_generation_share) : "–",
      ]),
    ]),
  );
  console.log(`\ntime to first token per prompt (median / p90, ms from its start on a free sequence), model load and e2e wall breakdown (ms), peak RSS (MiB):`);
  console.log(
    table([
      ["P", "TTFT bare", "TTFT harness", "record ms/result", "model load engine/e2e", "e2e startup", "e2e gen", "e2e after gen", "scoring ≈ services load + scoring", "RSS bare+gen / e2e"],
      ...summary.map((s) => [
        s.parallel,
        `${s.time_to_first_token_ms.bare.median ?? "–"} / ${s.time_to_first_token_ms.bare.p90 ?? "–"}`,
        `${s.time_to_first_token_ms.harness.median ?? "–"} / ${s.time_to_first_token_ms.harness.p90 ?? "–"}`,
        num(s.record_ms_per_result),
        `${s.model_load_ms.engine ?? "–"} / ${s.model_load_ms.e2e ?? "–"}`,
        num(s.e2e_breakdown_ms?.startup),
        num(s.e2e_breakdown_ms?.generation),
        num(s.e2e_breakdown_ms?.after_generation),
        s.e2e_breakdown_ms ? `${s.e2e_breakdown_ms.scoring} ≈ ${s.e2e_breakdown_ms.services_load_approx} + ${s.e2e_breakdown_ms.scoring_proper}` : "–",
        [s.peak_rss_mib.bare_and_gen, s.peak_rss_mib.e2e].map((v) => (v === null ? "–" : Math.round(v))).join(" / "),
      ]),
    ]),
  );
  const againstLlamaCpp = summary
    .filter((s) => llamaCpp.has(s.parallel))
    .map((s) => {
      const run = llamaCpp.get(s.parallel)!;
      const e2eRun = runsOf("e2e", s.parallel)[0];
      return {
        parallel: s.parallel,
        llama_cpp_generation_tokens_per_second: round(run.row.speed_tg, 1),
        llama_cpp_prompt_tokens_per_second: round(run.row.speed_pp, 1),
        bare: round(s.tokens_per_second.bare / run.row.speed_tg, 3),
        harness_generation: round(s.tokens_per_second.harness_generation / run.row.speed_tg, 3),
        e2e_generation_phase: round(s.tokens_per_second.e2e_generation_phase / run.row.speed_tg, 3),
        e2e_wall: round(s.tokens_per_second.e2e_wall / run.row.speed_tg, 3),
        /** Share of the e2e wall before the first token could be generated (process start, suites, model load). */
        e2e_startup_share: e2eRun?.e2e ? round(e2eRun.e2e.startup_ms / e2eRun.wall_ms, 3) : null,
        llama_cpp: run,
      };
    });
  if (againstLlamaCpp.length > 0) {
    const tool = llamaCppTool!;
    console.log(
      `\nagainst llama.cpp's own llama-batched-bench (${tool.release}, source bundle ${tool.commit.slice(0, 12)} of ${tool.commitDate.slice(0, 10)}, ` +
        `built against the same prebuilt CPU libllama), same P, threads, context per sequence and batch size, the harness's mean prompt length, ` +
        `${maxTokens} generated tokens per sequence; ratios are of generated tokens/s (llama.cpp: its TG phase, random tokens, no sampling):`,
    );
    console.log(
      table([
        ["P", "threads", "llama.cpp TG tok/s", "bare / llama.cpp", "harness gen / llama.cpp", "e2e gen-phase / llama.cpp", "e2e wall / llama.cpp", "e2e start-up share"],
        ...againstLlamaCpp.map((row) => [
          row.parallel, row.llama_cpp.row.n_threads, row.llama_cpp_generation_tokens_per_second, pct(row.bare), pct(row.harness_generation),
          pct(row.e2e_generation_phase), pct(row.e2e_wall), row.e2e_startup_share === null ? "–" : pct(row.e2e_startup_share),
        ]),
      ]),
    );
  }
  const auto = autoRun ? summarizeAuto(autoRun, parallels.map((parallel) => runsOf("e2e", parallel)[0]).filter((run): run is WorkerResult => run !== undefined)) : null;
  if (auto) {
    console.log(
      `\n--parallel auto (e2e, fresh process): chose P = ${auto.chosen} — ${auto.reason}; e2e generation ${auto.e2e_generation_tokens_per_second} tok/s, ` +
        `${pct(auto.vs_best_fixed)} of the best fixed setting's (P = ${auto.best_fixed_parallel}, ${auto.best_fixed_e2e_generation_tokens_per_second} tok/s; aim ≥ 90%: ${auto.vs_best_fixed >= 0.9 ? "met" : "NOT met"})` +
        (auto.ramp_cost_ms !== null ? `; wall ${auto.ramp_cost_ms} ms longer than the fixed P = ${auto.chosen} run (the ramp)` : ""),
    );
  }
  if (shortJob) {
    const o = shortJob.overhead_ms_per_probe;
    console.log(
      `\nshort probes: ${shortJob.probes} classification probes × ${SHORT_PROBE_TOKENS} tokens at P = ${shortJob.parallel}, fresh processes ` +
        `(${shortJob.generated_tokens} tokens generated): e2e wall ${shortJob.e2e_wall_ms} ms, its generation phase ${shortJob.e2e_generation_ms} ms, ` +
        `the bare loop ${shortJob.bare_generation_ms} ms` +
        (shortJob.llama_cpp_equivalent_ms !== null ? `, llama-batched-bench's rates for the same tokens ${shortJob.llama_cpp_equivalent_ms} ms` : "") +
        `.\nper-probe overhead: generation ${o.generation_vs_bare} ms over the bare loop` +
        (o.generation_vs_llama_cpp !== null ? `, ${o.generation_vs_llama_cpp} ms over llama.cpp; e2e wall ${o.wall_vs_llama_cpp} ms over llama.cpp` : ""),
    );
  }
  if (likelihood.length > 0) {
    console.log(`\nlikelihood (perplexity of one text, one sequence, full-vocabulary log-softmax in float64; a fresh process per length), vocabulary ${likelihood[0]!.vocab_size.toLocaleString("en-US")} tokens:`);
    console.log(
      table([
        ["text tokens", "windows", "ms", "ms per 1,000 tokens", "RSS with the model loaded MiB", "peak RSS MiB", "peak above loaded MiB"],
        ...likelihood.map((run) => [run.tokens, run.windows, run.ms, run.ms_per_1000_tokens, run.rss_before_mib, run.peak_rss_mib, run.scoring_rss_mib]),
      ]),
    );
  }
  const varying = summary.filter((s) => !s.same_tokens);
  if (varying.length > 0) {
    console.log(
      `\nnote: at P = ${varying.map((s) => s.parallel).join(", ")} some runs generated ${varying.map((s) => s.token_counts.join(" or ")).join("; ")} tokens: ` +
        `greedy output changed with how sequences were batched (a near-tie flipped by float summation order) — in bare and harness runs alike.`,
    );
  }
  const atAim = summary.find((s) => s.parallel === AIM_PARALLEL);
  if (atAim) {
    const e2e = atAim.e2e_breakdown_ms
      ? `; fresh processes: e2e generation phase ${pct(atAim.ratio.e2e_generation_phase_vs_bare)} of the bare loop, ` +
        `e2e wall ${pct(atAim.ratio.e2e_wall_vs_bare)} (aim ≥ ${pct(AIM_RATIO)}: ${atAim.ratio.e2e_wall_vs_bare >= AIM_RATIO ? "met" : "NOT met"}); ` +
        `${pct(atAim.e2e_breakdown_ms.outside_generation_share)} of the e2e wall is outside generation` +
        (atAim.generation_seconds_for_aim !== null ? `; the e2e wall reaches ${pct(AIM_RATIO)} once generation lasts ≥ ${atAim.generation_seconds_for_aim} s` : "")
      : "";
    console.log(
      `\nP = ${AIM_PARALLEL}: harness generation ${pct(atAim.ratio.harness_generation_vs_bare)} of the bare loop ` +
        `(${pct(atAim.ratio.harness_generation_vs_bare_cpu)} per CPU-second), with its per-result I/O ${pct(atAim.ratio.harness_with_io_vs_bare)}${e2e}.`,
    );
  }

  const file = writeJson(out, {
    benchmark: "bench",
    created_at: new Date().toISOString(),
    machine,
    versions: {
      node_llama_cpp: packageVersion("node-llama-cpp"),
      llama_cpp: llamaCppRelease(),
      llama_batched_bench: llamaCppTool ? { release: llamaCppTool.release, commit: llamaCppTool.commit, commit_date: llamaCppTool.commitDate } : null,
    },
    model: {
      path: path.relative(process.cwd(), modelPath),
      preset: modelArg === "fixture" || modelArg === "bench" ? modelArg : null,
      name: metadata.name,
      size_bytes: sizeBytes,
      embedding_length: metadata.embedding_length,
      block_count: metadata.block_count,
      quantization: metadata.quantization,
      parameter_count: metadata.parameter_count,
    },
    settings: {
      prompts: promptCount, max_tokens: maxTokens, template: templateName, threads: threads ?? null, threads_used: summary[0]?.threads ?? null,
      gpu, parallel: parallels, rounds, e2e: withE2e, decoding: "greedy", short_probes: shortProbes, short_probe_tokens: SHORT_PROBE_TOKENS,
    },
    elapsed_s: round(elapsed, 1),
    aim: { ratio: AIM_RATIO, parallel: AIM_PARALLEL },
    results: summary,
    against_llama_cpp: againstLlamaCpp,
    short_probes: shortJob,
    parallel_auto: auto,
    likelihood,
    raw: Object.fromEntries([...results].map(([key, list]) => [key, list.map(({ jobs: _jobs, ...rest }) => rest)])),
  });
  console.log(`\n${Math.round(elapsed)} s; wrote ${path.relative(process.cwd(), file)}`);
  return 0;
}

runBench("npm run bench", main);
