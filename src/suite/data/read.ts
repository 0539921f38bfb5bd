/** Reads a data file in any supported layout into records that know where they are. */
import path from "node:path";
import { InputError } from "../../errors.js";
import type { DataFormat } from "../../format/suite.js";
import { sha256 } from "../../util/json.js";
import { decodeUtf8, readFileBytes } from "../../util/text-file.js";
import { readDelimited } from "./csv.js";
import { JsonLocator, readJsonRecords } from "./json.js";
import { readJsonLines } from "./jsonl.js";
import type { DataFile, DataRecord } from "./records.js";
import { readSquad, squadFieldPath } from "./squad.js";

const BY_EXTENSION: Record<string, DataFormat> = { ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv" };

/** The format a file's extension says; null when it says none. */
export function formatOfFile(file: string): DataFormat | null {
  return BY_EXTENSION[path.extname(file).toLowerCase()] ?? null;
}

export function readDataFile(file: string, format: DataFormat, recordsKey?: string): DataFile {
  if (recordsKey !== undefined && format !== "json") throw new InputError(`data.records applies to json files, not ${format}`, { file });
  const bytes = readFileBytes(file, "data file");
  const text = decodeUtf8(bytes, file);
  let records: DataRecord[];
  let locator: JsonLocator | null = null;
  switch (format) {
    case "jsonl":
      records = readJsonLines(file, text);
      break;
    case "csv":
    case "tsv":
      records = readDelimited(file, text, format === "csv" ? "," : "\t");
      break;
    case "json":
      records = readJsonRecords(file, text, recordsKey);
      locator = new JsonLocator(file, text);
      break;
    case "squad":
      records = readSquad(file, text);
      locator = new JsonLocator(file, text);
      break;
  }
  const fieldPath = format === "squad" ? squadFieldPath : (record: DataRecord, field: string) => [...(record.path ?? []), field];
  return {
    file,
    format,
    sha256: sha256(bytes),
    records,
    locate(record, field) {
      if (locator) return locator.locate(field === undefined ? (record.path ?? []) : fieldPath(record, field));
      return { file, ...(record.line === null ? {} : { line: record.line }), ...(field === undefined ? {} : { field }) };
    },
  };
}
