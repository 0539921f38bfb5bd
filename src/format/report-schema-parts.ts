/** Building blocks of the report's JSON Schemas. */

export const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: "null" }] });
export const int = { type: "integer", minimum: 0 } as const;
export const rate = { type: "number", minimum: 0, maximum: 1 } as const;

/** An object with these properties and no others, each one required unless `required` names fewer. */
export function closedObject<P extends Record<string, unknown>>(
  properties: P,
  options: { required?: ReadonlyArray<keyof P & string>; description?: string } = {},
) {
  return {
    type: "object",
    ...(options.description === undefined ? {} : { description: options.description }),
    properties,
    required: options.required ?? Object.keys(properties),
    additionalProperties: false,
  } as const;
}
