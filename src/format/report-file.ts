/** Reading a report.json given as the file or as its run directory, validated against the report schema. */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { REPORT_SCHEMA } from "./report-schema.js";
import { IDENTIFIER_PATTERN } from "./suite-schema.js";
import type { Manifest, Report } from "./report.js";
import { createAjv, describeAjvError, fieldName, instancePathSegments, type ValidateFunction } from "../util/ajv.js";

/** A round's name: its label, else (reports written before labels) the model file's name, else the outputs file's folder. Never the GGUF general.name, which is "llama" for many models. */
export function labelOf(manifest: Manifest): string {
  return manifest.label ?? manifest.model?.file_name ?? path.basename(path.dirname(manifest.outputs_file));
}

/** A --label / BONSAI_LABEL value: one visible line of at most 120 characters. */
export function checkRunLabel(label: string, field: string): string {
  if (label.trim() === "" || label.length > 120 || /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(label)) {
    throw new InputError(`a label is one line of 1–120 visible characters, got ${JSON.stringify(label.slice(0, 60))}`, { field });
  }
  return label;
}

export interface LoadedReport {
  /** The report.json file read. */
  path: string;
  report: Report;
}

let compiled: ValidateFunction | null = null;
/** Compiled on first use: every command imports this module, few read reports. */
const validateReport = (): ValidateFunction => (compiled ??= createAjv().compile(REPORT_SCHEMA));

/** `given` is a report.json or a run directory holding one. Bad input is an InputError naming the file and field. */
export function loadReport(given: string): LoadedReport {
  let file = given;
  try {
    if (statSync(given).isDirectory()) file = path.join(given, "report.json");
  } catch {
    throw new InputError("no such report file or run directory", { file: given });
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read report: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not JSON: ${(error as Error).message}`, { file });
  }
  const validate = validateReport();
  if (!validate(data)) {
    const first = validate.errors?.find((error) => error.keyword !== "anyOf" && error.keyword !== "if") ?? validate.errors?.[0];
    const field = first ? fieldName(instancePathSegments(first.instancePath)) : undefined;
    throw new InputError(`not a bonsai-eval report${first ? `: ${describeAjvError(first)}` : ""}`, { file, field: field || undefined });
  }
  const report = data as Report;
  // Suite names and probe ids reach diff.md, anchors and file names: only the suite id form is accepted.
  const identifier = new RegExp(IDENTIFIER_PATTERN);
  report.probes.forEach((probe, index) => {
    for (const field of ["suite", "id"] as const) {
      if (!identifier.test(probe[field])) {
        throw new InputError(`not a suite ${field === "id" ? "probe id" : "name"} (${IDENTIFIER_PATTERN}): ${JSON.stringify(probe[field].slice(0, 80))}`, { file, field: `probes[${index}].${field}` });
      }
    }
  });
  return { path: file, report };
}
