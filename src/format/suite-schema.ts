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
const language = { type: "string", pattern: "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", description: "BCP 47 language code: ja, zh, en, ko, zh-Hant…" } as const;
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
      },
      additionalProperties: false,
    },
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
  required: ["probes"],
  additionalProperties: false,
} as const;
