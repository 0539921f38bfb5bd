import path from "node:path";
import { pathToFileURL } from "node:url";
import { InputError } from "../errors.js";
import { BUILTIN_CHECKS } from "./builtins.js";
import type { CheckDefinition, CheckResult } from "./types.js";

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
 * CheckDefinition or an array of them, and registers them.
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
  const definitions = Array.isArray(exported) ? exported : [exported];
  for (const [index, definition] of definitions.entries()) {
    const candidate = definition as Partial<CheckDefinition>;
    const field = Array.isArray(exported) ? `default[${index}]` : "default";
    if (!candidate || typeof candidate.type !== "string" || typeof candidate.run !== "function") {
      throw new InputError("expected a check definition {type, summary, paramsSchema, run}", { file, field });
    }
    const run = candidate.run;
    registry.register(
      { summary: "", paramsSchema: { type: "object" }, ...candidate, run: (input) => checkedResult(run(input)) } as CheckDefinition<any>,
      file,
    );
  }
}

/**
 * A user check's result, or an Error saying what is wrong with it, which the
 * scorer turns into a check error: a result that is not the shared shape would
 * otherwise count as a pass or a fail it never claimed ("yes" is truthy), or
 * break the report.
 */
function checkedResult(result: unknown): CheckResult {
  const shape = "a check returns {type, score, pass, details: {reason}}";
  if (typeof result !== "object" || result === null || Array.isArray(result)) throw new Error(`returned ${describe(result)}; ${shape}`);
  const { pass, score, details } = result as Record<string, unknown>;
  if (typeof pass !== "boolean" && pass !== null) throw new Error(`returned pass ${describe(pass)}; pass must be true, false or null (informational)`);
  if (score !== null && (typeof score !== "number" || !Number.isFinite(score))) throw new Error(`returned score ${describe(score)}; score must be a finite number or null`);
  if (typeof details !== "object" || details === null || typeof (details as { reason?: unknown }).reason !== "string") {
    throw new Error(`returned details ${describe(details)}; ${shape}`);
  }
  return result as CheckResult;
}

/** A value as the message shows it: `"yes" (a string)`, `undefined`, `NaN`. */
function describe(value: unknown): string {
  if (value === undefined || value === null || (typeof value === "number" && !Number.isFinite(value))) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : JSON.stringify(value).slice(0, 80);
  return `${JSON.stringify(value)} (a ${typeof value})`;
}
