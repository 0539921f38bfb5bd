/**
 * Loads suite files: YAML → structure check (JSON Schema) → checks' own
 * parameter schemas → probes with defaults applied. Every problem is reported
 * with its file, line, column and key; nothing is loaded when any is found.
 * A probe is resolved in resolve-probe.ts, its checks in resolve-checks.ts.
 */
import { statSync, readdirSync } from "node:fs";
import path from "node:path";
import { InputError, InputErrors } from "../errors.js";
import type { CheckRegistry } from "../checks/registry.js";
import { createAjv, type ErrorObject } from "../util/ajv.js";
import { didYouMean } from "../util/did-you-mean.js";
import { languageCodeProblem } from "../lang/language-tags.js";
import { readYamlFile, schemaErrors, type Locator, type PathSegments, type SourceMap } from "../util/yaml-source.js";
import { sha256 } from "../util/json.js";
import { IDENTIFIER_PATTERN, SUITE_SCHEMA } from "../format/suite-schema.js";
import { BUILTIN_CATEGORIES, type Probe, type ProbeSpec, type Suite, type SuiteFile } from "../format/suite.js";
import { loadDataProbes, type LoadedData } from "./data/load-data.js";
import { unknownCheckType } from "./resolve-checks.js";
import { resolveProbe, type SuiteContext } from "./resolve-probe.js";
import { SuiteProblems } from "./suite-problems.js";

// verbose: an unknown key's error carries the schema's keys, for a did-you-mean.
const validateStructure = createAjv({ verbose: true }).compile(SUITE_SCHEMA);

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

  const suite: SuiteContext = { name, file, defaults, source, registry: options.registry, errors, inheritedChecks: (category) => [defaultChecks, categoryChecks(category)] };
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
    probes.push(resolveProbe(spec, index, suite));
  });

  if (structure) throw new InputErrors(byPosition([...structure.errors, ...errors.list()]));
  if (errors.size > 0) throw new InputErrors(errors.list());
  return { name, description: data.description ?? null, path: file, sha256: sha256(text), probes, data: loaded?.info ?? null };
}
