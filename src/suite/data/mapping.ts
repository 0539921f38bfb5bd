/**
 * A record → a probe, as the suite's `data` keys (over a built-in layout)
 * say: the prompt and system from templates, the id, expected answers,
 * choices, answer, category, language and tags from fields. A probe id
 * without an id field is a hash of what the record asks (prompt, system,
 * choices), so a record keeps its id across dataset versions while its
 * answer or unused fields (a rewritten reasoning) change; a second record
 * asking the same gets `-2`, a third `-3`, in file order.
 */
import type { CheckSpecInput, DataSpec, FieldRef, ProbeSpec } from "../../format/suite.js";
import { sha256, stableStringify } from "../../util/json.js";
import type { BuiltinMapping } from "./builtins.js";
import { describeJsonType, type DataRecord } from "./records.js";
import { fieldText, renderFieldTemplate, type FieldTemplate } from "./template.js";

export interface MappedRecord {
  record: DataRecord;
  probe: ProbeSpec;
  /** The record field each probe key came from, for messages. */
  fieldOf: Partial<Record<keyof ProbeSpec, string>>;
}

export interface RecordProblem {
  record: DataRecord;
  field?: string;
  message: string;
}

export interface RecordMapping {
  spec: DataSpec;
  prompt: FieldTemplate;
  system: FieldTemplate | null;
  builtin: BuiltinMapping | null;
  /** The suite's defaults: a built-in layout's fixed category and language give way to them. */
  defaults: { category?: string; language?: string };
}

const fieldsOf = (ref: FieldRef): string[] => (typeof ref === "string" ? [ref] : ref);

export function mapRecords(records: readonly DataRecord[], mapping: RecordMapping): { mapped: MappedRecord[]; problems: RecordProblem[] } {
  const mapped: MappedRecord[] = [];
  const problems: RecordProblem[] = [];
  const hashIds = new Map<string, number>();
  for (const record of records) {
    const found: RecordProblem[] = [];
    const probe = mapRecord(record, mapping, found);
    if (!probe) {
      problems.push(...found);
      continue;
    }
    if (mapping.spec.id === undefined) {
      const hash = sha256(stableStringify({ prompt: probe.spec.prompt, system: probe.spec.system, choices: probe.spec.choices })).slice(0, 12);
      const seen = (hashIds.get(hash) ?? 0) + 1;
      hashIds.set(hash, seen);
      probe.spec.id = seen === 1 ? hash : `${hash}-${seen}`;
    }
    mapped.push({ record, probe: probe.spec, fieldOf: probe.fieldOf });
  }
  return { mapped, problems };
}

function mapRecord(record: DataRecord, mapping: RecordMapping, problems: RecordProblem[]): { spec: ProbeSpec; fieldOf: MappedRecord["fieldOf"] } | null {
  const { spec, builtin } = mapping;
  const fields = record.fields;
  const fieldOf: MappedRecord["fieldOf"] = {};
  const problem = (message: string, field?: string) => problems.push({ record, field, message });
  const required = (field: string): unknown => {
    if (!(field in fields)) problem(`the record has no field "${field}"`, field);
    return fields[field];
  };
  const text = (field: string): string | undefined => {
    const value = required(field);
    if (value === undefined) return undefined;
    const written = value === null ? null : fieldText(value);
    if (written === null) problem(`must be text, not ${describeJsonType(value)}`, field);
    return written ?? undefined;
  };
  /** The strings of one or more fields, each a string or a list of strings; empty strings dropped (blank alias columns). */
  const texts = (ref: FieldRef): string[] => {
    const values: string[] = [];
    for (const field of fieldsOf(ref)) {
      const value = required(field);
      if (value === undefined) continue;
      const list = Array.isArray(value) ? value : [value];
      list.forEach((item, index) => {
        const written = item === null ? null : fieldText(item);
        if (written === null) problem(`${Array.isArray(value) ? `item ${index} ` : ""}must be text, not ${describeJsonType(item)}`, field);
        else if (written !== "") values.push(written);
      });
    }
    return values;
  };

  const probe: ProbeSpec = { id: "" };
  if (spec.id !== undefined) {
    const id = text(spec.id);
    if (id !== undefined) [probe.id, fieldOf.id] = [id, spec.id];
  }
  if (spec.type !== undefined) probe.type = spec.type;
  const prompt = renderFieldTemplate(mapping.prompt, fields);
  if ("problem" in prompt) problem(prompt.problem, prompt.field);
  else [probe.prompt, fieldOf.prompt] = [prompt.text, mapping.prompt.fields[0]];
  if (mapping.system) {
    const system = renderFieldTemplate(mapping.system, fields);
    if ("problem" in system) problem(system.problem, system.field);
    else if (system.text.trim() !== "") probe.system = system.text;
  }
  if (spec.expected !== undefined) {
    const expected = texts(spec.expected);
    fieldOf.expected = fieldsOf(spec.expected)[0];
    // No answer is no expected value (an unanswerable question); a check that needs one says so at the record.
    if (expected.length > 0) probe.expected = expected;
  }
  if (spec.choices !== undefined) [probe.choices, fieldOf.choices] = [texts(spec.choices), fieldsOf(spec.choices)[0]];
  if (spec.answer !== undefined) {
    const value = required(spec.answer);
    const index = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (value !== undefined && !Number.isInteger(index)) problem(`must be the index (from 0) of the right choice, not ${JSON.stringify(value)}`, spec.answer);
    else if (value !== undefined) [probe.answer, fieldOf.answer] = [index, spec.answer];
  }
  // A record without the category or language field (or with it empty) takes the suite's default.
  for (const key of ["category", "language"] as const) {
    const field = spec[key];
    const value = field !== undefined && fields[field] !== undefined && fields[field] !== "" ? text(field) : undefined;
    if (value !== undefined) [probe[key], fieldOf[key]] = [value, field];
    else if (builtin?.[key] !== undefined && mapping.defaults[key] === undefined) probe[key] = builtin[key];
  }
  if (spec.tags !== undefined) [probe.tags, fieldOf.tags] = [texts(spec.tags), fieldsOf(spec.tags)[0]];
  const checks: CheckSpecInput[] | undefined = builtin?.recordChecks?.(fields);
  if (checks) probe.checks = checks;
  return problems.length > 0 ? null : { spec: probe, fieldOf };
}
