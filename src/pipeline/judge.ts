/**
 * The judge step of a run: after generation, every output that a `judge`
 * check grades is put to the judge model (a second GGUF, or the evaluated
 * model itself), and its replies are appended to judgements.jsonl, where the
 * scorer finds them. Greedy and seeded, constrained to the check's JSON
 * schema, cached like generations (keyed by the judge model's sha256 and the
 * exact request tokens, which hold the rubric and the answer). A reply
 * already recorded for the same request and judge is not asked again.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { judgeRequests, requestHash, type JudgeParams, type JudgeRequest } from "../checks/judge.js";
import { judgementKey, JudgementsWriter, readJudgements, type JudgeIdentity, type JudgementLine, type JudgeReply } from "../format/judgements.js";
import type { OutputLine } from "../format/outputs.js";
import type { Report } from "../format/report.js";
import type { Probe, Suite } from "../format/suite.js";
import { probeKey } from "../format/probe-key.js";
import { Engine, type GenerationJob, type GenerationResult, type GpuChoice } from "../runner/engine.js";
import { assertModelUnchanged, describeModelFile } from "../runner/model-file.js";
import { NAMED_TEMPLATES, resolveTemplate, type PromptTemplate } from "../runner/templates.js";
import { sha256 as sha256Of } from "../util/json.js";
import { CachedGenerator, GenerationCache } from "./cache.js";
import type { RunEvents } from "./events.js";
import type { JudgeSetting } from "./judge-setting.js";

export type { JudgeSetting } from "./judge-setting.js";

/** Tokens a verdict may take: the grammar holds the reason to 200 characters, which a byte-level vocabulary spells in up to ~600. */
const VERDICT_MAX_TOKENS = 768;

/** The baseline round pairwise judge checks compare with: its report and where it was read. */
export interface JudgeBaseline {
  report: Report;
  path: string;
}

/** One output one judge check grades, with what the judge is asked. */
interface JudgeTask {
  key: string;
  /** The output was generated for another version of the probe (kept by --allow-stale). */
  stale: boolean;
  line: Omit<JudgementLine, "judge" | "replies">;
  requests: JudgeRequest[];
}

export interface JudgeStepOptions {
  suites: Suite[];
  /** The run's outputs lines (of this run's suites). */
  outputs: OutputLine[];
  judgementsFile: string;
  judge: PreparedJudge;
  /** The evaluated model, for `self`. */
  evaluated: { engine: Engine; sha256: string; fileName: string; chatTemplate: string | null };
  /** Frees the evaluated model before the judge loads (one model in memory at a time). */
  releaseEvaluated(): Promise<void>;
  baseline: JudgeBaseline | null;
  /** `--allow-stale`: outputs generated for another version of their probe are scored, so they are judged too (on the probe as it is now). */
  allowStale: boolean;
  gpu: GpuChoice;
  threads?: number;
  parallel: number;
  seed: number;
  cacheDir: string | null;
  events: RunEvents;
  signal?: AbortSignal;
}

export interface Judged {
  judge: JudgeIdentity | null;
  /** Outputs judged now (replies from the judge or its cache). */
  judged: number;
  /** Outputs whose recorded verdict was still current. */
  kept: number;
  /** Pairwise checks with no baseline output for their probe (new or changed probe, or no --baseline). */
  withoutBaseline: number;
  cache: { hits: number; misses: number } | null;
  judge_ms: number;
}

/** True when a suite holds a judge check: only then is a judge needed. */
export function suitesNeedJudge(suites: Suite[]): boolean {
  return suites.some((suite) => suite.probes.some((probe) => probe.checks.some((check) => check.type === "judge")));
}

/** True when a pairwise judge check needs a baseline report. */
export function suitesNeedBaseline(suites: Suite[]): boolean {
  return suites.some((suite) => suite.probes.some((probe) => probe.checks.some((check) => check.type === "judge" && check.mode === "pairwise")));
}

export async function judgeOutputs(options: JudgeStepOptions): Promise<Judged> {
  const started = performance.now();
  const { tasks, withoutBaseline } = judgeTasks(options);
  const recorded = readJudgements(options.judgementsFile);
  const judged: Judged = { judge: null, judged: 0, kept: 0, withoutBaseline, cache: null, judge_ms: 0 };
  if (tasks.length === 0) return judged;

  const { setting, file: judgeFile } = options.judge;
  const self = judgeFile === null;
  const sha256 = judgeFile ? judgeFile.model.sha256 : options.evaluated.sha256;
  const fileName = judgeFile ? judgeFile.model.file_name : options.evaluated.fileName;
  const { spec: templateSpec, sha256: templateSha256 } = options.judge.template;
  const current = (task: JudgeTask) => {
    const line = recorded.get(task.key);
    if (line === undefined || line.request_sha256 !== task.line.request_sha256) return false;
    const sameTemplate = (line.judge.template_spec ?? "auto") === templateSpec && (line.judge.template_sha256 ?? null) === templateSha256;
    return line.judge.model_sha256 === sha256 && sameTemplate && line.replies.every((reply) => reply.stop_reason !== "error");
  };
  const pending = tasks.filter((task) => !current(task));
  judged.kept = tasks.length - pending.length;
  if (pending.length === 0) {
    judged.judge = recorded.get(tasks[0]!.key)!.judge;
    return judged;
  }

  if (!self) await options.releaseEvaluated();
  await using owned = judgeFile
    ? await Engine.load({ modelPath: judgeFile.model.path ?? setting.model, modelInfo: judgeFile.info, modelBytes: judgeFile.model.size_bytes, gpu: options.gpu, threads: options.threads })
    : null;
  // Hashed before generation: the judge loaded now must still be that file, or its verdicts would be keyed by another's hash.
  if (judgeFile) await assertModelUnchanged(judgeFile.model.path ?? setting.model, judgeFile.stamp);
  const engine = owned ?? options.evaluated.engine;
  const chatTemplate = judgeFile ? judgeFile.model.metadata.chat_template ?? null : options.evaluated.chatTemplate;
  const template = judgeTemplate(options.judge, engine, chatTemplate);
  const identity: JudgeIdentity = {
    model_sha256: sha256, model_file: fileName, template: template.name, template_spec: templateSpec,
    ...(templateSha256 ? { template_sha256: templateSha256 } : {}),
  };
  judged.judge = identity;
  const stale = pending.filter((task) => task.stale).length;
  const staleNote = stale > 0 ? ` (${stale} generated for another version of their probe, kept by --allow-stale: judged on the probe as it is now)` : "";
  options.events.note(`judging ${pending.length} output(s)${staleNote} with ${self ? `the evaluated model (${fileName})` : fileName}, template ${template.name}`);

  const cache = options.cacheDir === null ? null : new GenerationCache(options.cacheDir, sha256, (message) => options.events.warning(message));
  const jobs = pending.flatMap((task) => task.requests.map((request, index) => judgeJob(task, index, request, template, options.seed)));
  const replies = new Map<string, Array<JudgeReply | undefined>>();
  const byKey = new Map(pending.map((task) => [task.key, task]));
  using writer = new JudgementsWriter(options.judgementsFile);
  await new CachedGenerator(engine, cache).generate(jobs, {
    parallel: setting.parallel ?? options.parallel,
    signal: options.signal,
    onResult(job, result, cached) {
      const task = byKey.get(job.task)!;
      // Filled, not sparse: every() skips the holes of a sparse array.
      const got = replies.get(job.task) ?? Array.from({ length: task.requests.length }, (): JudgeReply | undefined => undefined);
      got[job.index] = judgeReply(task, job.index, result, cached);
      replies.set(job.task, got);
      if (got.every((reply) => reply !== undefined)) {
        writer.append({ ...task.line, judge: identity, replies: got as JudgeReply[] });
        judged.judged++;
      }
    },
  });
  judged.cache = cache ? { hits: cache.hits, misses: cache.misses } : null;
  judged.judge_ms = Math.round(performance.now() - started);
  return judged;
}

/** The judge as checked before the evaluated model loads: its model file described and hashed (none for self), its template file read once. */
export interface PreparedJudge {
  setting: JudgeSetting;
  file: DescribedModelFile | null;
  /** The template as given (auto, raw, a named one or a file) and, for a file, the text read and its sha256: the judge's template is built from this text, never from the file read again. */
  template: { spec: string; fileText: string | null; sha256: string | null };
  /** Where the judge's model and template came from (--judge-model or BONSAI_JUDGE_MODEL…), named in its errors. */
  fields: { model: string; template: string };
}

type DescribedModelFile = Awaited<ReturnType<typeof describeModelFile>>;

/**
 * Bad judge input fails before anything is generated, not after: a
 * --judge-template that is no template and no readable file, or `auto` for a
 * judge whose GGUF has no chat template (a base model needs one named), or a
 * judge model path that is no GGUF (named as the judge's, not the evaluated model's).
 */
export async function prepareJudge(setting: JudgeSetting, evaluated: { fileName: string; chatTemplate: string | null }): Promise<PreparedJudge> {
  const fields = setting.fields ?? { model: "--judge-model", template: "--judge-template" };
  const spec = setting.template ?? "auto";
  const named = Object.keys(NAMED_TEMPLATES).join("|");
  const template = readTemplateFile(spec);
  if (template === undefined) {
    throw new InputError(`unknown template "${spec}": not auto, raw, one of ${Object.keys(NAMED_TEMPLATES).join(", ")}, nor a readable file`, { field: fields.template });
  }
  const file = setting.model === "self" ? null : await describeJudgeFile(setting.model, fields.model);
  const chatTemplate = file ? (file.model.metadata.chat_template ?? null) : evaluated.chatTemplate;
  if (spec === "auto" && !chatTemplate) {
    const name = file ? file.model.file_name : evaluated.fileName;
    throw new InputError(`judge model ${name} has no chat template (tokenizer.chat_template); choose one with ${fields.template} raw|${named}|FILE`, { field: fields.template });
  }
  return { setting, file, template: { spec, fileText: template?.text ?? null, sha256: template?.sha256 ?? null }, fields };
}

/** The judge's GGUF described and hashed; its errors say it is the judge's file and which flag or variable named it. */
async function describeJudgeFile(file: string, field: string): Promise<DescribedModelFile> {
  try {
    return await describeModelFile(file);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`judge model: ${error.message}`, { ...error.location, file: error.location.file ?? file, field });
    throw error;
  }
}

/**
 * A judge template given as a file, read once before the judge loads: its
 * text (the template is built from it) and its sha256 (the same file name with
 * other text is another judge). Null for auto (the model's sha256 covers its
 * chat template), raw and the named templates; undefined when the file cannot be read.
 */
function readTemplateFile(spec: string): { text: string; sha256: string } | null | undefined {
  if (spec === "auto" || spec === "raw" || Object.hasOwn(NAMED_TEMPLATES, spec)) return null;
  try {
    const bytes = readFileSync(path.resolve(process.cwd(), spec));
    return { text: bytes.toString("utf8"), sha256: sha256Of(bytes) };
  } catch {
    return undefined;
  }
}

function judgeTemplate(prepared: PreparedJudge, engine: Engine, chatTemplate: string | null): PromptTemplate {
  const { spec, fileText } = prepared.template;
  try {
    return resolveTemplate(spec, { model: engine.model, chatTemplate, baseDir: process.cwd(), ...(fileText !== null ? { fileText } : {}) });
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(`judge model: ${error.message.replace(/--template/g, prepared.fields.template)}`, { ...error.location, field: prepared.fields.template });
    }
    throw error;
  }
}

type JudgeJob = GenerationJob & { task: string; index: number };

function judgeJob(task: JudgeTask, index: number, request: JudgeRequest, template: PromptTemplate, seed: number): JudgeJob {
  const rendered = template.render(request.prompt, request.system);
  return {
    key: `${task.key}\u0000${index}`,
    task: task.key,
    index,
    tokens: rendered.tokens,
    endOfTurn: rendered.endOfTurn,
    maxTokens: VERDICT_MAX_TOKENS,
    stop: [],
    temperature: 0,
    seed,
    jsonSchema: request.schema,
  };
}

function judgeReply(task: JudgeTask, index: number, result: GenerationResult, cached: boolean): JudgeReply {
  const order = task.line.mode === "grade" ? "candidate" : index === 0 ? "candidate_first" : "baseline_first";
  return {
    order,
    text: result.output,
    stop_reason: result.stop_reason,
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(cached ? { cached: true } : {}),
  };
}

/**
 * Every (output, judge check) to judge: the latest line of each sample of each
 * probe, generated without error, for this version of the probe; with
 * --allow-stale also one generated for an earlier version, since it is scored.
 */
function judgeTasks(options: JudgeStepOptions): { tasks: JudgeTask[]; withoutBaseline: number } {
  const latest = new Map<string, OutputLine>();
  for (const line of options.outputs) latest.set(`${probeKey(line)}\u0000${line.sample ?? 0}`, line);
  const baselineOutputs = baselineOutputsByProbe(options.baseline);
  const tasks: JudgeTask[] = [];
  let withoutBaseline = 0;
  for (const probe of options.suites.flatMap((suite) => suite.probes)) {
    probe.checks.forEach(({ type, ...params }, check) => {
      if (type !== "judge") return;
      const judgeParams = params as JudgeParams;
      const mode = judgeParams.mode ?? "grade";
      const baseline = mode === "pairwise" ? (baselineOutputs.get(probeKey(probe))?.(probe) ?? null) : null;
      if (mode === "pairwise" && baseline === null) {
        withoutBaseline++;
        return;
      }
      for (let sample = 0; sample < probe.generation.samples; sample++) {
        const line = latest.get(`${probeKey(probe)}\u0000${sample}`);
        if (!line || line.stop_reason === "error") continue;
        const stale = line.probe_hash !== undefined && line.probe_hash !== probe.hash;
        if (stale && !options.allowStale) continue;
        const requests = judgeRequests(judgeParams, probe, line.output, baseline)!;
        const key = judgementKey({ suite: probe.suite, id: probe.id, sample, check });
        tasks.push({
          key,
          stale,
          requests,
          line: {
            suite: probe.suite, id: probe.id, sample, check, mode,
            request_sha256: requestHash(requests),
            ...(baseline !== null ? { baseline: { output: baseline, report: options.baseline!.path } } : {}),
          },
        });
      }
    });
  }
  return { tasks, withoutBaseline };
}

/**
 * The baseline's output of each probe, given only when the probe is unchanged
 * (same hash) and its output was generated for it: a baseline output kept
 * stale there answered another version of the prompt.
 */
function baselineOutputsByProbe(baseline: JudgeBaseline | null): Map<string, (probe: Probe) => string | null> {
  const outputs = new Map<string, (probe: Probe) => string | null>();
  for (const earlier of baseline?.report.probes ?? []) {
    const usable = earlier.output !== null && earlier.stop_reason !== "error" && earlier.output_version !== "stale";
    outputs.set(probeKey(earlier), (probe) => (usable && earlier.hash === probe.hash ? earlier.output : null));
  }
  return outputs;
}
