import AjvModule from "ajv";
import type { Ajv as AjvClass, ErrorObject, Options, ValidateFunction } from "ajv";

// ajv is CommonJS; under NodeNext its class is the module's `default` property.
const Ajv = AjvModule.default;
export type AjvInstance = AjvClass;

export function createAjv(options: Options = {}): AjvInstance {
  return new Ajv({ allErrors: true, strict: false, ...options });
}

export type { ErrorObject, ValidateFunction };

/** `/probes/3/checks/0` → ["probes", 3, "checks", 0] */
export function instancePathSegments(instancePath: string): Array<string | number> {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** `["probes", 3, "id"]` → `probes[3].id` */
export function fieldName(segments: Array<string | number>): string {
  let out = "";
  for (const segment of segments) out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  return out;
}

/** One readable sentence for an ajv error. */
export function describeAjvError(error: ErrorObject): string {
  switch (error.keyword) {
    case "additionalProperties":
      return `unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    case "required":
      return `missing required key "${(error.params as { missingProperty: string }).missingProperty}"`;
    case "type":
      return `must be ${(error.params as { type: string }).type}`;
    case "enum":
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      return `does not match ${(error.params as { pattern: string }).pattern}`;
    default:
      return error.message ?? error.keyword;
  }
}
