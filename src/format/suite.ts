/**
 * The suite format. A suite file is YAML; `schemas/suite.schema.json` is its
 * JSON Schema (generated from src/format/suite-schema.ts, kept in step by a test).
 */

/** The users' dataset categories; a suite may declare more under `categories`. */
export const BUILTIN_CATEGORIES = [
  "open_qa",
  "closed_qa",
  "classification",
  "brainstorming",
  "creative",
  "translation",
  "question_to_question",
  "reasoning",
] as const;

/** A check as written in YAML: a bare type name, or `{type, ...params}`. */
export type CheckSpecInput = string | CheckSpec;

export interface CheckSpec {
  type: string;
  [param: string]: unknown;
}

/** Generation settings; every one may be set per probe or in `defaults`. */
export interface GenerationSpec {
  max_tokens?: number;
  /** `auto` (the GGUF's chat template), `raw`, a named template or a template file. */
  template?: string;
  stop?: string[];
  system?: string;
  temperature?: number;
  seed?: number;
  /** Generate this many samples (temperature > 0): pass@k and agreement are reported. */
  samples?: number;
}

/** How a probe is evaluated: generate text and check it, or score likelihoods. */
export const PROBE_TYPES = ["generate", "choice", "perplexity"] as const;
export type ProbeType = (typeof PROBE_TYPES)[number];

export interface ProbeSpec extends GenerationSpec {
  id: string;
  /** `generate` (default), `choice` (pick the likeliest of `choices`) or `perplexity` (of `text`). */
  type?: ProbeType;
  /** Required except for perplexity probes. */
  prompt?: string;
  /** choice: the candidate answers, scored by log-likelihood after the prompt. */
  choices?: string[];
  /** choice: index (from 0) of the right answer in `choices`. */
  answer?: number;
  /** choice: the text between the prompt and each choice (default: a space, none for ja/zh). */
  target_delimiter?: string;
  /** perplexity: the held-out text whose likelihood is measured. */
  text?: string;
  category?: string;
  language?: string;
  expected?: string | string[];
  checks?: CheckSpecInput[];
  tags?: string[];
  notes?: string;
}

export interface SuiteDefaults extends GenerationSpec {
  category?: string;
  language?: string;
  /** Checks applied to every probe of the suite, before the probe's own. */
  checks?: CheckSpecInput[];
  tags?: string[];
  /** For the suite's choice probes. */
  target_delimiter?: string;
  /** Checks for the generated probes of a category, after `checks` and before the probe's own. */
  checks_by_category?: Record<string, CheckSpecInput[]>;
}

export interface SuiteFile {
  suite?: string;
  description?: string;
  categories?: string[];
  defaults?: SuiteDefaults;
  /** Probes taken from a data file beside the suite; `probes` may then be omitted. */
  data?: DataSpec;
  probes?: ProbeSpec[];
}

/** Data file layouts: one record per line, a JSON array, comma- or tab-separated values, SQuAD v2 JSON. */
export const DATA_FORMATS = ["jsonl", "json", "csv", "tsv", "squad"] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Field layouts with their own prompt, answers and checks (see the README's "Data-backed suites"). */
export const DATA_MAPPINGS = ["alpaca", "jsquad", "jcommonsenseqa"] as const;
export type DataMappingName = (typeof DATA_MAPPINGS)[number];

/** A record field, or several (their values are joined into one list). */
export type FieldRef = string | string[];

/** How a data file's records become probes. Fields not set come from `mapping`; fixed values from `defaults`. */
export interface DataSpec {
  /** Relative to the suite file. */
  file: string;
  /** Default: from the file's extension (.jsonl/.ndjson, .json, .csv, .tsv); `squad` is never guessed. */
  format?: DataFormat;
  /** json: the key of the object's array of records, when it holds more than one array. */
  records?: string;
  mapping?: DataMappingName;
  type?: ProbeType;
  /** `{field}` is the field's text; `{?field}…{/field}` is kept only when the field is non-empty. */
  prompt?: string;
  system?: string;
  /** The probe id; without it, a hash of the record's prompt (and choices), so an unchanged record keeps its id. */
  id?: string;
  expected?: FieldRef;
  choices?: FieldRef;
  answer?: string;
  category?: string;
  language?: string;
  tags?: FieldRef;
  select?: DataSelection;
}

/** Which records become probes: `where`, then `sample`, then `limit`; the probes keep the file's order. */
export interface DataSelection {
  /** Field equals the value (a list: any of them), compared as text. */
  where?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  /** This many records, chosen by a seeded hash of their ids (a record keeps its rank when others are added). */
  sample?: number;
  seed?: number;
  /** Sample each category in proportion to its share of the records. */
  stratified?: boolean;
  /** At most this many records, the first in the file. */
  limit?: number;
}

/** A data-backed suite's data file as loaded: what the manifest records. */
export interface DataSourceInfo {
  path: string;
  format: DataFormat;
  mapping: DataMappingName | null;
  sha256: string;
  /** Records in the file. */
  records: number;
  /** Records selected (each became a probe). */
  selected: number;
  selection: { where: DataSelection["where"] | null; sample: number | null; seed: number; stratified: boolean; limit: number | null };
  /** sha256 of the selected probe ids in order: equal digests, equal slices. */
  selection_sha256: string;
}

/** Generation settings after defaults are applied. */
export interface GenerationSettings {
  max_tokens: number;
  template: string;
  stop: string[];
  system: string | null;
  temperature: number;
  seed: number | null;
  samples: number;
}

/** A probe with its suite's defaults applied: what the runner and the checks see. */
export interface Probe {
  suite: string;
  id: string;
  type: ProbeType;
  /** Empty for perplexity probes. */
  prompt: string;
  choices: string[];
  answer: number | null;
  /**
   * choice: the text put between the prompt and each choice, as set on the probe
   * or in defaults; null means the default, chosen when the prompt is rendered
   * (a space for space-delimited languages, none for ja/zh or after whitespace).
   */
  target_delimiter: string | null;
  text: string | null;
  category: string;
  language: string;
  expected: string[];
  checks: CheckSpec[];
  generation: GenerationSettings;
  tags: string[];
  /** The suite author's notes on the probe (what it tests, why); not part of its hash. */
  notes?: string;
  /** sha256 of everything that defines the probe; a changed hash means an edited probe. */
  hash: string;
  /** Where the probe is defined, for messages. */
  source: { file: string; line: number };
}

export interface Suite {
  name: string;
  description: string | null;
  path: string;
  /** sha256 of the file's bytes. */
  sha256: string;
  probes: Probe[];
  /** For a data-backed suite, its data file; null otherwise. */
  data: DataSourceInfo | null;
}

export const DEFAULT_GENERATION: GenerationSettings = {
  max_tokens: 128,
  template: "auto",
  stop: [],
  system: null,
  temperature: 0,
  seed: null,
  samples: 1,
};
