/**
 * A declaration becomes a check: the parameters' defaults come from its
 * schema (ajv `useDefaults`), the result gets its `type` and signature here,
 * once, for every check, built-in or user.
 */
import { createAjv, type ValidateFunction } from "../util/ajv.js";
import type { CheckDetails, CheckResult } from "../format/check-result.js";
import type { CheckDeclaration, CheckDefinition } from "./types.js";

// Its own instance: the suite loader's validators must not fill defaults into
// the spec, which is hashed as written.
const defaulting = createAjv({ useDefaults: true });

/**
 * The params with the schema's defaults filled in, on a copy (top-level keys;
 * the schema is assumed to have been checked already, by the suite loader).
 */
function defaultsFiller<Params, Filled>(schema: Record<string, unknown>): (params: Params) => Filled {
  let validate: ValidateFunction | null = null;
  return (params) => {
    validate ??= defaulting.compile(schema);
    const filled = { ...(params as object) } as Filled;
    validate(filled);
    return filled;
  };
}

export function defineCheck<Params, Details extends CheckDetails = CheckDetails, Filled extends Params = Params>(
  declaration: CheckDeclaration<Params, Details, Filled>,
): CheckDefinition<Params, Details> {
  const withDefaults = defaultsFiller<Params, Filled>(declaration.paramsSchema);
  const { run, validate, services, signature } = declaration;
  return {
    ...declaration,
    ...(validate ? { validate: (params, probe) => validate(withDefaults(params), probe) } : {}),
    ...(services ? { services: (params, probe) => services(withDefaults(params), probe) } : {}),
    ...(signature ? { signature: (params, context) => signature(withDefaults(params), context) } : {}),
    run(input): CheckResult<Details> {
      const params = withDefaults(input.params);
      const outcome = run({ ...input, params });
      const details = signature ? { ...outcome.details, signature: signature(params, input) } : outcome.details;
      return { type: declaration.type, score: outcome.score, pass: outcome.pass, details };
    },
  };
}
