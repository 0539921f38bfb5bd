/**
 * `bonsai-eval run`: suites → model → outputs.jsonl → scored report. Input is
 * checked before anything is written: suites, then the model file, then the
 * templates; only then is the run directory touched.
 */
import path from "node:path";
import { CheckRegistry } from "../checks/registry.js";
import { InputError } from "../errors.js";
import { ensureFixtureModel, FIXTURE_MODEL_NAME, fixtureModelSha256 } from "../fixture/tiny-model.js";
import { OutputsWriter } from "../format/outputs-file.js";
import type { OutputLine } from "../format/outputs.js";
import { Engine, type GpuChoice } from "../runner/engine.js";
import { chooseParallel } from "../runner/parallel-choice.js";
import type { ParallelChoice } from "../format/manifest.js";
import { assertModelUnchanged, describeModelFile, reportedModelFile } from "../runner/model-file.js";
import { resolveTemplate, type PromptTemplate } from "../runner/templates.js";
import { loadSuites } from "../suite/load.js";
import type { Probe } from "../format/suite.js";
import type { Progress } from "../cli/progress.js";
import { claimRunDir, compactOutputs, lockRunDir, readResumeState, runDirFiles, writeIdentity, type RunIdentity } from "./run-dir.js";
import { scoreRunDir } from "./score.js";
import { readOutputs } from "../format/outputs-file.js";
import { writeReport } from "../report/write.js";
import { sha256 } from "../util/json.js";
import { loadLanguageServices } from "../lang/services.js";
import { requiredServices } from "../scoring/score-outputs.js";
import { GenerationCache } from "./cache.js";
import { inShard, type Shard } from "./shard.js";
import { generationLine, likelihoodLine, planJobs } from "./jobs.js";
import type { Report } from "../format/report.js";
import { visibleControls } from "../util/untrusted-text.js";

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
  /** Warnings shown even with --quiet (a dropped cut line, an unusable cache); default: stderr. */
  warn?: (message: string) => void;
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
  const { model, info, stamp } = await describeModelFile(modelPath);
  // Named like the fixture is not enough: a model is the fixture only when it has the fixture's bytes.
  const isFixture = options.modelPath === undefined || (model.metadata.name === FIXTURE_MODEL_NAME && model.sha256 === fixtureModelSha256());

  const loadStart = performance.now();
  const engine = await Engine.load({ modelPath, modelInfo: info, modelBytes: model.size_bytes, gpu: options.gpu, threads: options.threads });
  tokenCount = (text) => engine.tokenCount(text);
  if (isFixture) options.progress.log(`model: ${model.file_name} — the repo's tiny fixture model (random weights), for trying the tool`);
  const modelLoadMs = performance.now() - loadStart;
  try {
    // Outputs and cache entries are keyed by the hash taken before loading: the loaded file must be that file.
    await assertModelUnchanged(modelPath, stamp);
    if (engine.hardware.gpu_note) options.progress.log(engine.hardware.gpu_note);
    options.progress.log(
      `loaded ${model.file_name} on ${engine.hardware.gpu ? `GPU (${engine.hardware.gpu}, ${engine.hardware.model_gpu_layers} layers offloaded)` : "CPU"} with ${engine.hardware.threads} thread(s): ${engine.hardware.threads_reason}`,
    );
    const templates = new Map<string, PromptTemplate>();
    const override =
      options.template === undefined
        ? null
        : resolveTemplate(options.template, { model: engine.model, chatTemplate: model.metadata.chat_template, baseDir: process.cwd() });
    if (override) templates.set("override", override);
    const templateFor = (probe: Probe): PromptTemplate => {
      if (override) return override;
      const spec = probe.generation.template;
      const baseDir = path.dirname(probe.source.file);
      const cacheKey = `${spec}\u0000${baseDir}`;
      let template = templates.get(cacheKey);
      if (!template) {
        try {
          template = resolveTemplate(spec, { model: engine.model, chatTemplate: model.metadata.chat_template, baseDir });
        } catch (error) {
          if (error instanceof InputError) {
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
    const warn = options.warn ?? ((message: string) => process.stderr.write(`bonsai-eval: warning: ${visibleControls(message)}\n`));
    const files = runDirFiles(options.outDir);
    const runSuites = new Set(suites.map((suite) => suite.name));
    const release = lockRunDir(files);
    try {
      const identity: RunIdentity = {
        model_sha256: model.sha256,
        settings: {
          template: options.template ?? null,
          // The override's text, not only its name: an edited --template file is another setting.
          template_sha256: override ? sha256(override.source ?? override.name) : null,
          max_tokens: options.maxTokens ?? null,
          seed: options.seed,
          shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
        },
        suites: [...runSuites].sort(),
      };
      const previousIdentity = claimRunDir(files, identity);
      const resume = readResumeState(files, runSuites);
      if (resume.cutTail) warn(`${files.outputs}: dropped a cut last line (a write interrupted by a crash); that probe is generated again`);
      const kept = new Set<OutputLine>();
      // A finished output is kept only when everything that made its prompt is unchanged: the probe, and the rendered text (template files, system prompt).
      const unfinished = <J extends { key: string; probe: Probe; rendered: string }>(job: J) => {
        const line = resume.finished.get(job.key);
        if (line && line.probe_hash === job.probe.hash && line.rendered_prompt === job.rendered) {
          kept.add(line);
          return false;
        }
        return true;
      };
      const pendingGeneration = plan.generation.filter(unfinished);
      const pendingLikelihood = plan.likelihood.filter(unfinished);
      const pendingCount = pendingGeneration.length + pendingLikelihood.length;
      // Lines of suites outside this run stay as they are; this run's stale, failed and unfinished lines go.
      const survivors = resume.lines.filter((line) => !runSuites.has(line.suite) || kept.has(line));
      if (resume.cutTail || survivors.length !== resume.lines.length) compactOutputs(files, survivors);
      if (resume.lines.length > 0) {
        options.progress.log(`resuming: ${kept.size} probe(s) already finished in ${options.outDir}, ${pendingCount} to generate`);
      }
      writeIdentity(files, { ...identity, suites: [...new Set([...(previousIdentity?.suites ?? []), ...runSuites])].sort() });

      const writer = new OutputsWriter(files.outputs);
      const cache = options.cacheDir === null ? null : new GenerationCache(options.cacheDir, model.sha256, warn);
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
      // A failed append (a full disk) stops the engine; the error is thrown once generation has wound down.
      const stop = new AbortController();
      const forwardAbort = () => stop.abort();
      if (options.signal?.aborted) stop.abort();
      else options.signal?.addEventListener("abort", forwardAbort, { once: true });
      let writeFailure: unknown = null;
      const write = (line: OutputLine) => {
        if (writeFailure !== null) return;
        try {
          writer.append(line);
        } catch (error) {
          writeFailure = error;
          stop.abort();
          return;
        }
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
          signal: stop.signal,
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
          signal: stop.signal,
          onResult(result) {
            write(likelihoodLine(likelihoodJobs.get(result.key)!, result));
          },
        });
        contextSize = Math.max(generated.contextSize, scored.contextSize);
      } finally {
        options.signal?.removeEventListener("abort", forwardAbort);
        writer.close();
        options.progress.finish();
      }
      if (writeFailure !== null) throw writeFailure;
      const generationMs = performance.now() - generationStart;
      const interrupted = options.signal?.aborted ?? false;

      // The report covers this run's suites; lines other runs left for other suites are not "unknown outputs".
      const outputs = readOutputs(files.outputs);
      outputs.lines = outputs.lines.filter((line) => runSuites.has(line.suite));
      const report = await scoreRunDir({
        suites,
        outputsFile: files.outputs,
        outputs,
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
      // A signal during scoring, or any time before the command ends, leaves the report marked incomplete.
      const markIncomplete = () => {
        if (!report.manifest.complete) return;
        report.manifest.complete = false;
        try {
          writeReport(options.outDir, report);
        } catch (error) {
          warn(`cannot mark the report incomplete: ${(error as Error).message}`);
        }
      };
      await new Promise((resolve) => setImmediate(resolve)); // lets a signal that came during scoring be handled now
      if (options.signal?.aborted) markIncomplete();
      else options.signal?.addEventListener("abort", markIncomplete, { once: true });
      return { report, outDir: options.outDir, interrupted: options.signal?.aborted ?? false, resumed: kept.size };
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
