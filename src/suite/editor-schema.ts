import type { CheckDefinition } from "../checks/types.js";
import { SUITE_SCHEMA } from "../format/suite-schema.js";

/** SUITE_SCHEMA with every registered check's parameters spelled out, for editors. */
export function suiteSchemaForEditors(checks: CheckDefinition<any>[]): Record<string, unknown> {
  const byType = [...checks].sort((a, b) => a.type.localeCompare(b.type));
  const checkSchema = {
    description: "A check: a bare type name, or {type, ...params}.",
    oneOf: [
      { type: "string", enum: byType.map((check) => check.type) },
      {
        type: "object",
        required: ["type"],
        properties: { type: { type: "string", enum: byType.map((check) => check.type) } },
        allOf: byType.map((check) => ({
          if: { properties: { type: { const: check.type } } },
          then: withTypeProperty(check),
        })),
      },
    ],
  };
  const schema = structuredClone(SUITE_SCHEMA) as any;
  schema.properties.defaults.properties.checks.items = checkSchema;
  schema.properties.probes.items.properties.checks.items = checkSchema;
  schema.properties.defaults.properties.checks_by_category.additionalProperties.items = checkSchema;
  return schema;
}

function withTypeProperty(check: CheckDefinition<any>): Record<string, unknown> {
  const params = structuredClone(check.paramsSchema) as Record<string, any>;
  params.description = check.summary;
  params.properties = { type: { const: check.type }, ...(params.properties ?? {}) };
  return params;
}
