/** Hand-built reports for compare tests: each probe says how it did, the summary is computed as the tool does. */
import type { CheckResult } from "../src/format/check-result.js";
import type { LoadedReport } from "../src/format/report-file.js";
import { summarize } from "../src/scoring/summary.js";
import type { Report, ReportProbe } from "../src/format/report.js";

export interface ProbeSketch {
  suite?: string;
  id: string;
  category?: string;
  language?: string;
  pass: boolean;
  output?: string | null;
  hash?: string;
  prompt?: string;
  expected?: string[];
  /** Extra checks beyond the contains check that decides `pass`. */
  checks?: CheckResult[];
}

export function probe(sketch: ProbeSketch): ReportProbe {
  const missing = sketch.output === null;
  const checks: CheckResult[] = missing
    ? []
    : [
        { type: "contains", score: sketch.pass ? 1 : 0, pass: sketch.pass, details: { reason: sketch.pass ? "found" : "none of 1 expected value(s) found" } },
        ...(sketch.checks ?? []),
      ];
  return {
    suite: sketch.suite ?? "ja",
    id: sketch.id,
    type: "generate",
    category: sketch.category ?? "open_qa",
    language: sketch.language ?? "ja",
    tags: [],
    prompt: sketch.prompt ?? `prompt ${sketch.id}`,
    system: null,
    expected: sketch.expected ?? ["answer"],
    choices: [],
    answer: null,
    text: null,
    hash: sketch.hash ?? `hash-${sketch.id}`,
    output: missing ? null : (sketch.output ?? `output of ${sketch.id}`),
    stop_reason: missing ? null : "eog",
    stop_string: null,
    prompt_tokens: missing ? null : 5,
    output_tokens: missing ? null : 7,
    time_ms: missing ? null : 12,
    trimmed_replacement_char: false,
    rendered_prompt: null,
    likelihood: null,
    samples: null,
    output_version: missing ? null : "current",
    checks,
    pass: !missing && checks.every((check) => check.pass),
    status: missing ? "missing" : checks.every((check) => check.pass) ? "pass" : "fail",
  };
}

export function report(probes: ReportProbe[], options: { created_at?: string; complete?: boolean } = {}): Report {
  const created = options.created_at ?? "2025-01-01T00:00:00.000Z";
  return {
    schema_version: 1,
    manifest: {
      tool: { name: "bonsai-eval", version: "test" },
      kind: "score",
      complete: options.complete ?? true,
      created_at: created,
      outputs_file: "outputs.jsonl",
      model: null,
      suites: [...new Set(probes.map((p) => p.suite))].map((name) => ({ name, path: `${name}.yaml`, sha256: "0".repeat(64), probe_count: probes.filter((p) => p.suite === name).length })),
      generation: null,
      runtime: null,
      hardware: null,
      shard: null,
      cache: null,
      timings: {
        started_at: created, finished_at: created, wall_ms: 0, model_load_ms: null, generation_ms: null, scoring_ms: 0, generated_tokens: 0, tokens_per_second: null,
      },
    },
    probes,
    summary: summarize(probes),
    problems: { unknown_outputs: [], missing_outputs: [], duplicate_outputs: [], stale_outputs: [], unknown_samples: [], truncated_outputs_tail: false },
  };
}

export const loaded = (value: Report, path = "report.json"): LoadedReport => ({ path, report: value });

const repetition = (score: number): CheckResult => ({ type: "repetition", score, pass: true, details: { reason: "no loop" } });

/**
 * Two rounds with known flips (the numbers the tests compute by hand):
 * suite ja (open_qa, ja): a0–a6 regressed, a7 fixed, a8 still failing (output changed), a9 still passing;
 *   every a-probe's repetition score goes 0.1 → 0.3.
 * suite zh (translation, zh): b0–b5 regressed; b6 edited (prompt changed); b7 removed; b8 added.
 */
export function twoRounds(): { base: Report; candidate: Report } {
  const base: ReportProbe[] = [];
  const candidate: ReportProbe[] = [];
  for (let i = 0; i < 10; i++) {
    const before = i <= 6 || i === 9;
    const after = i === 7 || i === 9;
    base.push(probe({ id: `a${i}`, pass: before, checks: [repetition(0.1)], output: `回答 a${i}` }));
    candidate.push(probe({ id: `a${i}`, pass: after, checks: [repetition(0.3)], output: i === 9 ? `回答 a${i}` : `新しい回答 a${i}` }));
  }
  const zh = { suite: "zh", category: "translation", language: "zh" };
  for (let i = 0; i < 6; i++) {
    base.push(probe({ ...zh, id: `b${i}`, pass: true }));
    candidate.push(probe({ ...zh, id: `b${i}`, pass: false }));
  }
  base.push(probe({ ...zh, id: "b6", pass: true, prompt: "旧的问题" }));
  candidate.push(probe({ ...zh, id: "b6", pass: false, prompt: "新的问题", hash: "hash-b6-v2" }));
  base.push(probe({ ...zh, id: "b7", pass: true }));
  candidate.push(probe({ ...zh, id: "b8", pass: true }));
  return { base: report(base), candidate: report(candidate, { created_at: "2025-01-08T00:00:00.000Z" }) };
}
