/**
 * outputs.jsonl: one JSON object per finished probe. The writer appends and
 * hands each line to the OS as it finishes (a killed process loses only the
 * probes in flight); the reader tolerates a final line cut by a crash.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { fileSystemError, writeFully } from "../util/atomic.js";
import { createAjv, describeAjvError, fieldName, instancePathSegments } from "../util/ajv.js";
import { OUTPUT_LINE_SCHEMA } from "./schema.js";
import type { OutputLine } from "./types.js";

const validateLine = createAjv().compile(OUTPUT_LINE_SCHEMA);

export class OutputsWriter {
  private readonly fd: number;
  /** Bytes of complete lines in the file: where a failed append is cut back to. */
  private size: number;

  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, "a");
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      throw fileSystemError(error, file);
    }
  }

  /**
   * Appends one whole line. A write that fails partway (a full disk) is cut
   * back, so the file never holds half a line behind a complete one.
   */
  append(line: OutputLine): void {
    const bytes = Buffer.from(JSON.stringify(line) + "\n");
    try {
      writeFully(this.fd, bytes);
    } catch (error) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        /* the reader drops a cut last line */
      }
      throw fileSystemError(error, this.file);
    }
    this.size += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface ReadOutputs {
  lines: Array<OutputLine & { line: number }>;
  /** A final line without a newline that does not parse: a write cut by a crash. */
  truncatedTail: boolean;
}

export function readOutputs(file: string): ReadOutputs {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read outputs: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file });
  }
  const rows = text.split("\n");
  const endsWithNewline = text.endsWith("\n");
  const lines: ReadOutputs["lines"] = [];
  let truncatedTail = false;
  rows.forEach((row, index) => {
    const lineNumber = index + 1;
    const isLast = index === rows.length - 1;
    if (row.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (error) {
      if (isLast && !endsWithNewline) {
        truncatedTail = true;
        return;
      }
      throw new InputError(`invalid JSON: ${(error as Error).message}`, { file, line: lineNumber });
    }
    if (!validateLine(value)) {
      const error = validateLine.errors![0]!;
      const segments = instancePathSegments(error.instancePath);
      const field = error.keyword === "required" ? (error.params as { missingProperty: string }).missingProperty : fieldName(segments);
      throw new InputError(describeAjvError(error), { file, line: lineNumber, field: field || undefined });
    }
    lines.push({ ...(value as OutputLine), line: lineNumber });
  });
  return { lines, truncatedTail };
}
