import path from "node:path";
import { pathToFileURL } from "node:url";
import { InputError } from "../errors.js";
import { BUILTIN_CHECKS } from "./builtins.js";
import { defineCheck } from "./define.js";
import type { AggregateOutcome, CheckAggregate, CheckDeclaration, CheckDefinition, CheckOutcome } from "./types.js";

/** Check types by name. Built-ins are always present; users add theirs from a module. */
export class CheckRegistry {
  private readonly definitions = new Map<string, CheckDefinition<any>>();

  constructor(definitions: Iterable<CheckDefinition<any>> = BUILTIN_CHECKS) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: CheckDefinition<any>, source = "built-in"): void {
    if (!/^[a-z][a-z0-9_+-]*$/.test(definition.type)) {
      throw new InputError(`check type "${definition.type}" must be lower-case letters, digits, _ + or -`, { file: source });
    }
    if (this.definitions.has(definition.type)) {
      throw new InputError(`check type "${definition.type}" is already registered`, { file: source });
    }
    this.definitions.set(definition.type, definition);
  }

  get(type: string): CheckDefinition<any> | undefined {
    return this.definitions.get(type);
  }

  types(): string[] {
    return [...this.definitions.keys()].sort();
  }

  all(): CheckDefinition<any>[] {
    return [...this.definitions.values()];
  }
}

/**
 * Loads user checks from an ES module (`.js`/`.mjs`) whose default export is a
 * check declaration or an array of them, and registers them. A declaration
 * has the built-ins' fields; `better` (default "higher"), `unit` and `note`
 * may be left out, `aggregate`, `signature` and `view` are optional.
 */
export async function registerCheckModule(registry: CheckRegistry, file: string): Promise<void> {
  const resolved = path.resolve(file);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolved).href)) as { default?: unknown };
  } catch (error) {
    throw new InputError(`cannot load check module: ${(error as Error).message.split("\n")[0]}`, { file });
  }
  const exported = module.default;
  const declarations = Array.isArray(exported) ? exported : [exported];
  for (const [index, declaration] of declarations.entries()) {
    const field = Array.isArray(exported) ? `default[${index}]` : "default";
    registry.register(userCheck(declaration, { file, field }), file);
  }
}

/** A user module's declaration as a check, or an InputError naming the module and the field that is wrong. */
function userCheck(value: unknown, at: { file: string; field: string }): CheckDefinition<any> {
  const candidate = value as Partial<CheckDeclaration> | undefined;
  if (!candidate || typeof candidate.type !== "string" || typeof candidate.run !== "function") {
    throw new InputError("expected a check definition {type, summary, paramsSchema, run}", at);
  }
  const fail = (key: string, message: string): never => {
    throw new InputError(`${key} ${message}`, { file: at.file, field: `${at.field}.${key}` });
  };
  if ("better" in candidate && candidate.better !== "higher" && candidate.better !== "lower" && candidate.better !== null) {
    fail("better", `must be "higher", "lower" or null, got ${describe(candidate.better)}`);
  }
  for (const key of ["summary", "unit", "note"] as const) {
    if (candidate[key] !== undefined && typeof candidate[key] !== "string") fail(key, `must be a string, got ${describe(candidate[key])}`);
  }
  if (candidate.paramsSchema !== undefined && (typeof candidate.paramsSchema !== "object" || candidate.paramsSchema === null)) {
    fail("paramsSchema", `must be a JSON Schema object, got ${describe(candidate.paramsSchema)}`);
  }
  for (const key of ["signature", "view", "services", "load", "validate"] as const) {
    if (candidate[key] !== undefined && typeof candidate[key] !== "function") fail(key, `must be a function, got ${describe(candidate[key])}`);
  }
  const aggregate = candidate.aggregate === undefined ? undefined : userAggregate(candidate.aggregate, { file: at.file, field: `${at.field}.aggregate` });
  const run = candidate.run;
  return defineCheck({
    summary: "",
    paramsSchema: { type: "object" },
    better: "higher",
    unit: "",
    note: "",
    ...candidate,
    ...(aggregate ? { aggregate } : {}),
    run: (input) => checkedResult(run(input)),
  } as CheckDeclaration<any>);
}

/** A user aggregate, checked for shape now and for what it returns when it runs (a bad value is an InputError naming the module). */
function userAggregate(value: unknown, at: { file: string; field: string }): CheckAggregate {
  const aggregate = value as Partial<CheckAggregate> | null;
  const fail = (key: string, message: string): never => {
    throw new InputError(`${key} ${message}`, { file: at.file, field: `${at.field}.${key}` });
  };
  if (typeof aggregate !== "object" || aggregate === null) throw new InputError(`must be {name, group, combine}, got ${describe(value)}`, at);
  if (typeof aggregate.name !== "string" || !/^[a-z][a-z0-9_+-]*$/.test(aggregate.name)) fail("name", `must be lower-case letters, digits, _ + or -, got ${describe(aggregate.name)}`);
  if (typeof aggregate.group !== "function") fail("group", `must be a function, got ${describe(aggregate.group)}`);
  if (typeof aggregate.combine !== "function") fail("combine", `must be a function, got ${describe(aggregate.combine)}`);
  const { name, group, combine } = aggregate as CheckAggregate;
  const guarded = <T>(key: string, call: () => T): T => {
    try {
      return call();
    } catch (error) {
      if (error instanceof InputError) throw error;
      return fail(key, `failed: ${(error as Error).message.split("\n")[0]}`);
    }
  };
  return {
    name,
    group: (item) => {
      const key = guarded("group", () => group(item));
      if (key !== null && typeof key !== "string") fail("group", `returned ${describe(key)}; a group key is a string, or null to leave the result out`);
      return key;
    },
    combine: (items) => {
      const outcome = guarded("combine", () => combine(items)) as Partial<AggregateOutcome> | null;
      const shape = "an aggregate returns {score, signature, language}";
      if (typeof outcome !== "object" || outcome === null) return fail("combine", `returned ${describe(outcome)}; ${shape}`);
      if (outcome.score !== null && (typeof outcome.score !== "number" || !Number.isFinite(outcome.score))) fail("combine", `returned score ${describe(outcome.score)}; a finite number or null`);
      if (typeof outcome.signature !== "string") fail("combine", `returned signature ${describe(outcome.signature)}; ${shape}`);
      const values = outcome.values ?? {};
      for (const [key, entry] of Object.entries(values)) {
        if (entry !== null && typeof entry !== "string" && !(typeof entry === "number" && Number.isFinite(entry))) fail("combine", `returned values.${key} ${describe(entry)}; a value is a finite number, a string or null`);
      }
      return { score: outcome.score ?? null, signature: outcome.signature!, language: typeof outcome.language === "string" ? outcome.language : null, values };
    },
  };
}

/**
 * A user check's result, or an Error saying what is wrong with it, which the
 * scorer turns into a check error: a result that is not the shared shape would
 * otherwise count as a pass or a fail it never claimed ("yes" is truthy), or
 * break the report.
 */
function checkedResult(result: unknown): CheckOutcome {
  const shape = "a check returns {type, score, pass, details: {reason}}";
  if (typeof result !== "object" || result === null || Array.isArray(result)) throw new Error(`returned ${describe(result)}; ${shape}`);
  const { pass, score, details } = result as Record<string, unknown>;
  if (typeof pass !== "boolean" && pass !== null) throw new Error(`returned pass ${describe(pass)}; pass must be true, false or null (informational)`);
  if (score !== null && (typeof score !== "number" || !Number.isFinite(score))) throw new Error(`returned score ${describe(score)}; score must be a finite number or null`);
  if (typeof details !== "object" || details === null || typeof (details as { reason?: unknown }).reason !== "string") {
    throw new Error(`returned details ${describe(details)}; ${shape}`);
  }
  return result as CheckOutcome;
}

/** A value as the message shows it: `"yes" (a string)`, `undefined`, `NaN`. */
function describe(value: unknown): string {
  if (value === undefined || value === null || (typeof value === "number" && !Number.isFinite(value))) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : JSON.stringify(value).slice(0, 80);
  return `${JSON.stringify(value)} (a ${typeof value})`;
}
