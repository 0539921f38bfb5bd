/** JSON Schema of report.json's manifest: what ran, on which model, hardware and runtime, and how long it took. */
import { closedObject, int, nullable } from "./report-schema-parts.js";

const whereValue = { type: ["string", "number", "boolean"] } as const;
const dataSource = closedObject(
  {
    path: { type: "string" },
    format: { enum: ["jsonl", "json", "csv", "tsv", "squad"] },
    mapping: nullable({ enum: ["alpaca", "jsquad", "jcommonsenseqa"] }),
    sha256: { type: "string", description: "sha256 of the data file's bytes." },
    records: { ...int, description: "Records in the file." },
    selected: { ...int, description: "Records selected: one probe each." },
    selection: closedObject({
      where: nullable({ type: "object", additionalProperties: { anyOf: [whereValue, { type: "array", items: whereValue }] } }),
      sample: nullable(int),
      seed: int,
      stratified: { type: "boolean" },
      limit: nullable(int),
    }),
    selection_sha256: { type: "string", description: "sha256 of the selected probe ids in order: equal digests, equal slices." },
  },
  { description: "A data-backed suite's data file (absent for a YAML suite): what was read and which records became probes." },
);

export const MANIFEST_SCHEMA = closedObject(
  {
    tool: { type: "object", properties: { name: { const: "bonsai-eval" }, version: { type: "string" } }, required: ["name", "version"] },
    kind: { enum: ["run", "score", "merge"] },
    complete: { type: "boolean" },
    created_at: { type: "string" },
    outputs_file: { type: "string" },
    label: { type: "string", minLength: 1, description: "The round's name (--label, BONSAI_LABEL); by default the model file's name (never the GGUF general.name)." },
    model: nullable({
      type: "object",
      properties: {
        path: { type: "string" },
        file_name: { type: "string" },
        size_bytes: int,
        sha256: { type: "string" },
        is_fixture: { type: "boolean" },
        metadata: {
          type: "object",
          properties: {
            name: nullable({ type: "string" }),
            architecture: nullable({ type: "string" }),
            quantization: nullable({ type: "string" }),
            parameter_count: nullable(int),
            size_label: nullable({ type: "string" }),
            context_length: nullable(int),
            chat_template: nullable({ type: "string" }),
            tokenizer_model: nullable({ type: "string" }),
            vocab_size: nullable(int),
            block_count: nullable(int),
            embedding_length: nullable(int),
          },
          required: ["name", "architecture", "quantization", "parameter_count", "context_length", "chat_template"],
        },
      },
      required: ["path", "file_name", "size_bytes", "sha256", "is_fixture", "metadata"],
    }),
    suites: {
      type: "array",
      items: {
        type: "object",
        properties: { name: { type: "string" }, path: { type: "string" }, sha256: { type: "string" }, probe_count: int, description: { type: "string" }, data: dataSource },
        required: ["name", "path", "sha256", "probe_count"],
      },
    },
    generation: nullable({
      type: "object",
      properties: {
        templates: {
          type: "array",
          items: { type: "object", properties: { name: { type: "string" }, source: nullable({ type: "string" }) }, required: ["name", "source"] },
        },
        parallel: int,
        context_size: int,
        gpu_choice: { type: "string" },
        decoding: { enum: ["greedy", "sampled"] },
        repeat_penalty: { const: "off" },
        seed: int,
        max_tokens_override: nullable(int),
        template_override: nullable({ type: "string" }),
        reused_prompt_tokens: int,
        parallel_choice: {
          type: "object",
          properties: {
            requested: { anyOf: [int, { const: "auto" }, { type: "null" }] },
            sequences: int,
            reason: { type: "string" },
            ramp: {
              type: "array",
              items: {
                type: "object",
                properties: { sequences: int, generated_tokens: int, ms: int, tokens_per_second: { type: "number" } },
                required: ["sequences", "generated_tokens", "ms", "tokens_per_second"],
              },
            },
          },
          required: ["requested", "sequences", "reason", "ramp"],
        },
      },
      required: ["templates", "parallel", "context_size", "gpu_choice", "decoding", "repeat_penalty", "seed", "max_tokens_override", "template_override", "reused_prompt_tokens"],
    }),
    runtime: nullable({
      type: "object",
      properties: { node: { type: "string" }, node_llama_cpp: { type: "string" }, llama_cpp: { type: "string" }, platform: { type: "string" }, arch: { type: "string" } },
      required: ["node", "node_llama_cpp", "llama_cpp", "platform", "arch"],
    }),
    hardware: nullable({
      type: "object",
      properties: {
        gpu: { anyOf: [{ type: "string" }, { const: false }] },
        gpu_note: nullable({ type: "string" }),
        gpu_devices: { type: "array", items: { type: "string" } },
        vram_total_bytes: nullable(int),
        vram_used_bytes: nullable(int),
        vram_budget_bytes: nullable(int),
        model_gpu_layers: int,
        model_load_retries: {
          type: "array",
          items: {
            type: "object",
            properties: { gpu_layers: { anyOf: [int, { const: "auto" }] }, error: { type: "string" } },
            required: ["gpu_layers", "error"],
          },
        },
        contexts: {
          type: "array",
          items: {
            type: "object",
            properties: {
              requested_sequences: int,
              sequences: int,
              context_size: int,
              estimated_vram_bytes: nullable(int),
              retries: {
                type: "array",
                items: { type: "object", properties: { sequences: int, error: { type: "string" } }, required: ["sequences", "error"] },
              },
            },
            required: ["requested_sequences", "sequences", "context_size", "estimated_vram_bytes", "retries"],
          },
        },
        cpu_model: { type: "string" },
        cpu_cores: int,
        memory_bytes: int,
        threads: int,
        threads_reason: { type: "string" },
      },
      required: [
        "gpu", "gpu_note", "gpu_devices", "vram_total_bytes", "vram_used_bytes", "model_gpu_layers", "model_load_retries", "contexts", "cpu_model", "cpu_cores",
        "memory_bytes", "threads", "threads_reason",
      ],
    }),
    shard: nullable(closedObject({ index: int, count: int })),
    cache: nullable(closedObject({ dir: { type: "string" }, hits: int, misses: int, damaged: int })),
    judge: closedObject(
      {
        model_file: { type: "string" },
        model_sha256: { type: "string" },
        template: { type: "string" },
        judged: int,
        kept: int,
        without_baseline: int,
        baseline: nullable({ type: "string" }),
        cache: nullable(closedObject({ hits: int, misses: int })),
        judge_ms: { type: "number" },
      },
      { description: "The judge model that graded the judge checks, when the run judged." },
    ),
    timings: {
      type: "object",
      properties: {
        started_at: { type: "string" },
        finished_at: { type: "string" },
        wall_ms: { type: "number" },
        model_load_ms: nullable({ type: "number" }),
        generation_ms: nullable({ type: "number" }),
        scoring_ms: { type: "number" },
        generated_tokens: int,
        tokens_per_second: nullable({ type: "number" }),
      },
      required: ["started_at", "finished_at", "wall_ms", "model_load_ms", "generation_ms", "scoring_ms", "generated_tokens", "tokens_per_second"],
    },
  },
  { required: ["tool", "kind", "complete", "created_at", "outputs_file", "model", "suites", "generation", "runtime", "hardware", "shard", "cache", "timings"] },
);
