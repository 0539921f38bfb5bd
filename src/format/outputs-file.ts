/**
 * outputs.jsonl: one JSON object per finished probe. The writer appends and
 * hands each line to the OS as it finishes (a killed process loses only the
 * probes in flight), and is the only code that writes lines: a resume's
 * compaction and a merge replace the file through it too. The reader
 * tolerates a final line cut by a crash.
 */
import { closeSync, fstatSync, ftruncateSync, openSync } from "node:fs";
import { InputError } from "../errors.js";
import { fileSystemError, writeFileAtomic, writeFully } from "../util/atomic.js";
import { createAjv, describeAjvError, fieldName, instancePathSegments } from "../util/ajv.js";
import { decodeUtf8, decodeUtf8OrNull, readFileBytes } from "../util/text-file.js";
import { OUTPUT_LINE_SCHEMA } from "./outputs-schema.js";
import type { OutputLine } from "./outputs.js";

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
    const bytes = Buffer.from(encodeLine(line));
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

  /**
   * Replaces the file with exactly `lines`, atomically: the old file or the
   * new one, never half (compaction before a resume, a merge of shards).
   */
  static rewrite(file: string, lines: OutputLine[]): void {
    writeFileAtomic(file, lines.map(encodeLine).join(""));
  }
}

function encodeLine(line: OutputLine): string {
  return JSON.stringify(line) + "\n";
}

export interface ReadOutputs {
  lines: Array<OutputLine & { line: number }>;
  /** A final line without a newline that does not parse: a write cut by a crash. */
  truncatedTail: boolean;
}

/**
 * Reads outputs.jsonl strictly as UTF-8 (bad bytes are an error naming the
 * line), after a byte order mark if there is one; lines end in \n, \r\n or \r.
 */
export function readOutputs(file: string): ReadOutputs {
  const bytes = readFileBytes(file, "outputs");
  // A last line with no line end may be a write cut by a crash, even inside a character: it is decoded on its own.
  let tailStart = bytes.length;
  while (tailStart > 0 && bytes[tailStart - 1] !== 0x0a && bytes[tailStart - 1] !== 0x0d) tailStart--;
  const tail = decodeUtf8OrNull(bytes.subarray(tailStart));
  const text = (decodeUtf8(bytes.subarray(0, tailStart), file) + (tail ?? "")).replace(/^\uFEFF/, "");
  const rows = text.split(/\r\n|\r|\n/);
  const endsWithNewline = tailStart === bytes.length;
  const lines: ReadOutputs["lines"] = [];
  let truncatedTail = tail === null;
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
