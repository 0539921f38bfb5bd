/**
 * The `judge` check: a judge model's verdict on an open answer, graded on a
 * rubric (ELYZA-tasks-100 style: reference answer, grading notes, a 1–5 score)
 * or compared pairwise with the baseline round's answer (MT-bench style,
 * asked in both orders). The check is pure: the judge phase of `run`
 * (src/pipeline/judge.ts) asks the judge model the requests built here and
 * records its replies in judgements.jsonl; this check reads a recorded reply
 * into a score. A missing, outdated or unreadable reply is a check error.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { JudgementLine, JudgeMode } from "../format/judgements.js";
import type { Probe } from "../format/suite.js";
import { sha256, stableStringify } from "../util/json.js";
import { defineCheck } from "./define.js";
import type { CheckAggregate, CheckDetails, CheckOutcome, DetailsView } from "./types.js";

export interface JudgeParams {
  mode?: JudgeMode;
  /** What a good answer is; inline text. `rubric_file` is inlined here when the suite loads. */
  rubric?: string;
  /** A file holding the rubric, relative to the suite file. */
  rubric_file?: string;
  /** What to look for in this probe's answer (ELYZA's eval_aspect). */
  grading_notes?: string;
  /** Lowest and highest score (default 1–5). */
  scale?: [number, number];
  /** Lowest score that passes; default: the middle of the scale, rounded up. */
  min_score?: number;
}

export type Filled = JudgeParams & { mode: JudgeMode; scale: [number, number]; rubric: string };

/** One request to the judge: a system prompt, a user prompt and the JSON shape its reply is held to. */
export interface JudgeRequest {
  system: string;
  prompt: string;
  /** A JSON Schema the judge's reply is constrained to (node-llama-cpp grammar). */
  schema: Record<string, unknown>;
}

export type PairwiseOutcome = "win" | "tie" | "loss" | "inconsistent";

export interface JudgeDetails extends CheckDetails {
  mode?: JudgeMode;
  judge_score?: number;
  judge_reasons?: string[];
  outcome?: PairwiseOutcome;
  replies?: string[];
  baseline_output?: string;
}

/** Longest reason the grammar lets a judge write, in characters (a looping judge still ends). */
const MAX_REASON = 200;

const SYSTEM = "You are a strict, fair grader of answers written by a language model. Reply only with the JSON object asked for.";

function scaleOf(params: JudgeParams): [number, number] {
  return params.scale ?? [1, 5];
}

export function minScore(params: JudgeParams): number {
  const [low, high] = scaleOf(params);
  return params.min_score ?? Math.ceil((low + high) / 2);
}

function contextLines(params: JudgeParams, probe: Pick<Probe, "prompt" | "expected">): string[] {
  const lines = [`Rubric:\n${params.rubric ?? ""}`, `Question:\n${probe.prompt}`];
  if (probe.expected.length > 0) lines.push(`Reference answer:\n${probe.expected.join("\n")}`);
  if (params.grading_notes) lines.push(`Grading notes:\n${params.grading_notes}`);
  return lines;
}

/** The grade request for one answer. */
export function gradeRequest(params: JudgeParams, probe: Pick<Probe, "prompt" | "expected">, candidate: string): JudgeRequest {
  const [low, high] = scaleOf(params);
  const scores = Array.from({ length: high - low + 1 }, (_, i) => low + i);
  return {
    system: SYSTEM,
    prompt: [
      `Grade the answer to the question on a scale of ${low} (worst) to ${high} (best), following the rubric.`,
      ...contextLines(params, probe),
      `Answer to grade:\n${candidate}`,
      `Reply as JSON: {"score": an integer from ${low} to ${high}, "reason": one short sentence}.`,
    ].join("\n\n"),
    schema: {
      type: "object",
      properties: { score: { enum: scores }, reason: { type: "string", maxLength: MAX_REASON } },
      required: ["score", "reason"],
    },
  };
}

function pairRequest(params: JudgeParams, probe: Probe, first: string, second: string): JudgeRequest {
  return {
    system: SYSTEM,
    prompt: [
      "Two answers to the same question follow. Decide which one is better, following the rubric, or call it a tie.",
      ...contextLines(params, probe),
      `Answer A:\n${first}`,
      `Answer B:\n${second}`,
      'Reply as JSON: {"winner": "A", "B" or "tie", "reason": one short sentence}.',
    ].join("\n\n"),
    schema: {
      type: "object",
      properties: { winner: { enum: ["A", "B", "tie"] }, reason: { type: "string", maxLength: MAX_REASON } },
      required: ["winner", "reason"],
    },
  };
}

/** The two pairwise requests: the candidate shown first, then the baseline first (position bias shows as disagreement). */
export function pairwiseRequests(params: JudgeParams, probe: Probe, candidate: string, baseline: string): [JudgeRequest, JudgeRequest] {
  return [pairRequest(params, probe, candidate, baseline), pairRequest(params, probe, baseline, candidate)];
}

/** What a recorded judgement must have been asked: a verdict for another request is outdated. */
export function requestHash(requests: readonly JudgeRequest[]): string {
  return sha256(stableStringify(requests.map(({ system, prompt, schema }) => ({ system, prompt, schema }))));
}

export function rubricHash(params: JudgeParams): string {
  return sha256(stableStringify({ rubric: params.rubric ?? "", notes: params.grading_notes ?? null, scale: scaleOf(params) })).slice(0, 12);
}

/** sacreBLEU-style: the judge model, its template (with its text's hash when it is a file), the rubric, the scale and the mode. */
export function judgeSignature(params: JudgeParams, judgement: Pick<JudgementLine, "judge">): string {
  const { model_file, model_sha256, template, template_sha256 } = judgement.judge;
  const [low, high] = scaleOf(params);
  const tpl = template_sha256 ? `${template}@${template_sha256.slice(0, 12)}` : template;
  return `judge:${model_file}@${model_sha256.slice(0, 12)}|tpl:${tpl}|rubric:${rubricHash(params)}|scale:${low}-${high}|mode:${params.mode ?? "grade"}|v:1`;
}

type Reply = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

function parseReply(reply: JudgementLine["replies"][number]): Reply {
  if (reply.error !== undefined || reply.stop_reason === "error") return { ok: false, reason: `the judge failed: ${reply.error ?? "generation error"}` };
  try {
    const value = JSON.parse(reply.text) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
  } catch {
    /* below */
  }
  return { ok: false, reason: `the judge's reply is not a JSON object (stopped: ${reply.stop_reason})` };
}

function failed(reason: string, replies: string[]): CheckOutcome<JudgeDetails> {
  return { score: null, pass: false, details: { reason, crashed: true, replies } };
}

/** A grade judgement read into a score and a pass (the check's own reading; judge-check measures with it). */
export function gradeOutcome(params: Filled, judgement: Pick<JudgementLine, "replies">): CheckOutcome<JudgeDetails> {
  const texts = judgement.replies.map((reply) => reply.text);
  const parsed = parseReply(judgement.replies[0]!);
  if (!parsed.ok) return failed(parsed.reason, texts);
  const { score, reason } = parsed.value;
  const [low, high] = params.scale;
  if (typeof score !== "number" || !Number.isInteger(score) || score < low || score > high) {
    return failed(`the judge's score ${JSON.stringify(score)} is not an integer from ${low} to ${high}`, texts);
  }
  const why = typeof reason === "string" ? reason : "";
  const min = minScore(params);
  return {
    score,
    pass: score >= min,
    details: { reason: `judge: ${score}/${high} (pass from ${min}): ${why}`, mode: "grade", judge_score: score, judge_reasons: [why], replies: texts, min_score: min },
  };
}

/** A pairwise verdict counts only when both orders agree; otherwise it is "inconsistent" (no score, no verdict). */
function pairwiseOutcome(judgement: JudgementLine): CheckOutcome<JudgeDetails> {
  const texts = judgement.replies.map((reply) => reply.text);
  if (judgement.replies.length !== 2) return failed("a pairwise judgement needs two replies (both orders)", texts);
  const seen: Array<{ outcome: Exclude<PairwiseOutcome, "inconsistent">; reason: string }> = [];
  for (const reply of judgement.replies) {
    const parsed = parseReply(reply);
    if (!parsed.ok) return failed(`${parsed.reason} (${reply.order.replace("_", " ")})`, texts);
    const { winner, reason } = parsed.value;
    if (winner !== "A" && winner !== "B" && winner !== "tie") return failed(`the judge's winner ${JSON.stringify(winner)} is not "A", "B" or "tie"`, texts);
    const candidateIs = reply.order === "baseline_first" ? "B" : "A";
    seen.push({ outcome: winner === "tie" ? "tie" : winner === candidateIs ? "win" : "loss", reason: typeof reason === "string" ? reason : "" });
  }
  const [first, second] = seen as [(typeof seen)[0], (typeof seen)[0]];
  const outcome: PairwiseOutcome = first.outcome === second.outcome ? first.outcome : "inconsistent";
  const score = outcome === "win" ? 1 : outcome === "tie" ? 0.5 : outcome === "loss" ? 0 : null;
  const said = outcome === "inconsistent" ? `the orders disagree (${first.outcome} with this round first, ${second.outcome} with the baseline first)` : `${outcome} against the baseline in both orders`;
  return {
    score,
    pass: outcome === "inconsistent" ? null : outcome !== "loss",
    details: {
      reason: `judge: ${said}: ${first.reason}`,
      mode: "pairwise",
      outcome,
      orders: seen.map((entry) => entry.outcome),
      judge_reasons: seen.map((entry) => entry.reason),
      replies: texts,
      baseline_output: judgement.baseline?.output ?? "",
    },
  };
}

/** The requests the judge phase asks for one output; pairwise needs the baseline's output. */
export function judgeRequests(params: JudgeParams, probe: Probe, candidate: string, baseline: string | null): JudgeRequest[] | null {
  if ((params.mode ?? "grade") === "grade") return [gradeRequest(params, probe, candidate)];
  return baseline === null ? null : pairwiseRequests(params, probe, candidate, baseline);
}

/**
 * Mean judge score per group of equal signature (one judge, one rubric, one
 * scale): scores of different judges never combine. Pairwise: the mean of
 * 1/0.5/0 over the agreed comparisons.
 */
const JUDGE_MEAN: CheckAggregate<JudgeDetails> = {
  name: "judge_mean",
  group: ({ result }) => (result.score === null || typeof result.details.signature !== "string" ? null : result.details.signature),
  combine(items) {
    const scores = items.map(({ result }) => result.score!);
    const outcomes = items.map(({ result }) => result.details.outcome).filter((outcome) => outcome !== undefined);
    const values: Record<string, number> = { judged: items.length };
    for (const outcome of ["win", "tie", "loss"] as const) if (outcomes.length > 0) values[outcome] = outcomes.filter((o) => o === outcome).length;
    return { score: scores.reduce((a, b) => a + b, 0) / scores.length, signature: items[0]!.result.details.signature as string, language: null, values };
  },
};

export const judge = defineCheck<JudgeParams, JudgeDetails, Filled>({
  type: "judge",
  better: "higher",
  unit: "judge score",
  note: "a judge model's score on the rubric (grade), or 1 win / 0.5 tie / 0 loss against the baseline round (pairwise)",
  aggregate: JUDGE_MEAN,
  summary: "a local judge model grades the answer on a rubric (1–5 by default), or compares it with the baseline round's answer in both orders",
  paramsSchema: {
    type: "object",
    properties: {
      mode: { enum: ["grade", "pairwise"], default: "grade" },
      rubric: { type: "string", minLength: 1 },
      rubric_file: { type: "string", minLength: 1 },
      grading_notes: { type: "string" },
      scale: { type: "array", items: { type: "integer" }, minItems: 2, maxItems: 2, default: [1, 5] },
      min_score: { type: "integer" },
    },
    additionalProperties: false,
  },
  load(params, { suiteFile }) {
    if (params.rubric_file === undefined) return params;
    if (params.rubric !== undefined) throw new Error("give rubric or rubric_file, not both");
    const file = path.resolve(path.dirname(suiteFile), params.rubric_file);
    let rubric: string;
    try {
      rubric = readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`rubric_file ${params.rubric_file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (rubric.trim() === "") throw new Error(`rubric_file ${params.rubric_file} is empty`);
    return { ...params, rubric };
  },
  validate(params) {
    if (params.rubric === undefined) return "a judge check needs a rubric (rubric: text, or rubric_file: a file beside the suite)";
    const [low, high] = params.scale;
    if (!(low < high) || high - low > 100) return `scale [${low}, ${high}] must rise, by at most 100 steps`;
    if (params.min_score !== undefined && (params.min_score < low || params.min_score > high)) return `min_score ${params.min_score} is outside the scale ${low}–${high}`;
    return null;
  },
  run({ params, probe, output, judgement }) {
    if (!judgement) {
      return failed("no judge verdict recorded for this output: run with --judge-model (or BONSAI_JUDGE_MODEL) to judge it", []);
    }
    const baseline = judgement.baseline?.output ?? null;
    const requests = judgeRequests(params, probe, output, baseline);
    if (requests === null || judgement.mode !== params.mode || judgement.request_sha256 !== requestHash(requests)) {
      return failed("the recorded verdict judged another request (the rubric, reference, notes or output changed since): run again with --judge-model", judgement.replies.map((r) => r.text));
    }
    const outcome = params.mode === "grade" ? gradeOutcome(params, judgement) : pairwiseOutcome(judgement);
    const signature = judgeSignature(params, judgement);
    // The signature is the score's unit too: summary means, the diff and the gate never mix or compare scores of different judges, rubrics or scales.
    return { ...outcome, details: { ...outcome.details, signature, score_unit: signature, judge_model: judgement.judge.model_file } };
  },
  view(details): DetailsView {
    const rows: Array<[string, string]> = [];
    if (details.outcome) rows.push(["outcome", details.outcome]);
    if (details.judge_score !== undefined) rows.push(["score", String(details.judge_score)]);
    (details.judge_reasons ?? []).forEach((reason, i) => rows.push([details.mode === "pairwise" ? (i === 0 ? "reason (this round first)" : "reason (baseline first)") : "reason", reason]));
    if (typeof details.judge_model === "string") rows.push(["judge", details.judge_model]);
    if (details.baseline_output) rows.push(["baseline answer", details.baseline_output]);
    if (details.crashed) (details.replies ?? []).forEach((reply, i) => rows.push([`reply ${i + 1}`, reply]));
    return [{ kind: "note", text: details.reason }, { kind: "facts", rows }];
  },
});
