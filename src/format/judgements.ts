/**
 * judgements.jsonl, beside outputs.jsonl: what a judge model replied about one
 * output for one `judge` check. Written by the judge phase of `run`, read by
 * the scorer (`run` and `score`), so an existing run is scored again without
 * the judge model. A line records the judge's raw replies; the `judge` check
 * reads them (src/checks/judge.ts). Appended as each judgement finishes; a
 * later line for the same output and check replaces an earlier one.
 */
import { closeSync, existsSync, openSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { fileSystemError, writeFully } from "../util/atomic.js";
import { createAjv, describeAjvError, fieldName, instancePathSegments } from "../util/ajv.js";
import { decodeUtf8, readFileBytes } from "../util/text-file.js";
import { outputKey } from "./probe-key.js";
import { STOP_REASONS, type StopReason } from "./outputs.js";

export const JUDGEMENTS_FILE = "judgements.jsonl";

export type JudgeMode = "grade" | "pairwise";

/** Which judge produced a verdict: two verdicts are compared only when these agree. */
export interface JudgeIdentity {
  model_sha256: string;
  model_file: string;
  /** The judge's prompt template, as the manifest names templates. */
  template: string;
  /** The template as asked (`--judge-template`, default "auto"): a verdict asked with another is asked again. */
  template_spec?: string;
  /** sha256 of the template file's text, when the template is a file: an edited file is another judge. */
  template_sha256?: string;
}

/** One reply of the judge model, as generated (the grammar makes it JSON). */
export interface JudgeReply {
  /** grade: "candidate"; pairwise: which answer was shown first. */
  order: "candidate" | "candidate_first" | "baseline_first";
  text: string;
  stop_reason: StopReason;
  /** The engine's error, when the judge could not generate. */
  error?: string;
  cached?: boolean;
}

export interface JudgementLine {
  suite: string;
  id: string;
  sample: number;
  /** Index of the judge check among the probe's checks. */
  check: number;
  mode: JudgeMode;
  /** sha256 of the judge's request text(s): rubric, question, reference, notes, the answer(s). */
  request_sha256: string;
  judge: JudgeIdentity;
  /** pairwise: the baseline round's output the candidate was compared with. */
  baseline?: { output: string; report: string };
  replies: JudgeReply[];
}

export const JUDGEMENT_LINE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "bonsai-eval judgements.jsonl line",
  type: "object",
  required: ["suite", "id", "sample", "check", "mode", "request_sha256", "judge", "replies"],
  properties: {
    suite: { type: "string", minLength: 1 },
    id: { type: "string", minLength: 1 },
    sample: { type: "integer", minimum: 0 },
    check: { type: "integer", minimum: 0 },
    mode: { enum: ["grade", "pairwise"] },
    request_sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
    judge: {
      type: "object",
      required: ["model_sha256", "model_file", "template"],
      properties: {
        model_sha256: { type: "string" },
        model_file: { type: "string" },
        template: { type: "string" },
        template_spec: { type: "string" },
        template_sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
      },
    },
    baseline: { type: "object", required: ["output", "report"], properties: { output: { type: "string" }, report: { type: "string" } } },
    replies: {
      type: "array",
      minItems: 1,
      maxItems: 2,
      items: {
        type: "object",
        required: ["order", "text", "stop_reason"],
        properties: {
          order: { enum: ["candidate", "candidate_first", "baseline_first"] },
          text: { type: "string" },
          stop_reason: { enum: [...STOP_REASONS] },
          error: { type: "string" },
          cached: { type: "boolean" },
        },
      },
    },
  },
} as const;

const validateLine = createAjv().compile(JUDGEMENT_LINE_SCHEMA);

/** Where a judge check's verdict for one output is found. */
export function judgementKey(line: Pick<JudgementLine, "suite" | "id" | "sample" | "check">): string {
  return `${outputKey(line.suite, line.id, line.sample)}\u0000${line.check}`;
}

export function judgementsFileBeside(outputsFile: string): string {
  return path.join(path.dirname(outputsFile), JUDGEMENTS_FILE);
}

/**
 * The judgements of a file by key (the last line for a key wins); an absent
 * file is no judgements. A final line cut by a crash is dropped; any other bad
 * line is an InputError naming the line and field.
 */
export function readJudgements(file: string): Map<string, JudgementLine> {
  const judgements = new Map<string, JudgementLine>();
  if (!existsSync(file)) return judgements;
  const text = decodeUtf8(readFileBytes(file, "judgements"), file).replace(/^\uFEFF/, "");
  const rows = text.split(/\r\n|\r|\n/);
  rows.forEach((row, index) => {
    if (row.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (error) {
      if (index === rows.length - 1) return; // no line end: a write cut by a crash
      throw new InputError(`invalid JSON: ${(error as Error).message}`, { file, line: index + 1 });
    }
    if (!validateLine(value)) {
      const error = validateLine.errors![0]!;
      const field = error.keyword === "required" ? (error.params as { missingProperty: string }).missingProperty : fieldName(instancePathSegments(error.instancePath));
      throw new InputError(describeAjvError(error), { file, line: index + 1, field: field || undefined });
    }
    const line = value as JudgementLine;
    judgements.set(judgementKey(line), line);
  });
  return judgements;
}

/** Appends judgement lines, each handed to the OS as it finishes. */
export class JudgementsWriter implements Disposable {
  private readonly fd: number;

  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, "a");
    } catch (error) {
      throw fileSystemError(error, file);
    }
  }

  append(line: JudgementLine): void {
    try {
      writeFully(this.fd, Buffer.from(JSON.stringify(line) + "\n"));
    } catch (error) {
      throw fileSystemError(error, this.file);
    }
  }

  [Symbol.dispose](): void {
    closeSync(this.fd);
  }
}
