/**
 * `bonsai-eval judge-check`: how often a judge model agrees with known labels
 * on a constructed set (fixtures/judge/labelled.jsonl: good, wrong, looping
 * and wrong-language answers). Each answer is graded exactly as a `judge`
 * check grades it (same request, grammar, template, reading of the reply); a
 * judge agrees when it passes the good answer and fails the others. Reports
 * judgements per second at the parallelism used.
 */
import { InputError } from "../errors.js";
import { gradeOutcome, gradeRequest, type Filled } from "../checks/judge.js";
import { readTextFile } from "../util/text-file.js";
import { Engine, type GpuChoice } from "../runner/engine.js";
import { describeModelFile } from "../runner/model-file.js";
import { resolveTemplate } from "../runner/templates.js";
import { CachedGenerator, GenerationCache } from "./cache.js";

export const LABELS = ["good", "wrong", "looping", "wrong_language"] as const;
export type Label = (typeof LABELS)[number];

export interface LabelledAnswer {
  id: string;
  language: string;
  prompt: string;
  reference: string[];
  answer: string;
  label: Label;
}

/** The rubric judge-check grades with: the four labels are what it separates. */
export const JUDGE_CHECK_RUBRIC =
  "Give the highest score only to an answer that is correct, complete and written in the language of the question. " +
  "Give the lowest score to an answer that is wrong, that repeats itself, or that is written in another language than the question.";

const PARAMS: Filled = { mode: "grade", rubric: JUDGE_CHECK_RUBRIC, scale: [1, 5], min_score: 3 };

export interface JudgeCheckOptions {
  setFile: string;
  modelPath: string;
  template?: string;
  parallel: number;
  gpu: GpuChoice;
  threads?: number;
  cacheDir: string | null;
  seed?: number;
}

export interface JudgedAnswer {
  id: string;
  label: Label;
  /** The verdict a correct judge gives: pass for good, fail for the rest. */
  expected_pass: boolean;
  score: number | null;
  pass: boolean | null;
  agrees: boolean;
  reason: string;
}

export interface JudgeCheckResult {
  model_file: string;
  model_sha256: string;
  template: string;
  parallel: number;
  items: JudgedAnswer[];
  agreement: { agree: number; total: number; rate: number; by_label: Record<Label, { agree: number; total: number; rate: number }> };
  /** Replies that did not read as a verdict (counted as disagreement). */
  errors: number;
  judge_ms: number;
  /** Judgements generated per second (cache hits excluded; null when all came from the cache). */
  judgements_per_second: number | null;
  cache_hits: number;
}

/** The labelled set: one JSON object per line; a bad line is one InputError naming the line and field. */
export function readLabelledSet(file: string): LabelledAnswer[] {
  const items: LabelledAnswer[] = [];
  readTextFile(file, "labelled set").split(/\r?\n/).forEach((row, index) => {
    if (row.trim() === "") return;
    const at = (field?: string) => ({ file, line: index + 1, ...(field ? { field } : {}) });
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(row) as Record<string, unknown>;
    } catch (error) {
      throw new InputError(`invalid JSON: ${(error as Error).message}`, at());
    }
    for (const field of ["id", "language", "prompt", "answer"] as const) {
      if (typeof value[field] !== "string" || value[field] === "") throw new InputError("must be a non-empty string", at(field));
    }
    if (!LABELS.includes(value.label as Label)) throw new InputError(`must be one of ${LABELS.join(", ")}`, at("label"));
    const reference = value.reference ?? [];
    if (!Array.isArray(reference) || !reference.every((entry) => typeof entry === "string")) throw new InputError("must be a list of strings", at("reference"));
    items.push({ id: value.id as string, language: value.language as string, prompt: value.prompt as string, reference, answer: value.answer as string, label: value.label as Label });
  });
  if (items.length === 0) throw new InputError("no labelled answers", { file });
  return items;
}

export async function judgeCheck(options: JudgeCheckOptions): Promise<JudgeCheckResult> {
  const items = readLabelledSet(options.setFile);
  const { model, info } = await describeModelFile(options.modelPath);
  await using engine = await Engine.load({ modelPath: options.modelPath, modelInfo: info, modelBytes: model.size_bytes, gpu: options.gpu, threads: options.threads });
  let template;
  try {
    template = resolveTemplate(options.template ?? "auto", { model: engine.model, chatTemplate: model.metadata.chat_template ?? null, baseDir: process.cwd() });
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message.replace(/--template/g, "--template (of the judge)"), { file: options.modelPath, field: "--template" });
    throw error;
  }
  const jobs = items.map((item) => {
    const request = gradeRequest(PARAMS, { prompt: item.prompt, expected: item.reference }, item.answer);
    const rendered = template.render(request.prompt, request.system);
    return { key: item.id, item, tokens: rendered.tokens, endOfTurn: rendered.endOfTurn, maxTokens: 768, stop: [], temperature: 0, seed: options.seed ?? 0, jsonSchema: request.schema };
  });
  const cache = options.cacheDir === null ? null : new GenerationCache(options.cacheDir, model.sha256, () => undefined);
  const judged = new Map<string, JudgedAnswer>();
  let generated = 0;
  const started = performance.now();
  let generationMs = 0;
  await new CachedGenerator(engine, cache).generate(jobs, {
    parallel: options.parallel,
    onResult(job, result, cached) {
      if (!cached) {
        generated++;
        generationMs = performance.now() - started;
      }
      const outcome = gradeOutcome(PARAMS, { replies: [{ order: "candidate", text: result.output, stop_reason: result.stop_reason, ...(result.error ? { error: result.error } : {}) }] });
      const expected = job.item.label === "good";
      judged.set(job.key, {
        id: job.item.id,
        label: job.item.label,
        expected_pass: expected,
        score: outcome.score,
        pass: outcome.pass,
        agrees: outcome.pass === expected,
        reason: outcome.details.reason,
      });
    },
  });
  const results = items.map((item) => judged.get(item.id)!);
  const rate = (list: JudgedAnswer[]) => ({ agree: list.filter((r) => r.agrees).length, total: list.length, rate: list.length === 0 ? 0 : list.filter((r) => r.agrees).length / list.length });
  return {
    model_file: model.file_name,
    model_sha256: model.sha256,
    template: template.name,
    parallel: Math.min(options.parallel, Math.max(1, generated)),
    items: results,
    agreement: { ...rate(results), by_label: Object.fromEntries(LABELS.map((label) => [label, rate(results.filter((r) => r.label === label))])) as JudgeCheckResult["agreement"]["by_label"] },
    errors: results.filter((r) => r.score === null).length,
    judge_ms: Math.round(performance.now() - started),
    judgements_per_second: generated > 0 && generationMs > 0 ? generated / (generationMs / 1000) : null,
    cache_hits: cache?.hits ?? 0,
  };
}
