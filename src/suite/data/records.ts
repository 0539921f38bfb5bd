/**
 * A data file read into records: each record's fields, and where it sits in
 * the file (its line, or its JSON path), so that a bad field is named where
 * the user can find it.
 */
import type { InputLocation } from "../../errors.js";
import type { DataFormat } from "../../format/suite.js";
import type { PathSegments } from "../../util/yaml-source.js";

export interface DataRecord {
  fields: Record<string, unknown>;
  /** The line the record starts on (JSONL, CSV, TSV); null for JSON, located on demand. */
  line: number | null;
  /** The record's place in a JSON document, e.g. [3] or data[0].paragraphs[1].qas[2]; null for line formats. */
  path: PathSegments | null;
}

export interface DataFile {
  file: string;
  format: DataFormat;
  sha256: string;
  records: DataRecord[];
  /** Where a record (and one of its fields) is, for an error message. */
  locate(record: DataRecord, field?: string): InputLocation;
}

/** The text without a leading byte order mark (the hash is of the bytes, which keep it). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** JSON values as a record's fields must hold them: an object. */
export function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
