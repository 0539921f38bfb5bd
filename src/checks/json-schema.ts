/**
 * JSON Schemas for the json check: the dialect from `$schema`, one ajv 8
 * instance per schema with ajv-formats, and readable error messages.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { boundedRegExpEngine } from "../util/bounded-regex.js";

// ajv-formats is CommonJS; under NodeNext its plugin is the module's `default` property.
const addFormats = addFormatsModule.default;

export type JsonSchemaValue = Record<string, unknown> | boolean;

type Dialect = "draft-07" | "2019-09" | "2020-12";

/** Standard formats ajv-formats does not implement: accepted unchecked, so a schema naming them still compiles. */
const UNCHECKED_FORMATS = ["idn-email", "idn-hostname", "iri", "iri-reference"];

function dialectOf(schema: JsonSchemaValue): Dialect | { unsupported: string } {
  const declared = typeof schema === "object" ? schema.$schema : undefined;
  if (declared === undefined) return "draft-07";
  if (typeof declared !== "string") return { unsupported: String(declared) };
  if (/json-schema\.org\/draft-07\/schema/.test(declared)) return "draft-07";
  if (/json-schema\.org\/draft\/2019-09\/schema/.test(declared)) return "2019-09";
  if (/json-schema\.org\/draft\/2020-12\/schema/.test(declared)) return "2020-12";
  return { unsupported: declared };
}

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
  addFormats(ajv);
  for (const name of UNCHECKED_FORMATS) ajv.addFormat(name, true);
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

export function describeSchemaError(error: ErrorObject): string {
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
