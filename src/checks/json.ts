import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse as parseYaml } from "yaml";
import type { CheckDefinition, CheckResult, Highlight } from "./types.js";
import { boundedRegExpEngine } from "../util/bounded-regex.js";

export type JsonSchemaValue = Record<string, unknown> | boolean;

export interface JsonParams {
  /** JSON Schema the value must match, inline. */
  schema?: JsonSchemaValue;
  /**
   * JSON Schema file (JSON, or YAML by extension), relative to the suite file.
   * Read when the suite is loaded and inlined into `schema`.
   */
  schema_file?: string;
  /**
   * Where the JSON may be: `whole` — the whole output (surrounding whitespace
   * ignored); `fenced` — that, or the first ```json fenced block (an untagged
   * fence if there is no json one); `embedded` (default) — those, or the first
   * balanced {...} / [...] in the text that parses.
   */
  extract?: "whole" | "fenced" | "embedded";
}

/** Opening brackets tried by `embedded` (each scan is linear, so this bounds the cost). */
const MAX_EMBEDDED_CANDIDATES = 64;
/** Schema errors listed in details. */
const MAX_ERRORS = 20;

// ---------------------------------------------------------------------------
// Finding the JSON

interface Candidate {
  where: "whole" | "fence" | "embedded";
  /** A fence whose info string says json. */
  tagged: boolean;
  /** The candidate text and its UTF-16 range in the output. */
  text: string;
  start: number;
  end: number;
}

function wholeCandidate(output: string): Candidate {
  const start = output.length - output.replace(/^[\s\uFEFF]+/u, "").length;
  const end = output.replace(/\s+$/u, "").length;
  return { where: "whole", tagged: false, text: output.slice(start, Math.max(start, end)), start, end: Math.max(start, end) };
}

const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`~]*)[^\n]*\n/gmu;

/** The first ```json fence, else the first untagged fence; its content. Fences pair in order. */
function fenceCandidate(output: string): Candidate | null {
  let untagged: Candidate | null = null;
  for (let from = 0; ; ) {
    FENCE_OPEN.lastIndex = from;
    const match = FENCE_OPEN.exec(output);
    if (!match) break;
    const marker = match[1] as string;
    const info = (match[2] as string).toLowerCase();
    const start = match.index + match[0].length;
    const closing = new RegExp(`^[ \\t]*${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \\t]*$`, "mu");
    const close = closing.exec(output.slice(start));
    // An unclosed fence (output cut by the token limit) runs to the end.
    const end = close ? start + close.index : output.length;
    if (info === "" || info === "json" || info === "jsonc" || info === "json5") {
      const text = output.slice(start, end).replace(/\s+$/u, "");
      const candidate: Candidate = { where: "fence", tagged: info !== "", text, start, end: start + text.length };
      if (info !== "") return candidate;
      untagged ??= candidate;
    }
    if (!close) break;
    from = end + close[0].length;
  }
  return untagged;
}

/** Index one past the bracket closing the one at `start`, or -1; strings respected. */
function balancedEnd(text: string, start: number): number {
  const closers: string[] = [];
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === "{") closers.push("}");
    else if (char === "[") closers.push("]");
    else if (char === "}" || char === "]") {
      if (closers.pop() !== char) return -1;
      if (closers.length === 0) return index + 1;
    }
  }
  return -1;
}

// ---------------------------------------------------------------------------
// Locating a syntax error (JSON.parse's messages carry no position in Node 20)

interface SyntaxProblem {
  /** UTF-16 offset in the parsed text. */
  at: number;
  message: string;
}

/** The first syntax error of `text` as JSON (RFC 8259), or null. Iterative: deep nesting is fine. */
export function locateJsonError(text: string): SyntaxProblem | null {
  let at = 0;
  const describe = (index: number): string =>
    index >= text.length ? "end of input" : `"${String.fromCodePoint(text.codePointAt(index) as number)}"`;
  const skipSpace = (): void => {
    while (at < text.length && " \t\n\r".includes(text[at] as string)) at++;
  };
  const fail = (message: string, index = at): SyntaxProblem => ({ at: index, message });

  const readString = (): SyntaxProblem | null => {
    at++; // opening quote
    while (at < text.length) {
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        at++;
        return null;
      }
      if (code < 0x20) return fail("control character in string (escape it)");
      if (code === 0x5c) {
        const escape = text[at + 1];
        if (escape === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) return fail("bad \\u escape: four hex digits expected");
          at += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
          at += 2;
        } else {
          return fail(`bad escape \\${escape ?? ""}`);
        }
        continue;
      }
      at++;
    }
    return fail("unterminated string");
  };

  const readNumber = (): SyntaxProblem | null => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match || match[0] === "-" || match[0] === "") return fail(`bad number starting at ${describe(at)}`);
    at += match[0].length;
    if (at < text.length && /[0-9.eE+-]/.test(text[at] as string)) return fail(`bad number: unexpected ${describe(at)}`);
    return null;
  };

  // Explicit stack of open containers: "{" expects a key, ":" a value after a key, "[" a value.
  const stack: Array<"{" | "["> = [];
  // Parse one value; containers push and are closed in the loop below.
  let expectValue = true;
  for (;;) {
    skipSpace();
    if (expectValue) {
      const char = text[at];
      if (char === "{" || char === "[") {
        at++;
        skipSpace();
        const close = char === "{" ? "}" : "]";
        if (text[at] === close) {
          at++;
          expectValue = false;
        } else {
          stack.push(char);
          if (char === "{") {
            if (text[at] !== '"') return fail(`expected a property name (string) or "}", found ${describe(at)}`);
            const problem = readString();
            if (problem) return problem;
            skipSpace();
            if (text[at] !== ":") return fail(`expected ":" after the property name, found ${describe(at)}`);
            at++;
          }
          continue;
        }
      } else if (char === '"') {
        const problem = readString();
        if (problem) return problem;
        expectValue = false;
      } else if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) {
        const problem = readNumber();
        if (problem) return problem;
        expectValue = false;
      } else {
        const literal = ["true", "false", "null"].find((word) => text.startsWith(word, at));
        if (!literal) return fail(`expected a value, found ${describe(at)}`);
        at += literal.length;
        expectValue = false;
      }
      continue;
    }
    // After a value: close containers or move to the next item.
    const top = stack[stack.length - 1];
    if (top === undefined) {
      return at < text.length ? fail(`unexpected ${describe(at)} after the JSON value`) : null;
    }
    const char = text[at];
    if (char === ",") {
      at++;
      skipSpace();
      if (top === "{") {
        if (text[at] !== '"') return fail(`expected a property name (string) after ",", found ${describe(at)}`);
        const problem = readString();
        if (problem) return problem;
        skipSpace();
        if (text[at] !== ":") return fail(`expected ":" after the property name, found ${describe(at)}`);
        at++;
      }
      expectValue = true;
    } else if ((top === "{" && char === "}") || (top === "[" && char === "]")) {
      at++;
      stack.pop();
    } else {
      return fail(`expected "," or "${top === "{" ? "}" : "]"}", found ${describe(at)}`);
    }
  }
}

interface Parsed {
  candidate: Candidate;
  value: unknown;
}

interface ParseFailure {
  candidate: Candidate;
  problem: SyntaxProblem;
}

function tryParse(candidate: Candidate): Parsed | ParseFailure {
  try {
    return { candidate, value: JSON.parse(candidate.text) };
  } catch (error) {
    const problem = locateJsonError(candidate.text) ?? { at: 0, message: (error as Error).message };
    return { candidate, problem };
  }
}

/**
 * Finds the JSON per `extract`: the whole output; else a fenced block; else
 * balanced {...}/[...] spans from left to right, the first that parses. A span
 * that does not parse is skipped as a whole (an object inside a broken one is
 * not the answer), and the search stops at a bracket that never closes (the
 * rest of the text is inside it: a JSON value cut by the token limit fails).
 * On failure, the error reported is the one of the candidate the author most
 * likely meant: a json fence, else the whole output when it starts like JSON,
 * else the first balanced span, else the whole output.
 */
function findJson(output: string, extract: NonNullable<JsonParams["extract"]>): Parsed | ParseFailure {
  const whole = tryParse(wholeCandidate(output));
  if ("value" in whole || extract === "whole") return whole;
  const fence = fenceCandidate(output);
  const fenced = fence ? tryParse(fence) : null;
  if (fenced && ("value" in fenced || fence?.tagged)) return fenced;
  let firstEmbedded: ParseFailure | null = null;
  if (extract === "embedded") {
    let tried = 0;
    for (let index = 0; index < output.length && tried < MAX_EMBEDDED_CANDIDATES; index++) {
      const char = output[index];
      if (char !== "{" && char !== "[") continue;
      tried++;
      const end = balancedEnd(output, index);
      if (end < 0) break;
      const result = tryParse({ where: "embedded", text: output.slice(index, end), start: index, end, tagged: false });
      if ("value" in result) return result;
      firstEmbedded ??= result;
      index = end - 1;
    }
  }
  if (fenced) return fenced;
  if (/^[{[]/.test(whole.candidate.text)) return whole;
  return firstEmbedded ?? whole;
}

// ---------------------------------------------------------------------------
// Schemas

type Dialect = "draft-07" | "2019-09" | "2020-12";

function dialectOf(schema: JsonSchemaValue): Dialect | { unsupported: string } {
  const declared = typeof schema === "object" ? schema.$schema : undefined;
  if (declared === undefined) return "draft-07";
  if (typeof declared !== "string") return { unsupported: String(declared) };
  if (/json-schema\.org\/draft-07\/schema/.test(declared)) return "draft-07";
  if (/json-schema\.org\/draft\/2019-09\/schema/.test(declared)) return "2019-09";
  if (/json-schema\.org\/draft\/2020-12\/schema/.test(declared)) return "2020-12";
  return { unsupported: declared };
}

const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:[zZ]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
/**
 * Formats checked here (ajv-formats is not a dependency): simple patterns for
 * the common ones; the other standard formats are accepted unchecked.
 */
const FORMATS: Record<string, RegExp | ((value: string) => boolean) | true> = {
  date: DATE,
  time: TIME,
  "date-time": (value) => {
    const [date, time, ...rest] = value.split(/[tT ]/);
    return rest.length === 0 && date !== undefined && time !== undefined && DATE.test(date) && TIME.test(time);
  },
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/,
  uuid: /^(?:urn:uuid:)?[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/,
  ipv4: /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  regex: (value) => {
    try {
      new RegExp(value, "u");
      return true;
    } catch {
      return false;
    }
  },
  duration: true,
  "idn-email": true,
  hostname: true,
  "idn-hostname": true,
  ipv6: true,
  "uri-reference": true,
  iri: true,
  "iri-reference": true,
  "uri-template": true,
  "json-pointer": true,
  "relative-json-pointer": true,
};

function newAjv(dialect: Dialect): Ajv | Ajv2019 | Ajv2020 {
  const options = {
    allErrors: true,
    // Unknown keywords (typos) are schema errors; type-combination hints are not.
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false as const,
    // `pattern` keywords run on model output: with a time limit, like the regex check.
    code: { regExp: boundedRegExpEngine },
  };
  const ajv = dialect === "2020-12" ? new Ajv2020(options) : dialect === "2019-09" ? new Ajv2019(options) : new Ajv(options);
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** Compiled validators by schema text; one ajv instance each, so `$id`s never clash. */
const validators = new Map<string, ValidateFunction | { error: string }>();

export function compileSchema(schema: JsonSchemaValue): ValidateFunction | { error: string } {
  const key = JSON.stringify(schema);
  let compiled = validators.get(key);
  if (!compiled) {
    const dialect = dialectOf(schema);
    if (typeof dialect === "object") {
      compiled = { error: `unsupported $schema "${dialect.unsupported}" (use draft-07, 2019-09 or 2020-12)` };
    } else {
      try {
        compiled = newAjv(dialect).compile(schema);
      } catch (error) {
        compiled = { error: `invalid JSON Schema: ${(error as Error).message}` };
      }
    }
    validators.set(key, compiled);
  }
  return compiled;
}

function describeSchemaError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `missing required property "${String(params.missingProperty)}"`;
    case "additionalProperties":
      return `unknown property "${String(params.additionalProperty)}"`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return error.message ?? error.keyword;
  }
}

// ---------------------------------------------------------------------------
// Offsets

/** Code point offset of UTF-16 index `index` in `text`. */
function codePointOffset(text: string, index: number): number {
  let offset = 0;
  for (let at = 0; at < index && at < text.length; at++) {
    offset++;
    const code = text.charCodeAt(at);
    if (code >= 0xd800 && code <= 0xdbff && at + 1 < index) at++;
  }
  return offset;
}

/** 1-based line and column (code points) of UTF-16 index `index`. */
function lineColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: Array.from(before.slice(lineStart)).length + 1 };
}

// ---------------------------------------------------------------------------

/**
 * Passes when the output holds valid JSON (see `extract` for where) and, when
 * a schema is given (`schema` inline or `schema_file`), the value matches it.
 * Validation is ajv 8 with all errors; `$schema` picks draft-07 (default),
 * 2019-09 or 2020-12; `$ref` to other files is not followed; formats are
 * checked for date, time, date-time, email, uri, uuid, ipv4 and regex only.
 * Score: 1 when it passes, 0 otherwise.
 */
export const json: CheckDefinition<JsonParams> = {
  type: "json",
  summary: "the output is (or contains, in a ```json fence) valid JSON matching an optional JSON Schema",
  paramsSchema: {
    type: "object",
    properties: {
      schema: { type: ["object", "boolean"], description: "JSON Schema, inline" },
      schema_file: { type: "string", minLength: 1, description: "JSON Schema file relative to the suite file (.json, .yaml, .yml)" },
      extract: { enum: ["whole", "fenced", "embedded"], default: "embedded" },
    },
    additionalProperties: false,
  },
  load(params, { suiteFile }) {
    if (params.schema_file === undefined) return params;
    if (params.schema !== undefined) throw new Error("set schema or schema_file, not both");
    const file = path.resolve(path.dirname(suiteFile), params.schema_file);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`cannot read schema_file "${params.schema_file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    let schema: unknown;
    try {
      schema = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (error) {
      const kind = /\.ya?ml$/i.test(file) ? "YAML" : "JSON";
      const problem = kind === "JSON" ? locateJsonError(text) : null;
      const where = problem ? ` at line ${lineColumn(text, problem.at).line}, column ${lineColumn(text, problem.at).column}: ${problem.message}` : `: ${(error as Error).message.split("\n")[0]}`;
      throw new Error(`schema_file "${params.schema_file}" is not valid ${kind}${where}`);
    }
    if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null || Array.isArray(schema))) {
      throw new Error(`schema_file "${params.schema_file}" must hold a JSON Schema (an object or a boolean)`);
    }
    return { ...params, schema: schema as JsonSchemaValue };
  },
  validate(params) {
    if (params.schema === undefined) return params.schema_file === undefined ? null : `schema_file "${params.schema_file}" was not loaded`;
    const compiled = compileSchema(params.schema);
    return "error" in compiled ? compiled.error : null;
  },
  run({ params, output, stopReason }): CheckResult {
    const extract = params.extract ?? "embedded";
    const schemaSource = params.schema_file !== undefined ? `schema_file "${params.schema_file}"` : "the schema";
    if (params.schema === undefined && params.schema_file !== undefined) {
      return {
        type: "json",
        score: 0,
        pass: false,
        details: { reason: `schema_file "${params.schema_file}" was not loaded (the suite loader inlines it)`, schema_file: params.schema_file },
      };
    }

    const found = findJson(output, extract);
    const { candidate } = found;
    const start = codePointOffset(output, candidate.start);
    const end = codePointOffset(output, candidate.end);
    const span = [start, end];

    if (!("value" in found)) {
      const at = candidate.start + found.problem.at;
      const position = codePointOffset(output, at);
      const { line, column } = lineColumn(output, at);
      const cut = stopReason === "max_tokens" ? " (output cut by max_tokens)" : "";
      const nothing = candidate.text === "";
      const reason = nothing
        ? "no JSON: the output is empty"
        : `invalid JSON${candidate.where === "whole" ? "" : ` in the ${candidate.where === "fence" ? "fenced block" : "first {...}/[...]"}`} at line ${line}, column ${column}: ${found.problem.message}${cut}`;
      // One character at the error; an error at the end of input marks the last character.
      const total = codePointOffset(output, output.length);
      const marked = Math.min(position, total - 1);
      const highlights: Highlight[] = nothing ? [] : [{ start: marked, end: marked + 1, label: `JSON error: ${found.problem.message}` }];
      return {
        type: "json",
        score: 0,
        pass: false,
        details: {
          reason,
          found_in: null,
          tried: candidate.where,
          extract,
          parse_error: { message: found.problem.message, position, line, column },
          ...(highlights.length > 0 ? { highlights } : {}),
        },
      };
    }

    const where = candidate.where === "whole" ? "the whole output" : candidate.where === "fence" ? "a fenced block" : "the first {...}/[...]";
    const jsonHighlight: Highlight = { start, end, label: "JSON" };
    if (params.schema === undefined) {
      return {
        type: "json",
        score: 1,
        pass: true,
        details: { reason: `valid JSON in ${where}`, found_in: candidate.where, span, extract, highlights: [jsonHighlight] },
      };
    }

    const compiled = compileSchema(params.schema);
    if ("error" in compiled) {
      return {
        type: "json",
        score: 0,
        pass: false,
        details: { reason: `${schemaSource} cannot be used: ${compiled.error}`, found_in: candidate.where, span, extract },
      };
    }
    if (compiled(found.value)) {
      return {
        type: "json",
        score: 1,
        pass: true,
        details: {
          reason: `valid JSON in ${where}, matches ${schemaSource}`,
          found_in: candidate.where,
          span,
          extract,
          highlights: [jsonHighlight],
          ...(params.schema_file !== undefined ? { schema_file: params.schema_file } : {}),
        },
      };
    }
    const errors = (compiled.errors ?? []).map((error) => ({
      path: error.instancePath,
      message: describeSchemaError(error),
      keyword: error.keyword,
      schema_path: error.schemaPath,
    }));
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    return {
      type: "json",
      score: 0,
      pass: false,
      details: {
        reason: `JSON in ${where} does not match ${schemaSource}: ${first ? `${first.path || "(root)"} ${first.message}` : "invalid"}${more}`,
        found_in: candidate.where,
        span,
        extract,
        errors: errors.slice(0, MAX_ERRORS),
        error_count: errors.length,
        highlights: [jsonHighlight],
        ...(params.schema_file !== undefined ? { schema_file: params.schema_file } : {}),
      },
    };
  },
};
