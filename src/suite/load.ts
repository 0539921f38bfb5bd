/**
 * Loads suite files: YAML → structure check (JSON Schema) → checks' own
 * parameter schemas → probes with defaults applied. Every problem is reported
 * with its file, line, column and key; nothing is loaded when any is found.
 */
import { readFileSync, statSync, readdirSync } from "node:fs";
import path from "node:path";
import { InputError, InputErrors } from "../errors.js";
import type { CheckRegistry } from "../checks/registry.js";
import type { CheckDefinition } from "../checks/types.js";
import { emptyValueProblem } from "../lang/normalize.js";
import { createAjv, fieldName, type ErrorObject, type ValidateFunction } from "../util/ajv.js";
import { didYouMean } from "../util/did-you-mean.js";
import { languageCodeProblem } from "../lang/language-tags.js";
import { readYamlFile, schemaErrors, type Locator, type PathSegments, type SourceMap } from "../util/yaml-source.js";
import { sha256, stableStringify } from "../util/json.js";
import { IDENTIFIER_PATTERN, SUITE_SCHEMA } from "../format/suite-schema.js";
import {
  BUILTIN_CATEGORIES,
  DEFAULT_GENERATION,
  type CheckSpec,
  type CheckSpecInput,
  type GenerationSettings,
  type Probe,
  type ProbeSpec,
  type Suite,
  type SuiteFile,
} from "../format/suite.js";
import { loadDataProbes, type LoadedData } from "./data/load-data.js";

// verbose: an unknown key's error carries the schema's keys, for a did-you-mean.
const ajv = createAjv({ verbose: true });
const validateStructure = ajv.compile(SUITE_SCHEMA);
const paramValidators = new WeakMap<CheckDefinition<any>, ValidateFunction>();

export interface LoadOptions {
  registry: CheckRegistry;
}

/** Expands files and folders (every *.yaml / *.yml inside, sorted) into suite files. */
export function expandSuitePaths(paths: string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    let stats;
    try {
      stats = statSync(given);
    } catch {
      throw new InputError("no such suite file or folder", { file: given });
    }
    if (stats.isDirectory()) {
      const found = readdirSync(given, { recursive: true })
        .map(String)
        .filter((name) => /\.ya?ml$/i.test(name))
        .sort()
        .map((name) => path.join(given, name));
      if (found.length === 0) throw new InputError("folder holds no .yaml suite files", { file: given });
      files.push(...found);
    } else {
      files.push(given);
    }
  }
  return [...new Set(files)];
}

/** Loads every suite; throws InputErrors listing every problem in every file. */
export function loadSuites(paths: string[], options: LoadOptions): Suite[] {
  const suites: Suite[] = [];
  const errors: InputError[] = [];
  const files: string[] = [];
  for (const given of paths) {
    try {
      files.push(...expandSuitePaths([given]).filter((file) => !files.includes(file)));
    } catch (error) {
      if (error instanceof InputError) errors.push(error);
      else throw error;
    }
  }
  for (const file of files) {
    try {
      suites.push(loadSuite(file, options));
    } catch (error) {
      if (error instanceof InputErrors) errors.push(...error.errors);
      else if (error instanceof InputError) errors.push(error);
      else throw error;
    }
  }
  const seen = new Map<string, string>();
  for (const suite of suites) {
    const other = seen.get(suite.name);
    if (other) errors.push(new InputError(`suite name "${suite.name}" is also used by ${other}`, { file: suite.path, field: "suite" }));
    seen.set(suite.name, suite.path);
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return suites;
}

export function loadSuite(file: string, options: LoadOptions): Suite {
  const { text, source, data } = readYamlFile(file, "suite");
  if (validateStructure(data)) return buildSuite(data as SuiteFile, file, text, source, options, null);
  const structure = structureProblems(validateStructure.errors ?? [], source);
  if (!structure.buildable) throw new InputErrors(structure.errors);
  return buildSuite(data as SuiteFile, file, text, source, options, structure);
}

/** What the suite schema found, and whether the rest of the file can still be checked in the same pass. */
interface StructureProblems {
  errors: InputError[];
  /** Every problem is inside a probe (those probes are left out) or an unknown key: the rest is checked too. */
  buildable: boolean;
  /** Indexes of the probes the schema found a problem in. */
  probes: Set<number>;
  /** The instance paths (`/probes/2/language`) of the problems, so a value is not reported twice. */
  paths: Set<string>;
}

function structureProblems(found: ErrorObject[], source: SourceMap): StructureProblems {
  const probes = new Set<number>();
  let buildable = true;
  for (const error of found) {
    const probe = /^\/probes\/(\d+)(?:\/|$)/.exec(error.instancePath);
    if (probe) probes.add(Number(probe[1]));
    else if (error.keyword !== "additionalProperties") buildable = false;
  }
  return { errors: schemaErrors(found, source), buildable, probes, paths: new Set(found.map((error) => error.instancePath)) };
}

/** Problems of several origins in the order of the file. */
function byPosition(errors: InputError[]): InputError[] {
  const key = (error: InputError) => [error.location.file ?? "", error.location.line ?? 0, error.location.column ?? 0] as const;
  return [...errors].sort((a, b) => {
    const [fileA, lineA, columnA] = key(a);
    const [fileB, lineB, columnB] = key(b);
    return fileA === fileB ? lineA - lineB || columnA - columnB : 0;
  });
}

function buildSuite(data: SuiteFile, file: string, text: string, yamlSource: SourceMap, options: LoadOptions, structure: StructureProblems | null): Suite {
  const errors = new SuiteProblems();
  const yamlProbes = data.probes ?? [];
  let loaded: LoadedData | null = null;
  if (data.data) {
    try {
      loaded = loadDataProbes(data.data, data.defaults ?? {}, yamlSource, yamlProbes.length);
      errors.push(...loaded.problems);
    } catch (error) {
      if (error instanceof InputErrors) errors.push(...error.errors);
      else if (error instanceof InputError) errors.push(error);
      else throw error;
    }
  }
  // Probes from the data file follow the YAML ones; messages about them name the data file's records.
  const source: Locator = loaded?.locator ?? yamlSource;
  const name = data.suite ?? path.basename(file).replace(/\.ya?ml$/i, "");
  if (data.suite === undefined && !new RegExp(IDENTIFIER_PATTERN).test(name)) {
    errors.push(new InputError(`the file name gives the suite name "${name}", which is not of the form ${IDENTIFIER_PATTERN}; set \`suite:\``, { file, field: "suite" }));
  }
  const categories = new Set<string>([...BUILTIN_CATEGORIES, ...(data.categories ?? [])]);
  const defaults = data.defaults ?? {};

  const checkCategory = (value: unknown, segments: PathSegments) => {
    if (typeof value === "string" && !categories.has(value)) {
      errors.push(source.error(`unknown category "${value}"; declare it under \`categories\` or use one of ${[...categories].join(", ")}${didYouMean(value, categories)}`, segments));
    }
  };
  const checkLanguage = (value: unknown, segments: PathSegments) => {
    const problem = typeof value === "string" ? languageCodeProblem(value) : null;
    if (problem) errors.push(source.error(problem, segments));
  };
  checkCategory(defaults.category, ["defaults", "category"]);
  checkLanguage(defaults.language, ["defaults", "language"]);

  const defaultChecks = (defaults.checks ?? []).map((entry, index) => ({ entry, segments: ["defaults", "checks", index] as PathSegments }));
  // A built-in data layout's checks for a category, unless the suite sets that category's own.
  const byCategory = { ...loaded?.checksByCategory, ...defaults.checks_by_category };
  for (const category of Object.keys(defaults.checks_by_category ?? {})) checkCategory(category, ["defaults", "checks_by_category", category]);
  const categoryChecks = (category: string | undefined) =>
    (category === undefined ? [] : (byCategory[category] ?? [])).map((entry, index) => ({ entry, segments: ["defaults", "checks_by_category", category!, index] as PathSegments }));

  const probes: Probe[] = [];
  const ids = new Map<string, number>();
  [...yamlProbes, ...(loaded?.probes ?? [])].forEach((spec: ProbeSpec, index) => {
    const at: PathSegments = ["probes", index];
    if (structure?.probes.has(index)) {
      // The schema's messages say what is wrong with this probe; add what they cannot know.
      const unflagged = (key: string) => !structure.paths.has(`/probes/${index}/${key}`);
      if (unflagged("category")) checkCategory(spec.category, [...at, "category"]);
      if (unflagged("language")) checkLanguage(spec.language, [...at, "language"]);
      if (Array.isArray(spec.checks)) {
        spec.checks.forEach((entry, checkIndex) => {
          if (unflagged(`checks/${checkIndex}`)) unknownCheckType(entry, [...at, "checks", checkIndex], source, options.registry, errors);
        });
      }
      return;
    }
    const firstIndex = ids.get(spec.id);
    if (firstIndex !== undefined) {
      const first = source.locate(["probes", firstIndex, "id"]);
      errors.push(source.error(`duplicate probe id "${spec.id}" (first defined on line ${first.line})`, [...at, "id"]));
      return;
    }
    ids.set(spec.id, index);
    checkCategory(spec.category, [...at, "category"]);
    checkLanguage(spec.language, [...at, "language"]);

    const category = spec.category ?? defaults.category;
    const language = spec.language ?? defaults.language;
    if (!category) errors.push(source.error("missing category (set it on the probe or in defaults)", at));
    if (!language) errors.push(source.error("missing language (set it on the probe or in defaults)", at));

    const expected = spec.expected === undefined ? [] : typeof spec.expected === "string" ? [spec.expected] : spec.expected;
    expected.forEach((value, valueIndex) => {
      const problem = emptyValueProblem("expected value", value);
      if (problem) errors.push(source.error(problem, typeof spec.expected === "string" ? [...at, "expected"] : [...at, "expected", valueIndex]));
    });
    const generation: GenerationSettings = {
      max_tokens: spec.max_tokens ?? defaults.max_tokens ?? DEFAULT_GENERATION.max_tokens,
      template: spec.template ?? defaults.template ?? DEFAULT_GENERATION.template,
      stop: spec.stop ?? defaults.stop ?? DEFAULT_GENERATION.stop,
      system: spec.system ?? defaults.system ?? DEFAULT_GENERATION.system,
      temperature: spec.temperature ?? defaults.temperature ?? DEFAULT_GENERATION.temperature,
      seed: spec.seed ?? defaults.seed ?? DEFAULT_GENERATION.seed,
      samples: spec.samples ?? defaults.samples ?? DEFAULT_GENERATION.samples,
    };
    const templateProblem = templateFileProblem(generation.template, file);
    if (templateProblem) errors.push(source.error(templateProblem, spec.template !== undefined ? [...at, "template"] : ["defaults", "template"]));
    const type = spec.type ?? "generate";
    if (generation.samples > 1 && generation.temperature === 0) {
      const where = spec.samples !== undefined ? [...at, "samples"] : at;
      errors.push(source.error("samples > 1 needs temperature > 0 (greedy decoding gives the same output every time)", where));
    }
    if (type !== "generate" && generation.samples > 1) errors.push(source.error(`${type} probes are scored, not sampled; remove samples`, at));
    if (type === "choice" && spec.choices && spec.answer !== undefined && spec.answer >= spec.choices.length) {
      errors.push(source.error(`answer ${spec.answer} is not an index of the ${spec.choices.length} choices (they count from 0)`, [...at, "answer"]));
    }
    if (type !== "choice" && spec.target_delimiter !== undefined) {
      errors.push(source.error("target_delimiter belongs to choice probes", [...at, "target_delimiter"], true));
    }
    if (type === "generate") {
      for (const key of ["choices", "answer", "text"] as const) {
        if (spec[key] !== undefined) errors.push(source.error(`${key} belongs to choice or perplexity probes; set \`type\``, [...at, key], true));
      }
    }
    const partial = {
      suite: name,
      id: spec.id,
      type,
      prompt: spec.prompt ?? "",
      choices: spec.choices ?? [],
      answer: spec.answer ?? null,
      target_delimiter: type === "choice" ? (spec.target_delimiter ?? defaults.target_delimiter ?? null) : null,
      text: spec.text ?? null,
      category: category ?? "",
      language: language ?? "",
      expected,
      generation,
      tags: [...new Set([...(defaults.tags ?? []), ...(spec.tags ?? [])])],
      ...(spec.notes ? { notes: spec.notes } : {}),
      source: source.origin(at),
    };
    // Likelihood probes get their own check (choice / perplexity) and not the defaults, which judge generated text.
    const own = (spec.checks ?? []).map((entry, checkIndex) => ({ entry, segments: [...at, "checks", checkIndex] as PathSegments }));
    const implicit = type !== "generate" && !own.some(({ entry }) => checkType(entry) === type)
      ? [{ entry: type as CheckSpecInput, segments: [...at, "type"] as PathSegments }]
      : [];
    const entries = type === "generate" ? layeredChecks(defaultChecks, categoryChecks(category), own) : [...implicit, ...own];
    const checks: CheckSpec[] = [];
    for (const { entry, segments } of entries) {
      const check = resolveCheck(entry, segments, at, { ...partial, checks: [], hash: "" }, source, options.registry, errors);
      if (check) checks.push(check);
    }
    if (entries.length === 0) {
      errors.push(source.error("probe has no checks and would pass without looking at the output; add `checks` (or `defaults.checks`, `defaults.checks_by_category`)", at));
    }
    const { prompt, choices, answer } = partial;
    // The delimiter enters the hash only when set, so probes that leave it to the default keep their hashes.
    const delimiter = partial.target_delimiter === null ? {} : { target_delimiter: partial.target_delimiter };
    const hash = sha256(
      stableStringify({ type, prompt, choices, answer, ...delimiter, text: partial.text, category: partial.category, language: partial.language, expected, checks, generation }),
    );
    // A template file is part of the probe: editing the file changes the probe's hash, so resume and diff notice.
    const templateDigest = templateFileDigest(generation.template, file);
    probes.push({ ...partial, checks, hash: templateDigest === null ? hash : sha256(`${hash}\u0000template:${templateDigest}`) });
  });

  if (structure) throw new InputErrors(byPosition([...structure.errors, ...errors.list()]));
  if (errors.size > 0) throw new InputErrors(errors.list());
  return { name, description: data.description ?? null, path: file, sha256: sha256(text), probes, data: loaded?.info ?? null };
}

interface CheckEntry {
  entry: CheckSpecInput;
  segments: PathSegments;
}

const checkType = (entry: CheckSpecInput): string => (typeof entry === "string" ? entry : entry.type);

/**
 * The checks of a generated probe, broadest list first: a more specific list's
 * check of a type replaces the broader lists' checks of that type (the probe's
 * own over its category's, its category's over the suite's), so a probe that
 * sets `{type: katakana, max_distance: 1}` is not also judged by the default
 * `katakana`. Checks of one list are all kept.
 */
function layeredChecks(...broadestFirst: CheckEntry[][]): CheckEntry[] {
  const kept: CheckEntry[][] = [];
  const typesBelow = new Set<string>();
  for (const layer of [...broadestFirst].reverse()) {
    kept.unshift(layer.filter(({ entry }) => !typesBelow.has(checkType(entry))));
    for (const { entry } of layer) typesBelow.add(checkType(entry));
  }
  return kept.flat();
}

/** The sha256 of the template file a probe names (relative to the suite file); null for a named template. */
function templateFileDigest(spec: string, suiteFile: string): string | null {
  if (!namesTemplateFile(spec)) return null;
  const file = path.resolve(path.dirname(suiteFile), spec);
  try {
    return statSync(file).isFile() ? sha256(readFileSync(file)) : null;
  } catch {
    return null;
  }
}

/** Named templates (auto, raw, chatml…) have no extension and no folder; anything else is a file. */
function namesTemplateFile(spec: string): boolean {
  return spec !== "auto" && spec !== "raw" && /[./\\]/.test(spec);
}

/**
 * A `template:` that names a file (it has an extension or a folder; the named
 * templates have neither) must be a file, relative to the suite file, at
 * validate time and not only when a run reaches the probe.
 */
function templateFileProblem(spec: string, suiteFile: string): string | null {
  if (!namesTemplateFile(spec)) return null;
  const file = path.resolve(path.dirname(suiteFile), spec);
  try {
    return statSync(file).isFile() ? null : `template ${spec} is not a file (${file})`;
  } catch (error) {
    return `template file ${spec} not found (${(error as NodeJS.ErrnoException).code ?? "unreadable"}: ${file})`;
  }
}

/**
 * The problems found in one suite, in order. A defaults check is resolved for
 * every probe, so the same problem can be found many times: it is said once,
 * naming the probes it was found for when that depends on them.
 */
class SuiteProblems {
  private readonly found = new Map<string, { error: InputError; probes: string[] }>();

  push(...errors: InputError[]): void {
    for (const error of errors) if (!this.found.has(error.toLine())) this.found.set(error.toLine(), { error, probes: [] });
  }

  /** A problem with a defaults check's spec, met while resolving it for probe `probeId`. */
  pushForProbe(error: InputError, probeId: string): void {
    const entry = this.found.get(error.toLine()) ?? { error, probes: [] };
    entry.probes.push(probeId);
    this.found.set(error.toLine(), entry);
  }

  get size(): number {
    return this.found.size;
  }

  list(): InputError[] {
    return [...this.found.values()].map(({ error, probes }) =>
      probes.length === 0 ? error : new InputError(`${error.message} (for probe${probes.length > 1 ? "s" : ""} ${probes.join(", ")})`, error.location),
    );
  }
}

/** Reports a check entry whose type no check has; says nothing of an entry that is not a check entry. */
function unknownCheckType(entry: unknown, segments: PathSegments, source: Locator, registry: CheckRegistry, errors: SuiteProblems): void {
  const type = typeof entry === "string" ? entry : typeof entry === "object" && entry !== null ? (entry as { type?: unknown }).type : undefined;
  if (typeof type !== "string" || registry.get(type)) return;
  const typeSegments = typeof entry === "string" ? segments : [...segments, "type"];
  errors.push(source.error(`unknown check type "${type}"; known: ${registry.types().join(", ")}${didYouMean(type, registry.types())}`, typeSegments));
}

function resolveCheck(
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
