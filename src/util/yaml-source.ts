/**
 * YAML files validated like code: parse with positions, then map every problem
 * (syntax, JSON Schema, semantic) to `file:line:col: field: message`. Shared by
 * the suite loader and the gate policy loader.
 */
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, visit, type Document, type Node } from "yaml";
import { InputError, InputErrors } from "../errors.js";
import { describeAjvError, fieldName, instancePathSegments, type ErrorObject } from "./ajv.js";
import { didYouMean } from "./did-you-mean.js";
import { readTextFile } from "./text-file.js";

export type PathSegments = Array<string | number>;

/** Where the parts of a loaded document are, for messages: a YAML file's SourceMap, or one that also places a data file's records. */
export interface Locator {
  /** The file paths in the document are relative to. */
  readonly file: string;
  locate(segments: PathSegments, key?: boolean): { line: number; column: number };
  /** The file and line that define the value at `segments`. */
  origin(segments: PathSegments): { file: string; line: number };
  error(message: string, segments: PathSegments, key?: boolean): InputError;
}

/** Positions in one YAML document, for messages. */
export class SourceMap implements Locator {
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

  origin(segments: PathSegments): { file: string; line: number } {
    return { file: this.file, line: this.locate(segments).line };
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

/** How many alias expansions a document may make (yaml's own default); more is a "billion laughs" document. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML text; syntax errors (duplicate keys included), numbers that are
 * not finite (`.inf`, `.nan`, `1e999`: none of our formats has a use for them,
 * and JSON cannot hold them) and aliases that expand past MAX_ALIAS_COUNT throw
 * InputErrors with positions.
 */
export function parseYaml(file: string, text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  if (doc.errors.length > 0) {
    throw new InputErrors(doc.errors.map((error) => new InputError(`YAML syntax error: ${error.message.split("\n")[0]}`, at(error.pos[0]))));
  }
  const errors: InputError[] = [];
  let firstAlias: number | null = null;
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== "number" || Number.isFinite(node.value)) return;
      const written = node.range ? text.slice(node.range[0], node.range[1]) : String(node.value);
      const field = fieldName(segmentsTo(ancestors, node));
      errors.push(new InputError(`${written} is not a finite number`, { ...at(node.range?.[0] ?? 0), field: field || undefined }));
    },
    Alias(_key, node) {
      firstAlias ??= node.range?.[0] ?? 0;
    },
  });
  if (errors.length > 0) throw new InputErrors(errors);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const message = /excessive alias count/i.test(error.message)
      ? `YAML aliases expand to more than ${MAX_ALIAS_COUNT} copies (a "billion laughs" document); write the values out`
      : `YAML alias error: ${error.message}`;
    throw new InputError(message, at(firstAlias ?? 0));
  }
  return { text, source: new SourceMap(file, doc, lines), data };
}

/** The keys and indexes from the document root down to `node`, from a visitor's ancestors. */
function segmentsTo(ancestors: readonly unknown[], node: unknown): PathSegments {
  const chain = [...ancestors, node];
  const segments: PathSegments = [];
  for (let index = 0; index < chain.length - 1; index++) {
    const parent = chain[index];
    const child = chain[index + 1];
    if (isSeq(parent)) segments.push(parent.items.indexOf(child as never));
    else if (isPair(parent) && child === parent.value && isScalar(parent.key)) segments.push(String(parent.key.value));
  }
  return segments;
}

/** Reads and parses a YAML file; `what` names it in the read error ("cannot read suite: ENOENT"). */
export function readYamlFile(file: string, what: string): ParsedYaml {
  return parseYaml(file, readTextFile(file, what));
}

export interface SchemaErrorOptions {
  /** Where the validated value sits in the document (for a part validated on its own). */
  at?: PathSegments;
  /** Prefix for messages, e.g. the check type: `contains: unknown parameter "x"`. */
  label?: string;
}

/**
 * ajv errors as located InputErrors. `oneOf`/`anyOf`/`if` summaries are dropped (the
 * errors of their branches say what is wrong); an unknown key points at the key.
 */
export function schemaErrors(errors: ErrorObject[] | null | undefined, source: Locator, options: SchemaErrorOptions = {}): InputError[] {
  const at = options.at ?? [];
  const prefix = options.label ? `${options.label}: ` : "";
  return (errors ?? [])
    .filter((error) => error.keyword !== "oneOf" && error.keyword !== "anyOf" && error.keyword !== "if")
    .map((error) => {
      const segments = [...at, ...instancePathSegments(error.instancePath)];
      if (error.keyword === "additionalProperties") {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        const message = options.label ? `${prefix}unknown parameter "${key}"` : describeAjvError(error);
        return source.error(`${message}${didYouMean(key, knownKeys(error))}`, [...segments, key], true);
      }
      return source.error(`${prefix}${describeAjvError(error)}`, segments);
    });
}

/** The keys an object's schema names, when ajv ran with `verbose` (the error then carries its schema). */
function knownKeys(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}
