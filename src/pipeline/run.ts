/**
 * `bonsai-eval run`: suites → model → outputs.jsonl → scored report. Input is
 * checked before anything is written: suites, then the model file, then the
 * templates; only then is the run directory touched.
 */
import { CheckRegistry } from "../checks/registry.js";
import { ensureFixtureModel, FIXTURE_MODEL_NAME, fixtureModelSha256 } from "../fixture/tiny-model.js";
import { readOutputs, type ReadOutputs } from "../format/outputs-file.js";
import type { ModelFile, ParallelChoice } from "../format/manifest.js";
import type { GenerationInfo, Report } from "../format/report.js";
import type { RoundCandidate } from "../history/baseline.js";
import type { Suite } from "../format/suite.js";
import { loadLanguageServices, type LanguageServices } from "../lang/services.js";
import { Engine, type GpuChoice } from "../runner/engine.js";
import { assertModelUnchanged, describeModelFile, reportedModelFile } from "../runner/model-file.js";
import { chooseParallel } from "../runner/parallel-choice.js";
import { requiredServices } from "../scoring/score-outputs.js";
import { loadSuites } from "../suite/load.js";
import { writeReport } from "../report/write.js";
import { sha256 } from "../util/json.js";
import { GenerationCache } from "./cache.js";
import type { RunEvents } from "./events.js";
import { generatePending, type Generated } from "./generate.js";
import { judgeOutputs, prepareJudge, suitesNeedBaseline, suitesNeedJudge, type JudgeBaseline, type Judged, type JudgeSetting, type PreparedJudge } from "./judge.js";
import { JUDGEMENTS_FILE } from "../format/judgements.js";
import path from "node:path";
import { planJobs, PromptTemplates, type Plan } from "./jobs.js";
import { ClaimedRunDir, type Resume, type RunIdentity } from "./run-dir.js";
import { scoreRunDir, type ManifestParts } from "./score.js";
import { inShard, type Shard } from "./shard.js";

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
  /** The round's name (`--label`); absent: the model file's name. */
  label?: string;
  /** Overrides every probe's template. */
  template?: string;
  /** Overrides every probe's max_tokens. */
  maxTokens?: number;
  /** Only the probes of this shard (`--shard i/n`). */
  shard?: Shard;
  /** Generation cache folder; null turns the cache off. */
  cacheDir: string | null;
  /** `--allow-stale`: keep finished outputs generated for another version of a probe (scored, marked stale) instead of generating them again. */
  allowStale?: boolean;
  /** `--judge-model`: the model that grades the judge checks after generation; absent: recorded verdicts only. */
  judge?: JudgeSetting;
  /**
   * The baseline round pairwise judge checks compare with: a report already
   * read, or (`--baseline last-accepted`) a choice made once the suites are
   * loaded, before the model is, by the settings and suites this run will record.
   */
  judgeBaseline?: JudgeBaseline | ((candidate: RoundCandidate) => PlannedBaseline) | null;
  registry: CheckRegistry;
  events: RunEvents;
  signal?: AbortSignal;
}

/** A baseline chosen before the run, and the line saying which round it is. */
export interface PlannedBaseline {
  loaded: JudgeBaseline;
  note: string;
}

export interface RunResult {
  report: Report;
  /** The baseline pairwise judge checks compared with (null: none); a gate against last-accepted uses this same round. */
  judgeBaseline: JudgeBaseline | null;
  outDir: string;
  interrupted: boolean;
  resumed: number;
}

export async function runEvaluation(options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const wallStart = performance.now();
  const suites = loadRunSuites(options);
  const judgeBaseline = chooseJudgeBaseline(options, suites);
  const services = startLanguageServices(suites, options.registry);

  const model = await describeModel(options.modelPath);
  const judge = options.judge && suitesNeedJudge(suites)
    ? await prepareJudge(options.judge, { fileName: model.file.file_name, chatTemplate: model.file.metadata.chat_template ?? null })
    : null;
  const loadStart = performance.now();
  await using engine = await Engine.load({ modelPath: model.path, modelInfo: model.info, modelBytes: model.file.size_bytes, gpu: options.gpu, threads: options.threads });
  const modelLoadMs = performance.now() - loadStart;
  services.bindModel(engine);
  await announceLoadedModel(engine, model, options.events);

  const templates = new PromptTemplates(engine, model.file.metadata.chat_template, options.template);
  const plan = planJobs(suites.flatMap((suite) => suite.probes), { engine, templates, maxTokens: options.maxTokens, seed: options.seed });

  // Everything is valid: now the run directory is touched.
  const runSuites = new Set(suites.map((suite) => suite.name));
  const identity = runIdentity(model.file, options, templates, runSuites);
  using runDir = ClaimedRunDir.claim(options.outDir, identity);
  const resume = runDir.resume(plan, { suites: runSuites, allowStale: options.allowStale ?? false });
  announceResume(resume, runDir, options);
  runDir.recordIdentity({ ...identity, suites: [...new Set([...(runDir.previous?.suites ?? []), ...runSuites])].sort() });

  const cache = options.cacheDir === null ? null : new GenerationCache(options.cacheDir, model.file.sha256, (message) => options.events.warning(message));
  const parallel = await chooseSequences(engine, resume.pending, options);
  const generated = await generatePending(resume.pending, {
    engine, cache, outputsFile: runDir.files.outputs, parallel: parallel.sequences, events: options.events, signal: options.signal,
  });

  const judged = await judgeStep({ options, suites, model, engine, templates, parallel, judgeBaseline, judge, runDir, runSuites });

  const report = await scoreRunDir({
    suites,
    outputsFile: runDir.files.outputs,
    outputs: outputsOf(runDir, runSuites),
    outDir: options.outDir,
    registry: options.registry,
    services: services.loaded,
    allowStale: options.allowStale ?? false,
    wallStart,
    manifest: runManifest({ options, suites, model, engine, templates, parallel, judgeBaseline, cache, generated, judged, startedAt, modelLoadMs }),
  });
  await markIncompleteOnSignal(report, options);
  return { report, judgeBaseline, outDir: options.outDir, interrupted: options.signal?.aborted ?? false, resumed: resume.kept };
}

/**
 * The baseline pairwise judge checks compare with. A last-accepted round is
 * chosen here, once, by the settings and suites this run will record, so
 * the gate after the run compares with the very round the judge compared with.
 */
function chooseJudgeBaseline(options: RunOptions, suites: Suite[]): JudgeBaseline | null {
  const given = options.judgeBaseline ?? null;
  if (typeof given !== "function") return given;
  if (!options.judge || !suitesNeedBaseline(suites)) return null;
  const chosen = given({ settings: roundSettingsOf(options, suites), suites });
  options.events.note(`${chosen.note}; pairwise judge checks compare with it`);
  return chosen.loaded;
}

/** The settings that decide which rounds compare (history/settings.ts), as manifest.generation records them; known before the model loads. */
function roundSettingsOf(options: RunOptions, suites: Suite[]): Pick<GenerationInfo, "decoding" | "seed" | "max_tokens_override" | "template_override" | "repeat_penalty"> {
  return {
    decoding: suites.some((suite) => suite.probes.some((probe) => probe.generation.temperature > 0)) ? "sampled" : "greedy",
    seed: options.seed,
    max_tokens_override: options.maxTokens ?? null,
    template_override: options.template ?? null,
    repeat_penalty: "off",
  };
}

/** What every step after the model load knows: the run's options and suites, the model and engine, templates, parallelism. */
interface LoadedRun {
  options: RunOptions;
  suites: Suite[];
  model: DescribedModel;
  engine: Engine;
  templates: PromptTemplates;
  parallel: ParallelChoice;
  judgeBaseline: JudgeBaseline | null;
}

interface JudgeStepFacts extends LoadedRun {
  /** The judge, checked before the model loaded; null without --judge-model or judge checks. */
  judge: PreparedJudge | null;
  runDir: ClaimedRunDir;
  runSuites: Set<string>;
}

/**
 * The judge step, after generation: the judge checks' outputs go to the judge
 * model. A second model loads only after the evaluated one is released,
 * unless a length check still counts the evaluated model's tokens at scoring.
 */
async function judgeStep({ options, suites, model, engine, parallel, judgeBaseline, judge, runDir, runSuites }: JudgeStepFacts): Promise<Judged | null> {
  if (!suitesNeedJudge(suites) || options.signal?.aborted) return null;
  if (!judge) {
    options.events.note("judge checks: no --judge-model (or BONSAI_JUDGE_MODEL); scored from the verdicts recorded in this run directory, errors where there are none");
    return null;
  }
  const countsModelTokens = suites.some((suite) => suite.probes.some((probe) => probe.checks.some((check) => check.type === "length" && check.unit === "tokens")));
  return judgeOutputs({
    suites,
    outputs: outputsOf(runDir, runSuites).lines,
    judgementsFile: path.join(runDir.files.dir, JUDGEMENTS_FILE),
    judge,
    evaluated: { engine, sha256: model.file.sha256, fileName: model.file.file_name, chatTemplate: model.file.metadata.chat_template ?? null },
    releaseEvaluated: async () => {
      if (countsModelTokens) options.events.note("the evaluated model stays loaded beside the judge: a length check counts its tokens when scoring");
      else await engine.dispose();
    },
    baseline: judgeBaseline,
    allowStale: options.allowStale ?? false,
    gpu: options.gpu,
    threads: options.threads,
    parallel: parallel.sequences,
    seed: options.seed,
    cacheDir: options.cacheDir,
    events: options.events,
    signal: options.signal,
  });
}

/** The suites, each cut to the probes of this shard: a shard run reports on its own probes; `merge` joins the shards. */
function loadRunSuites(options: RunOptions): Suite[] {
  return loadSuites(options.suitePaths, { registry: options.registry }).map((suite) => ({
    ...suite,
    probes: suite.probes.filter((probe) => inShard(probe, options.shard)),
  }));
}

/**
 * The language services load while the model loads and generates (kuromoji's
 * dictionary takes a second or two); the checks that count model tokens get
 * the engine's tokenizer once it is open.
 */
function startLanguageServices(suites: Suite[], registry: CheckRegistry): { loaded: Promise<LanguageServices>; bindModel(engine: Engine): void } {
  let engine: Engine | null = null;
  const loaded = loadLanguageServices(requiredServices(suites, registry), { modelTokenCount: (text) => engine!.tokenCount(text) });
  loaded.catch(() => undefined); // awaited at scoring; an early failure must not be an unhandled rejection meanwhile
  return { loaded, bindModel: (opened) => (engine = opened) };
}

interface DescribedModel {
  path: string;
  file: ModelFile;
  info: Awaited<ReturnType<typeof describeModelFile>>["info"];
  stamp: Awaited<ReturnType<typeof describeModelFile>>["stamp"];
  isFixture: boolean;
}

/** The model file's facts and hash, taken before it loads; absent: the generated fixture. */
async function describeModel(modelPath: string | undefined): Promise<DescribedModel> {
  const path = modelPath ?? (await ensureFixtureModel());
  const { model, info, stamp } = await describeModelFile(path);
  // Named like the fixture is not enough: a model is the fixture only when it has the fixture's bytes.
  const isFixture = modelPath === undefined || (model.metadata.name === FIXTURE_MODEL_NAME && model.sha256 === fixtureModelSha256());
  return { path, file: model, info, stamp, isFixture };
}

async function announceLoadedModel(engine: Engine, model: DescribedModel, events: RunEvents): Promise<void> {
  if (model.isFixture) events.note(`model: ${model.file.file_name} — the repo's tiny fixture model (random weights), for trying the tool`);
  // Outputs and cache entries are keyed by the hash taken before loading: the loaded file must be that file.
  await assertModelUnchanged(model.path, model.stamp);
  const { hardware } = engine;
  if (hardware.gpu_note) events.note(hardware.gpu_note);
  const where = hardware.gpu ? `GPU (${hardware.gpu}, ${hardware.model_gpu_layers} layers offloaded)` : "CPU";
  events.note(`loaded ${model.file.file_name} on ${where} with ${hardware.threads} thread(s): ${hardware.threads_reason}`);
}

/** What a run directory must agree with to be resumed: the model and every run-level setting that changes outputs. */
function runIdentity(model: ModelFile, options: RunOptions, templates: PromptTemplates, suites: Set<string>): RunIdentity {
  const override = templates.override;
  return {
    model_sha256: model.sha256,
    settings: {
      template: options.template ?? null,
      // The override's text, not only its name: an edited --template file is another setting.
      template_sha256: override ? sha256(override.source ?? override.name) : null,
      max_tokens: options.maxTokens ?? null,
      seed: options.seed,
      shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
    },
    suites: [...suites].sort(),
  };
}

function announceResume(resume: Resume, runDir: ClaimedRunDir, options: RunOptions): void {
  if (resume.droppedCutLine) {
    options.events.warning(`${runDir.files.outputs}: dropped a cut last line (a write interrupted by a crash); that probe is generated again`);
  }
  if (resume.found === 0) return;
  const pending = resume.pending.generation.length + resume.pending.likelihood.length;
  const stale = resume.keptStale > 0 ? ` (${resume.keptStale} generated for another version of their probe, kept by --allow-stale: scored, marked stale)` : "";
  options.events.note(`resuming: ${resume.kept} probe(s) already finished in ${options.outDir}${stale}, ${pending} to generate`);
}

/** How many sequences generate in parallel: --parallel N, --parallel auto (measured), or a default by device. */
async function chooseSequences(engine: Engine, pending: Plan, options: RunOptions): Promise<ParallelChoice> {
  if (options.parallel === "auto") return chooseParallel(engine, pending.generation, options.signal);
  if (options.parallel !== undefined) return { requested: options.parallel, sequences: options.parallel, reason: "--parallel", ramp: [] };
  // A few on CPU (tiny models batch well), more on a GPU.
  return { requested: null, sequences: engine.hardware.gpu ? 8 : 4, reason: "default: 4 on CPU, 8 on GPU", ramp: [] };
}

/** The outputs of this run's suites: lines other runs left for other suites are not "unknown outputs" of this one. */
function outputsOf(runDir: ClaimedRunDir, runSuites: Set<string>): ReadOutputs {
  const outputs = readOutputs(runDir.files.outputs);
  return { ...outputs, lines: outputs.lines.filter((line) => runSuites.has(line.suite)) };
}

interface RunFacts extends LoadedRun {
  cache: GenerationCache | null;
  generated: Generated;
  judged: Judged | null;
  startedAt: Date;
  modelLoadMs: number;
}

/** How the outputs were made: the model, the generation settings, where it ran, the cache, the timings. */
function runManifest({ options, suites, model, engine, templates, parallel, judgeBaseline, cache, generated, judged, startedAt, modelLoadMs }: RunFacts): ManifestParts {
  const settings = roundSettingsOf(options, suites);
  return {
    kind: "run",
    label: options.label ?? model.file.file_name,
    complete: !(options.signal?.aborted ?? false),
    model: { ...reportedModelFile(model.file), is_fixture: model.isFixture },
    generation: {
      templates: templates.used().map((template) => ({ name: template.name, source: template.source })),
      parallel: parallel.sequences,
      parallel_choice: parallel,
      context_size: generated.contextSize,
      gpu_choice: options.gpu,
      decoding: settings.decoding,
      repeat_penalty: settings.repeat_penalty,
      seed: settings.seed,
      max_tokens_override: settings.max_tokens_override,
      template_override: settings.template_override,
      reused_prompt_tokens: engine.reusedPromptTokens,
    },
    runtime: engine.runtime,
    hardware: engine.hardware,
    shard: options.shard ?? null,
    cache: cache ? { dir: cache.dir, hits: cache.hits, misses: cache.misses, damaged: cache.damaged } : null,
    ...(judged?.judge
      ? {
          judge: {
            model_file: judged.judge.model_file,
            model_sha256: judged.judge.model_sha256,
            template: judged.judge.template,
            judged: judged.judged,
            kept: judged.kept,
            without_baseline: judged.withoutBaseline,
            baseline: judgeBaseline?.path ?? null,
            cache: judged.cache,
            judge_ms: judged.judge_ms,
          },
        }
      : {}),
    timings: {
      started_at: startedAt.toISOString(),
      model_load_ms: Math.round(modelLoadMs),
      generation_ms: Math.round(generated.generationMs),
      generated_tokens: generated.generatedTokens,
      tokens_per_second: generated.generationMs > 0 && generated.generatedTokens > 0 ? generated.generatedTokens / (generated.generationMs / 1000) : null,
    },
  };
}

/** A signal during scoring, or any time before the command ends, leaves the report marked incomplete. */
async function markIncompleteOnSignal(report: Report, options: RunOptions): Promise<void> {
  const markIncomplete = () => {
    if (!report.manifest.complete) return;
    report.manifest.complete = false;
    try {
      writeReport(options.outDir, report);
    } catch (error) {
      options.events.warning(`cannot mark the report incomplete: ${(error as Error).message}`);
    }
  };
  await new Promise((resolve) => setImmediate(resolve)); // lets a signal that came during scoring be handled now
  if (options.signal?.aborted) markIncomplete();
  else options.signal?.addEventListener("abort", markIncomplete, { once: true });
}
