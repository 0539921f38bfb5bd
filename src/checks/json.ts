import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { defineCheck } from "./define.js";
import type { CheckDetails, CheckOutcome, Highlight, WithDefaults } from "./types.js";
import { codePointOffset, lineColumn, locateJson, locateJsonError, type JsonExtract } from "./json-locate.js";
import { compileSchema, describeSchemaError, type JsonSchemaValue } from "./json-schema.js";

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
  extract?: JsonExtract;
}

/** Schema errors listed in details. */
const MAX_ERRORS = 20;

/**
 * Passes when the output holds valid JSON (see `extract` for where) and, when
 * a schema is given (`schema` inline or `schema_file`), the value matches it.
 * Validation is ajv 8 with all errors; `$schema` picks draft-07 (default),
 * 2019-09 or 2020-12; `$ref` to other files is not followed; formats are
 * ajv-formats' (idn-email, idn-hostname, iri and iri-reference pass unchecked).
 * Score: 1 when it passes, 0 otherwise.
 */
export const json = defineCheck<JsonParams, CheckDetails, WithDefaults<JsonParams, "extract">>({
  type: "json",
  better: "higher",
  unit: "0/1",
  note: "1 when the output holds valid JSON that matches the schema",
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
      const at = problem ? lineColumn(text, problem.at) : null;
      const where = problem && at ? ` at line ${at.line}, column ${at.column}: ${problem.message}` : `: ${(error as Error).message.split("\n")[0]}`;
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
  run({ params, output, stopReason }): CheckOutcome {
    const { extract } = params;
    const schemaSource = params.schema_file !== undefined ? `schema_file "${params.schema_file}"` : "the schema";
    if (params.schema === undefined && params.schema_file !== undefined) {
      return {
        score: 0,
        pass: false,
        details: { reason: `schema_file "${params.schema_file}" was not loaded (the suite loader inlines it)`, schema_file: params.schema_file },
      };
    }

    const found = locateJson(output, extract);
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
        score: 1,
        pass: true,
        details: { reason: `valid JSON in ${where}`, found_in: candidate.where, span, extract, highlights: [jsonHighlight] },
      };
    }

    const compiled = compileSchema(params.schema);
    if ("error" in compiled) {
      return {
        score: 0,
        pass: false,
        details: { reason: `${schemaSource} cannot be used: ${compiled.error}`, found_in: candidate.where, span, extract },
      };
    }
    if (compiled(found.value)) {
      return {
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
});
