/** JSON Schema of report.json (schemas/report.schema.json). Kept in step with src/format/report.ts by a test. */
import { OUTPUT_LINE_SCHEMA } from "./outputs-schema.js";
import { STOP_REASONS } from "./outputs.js";

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: "null" }] });
const int = { type: "integer", minimum: 0 } as const;
const rate = { type: "number", minimum: 0, maximum: 1 } as const;
const whereValue = { type: ["string", "number", "boolean"] } as const;
const dataSource = {
  type: "object",
  description: "A data-backed suite's data file (absent for a YAML suite): what was read and which records became probes.",
  properties: {
    path: { type: "string" },
    format: { enum: ["jsonl", "json", "csv", "tsv", "squad"] },
    mapping: nullable({ enum: ["alpaca", "jsquad", "jcommonsenseqa"] }),
    sha256: { type: "string", description: "sha256 of the data file's bytes." },
    records: { ...int, description: "Records in the file." },
    selected: { ...int, description: "Records selected: one probe each." },
    selection: {
      type: "object",
      properties: {
        where: nullable({ type: "object", additionalProperties: { anyOf: [whereValue, { type: "array", items: whereValue }] } }),
        sample: nullable(int),
        seed: int,
        stratified: { type: "boolean" },
        limit: nullable(int),
      },
      required: ["where", "sample", "seed", "stratified", "limit"],
      additionalProperties: false,
    },
    selection_sha256: { type: "string", description: "sha256 of the selected probe ids in order: equal digests, equal slices." },
  },
  required: ["path", "format", "mapping", "sha256", "records", "selected", "selection", "selection_sha256"],
  additionalProperties: false,
} as const;
const bucket = {
  type: "object",
  properties: {
    total: int,
    passed: int,
    failed: int,
    no_verdict: { ...int, description: "Probes with status scored or stale, or informational check results: counted in total, left out of pass_rate." },
    pass_rate: nullable({ ...rate, description: "passed / (passed + failed); null when nothing has a verdict." }),
  },
  required: ["total", "passed", "failed", "no_verdict", "pass_rate"],
  additionalProperties: false,
} as const;
const checkBucket = {
  type: "object",
  properties: {
    ...bucket.properties,
    means: {
      type: "array",
      description: "Mean scores, one per language and unit (details.score_unit, or the tokenizer as tok:NAME): never averaged across them.",
      items: {
        type: "object",
        properties: { language: { type: "string" }, unit: nullable({ type: "string" }), results: int, mean: { type: "number" } },
        required: ["language", "unit", "results", "mean"],
        additionalProperties: false,
      },
    },
    facts: {
      type: "object",
      description: "The check's direction, unit, note and aggregate, from its definition (absent for a type with no definition and in reports written before).",
      properties: {
        better: { ...nullable({ enum: ["higher", "lower"] }), description: "Which way the score improves; null: neither (a length)." },
        unit: { type: "string" },
        note: { type: "string" },
        aggregate: nullable({ type: "string" }),
      },
      required: ["better", "unit", "note", "aggregate"],
      additionalProperties: false,
    },
  },
  required: [...bucket.required, "means"],
  additionalProperties: false,
} as const;
const probeRef = {
  type: "object",
  properties: { suite: { type: "string" }, id: { type: "string" } },
  required: ["suite", "id"],
} as const;

export const CHECK_RESULT_SCHEMA = {
  type: "object",
  properties: {
    type: { type: "string" },
    score: nullable({ type: "number" }),
    pass: { ...nullable({ type: "boolean" }), description: "The check's verdict; null for an informational result (a value with no threshold: neither pass nor fail)." },
    details: {
      type: "object",
      properties: {
        reason: { type: "string" },
        signature: { type: "string" },
        highlights: {
          type: "array",
          items: {
            type: "object",
            properties: { start: int, end: int, label: { type: "string" } },
            required: ["start", "end", "label"],
          },
        },
      },
      required: ["reason"],
    },
  },
  required: ["type", "score", "pass", "details"],
  additionalProperties: false,
} as const;

const GATE_SCHEMA = {
  type: "object",
  description: "The gate's verdict: every rule of the policy with what was measured and the limit.",
  properties: {
    pass: { type: "boolean" },
    policy: {
      type: "object",
      properties: { path: { type: "string" }, sha256: { type: "string" }, name: nullable({ type: "string" }) },
      required: ["path", "sha256", "name"],
      additionalProperties: false,
    },
    baseline: nullable({
      type: "object",
      properties: {
        path: { type: "string" },
        created_at: { type: "string" },
        label: { type: "string", description: "The baseline round's label (absent in reports written before labels)." },
        model: nullable({ type: "string" }),
        model_sha256: nullable({ type: "string" }),
      },
      required: ["path", "created_at", "model", "model_sha256"],
      additionalProperties: false,
    }),
    setting_changes: {
      type: "array",
      description: "The settings that differ from the baseline's (empty without one).",
      items: {
        type: "object",
        properties: {
          setting: { type: "string" },
          base: { type: ["string", "number", "boolean", "null"] },
          candidate: { type: ["string", "number", "boolean", "null"] },
          invalidates: { type: "array", items: { type: "string" }, description: "Checks whose comparison the difference makes invalid (\"*\": every check)." },
          why: nullable({ type: "string" }),
        },
        required: ["setting", "base", "candidate", "invalidates", "why"],
        additionalProperties: false,
      },
    },
    counts: {
      type: "object",
      properties: { rules: int, passed: int, failed: int, skipped: int, warned: { ...int, description: "Rules at level warn that did not hold (absent in reports written before levels)." } },
      required: ["rules", "passed", "failed", "skipped"],
      additionalProperties: false,
    },
    rules: {
      type: "array",
      items: {
        type: "object",
        properties: {
          rule: { type: "string" },
          kind: { type: "string" },
          line: int,
          scope: {
            type: "object",
            properties: { suite: { type: "string" }, category: { type: "string" }, language: { type: "string" }, check: { type: "string" }, tokenize: { type: "string" } },
            additionalProperties: false,
          },
          status: { enum: ["pass", "fail", "skipped", "warn"], description: "warn: a rule at level warn that did not hold." },
          level: { enum: ["fail", "warn"], description: "fail: the rule decides the round; warn: reported only (absent in reports written before levels: fail)." },
          measured: nullable({ type: "number" }),
          limit: { type: "number" },
          comparison: { type: "string" },
          message: { type: "string" },
          probes: nullable({
            type: "object",
            description: "The probes behind a rule that did not hold, worst first: the first few listed, with the total.",
            properties: {
              about: { enum: ["regressed", "worsened", "failing", "worst", "missing"] },
              total: int,
              listed: {
                type: "array",
                items: {
                  type: "object",
                  properties: { suite: { type: "string" }, id: { type: "string" }, reason: nullable({ type: "string" }), value: nullable({ type: "number" }) },
                  required: ["suite", "id", "reason", "value"],
                  additionalProperties: false,
                },
              },
            },
            required: ["about", "total", "listed"],
            additionalProperties: false,
          }),
          details: { type: "object" },
        },
        required: ["rule", "kind", "line", "scope", "status", "measured", "limit", "comparison", "message", "details"],
        additionalProperties: false,
      },
    },
  },
  required: ["pass", "policy", "baseline", "counts", "rules"],
  additionalProperties: false,
} as const;

export const REPORT_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://bonsai-eval.dev/schemas/report.schema.json",
  title: "bonsai-eval report",
  type: "object",
  properties: {
    schema_version: { const: 1 },
    manifest: {
      type: "object",
      properties: {
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
        shard: nullable({ type: "object", properties: { index: int, count: int }, required: ["index", "count"], additionalProperties: false }),
        cache: nullable({
          type: "object",
          properties: { dir: { type: "string" }, hits: int, misses: int, damaged: int },
          required: ["dir", "hits", "misses", "damaged"],
          additionalProperties: false,
        }),
        judge: {
          type: "object",
          description: "The judge model that graded the judge checks, when the run judged.",
          properties: {
            model_file: { type: "string" },
            model_sha256: { type: "string" },
            template: { type: "string" },
            judged: int,
            kept: int,
            without_baseline: int,
            baseline: nullable({ type: "string" }),
            cache: nullable({ type: "object", properties: { hits: int, misses: int }, required: ["hits", "misses"], additionalProperties: false }),
            judge_ms: { type: "number" },
          },
          required: ["model_file", "model_sha256", "template", "judged", "kept", "without_baseline", "baseline", "cache", "judge_ms"],
          additionalProperties: false,
        },
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
      required: ["tool", "kind", "complete", "created_at", "outputs_file", "model", "suites", "generation", "runtime", "hardware", "shard", "cache", "timings"],
      additionalProperties: false,
    },
    probes: {
      type: "array",
      items: {
        type: "object",
        properties: {
          suite: { type: "string" },
          id: { type: "string" },
          type: { enum: ["generate", "choice", "perplexity"] },
          category: { type: "string" },
          language: { type: "string" },
          tags: { type: "array", items: { type: "string" } },
          notes: { type: "string", description: "The probe's notes from the suite (absent when it has none)." },
          prompt: { type: "string" },
          system: nullable({ type: "string" }),
          expected: { type: "array", items: { type: "string" } },
          choices: { type: "array", items: { type: "string" } },
          answer: nullable(int),
          text: nullable({ type: "string" }),
          hash: { type: "string" },
          output: nullable({ type: "string" }),
          stop_reason: nullable({ enum: [...STOP_REASONS] }),
          stop_string: nullable({ type: "string" }),
          prompt_tokens: nullable(int),
          output_tokens: nullable(int),
          time_ms: nullable({ type: "number" }),
          trimmed_replacement_char: { type: "boolean" },
          rendered_prompt: nullable({ type: "string" }),
          likelihood: nullable(OUTPUT_LINE_SCHEMA.properties.likelihood),
          samples: nullable({
            type: "object",
            properties: {
              count: int,
              expected: int,
              passed: int,
              pass_rate: { type: "number", minimum: 0, maximum: 1 },
              pass_at_k: { type: "boolean" },
              agreement: { type: "number", minimum: 0, maximum: 1 },
              distinct: int,
              outputs: {
                type: "array",
                items: {
                  type: "object",
                  properties: { sample: int, output: { type: "string" }, pass: nullable({ type: "boolean" }), stop_reason: nullable({ enum: [...STOP_REASONS] }) },
                  required: ["sample", "output", "pass", "stop_reason"],
                  additionalProperties: false,
                },
              },
            },
            required: ["count", "expected", "passed", "pass_rate", "pass_at_k", "agreement", "distinct", "outputs"],
            additionalProperties: false,
          }),
          output_version: {
            ...nullable({ enum: ["current", "stale", "unverified"] }),
            description: "current: the output line's probe_hash is this probe's hash; stale: it differs (scored only with --allow-stale); unverified: the line has none (other tools). null without output.",
          },
          cached: { type: "boolean", description: "true: the output came from the generation cache, not generated by this run; its tokens do not count toward tokens per second." },
          change: {
            enum: ["fixed", "regressed", "still_failing", "still_passing", "scored", "edited", "stale", "added"],
            description: "Against the gate's baseline report: how the probe changed (added: new in this report; edited: its definition changed, not compared). Absent without a baseline.",
          },
          checks: { type: "array", items: CHECK_RESULT_SCHEMA },
          pass: { ...nullable({ type: "boolean" }), description: "The verdict; null for status scored and stale." },
          status: {
            enum: ["pass", "fail", "scored", "stale", "missing", "error"],
            description: "scored: every check is informational (no threshold), so no verdict; stale: the output is of another version of the probe and was not scored.",
          },
        },
        required: [
          "suite", "id", "type", "category", "language", "tags", "prompt", "system", "expected", "choices", "answer", "text", "hash", "output",
          "stop_reason", "stop_string", "prompt_tokens", "output_tokens", "time_ms", "trimmed_replacement_char", "rendered_prompt", "likelihood",
          "samples", "output_version", "checks", "pass", "status",
        ],
        additionalProperties: false,
      },
    },
    summary: {
      type: "object",
      properties: {
        total: int,
        passed: int,
        failed: int,
        scored: int,
        stale: int,
        missing: int,
        errors: int,
        unverified: int,
        pass_rate: nullable({ ...rate, description: "passed / (passed + failed); missing and error probes count as failed, scored and stale ones are left out." }),
        by_suite: { type: "object", additionalProperties: bucket },
        by_category: { type: "object", additionalProperties: bucket },
        by_language: { type: "object", additionalProperties: bucket },
        by_check: { type: "object", additionalProperties: checkBucket },
        aggregates: {
          type: "array",
          description: "Every check aggregate's values: per suite and group, and per group over all suites (suite null). Absent in reports written before.",
          items: {
            type: "object",
            properties: {
              check: { type: "string" },
              aggregate: { type: "string" },
              suite: nullable({ type: "string" }),
              language: nullable({ type: "string" }),
              score: nullable({ type: "number" }),
              results: int,
              signature: { type: "string" },
              values: { type: "object", additionalProperties: nullable({ type: ["number", "string"] }) },
            },
            required: ["check", "aggregate", "suite", "language", "score", "results", "signature", "values"],
            additionalProperties: false,
          },
        },
        corpus_metrics: {
          type: "object",
          additionalProperties: {
            type: "array",
            items: {
              type: "object",
              properties: {
                type: { type: "string" },
                language: nullable({ type: "string" }),
                tokenize: nullable({ type: "string" }),
                score: { type: "number" },
                segments: int,
                signature: { type: "string" },
              },
              required: ["type", "language", "tokenize", "score", "segments", "signature"],
              additionalProperties: false,
            },
          },
        },
        choice_accuracy: nullable({
          type: "object",
          properties: { probes: int, raw: rate, per_token: rate, per_char: rate },
          required: ["probes", "raw", "per_token", "per_char"],
          additionalProperties: false,
        }),
        perplexity: nullable({
          type: "array",
          description: "One likelihood total per language.",
          items: {
          type: "object",
          properties: {
            language: { type: "string" },
            texts: int, tokens: int, chars: int, bytes: int,
            perplexity: nullable({ type: "number" }), bits_per_char: nullable({ type: "number" }), bits_per_byte: nullable({ type: "number" }),
          },
          required: ["language", "texts", "tokens", "chars", "bytes", "perplexity", "bits_per_char", "bits_per_byte"],
          additionalProperties: false,
          },
        }),
        sampling: nullable({
          type: "object",
          properties: { probes: int, pass_at_k: rate, mean_pass_rate: rate, mean_agreement: rate },
          required: ["probes", "pass_at_k", "mean_pass_rate", "mean_agreement"],
          additionalProperties: false,
        }),
      },
      required: [
        "total", "passed", "failed", "scored", "stale", "missing", "errors", "unverified", "pass_rate", "by_suite", "by_category", "by_language", "by_check", "corpus_metrics",
        "choice_accuracy", "perplexity", "sampling",
      ],
      additionalProperties: false,
    },
    problems: {
      type: "object",
      properties: {
        unknown_outputs: { type: "array", items: { ...probeRef, properties: { ...probeRef.properties, line: int }, required: ["suite", "id", "line"] } },
        missing_outputs: { type: "array", items: probeRef },
        duplicate_outputs: { type: "array", items: { ...probeRef, properties: { ...probeRef.properties, lines: { type: "array", items: int } } } },
        stale_outputs: {
          type: "array",
          items: {
            ...probeRef,
            properties: { ...probeRef.properties, line: int, output_hash: { type: "string" }, probe_hash: { type: "string" }, scored: { type: "boolean" } },
            required: ["suite", "id", "line", "output_hash", "probe_hash", "scored"],
          },
        },
        unknown_samples: {
          type: "array",
          description: "Output lines whose sample index the probe does not have (sample ≥ its samples): listed, left out of pass@k.",
          items: {
            ...probeRef,
            properties: { ...probeRef.properties, sample: int, samples: int, line: int },
            required: ["suite", "id", "sample", "samples", "line"],
          },
        },
        truncated_outputs_tail: { type: "boolean" },
      },
      required: ["unknown_outputs", "missing_outputs", "duplicate_outputs", "stale_outputs", "unknown_samples", "truncated_outputs_tail"],
      additionalProperties: false,
    },
    gate: GATE_SCHEMA,
  },
  required: ["schema_version", "manifest", "probes", "summary", "problems"],
  additionalProperties: false,
} as const;
