/**
 * JSON Schema of a suite file. The runtime validates the suite's structure with
 * SUITE_SCHEMA and each check's parameters with that check's own paramsSchema
 * (so an unknown check type gets its own clear message). src/suite/editor-schema.ts
 * merges both into schemas/suite.schema.json for yaml-language-server.
 */

const generation = {
  max_tokens: { type: "integer", minimum: 1, maximum: 32768, description: "Token budget for the answer (always set)." },
  template: {
    type: "string",
    minLength: 1,
    description: "auto (the GGUF's chat template), raw (prompt as-is after BOS), a named template (phi2, chatml, alpaca, llama3, gemma) or a .jinja/.txt file relative to the suite.",
  },
  stop: { type: "array", items: { type: "string", minLength: 1 }, description: "Stop strings; generation ends when one appears (it is not part of the output)." },
  system: { type: "string", description: "System prompt. None is injected unless given." },
  temperature: { type: "number", minimum: 0, maximum: 5, description: "0 (default) is greedy decoding." },
  seed: { type: "integer", minimum: 0, description: "Sampling seed; only matters when temperature > 0." },
  samples: { type: "integer", minimum: 1, maximum: 100, description: "Samples per probe (needs temperature > 0); pass@k and agreement are reported." },
} as const;

const checkEntry = {
  description: "A check: a bare type name, or {type, ...params}.",
  oneOf: [
    { type: "string", pattern: "^[a-z][a-z0-9_+-]*$" },
    { type: "object", properties: { type: { type: "string", pattern: "^[a-z][a-z0-9_+-]*$" } }, required: ["type"] },
  ],
} as const;

/** Suite names and probe ids: they name files, anchors and Markdown list items, so no spaces, quotes or markup. */
export const IDENTIFIER_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:-]*$";
const identifier = { type: "string", pattern: IDENTIFIER_PATTERN } as const;
// The loader checks the code itself (src/lang/language-tags.ts), to name the code meant; the editor schema adds its pattern.
const language = { type: "string", minLength: 1, description: "BCP 47 language code: an ISO 639-1 language, then optionally a script and a region: ja, zh, en, ko, zh-Hant, zh-TW…" } as const;
const category = { type: "string", pattern: "^[a-z][a-z0-9_]*$", description: "open_qa, closed_qa, classification, brainstorming, creative, translation, question_to_question, reasoning, or one declared in `categories`." } as const;
const targetDelimiter = {
  type: "string",
  maxLength: 8,
  description:
    "choice probes: text between the prompt and each choice, as lm-evaluation-harness's target_delimiter. Default: a space for space-delimited languages, none for ja and zh or when the rendered prompt ends in whitespace (a chat template's turn).",
} as const;
const stringOrList = {
  oneOf: [
    { type: "string" },
    { type: "array", items: { type: "string" }, minItems: 1 },
  ],
} as const;

const fieldName = { type: "string", minLength: 1 } as const;
const fieldRef = {
  oneOf: [fieldName, { type: "array", items: fieldName, minItems: 1 }],
  description: "A record field, or a list of fields whose values are joined into one list.",
} as const;
const whereValue = { type: ["string", "number", "boolean"] } as const;

const dataSpec = {
  type: "object",
  description: "Probes from a data file beside the suite: how its records' fields become probes, and which records are taken.",
  properties: {
    file: { type: "string", minLength: 1, description: "The data file, relative to the suite file." },
    format: { enum: ["jsonl", "json", "csv", "tsv", "squad"], description: "Default: from the extension (.jsonl, .ndjson, .json, .csv, .tsv); squad (SQuAD v2 JSON) is never guessed." },
    records: { type: "string", minLength: 1, description: "json: the key of the object's array of records, when it holds more than one array." },
    mapping: { enum: ["alpaca", "jsquad", "jcommonsenseqa"], description: "A built-in field layout; the keys below override its choices." },
    type: { enum: ["generate", "choice"], description: "The probes' type (default generate; jcommonsenseqa: choice)." },
    prompt: { type: "string", minLength: 1, description: "Template over the record's fields: {field} is its text, {?field}…{/field} is kept only when the field is non-empty." },
    system: { type: "string", minLength: 1, description: "Template of a system prompt, as prompt." },
    id: { ...fieldName, description: "The field holding the probe id; without it, a hash of the record's prompt and choices." },
    expected: { ...fieldRef, description: "Field(s) of the acceptable answers (a string or a list each)." },
    choices: { ...fieldRef, description: "choice probes: a field holding the list, or one field per choice." },
    answer: { ...fieldName, description: "choice probes: the field holding the right choice's index (from 0)." },
    category: { ...fieldName, description: "The field holding the category; without it, defaults.category." },
    language: { ...fieldName, description: "The field holding the language; without it, defaults.language." },
    tags: fieldRef,
    select: {
      type: "object",
      description: "Which records become probes: where, then sample, then limit. Deterministic, and recorded in the manifest.",
      properties: {
        where: {
          type: "object",
          additionalProperties: { oneOf: [whereValue, { type: "array", items: whereValue, minItems: 1 }] },
          minProperties: 1,
          description: "field: value (or a list: any of them), compared as text; every field must match.",
        },
        sample: { type: "integer", minimum: 1, description: "This many records, ranked by a seeded hash of their ids: a record keeps its rank when others are added." },
        seed: { type: "integer", minimum: 0, description: "Seed of the sample's ranking (default 0)." },
        stratified: { type: "boolean", description: "Sample each category in proportion to its share." },
        limit: { type: "integer", minimum: 1, description: "At most this many records, the first in the file." },
      },
      additionalProperties: false,
    },
  },
  required: ["file"],
  additionalProperties: false,
} as const;

export const SUITE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://bonsai-eval.dev/schemas/suite.schema.json",
  title: "bonsai-eval suite",
  type: "object",
  properties: {
    suite: { ...identifier, description: "Suite name in reports; defaults to the file name." },
    description: { type: "string" },
    categories: { type: "array", items: { type: "string", pattern: "^[a-z][a-z0-9_]*$" }, description: "Extra categories this suite uses." },
    defaults: {
      type: "object",
      description: "Settings applied to every probe unless the probe sets its own.",
      properties: {
        ...generation,
        category,
        language,
        checks: { type: "array", items: checkEntry, description: "Checks run on every probe, before the probe's own." },
        tags: { type: "array", items: { type: "string" } },
        target_delimiter: targetDelimiter,
        checks_by_category: {
          type: "object",
          propertyNames: { pattern: "^[a-z][a-z0-9_]*$" },
          additionalProperties: { type: "array", items: checkEntry },
          description: "Checks for the generated probes of each category, after `checks`, before the probe's own.",
        },
      },
      additionalProperties: false,
    },
    data: dataSpec,
    probes: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: {
          id: { ...identifier, description: "Unique within the suite; reports match probes across runs by suite and id." },
          type: { enum: ["generate", "choice", "perplexity"], description: "generate (default): generate and check; choice: pick the likeliest of `choices`; perplexity: likelihood of `text`." },
          prompt: { type: "string", minLength: 1 },
          choices: { type: "array", items: { type: "string", minLength: 1 }, minItems: 2, description: "choice probes: candidate answers." },
          answer: { type: "integer", minimum: 0, description: "choice probes: index (from 0) of the right answer." },
          target_delimiter: targetDelimiter,
          text: { type: "string", minLength: 1, description: "perplexity probes: the held-out text to score." },
          category,
          language,
          expected: { ...stringOrList, description: "Acceptable answers (any of); references for BLEU/chrF." },
          checks: { type: "array", items: checkEntry },
          tags: { type: "array", items: { type: "string" } },
          notes: { type: "string" },
          ...generation,
        },
        required: ["id"],
        allOf: [
          { if: { properties: { type: { const: "choice" } }, required: ["type"] }, then: { required: ["prompt", "choices", "answer"] } },
          {
            if: { properties: { type: { const: "perplexity" } }, required: ["type"] },
            then: { required: ["text"], not: { anyOf: [{ required: ["prompt"] }, { required: ["choices"] }, { required: ["answer"] }] } },
            else: { required: ["prompt"] },
          },
        ],
        additionalProperties: false,
      },
    },
  },
  anyOf: [{ required: ["probes"] }, { required: ["data"] }],
  additionalProperties: false,
} as const;

/** A probe as the schema describes it, for checking the probes a data file's records become. */
export const PROBE_SCHEMA = SUITE_SCHEMA.properties.probes.items;
