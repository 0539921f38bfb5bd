import type { CheckDefinition } from "../checks/types.js";
import { BUILTIN_CATEGORIES } from "../format/suite.js";
import { SUITE_SCHEMA } from "../format/suite-schema.js";
import { languageCodePattern } from "../lang/language-tags.js";

/**
 * SUITE_SCHEMA with what an editor can flag before the CLI does: every
 * registered check's name and parameters, the language codes the loader
 * takes, and the built-in categories (enforced when the suite declares none of
 * its own under `categories`, which a schema cannot read).
 */
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
  const language = { ...schema.properties.defaults.properties.language, pattern: languageCodePattern() };
  schema.properties.defaults.properties.language = language;
  schema.properties.probes.items.properties.language = language;
  const category = { ...schema.properties.defaults.properties.category, examples: [...BUILTIN_CATEGORIES] };
  schema.properties.defaults.properties.category = category;
  schema.properties.probes.items.properties.category = category;
  const builtin = { enum: [...BUILTIN_CATEGORIES] };
  schema.if = { not: { required: ["categories"] } };
  schema.then = {
    properties: {
      defaults: { properties: { category: builtin, checks_by_category: { propertyNames: builtin } } },
      probes: { items: { properties: { category: builtin } } },
    },
  };
  return schema;
}

function withTypeProperty(check: CheckDefinition<any>): Record<string, unknown> {
  const params = structuredClone(check.paramsSchema) as Record<string, any>;
  params.description = check.summary;
  params.properties = { type: { const: check.type }, ...(params.properties ?? {}) };
  return params;
}
