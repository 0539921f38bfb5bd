/**
 * `bonsai-eval run`: suites → model → outputs.jsonl → scored report. Input is
 * checked before anything is written: suites, then the model file, then the
 * templates; only then is the run directory touched.
 */
import path from "node:path";
import { CheckRegistry } from "../checks/registry.js";
import { InputError } from "../errors.js";
import { ensureFixtureModel, FIXTURE_MODEL_NAME } from "../fixture/tiny-model.js";
import { OutputsWriter } from "../outputs/jsonl.js";
import type { OutputLine } from "../outputs/types.js";
import { Engine, type GenerationJob, type GpuChoice } from "../runner/engine.js";
import { describeModelFile } from "../runner/model-file.js";
import { resolveTemplate, type PromptTemplate } from "../runner/templates.js";
import { loadSuites } from "../suite/load.js";
import type { Probe } from "../suite/types.js";
import type { Progress } from "../cli/progress.js";
import { compactOutputs, lockRunDir, resumableOutputs, runDirFiles, writeIdentity, type RunIdentity } from "./run-dir.js";
import { scoreRunDir } from "./score.js";
import type { Report } from "../report/types.js";

export interface RunOptions {
  /** Absent: the repo's generated fixture model. */
  modelPath?: string;
  suitePaths: string[];
  outDir: string;
  parallel?: number;
  gpu: GpuChoice;
  threads?: number;
  seed: number;
  /** Overrides every probe's template. */
  template?: string;
  /** Overrides every probe's max_tokens. */
  maxTokens?: number;
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

const probeKey = (probe: { suite: string; id: string }) => `${probe.suite}\u0000${probe.id}`;

export async function runEvaluation(options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const wallStart = performance.now();
  const suites = loadSuites(options.suitePaths, { registry: options.registry });
  const probes = suites.flatMap((suite) => suite.probes);

  const modelPath = options.modelPath ?? (await ensureFixtureModel());
  const { model } = await describeModelFile(modelPath);
  const isFixture = options.modelPath === undefined || model.metadata.name === FIXTURE_MODEL_NAME;
  if (isFixture) options.progress.log(`model: ${model.file_name} — the repo's tiny fixture model (random weights), for trying the tool`);

  const loadStart = performance.now();
  const engine = await Engine.open({ modelPath, gpu: options.gpu, threads: options.threads }, model.size_bytes);
  const modelLoadMs = performance.now() - loadStart;
  try {
    options.progress.log(
      `loaded ${model.file_name} on ${engine.hardware.gpu ? `GPU (${engine.hardware.gpu})` : "CPU"} with ${engine.hardware.threads} thread(s): ${engine.hardware.threads_reason}`,
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

    const jobs: Array<GenerationJob & { probe: Probe; rendered: string }> = probes.map((probe) => {
      const rendered = templateFor(probe).render(probe.prompt, probe.generation.system);
      return {
        key: probeKey(probe),
        probe,
        tokens: rendered.tokens,
        endOfTurn: rendered.endOfTurn,
        rendered: engine.detokenize(rendered.tokens, true),
        maxTokens: options.maxTokens ?? probe.generation.max_tokens,
        stop: probe.generation.stop,
        temperature: probe.generation.temperature,
        seed: probe.generation.seed ?? options.seed,
      };
    });

    // Everything is valid: now the run directory is touched.
    const files = runDirFiles(options.outDir);
    const release = lockRunDir(files);
    try {
      const identity: RunIdentity = {
        model_sha256: model.sha256,
        settings: { template: options.template ?? null, max_tokens: options.maxTokens ?? null, seed: options.seed },
      };
      const previous = resumableOutputs(files, identity);
      const kept: OutputLine[] = [];
      const pending = jobs.filter((job) => {
        const line = previous.get(job.key);
        if (line && line.probe_hash === job.probe.hash) {
          kept.push(line);
          return false;
        }
        return true;
      });
      if (previous.size > 0) {
        compactOutputs(files, kept);
        options.progress.log(`resuming: ${kept.length} probe(s) already finished in ${options.outDir}, ${pending.length} to generate`);
      }
      writeIdentity(files, identity);

      const writer = new OutputsWriter(files.outputs);
      const byKey = new Map(jobs.map((job) => [job.key, job]));
      let generatedTokens = 0;
      const parallel = options.parallel ?? defaultParallel(engine);
      options.progress.start(pending.length);
      const generationStart = performance.now();
      let contextSize = 0;
      try {
        ({ contextSize } = await engine.generate(pending, {
          parallel,
          signal: options.signal,
          onResult(result) {
            const job = byKey.get(result.key)!;
            generatedTokens += result.output_tokens;
            const line: OutputLine = {
              suite: job.probe.suite,
              id: job.probe.id,
              output: result.output,
              sample: 0,
              stop_reason: result.stop_reason,
              ...(result.stop_string !== undefined ? { stop_string: result.stop_string } : {}),
              prompt_tokens: result.prompt_tokens,
              output_tokens: result.output_tokens,
              time_ms: result.time_ms,
              trimmed_replacement_char: result.trimmed_replacement_char,
              probe_hash: job.probe.hash,
              rendered_prompt: job.rendered,
              ...(result.error !== undefined ? { error: result.error } : {}),
            };
            writer.append(line);
            options.progress.probeDone({
              label: `${job.probe.suite} › ${job.probe.id}`,
              stopReason: result.stop_reason,
              outputTokens: result.output_tokens,
              timeMs: result.time_ms,
            });
          },
        }));
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
        modelTokenCount: (text) => engine.tokenCount(text),
        manifest: {
          kind: "run",
          complete: !interrupted,
          model: { ...model, is_fixture: isFixture },
          generation: {
            templates: [...templates.values()].map((template) => ({ name: template.name, source: template.source })),
            parallel,
            context_size: contextSize,
            gpu_choice: options.gpu,
            decoding: probes.some((probe) => probe.generation.temperature > 0) ? "sampled" : "greedy",
            repeat_penalty: "off",
            seed: options.seed,
            max_tokens_override: options.maxTokens ?? null,
            template_override: options.template ?? null,
          },
          runtime: engine.runtime,
          hardware: engine.hardware,
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

/** Parallel sequences when not given: a few on CPU (tiny models batch well), more on a GPU. */
function defaultParallel(engine: Engine): number {
  return engine.hardware.gpu ? 8 : 4;
}
