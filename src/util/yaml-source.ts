/**
 * YAML files validated like code: parse with positions, then map every problem
 * (syntax, JSON Schema, semantic) to `file:line:col: field: message`. Shared by
 * the suite loader and the gate policy loader.
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, type Document, type Node } from "yaml";
import { InputError, InputErrors } from "../errors.js";
import { describeAjvError, fieldName, instancePathSegments, type ErrorObject } from "./ajv.js";

export type PathSegments = Array<string | number>;

/** Positions in one YAML document, for messages. */
export class SourceMap {
  constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Location of the value at `segments`, or of its key when `key` is true. */
  locate(segments: PathSegments, key = false): { line: number; column: number } {
    let node: unknown = this.doc.contents;
    let keyNode: unknown = null;
    for (const segment of segments) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === segment);
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        keyNode = null;
        node = node.items[segment];
      } else {
        break;
      }
    }
    const target = (key && keyNode ? keyNode : node ?? keyNode) as Node | null;
    const offset = target?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  error(message: string, segments: PathSegments, key = false): InputError {
    return new InputError(message, { file: this.file, ...this.locate(segments, key), field: fieldName(segments) || undefined });
  }
}

export interface ParsedYaml {
  text: string;
  source: SourceMap;
  /** The document as plain JSON-like data. */
  data: unknown;
}

/** Parses YAML text; syntax errors (duplicate keys included) throw InputErrors with positions. */
export function parseYaml(file: string, text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputErrors(
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return new InputError(`YAML syntax error: ${error.message.split("\n")[0]}`, { file, line, column: col });
      }),
    );
  }
  return { text, source: new SourceMap(file, doc, lines), data: doc.toJS() as unknown };
}

/** Reads and parses a YAML file; `what` names it in the read error ("cannot read suite: ENOENT"). */
export function readYamlFile(file: string, what: string): ParsedYaml {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${what}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file });
  }
  return parseYaml(file, text);
}

export interface SchemaErrorOptions {
  /** Where the validated value sits in the document (for a part validated on its own). */
  at?: PathSegments;
  /** Prefix for messages, e.g. the check type: `contains: unknown parameter "x"`. */
  label?: string;
}

/**
 * ajv errors as located InputErrors. `oneOf`/`if` summaries are dropped (the
 * errors of their branches say what is wrong); an unknown key points at the key.
 */
export function schemaErrors(errors: ErrorObject[] | null | undefined, source: SourceMap, options: SchemaErrorOptions = {}): InputError[] {
  const at = options.at ?? [];
  const prefix = options.label ? `${options.label}: ` : "";
  return (errors ?? [])
    .filter((error) => error.keyword !== "oneOf" && error.keyword !== "if")
    .map((error) => {
      const segments = [...at, ...instancePathSegments(error.instancePath)];
      if (error.keyword === "additionalProperties") {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        const message = options.label ? `${prefix}unknown parameter "${key}"` : describeAjvError(error);
        return source.error(message, [...segments, key], true);
      }
      return source.error(`${prefix}${describeAjvError(error)}`, segments);
    });
}
