/**
 * A probe's checks: the lists it inherits layered under its own, and each
 * entry resolved against the registry: known type, parameters valid by the
 * check's schema, what the check needs present, its own validation.
 */
import type { CheckRegistry } from "../checks/registry.js";
import type { CheckDefinition } from "../checks/types.js";
import type { CheckSpec, CheckSpecInput, Probe } from "../format/suite.js";
import { createAjv, fieldName, type ValidateFunction } from "../util/ajv.js";
import { didYouMean } from "../util/did-you-mean.js";
import { schemaErrors, type Locator, type PathSegments } from "../util/yaml-source.js";
import type { SuiteProblems } from "./suite-problems.js";

// verbose: an unknown key's error carries the schema's keys, for a did-you-mean.
const ajv = createAjv({ verbose: true });
const paramValidators = new WeakMap<CheckDefinition<any>, ValidateFunction>();

export interface CheckEntry {
  entry: CheckSpecInput;
  segments: PathSegments;
}

export const checkType = (entry: CheckSpecInput): string => (typeof entry === "string" ? entry : entry.type);

/**
 * The checks of a generated probe, broadest list first: a more specific list's
 * check of a type replaces the broader lists' checks of that type (the probe's
 * own over its category's, its category's over the suite's), so a probe that
 * sets `{type: katakana, max_distance: 1}` is not also judged by the default
 * `katakana`. Checks of one list are all kept.
 */
export function layeredChecks(...broadestFirst: CheckEntry[][]): CheckEntry[] {
  const kept: CheckEntry[][] = [];
  const typesBelow = new Set<string>();
  for (const layer of [...broadestFirst].reverse()) {
    kept.unshift(layer.filter(({ entry }) => !typesBelow.has(checkType(entry))));
    for (const { entry } of layer) typesBelow.add(checkType(entry));
  }
  return kept.flat();
}

/** Reports a check entry whose type no check has; says nothing of an entry that is not a check entry. */
export function unknownCheckType(entry: unknown, segments: PathSegments, source: Locator, registry: CheckRegistry, errors: SuiteProblems): void {
  const type = typeof entry === "string" ? entry : typeof entry === "object" && entry !== null ? (entry as { type?: unknown }).type : undefined;
  if (typeof type !== "string" || registry.get(type)) return;
  const typeSegments = typeof entry === "string" ? segments : [...segments, "type"];
  errors.push(source.error(`unknown check type "${type}"; known: ${registry.types().join(", ")}${didYouMean(type, registry.types())}`, typeSegments));
}

export function resolveCheck(
  entry: CheckSpecInput,
  segments: PathSegments,
  probeAt: PathSegments,
  probe: Probe,
  source: Locator,
  registry: CheckRegistry,
  errors: SuiteProblems,
): CheckSpec | null {
  const spec: CheckSpec = typeof entry === "string" ? { type: entry } : { ...entry };
  const definition = registry.get(spec.type);
  if (!definition) {
    unknownCheckType(entry, segments, source, registry, errors);
    return null;
  }
  const { type: _type, ...params } = spec;
  let validate = paramValidators.get(definition);
  if (!validate) {
    validate = ajv.compile(definition.paramsSchema);
    paramValidators.set(definition, validate);
  }
  if (!validate(params)) {
    errors.push(...schemaErrors(validate.errors, source, { at: segments, label: spec.type }));
    return null;
  }
  // A defaults check is resolved for every probe: a probe that lacks what it needs is named at the
  // probe; a problem with the spec itself is named at the spec, with the probes it was found for.
  const fromDefaults = segments[0] === "defaults";
  const specProblem = (message: string) =>
    fromDefaults ? errors.pushForProbe(source.error(message, segments), probe.id) : errors.push(source.error(message, segments));
  if (definition.needsExpected && probe.expected.length === 0 && params.expected === undefined) {
    const message = `${spec.type} needs expected values: set \`expected\` on the probe or on the check`;
    errors.push(fromDefaults ? source.error(`${message} (check from ${fieldName(segments)})`, probeAt) : source.error(message, segments));
    return null;
  }
  let resolved: Record<string, unknown> = params;
  try {
    if (definition.load) resolved = definition.load(params, { suiteFile: source.file }) as Record<string, unknown>;
    const problem = definition.validate?.(resolved, probe);
    if (problem) {
      specProblem(`${spec.type}: ${problem}`);
      return null;
    }
  } catch (error) {
    specProblem(`${spec.type}: ${(error as Error).message}`);
    return null;
  }
  return { type: spec.type, ...resolved };
}
