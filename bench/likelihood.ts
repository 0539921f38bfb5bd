/**
 * Likelihood scoring's memory and time against the text length: a perplexity
 * text of N tokens scored by Engine.scoreLikelihood, one fresh child process
 * per N (so peak RSS is that length's own), one sequence. On a large
 * vocabulary (Gemma 3: 262,144 tokens) every scored position's logits are a
 * full-vocabulary row: memory must stay flat in N, not grow with it.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Engine } from "../src/runner/engine.js";
import { inspectModelFile } from "../src/runner/model-file.js";
import type { GpuChoice } from "../src/runner/engine.js";
import { InputError } from "../src/errors.js";
import { parseBenchArgs, peakRssMib, round, RssSampler, runBench } from "./util.js";

export const LIKELIHOOD_MARK = "LIKELIHOOD_RESULT ";

export interface LikelihoodSpec {
  modelPath: string;
  tokens: number;
  window: number;
  gpu: GpuChoice;
  threads?: number;
}

export interface LikelihoodRun {
  tokens: number;
  scored_tokens: number;
  windows: number;
  ms: number;
  ms_per_1000_tokens: number;
  rss_before_mib: number;
  peak_rss_mib: number;
  /** Peak RSS above what the process held with the model loaded, before scoring. */
  scoring_rss_mib: number;
  mean_logprob: number;
  vocab_size: number;
}

/** Mixed ja/zh/en prose, repeated to length: tokenized by the model itself. */
const TEXT =
  "富士山は日本で一番高い山で、静岡県と山梨県にまたがっています。北京是中国的首都，也是一座历史悠久的城市。" +
  "Mount Fuji is the highest mountain in Japan, and on a clear day it can be seen from Tokyo. " +
  "ワンタンは中国の料理で、日本でもよく食べられています。我们明天去北京大学参观。The weather today is fine. ";

/** In the child: load, score a text of spec.tokens tokens, report. */
export async function likelihoodWorker(spec: LikelihoodSpec): Promise<LikelihoodRun> {
  const { info, metadata, sizeBytes } = await inspectModelFile(spec.modelPath);
  await using engine = await Engine.load({ modelPath: spec.modelPath, modelInfo: info, modelBytes: sizeBytes, gpu: spec.gpu, threads: spec.threads });
  let text = TEXT;
  while (engine.textTokens(text).tokens.length < spec.tokens) text += TEXT;
  const tokens = engine.textTokens(text).tokens.slice(0, spec.tokens);
  const before = process.memoryUsage.rss() / 2 ** 20;
  const sampler = new RssSampler().start(10);
  const started = performance.now();
  let logprobs: number[] = [];
  let windows = 0;
  await engine.scoreLikelihood([{ kind: "perplexity", key: "text", tokens }], {
    parallel: 1,
    window: spec.window,
    onResult(result) {
      if (result.error) throw new Error(result.error);
      logprobs = result.logprobs ?? [];
      windows = result.windows;
    },
  });
  const ms = performance.now() - started;
  const peak = Math.max(sampler.stop(), peakRssMib());
  return {
    tokens: tokens.length,
    scored_tokens: logprobs.length,
    windows,
    ms: round(ms),
    ms_per_1000_tokens: round((ms / logprobs.length) * 1000, 1),
    rss_before_mib: round(before, 1),
    peak_rss_mib: round(peak, 1),
    scoring_rss_mib: round(peak - before, 1),
    mean_logprob: round(logprobs.reduce((sum, value) => sum + value, 0) / logprobs.length, 4),
    vocab_size: metadata.vocab_size ?? 0,
  };
}

const execFileAsync = promisify(execFile);

/** In the parent: one fresh process per length. */
export async function runLikelihoodBench(specs: LikelihoodSpec[]): Promise<LikelihoodRun[]> {
  const entry = fileURLToPath(import.meta.url);
  const runs: LikelihoodRun[] = [];
  for (const spec of specs) {
    const { stdout } = await execFileAsync(process.execPath, [entry, JSON.stringify(spec)], { maxBuffer: 16 * 2 ** 20, timeout: 3 * 60 * 60 * 1000 });
    const line = stdout.split("\n").find((row) => row.startsWith(LIKELIHOOD_MARK));
    if (!line) throw new Error(`no result from the likelihood worker for ${spec.tokens} tokens:\n${stdout.slice(-2000)}`);
    runs.push(JSON.parse(line.slice(LIKELIHOOD_MARK.length)) as LikelihoodRun);
  }
  return runs;
}

const WORKER_USAGE = "usage: node dist/bench/bench/likelihood.js SPEC   (SPEC: a LikelihoodSpec as JSON; a child process of npm run bench)";

/** The worker's entry: one LikelihoodSpec as its one argument, one result line out. */
async function workerMain(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2), {}, WORKER_USAGE, true);
  if (parsed === null) return 0;
  const [spec, ...rest] = parsed.positionals;
  if (spec === undefined || rest.length > 0) throw new InputError(`takes one argument, the spec as JSON; got ${parsed.positionals.length}`, { field: "usage" });
  const run = await likelihoodWorker(JSON.parse(spec) as LikelihoodSpec);
  process.stdout.write(LIKELIHOOD_MARK + JSON.stringify(run) + "\n");
  return 0;
}

if (process.argv[1] && process.argv[1] === fileURLToPath(import.meta.url)) runBench("node dist/bench/bench/likelihood.js", workerMain);
