import { STOP_REASONS } from "./outputs.js";

/** JSON Schema of one outputs.jsonl line (schemas/outputs-line.schema.json). */
export const OUTPUT_LINE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://bonsai-eval.dev/schemas/outputs-line.schema.json",
  title: "bonsai-eval outputs.jsonl line",
  description: "One finished generation: which probe, what the model said, and how generation ended.",
  type: "object",
  properties: {
    suite: { type: "string", minLength: 1, description: "Suite name (the suite's `suite` key or file name)." },
    id: { type: "string", minLength: 1, description: "Probe id within the suite." },
    output: { type: "string", description: "The generated text." },
    sample: { type: "integer", minimum: 0, description: "Sample index when a probe is sampled several times; 0 otherwise." },
    stop_reason: { enum: [...STOP_REASONS], description: "eog: the model ended its turn; max_tokens: the budget ran out; stop_string: a stop string appeared." },
    stop_string: { type: "string" },
    prompt_tokens: { type: "integer", minimum: 0 },
    output_tokens: { type: "integer", minimum: 0 },
    time_ms: { type: "number", minimum: 0 },
    trimmed_replacement_char: { type: "boolean", description: "A trailing U+FFFD (a character cut by the token limit) was removed." },
    probe_hash: { type: "string", description: "Hash of the probe definition that produced this output." },
    rendered_prompt: { type: "string", description: "The exact text sent to the model, template applied." },
    likelihood: {
      description: "choice and perplexity probes: natural-log likelihoods instead of generated text.",
      oneOf: [
        {
          type: "object",
          properties: {
            kind: { const: "choice" },
            target_delimiter: { type: "string", description: "The text put between the prompt and each choice when they were scored." },
            choices: {
              type: "array",
              items: {
                type: "object",
                properties: { logprob: { type: "number" }, tokens: { type: "integer", minimum: 1 }, chars: { type: "integer", minimum: 0 }, bytes: { type: "integer", minimum: 0 } },
                required: ["logprob", "tokens", "chars", "bytes"],
              },
            },
          },
          required: ["kind", "choices"],
        },
        {
          type: "object",
          properties: {
            kind: { const: "perplexity" },
            logprob: { type: "number" },
            tokens: { type: "integer", minimum: 0 },
            chars: { type: "integer", minimum: 0 },
            bytes: { type: "integer", minimum: 0 },
            windows: { type: "integer", minimum: 0 },
          },
          required: ["kind", "logprob", "tokens", "chars", "bytes", "windows"],
        },
      ],
    },
    cached: { type: "boolean", description: "The output came from the generation cache, not the model." },
    error: { type: "string" },
  },
  required: ["suite", "id", "output"],
  additionalProperties: true,
} as const;
