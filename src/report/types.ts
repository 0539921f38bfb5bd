/**
 * report.json: one TypeScript type, one JSON Schema (schemas/report.schema.json,
 * from src/report/schema.ts), kept in step by test/schemas.test.ts.
 */
import type { CheckResult } from "../checks/types.js";
import type { StopReason } from "../outputs/types.js";
import type { ModelFile } from "../runner/model-file.js";
import type { HardwareInfo, RuntimeInfo } from "../runner/engine.js";

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schema_version: typeof REPORT_SCHEMA_VERSION;
  manifest: Manifest;
  probes: ReportProbe[];
  summary: Summary;
  problems: Problems;
}

export interface Manifest {
  tool: { name: "bonsai-eval"; version: string };
  /** `run` generated the outputs; `score` scored outputs recorded earlier. */
  kind: "run" | "score";
  /** False when the run was interrupted: some probes have no output. */
  complete: boolean;
  created_at: string;
  outputs_file: string;
  model: (ModelFile & { is_fixture: boolean }) | null;
  suites: SuiteInfo[];
  generation: GenerationInfo | null;
  runtime: RuntimeInfo | null;
  hardware: HardwareInfo | null;
  timings: Timings;
}

export interface SuiteInfo {
  name: string;
  path: string;
  sha256: string;
  probe_count: number;
}

export interface GenerationInfo {
  /** Templates used (normally one), with their source text. */
  templates: Array<{ name: string; source: string | null }>;
  parallel: number;
  context_size: number;
  gpu_choice: string;
  decoding: "greedy" | "sampled";
  repeat_penalty: "off";
  seed: number;
  max_tokens_override: number | null;
  template_override: string | null;
}

export interface Timings {
  started_at: string;
  finished_at: string;
  wall_ms: number;
  model_load_ms: number | null;
  generation_ms: number | null;
  scoring_ms: number;
  generated_tokens: number;
  tokens_per_second: number | null;
}

export type ProbeStatus = "pass" | "fail" | "missing" | "error";

export interface ReportProbe {
  suite: string;
  id: string;
  category: string;
  language: string;
  tags: string[];
  prompt: string;
  system: string | null;
  expected: string[];
  /** sha256 of the probe definition; a different hash in another report means the probe was edited. */
  hash: string;
  output: string | null;
  stop_reason: StopReason | null;
  stop_string: string | null;
  prompt_tokens: number | null;
  output_tokens: number | null;
  time_ms: number | null;
  trimmed_replacement_char: boolean;
  rendered_prompt: string | null;
  /** True when the output came from a different version of the probe than the suite now holds. */
  stale_output: boolean;
  checks: CheckResult[];
  pass: boolean;
  status: ProbeStatus;
}

export interface Bucket {
  total: number;
  passed: number;
  failed: number;
  pass_rate: number;
}

export interface CheckBucket extends Bucket {
  /** Mean of the check's score over probes where it is a number; null when none is. */
  mean_score: number | null;
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  missing: number;
  errors: number;
  pass_rate: number;
  by_suite: Record<string, Bucket>;
  by_category: Record<string, Bucket>;
  by_language: Record<string, Bucket>;
  by_check: Record<string, CheckBucket>;
  /** Corpus-level reference metrics per suite (statistics summed over segments, as sacreBLEU does). */
  corpus_metrics: Record<string, CorpusMetric[]>;
}

export interface CorpusMetric {
  type: string;
  /** 0–100 for bleu, chrf, chrf++; 0–1 for token_f1. */
  score: number;
  segments: number;
  signature: string;
}

export interface Problems {
  /** Output lines whose suite/id matches no loaded probe. */
  unknown_outputs: Array<{ suite: string; id: string; line: number }>;
  /** Probes with no output line. */
  missing_outputs: Array<{ suite: string; id: string }>;
  /** Probes with more than one output line for the same sample (the last one is used). */
  duplicate_outputs: Array<{ suite: string; id: string; lines: number[] }>;
  /** Output file ended in a line cut by a crash; it was ignored. */
  truncated_outputs_tail: boolean;
}
