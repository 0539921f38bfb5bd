/**
 * `bonsai-eval run`: suites → model → outputs.jsonl → scored report. Input is
 * checked before anything is written: suites, then the model file, then the
 * templates; only then is the run directory touched.
 */
import path from "node:path";
import { CheckRegistry } from "../checks/registry.js";
import { InputError } from "../errors.js";
import { ensureFixtureModel, FIXTURE_MODEL_NAME, fixtureModelSha256 } from "../fixture/tiny-model.js";
import { OutputsWriter } from "../outputs/jsonl.js";
import type { OutputLine } from "../outputs/types.js";
import { Engine, type GpuChoice } from "../runner/engine.js";
import { chooseParallel, type ParallelChoice } from "../runner/parallel-choice.js";
import { describeModelFile, reportedModelFile } from "../runner/model-file.js";
import { resolveTemplate, type PromptTemplate } from "../runner/templates.js";
import { loadSuites } from "../suite/load.js";
import type { Probe } from "../suite/types.js";
import type { Progress } from "../cli/progress.js";
import { compactOutputs, lockRunDir, resumableOutputs, runDirFiles, writeIdentity, type RunIdentity } from "./run-dir.js";
import { scoreRunDir } from "./score.js";
import { loadLanguageServices } from "../lang/services.js";
import { requiredServices } from "../report/score.js";
import { GenerationCache } from "./cache.js";
import { inShard, type Shard } from "./shard.js";
import { generationLine, likelihoodLine, planJobs } from "./jobs.js";
import type { Report } from "../report/types.js";

export interface RunOptions {
  /** Absent: the repo's generated fixture model. */
  modelPath?: string;
  suitePaths: string[];
  outDir: string;
  /** Parallel sequences; "auto" chooses them (src/runner/parallel-choice.ts); absent: a fixed default. */
  parallel?: number | "auto";
  gpu: GpuChoice;
  threads?: number;
  seed: number;
  /** Overrides every probe's template. */
  template?: string;
  /** Overrides every probe's max_tokens. */
  maxTokens?: number;
  /** Only the probes of this shard (`--shard i/n`). */
  shard?: Shard;
  /** Generation cache folder; null turns the cache off. */
  cacheDir: string | null;
  registry: CheckRegistry;
  progress: Progress;
  signal?: AbortSignal;
}

export interface RunResult {
  report: Report;
  outDir: string;
  interrupted: boolean;
  resumed: number;
}

export async function runEvaluation(options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const wallStart = performance.now();
  const allSuites = loadSuites(options.suitePaths, { registry: options.registry });
  // A shard run reports on its own probes only; `merge` joins the shards into the whole.
  const suites = allSuites.map((suite) => ({ ...suite, probes: suite.probes.filter((probe) => inShard(probe, options.shard)) }));
  const probes = suites.flatMap((suite) => suite.probes);

  // The language services (kuromoji's dictionary takes a second or two) load while the model loads and generates.
  let tokenCount: ((text: string) => number) | undefined;
  const services = loadLanguageServices(requiredServices(suites, options.registry), { modelTokenCount: (text) => tokenCount!(text) });
  services.catch(() => undefined); // awaited at scoring; an early failure must not be an unhandled rejection meanwhile

  const modelPath = options.modelPath ?? (await ensureFixtureModel());
  const { model, info } = await describeModelFile(modelPath);
  // Named like the fixture is not enough: a model is the fixture only when it has the fixture's bytes.
  const isFixture = options.modelPath === undefined || (model.metadata.name === FIXTURE_MODEL_NAME && model.sha256 === fixtureModelSha256());

  const loadStart = performance.now();
  const engine = await Engine.open({ modelPath, modelInfo: info, gpu: options.gpu, threads: options.threads }, model.size_bytes);
  tokenCount = (text) => engine.tokenCount(text);
  if (isFixture) options.progress.log(`model: ${model.file_name} — the repo's tiny fixture model (random weights), for trying the tool`);
  const modelLoadMs = performance.now() - loadStart;
  try {
    if (engine.hardware.gpu_note) options.progress.log(engine.hardware.gpu_note);
    options.progress.log(
      `loaded ${model.file_name} on ${engine.hardware.gpu ? `GPU (${engine.hardware.gpu}, ${engine.hardware.model_gpu_layers} layers offloaded)` : "CPU"} with ${engine.hardware.threads} thread(s): ${engine.hardware.threads_reason}`,
    );
    const templates = new Map<string, PromptTemplate>();
    const templateFor = (probe: Probe): PromptTemplate => {
      const spec = options.template ?? probe.generation.template;
      const baseDir = options.template !== undefined ? process.cwd() : path.dirname(probe.source.file);
      const cacheKey = `${spec}\u0000${baseDir}`;
      let template = templates.get(cacheKey);
      if (!template) {
        try {
          template = resolveTemplate(spec, { model: engine.model, chatTemplate: model.metadata.chat_template, baseDir });
        } catch (error) {
          if (error instanceof InputError && options.template === undefined) {
            throw new InputError(error.message, { file: probe.source.file, line: probe.source.line, field: `${probe.id}.template` });
          }
          throw error;
        }
        templates.set(cacheKey, template);
      }
      return template;
    };

    const plan = planJobs(probes, { engine, templateFor, maxTokens: options.maxTokens, seed: options.seed });

    // Everything is valid: now the run directory is touched.
    const files = runDirFiles(options.outDir);
    const release = lockRunDir(files);
    try {
      const identity: RunIdentity = {
        model_sha256: model.sha256,
        settings: {
          template: options.template ?? null,
          max_tokens: options.maxTokens ?? null,
          seed: options.seed,
          shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
        },
      };
      const previous = resumableOutputs(files, identity);
      const kept: OutputLine[] = [];
      const unfinished = <J extends { key: string; probe: Probe }>(job: J) => {
        const line = previous.get(job.key);
        if (line && line.probe_hash === job.probe.hash) {
          kept.push(line);
          return false;
        }
        return true;
      };
      const pendingGeneration = plan.generation.filter(unfinished);
      const pendingLikelihood = plan.likelihood.filter(unfinished);
      const pendingCount = pendingGeneration.length + pendingLikelihood.length;
      if (previous.size > 0) {
        compactOutputs(files, kept);
        options.progress.log(`resuming: ${kept.length} probe(s) already finished in ${options.outDir}, ${pendingCount} to generate`);
      }
      writeIdentity(files, identity);

      const writer = new OutputsWriter(files.outputs);
      const cache = options.cacheDir === null ? null : new GenerationCache(options.cacheDir, model.sha256);
      let generatedTokens = 0;
      const parallelChoice: ParallelChoice =
        options.parallel === "auto"
          ? await chooseParallel(engine, pendingGeneration, options.signal)
          : options.parallel !== undefined
            ? { requested: options.parallel, sequences: options.parallel, reason: "--parallel", ramp: [] }
            : { requested: null, sequences: defaultParallel(engine), reason: "default: 4 on CPU, 8 on GPU", ramp: [] };
      const parallel = parallelChoice.sequences;
      options.progress.start(pendingCount);
      const generationStart = performance.now();
      let contextSize = 0;
      const write = (line: OutputLine) => {
        writer.append(line);
        options.progress.probeDone({
          label: `${line.suite} › ${line.id}${line.sample ? ` #${line.sample}` : ""}${line.cached ? " (cached)" : ""}`,
          stopReason: line.likelihood ? `${line.likelihood.kind} scored` : (line.stop_reason ?? ""),
          outputTokens: line.output_tokens ?? 0,
          timeMs: line.time_ms ?? 0,
        });
      };
      try {
        const generationJobs = new Map(pendingGeneration.map((job) => [job.key, job]));
        const toGenerate = pendingGeneration.filter((job) => {
          const hit = cache?.get(job);
          if (hit) write(generationLine(job, { ...hit, key: job.key }, true));
          return !hit;
        });
        const generated = await engine.generate(toGenerate, {
          parallel,
          signal: options.signal,
          onResult(result) {
            const job = generationJobs.get(result.key)!;
            cache?.put(job, result);
            generatedTokens += result.output_tokens;
            write(generationLine(job, result, false));
          },
        });
        const likelihoodJobs = new Map(pendingLikelihood.map((job) => [job.key, job]));
        const scored = await engine.scoreLikelihood(pendingLikelihood, {
          parallel,
          window: PERPLEXITY_WINDOW,
          signal: options.signal,
          onResult(result) {
            write(likelihoodLine(likelihoodJobs.get(result.key)!, result));
          },
        });
        contextSize = Math.max(generated.contextSize, scored.contextSize);
      } finally {
        writer.close();
        options.progress.finish();
      }
      const generationMs = performance.now() - generationStart;
      const interrupted = options.signal?.aborted ?? false;

      const report = await scoreRunDir({
        suites,
        outputsFile: files.outputs,
        outDir: options.outDir,
        registry: options.registry,
        services,
        manifest: {
          kind: "run",
          complete: !interrupted,
          model: { ...reportedModelFile(model), is_fixture: isFixture },
          generation: {
            templates: [...templates.values()].map((template) => ({ name: template.name, source: template.source })),
            parallel,
            parallel_choice: parallelChoice,
            context_size: contextSize,
            gpu_choice: options.gpu,
            decoding: probes.some((probe) => probe.generation.temperature > 0) ? "sampled" : "greedy",
            repeat_penalty: "off",
            seed: options.seed,
            max_tokens_override: options.maxTokens ?? null,
            template_override: options.template ?? null,
            reused_prompt_tokens: engine.reusedPromptTokens,
          },
          runtime: engine.runtime,
          hardware: engine.hardware,
          shard: options.shard ?? null,
          cache: cache ? { dir: cache.dir, hits: cache.hits, misses: cache.misses, damaged: cache.damaged } : null,
          timings: {
            started_at: startedAt.toISOString(),
            model_load_ms: Math.round(modelLoadMs),
            generation_ms: Math.round(generationMs),
            generated_tokens: generatedTokens,
            tokens_per_second: generationMs > 0 && generatedTokens > 0 ? generatedTokens / (generationMs / 1000) : null,
          },
        },
        wallStart,
      });
      return { report, outDir: options.outDir, interrupted, resumed: kept.length };
    } finally {
      release();
    }
  } finally {
    await engine.dispose();
  }
}

/** Longest window a perplexity text is read in; longer texts slide by half a window. */
const PERPLEXITY_WINDOW = 2048;

/** Parallel sequences when not given: a few on CPU (tiny models batch well), more on a GPU. */
function defaultParallel(engine: Engine): number {
  return engine.hardware.gpu ? 8 : 4;
}
