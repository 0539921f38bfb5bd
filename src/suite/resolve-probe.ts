/**
 * One probe of a suite resolved: its spec with the suite's defaults applied
 * (generation settings, inherited checks), the rules the schema cannot say
 * (a sampled probe is not greedy, an answer indexes the choices, a template
 * file exists), and its content hash.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { CheckRegistry } from "../checks/registry.js";
import { emptyValueProblem } from "../lang/normalize.js";
import { sha256, stableStringify } from "../util/json.js";
import type { Locator, PathSegments } from "../util/yaml-source.js";
import { DEFAULT_GENERATION, type CheckSpec, type CheckSpecInput, type GenerationSettings, type Probe, type ProbeSpec, type SuiteDefaults } from "../format/suite.js";
import { type CheckEntry, checkType, layeredChecks, resolveCheck } from "./resolve-checks.js";
import type { SuiteProblems } from "./suite-problems.js";

/** What a probe is resolved against: its suite's name, file, defaults and problems so far. */
export interface SuiteContext {
  name: string;
  file: string;
  defaults: SuiteDefaults;
  /** Where the probes are: the suite's YAML, or the data file's records after the YAML probes. */
  source: Locator;
  registry: CheckRegistry;
  errors: SuiteProblems;
  /** The check lists a generated probe of `category` inherits, broadest first: the suite's, its category's. */
  inheritedChecks(category: string | undefined): CheckEntry[][];
}

/** The probe `spec` (the index-th of the suite) with the suite's defaults applied; its problems go to `suite.errors`. */
export function resolveProbe(spec: ProbeSpec, index: number, suite: SuiteContext): Probe {
  const at: PathSegments = ["probes", index];
  const category = spec.category ?? suite.defaults.category;
  const language = spec.language ?? suite.defaults.language;
  if (!category) suite.errors.push(suite.source.error("missing category (set it on the probe or in defaults)", at));
  if (!language) suite.errors.push(suite.source.error("missing language (set it on the probe or in defaults)", at));

  const expected = spec.expected === undefined ? [] : typeof spec.expected === "string" ? [spec.expected] : spec.expected;
  expected.forEach((value, valueIndex) => {
    const problem = emptyValueProblem("expected value", value);
    if (problem) suite.errors.push(suite.source.error(problem, typeof spec.expected === "string" ? [...at, "expected"] : [...at, "expected", valueIndex]));
  });
  const generation = generationSettings(spec, suite.defaults);
  const templateProblem = templateFileProblem(generation.template, suite.file);
  if (templateProblem) suite.errors.push(suite.source.error(templateProblem, spec.template !== undefined ? [...at, "template"] : ["defaults", "template"]));
  const type = spec.type ?? "generate";
  if (generation.samples > 1 && generation.temperature === 0) {
    const where = spec.samples !== undefined ? [...at, "samples"] : at;
    suite.errors.push(suite.source.error("samples > 1 needs temperature > 0 (greedy decoding gives the same output every time)", where));
  }
  if (type !== "generate" && generation.samples > 1) suite.errors.push(suite.source.error(`${type} probes are scored, not sampled; remove samples`, at));
  if (type === "choice" && spec.choices && spec.answer !== undefined && spec.answer >= spec.choices.length) {
    suite.errors.push(suite.source.error(`answer ${spec.answer} is not an index of the ${spec.choices.length} choices (they count from 0)`, [...at, "answer"]));
  }
  if (type !== "choice" && spec.target_delimiter !== undefined) {
    suite.errors.push(suite.source.error("target_delimiter belongs to choice probes", [...at, "target_delimiter"], true));
  }
  if (type === "generate") {
    for (const key of ["choices", "answer", "text"] as const) {
      if (spec[key] !== undefined) suite.errors.push(suite.source.error(`${key} belongs to choice or perplexity probes; set \`type\``, [...at, key], true));
    }
  }
  const partial = {
    suite: suite.name,
    id: spec.id,
    type,
    prompt: spec.prompt ?? "",
    choices: spec.choices ?? [],
    answer: spec.answer ?? null,
    target_delimiter: type === "choice" ? (spec.target_delimiter ?? suite.defaults.target_delimiter ?? null) : null,
    text: spec.text ?? null,
    category: category ?? "",
    language: language ?? "",
    expected,
    generation,
    tags: [...new Set([...(suite.defaults.tags ?? []), ...(spec.tags ?? [])])],
    ...(spec.notes ? { notes: spec.notes } : {}),
    source: suite.source.origin(at),
  };
  // Likelihood probes get their own check (choice / perplexity) and not the defaults, which judge generated text.
  const own = (spec.checks ?? []).map((entry, checkIndex) => ({ entry, segments: [...at, "checks", checkIndex] as PathSegments }));
  const implicit = type !== "generate" && !own.some(({ entry }) => checkType(entry) === type)
    ? [{ entry: type as CheckSpecInput, segments: [...at, "type"] as PathSegments }]
    : [];
  const entries = type === "generate" ? layeredChecks(...suite.inheritedChecks(category), own) : [...implicit, ...own];
  const checks: CheckSpec[] = [];
  for (const { entry, segments } of entries) {
    const check = resolveCheck(entry, segments, at, { ...partial, checks: [], hash: "" }, suite.source, suite.registry, suite.errors);
    if (check) checks.push(check);
  }
  if (entries.length === 0) {
    suite.errors.push(suite.source.error("probe has no checks and would pass without looking at the output; add `checks` (or `defaults.checks`, `defaults.checks_by_category`)", at));
  }
  const { prompt, choices, answer } = partial;
  // The delimiter enters the hash only when set, so probes that leave it to the default keep their hashes.
  const delimiter = partial.target_delimiter === null ? {} : { target_delimiter: partial.target_delimiter };
  const hash = sha256(
    stableStringify({ type, prompt, choices, answer, ...delimiter, text: partial.text, category: partial.category, language: partial.language, expected, checks, generation }),
  );
  // A template file is part of the probe: editing the file changes the probe's hash, so resume and diff notice.
  const templateDigest = templateFileDigest(generation.template, suite.file);
  return { ...partial, checks, hash: templateDigest === null ? hash : sha256(`${hash}\u0000template:${templateDigest}`) };
}

/** A probe's generation settings: its own, else the suite's defaults, else the built-in ones. */
function generationSettings(spec: ProbeSpec, defaults: SuiteDefaults): GenerationSettings {
  return {
    max_tokens: spec.max_tokens ?? defaults.max_tokens ?? DEFAULT_GENERATION.max_tokens,
    template: spec.template ?? defaults.template ?? DEFAULT_GENERATION.template,
    stop: spec.stop ?? defaults.stop ?? DEFAULT_GENERATION.stop,
    system: spec.system ?? defaults.system ?? DEFAULT_GENERATION.system,
    temperature: spec.temperature ?? defaults.temperature ?? DEFAULT_GENERATION.temperature,
    seed: spec.seed ?? defaults.seed ?? DEFAULT_GENERATION.seed,
    samples: spec.samples ?? defaults.samples ?? DEFAULT_GENERATION.samples,
  };
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
