/** diff.json: what `diff` writes: the comparison of two reports, probe by probe and group by group, and the trend over a series. */
import type { GateRuleResult, ReportProbe } from "./report.js";
import type { Better, Highlight } from "./check-result.js";
import type { Change, SettingChange } from "./change.js";

export type Verdict = "improved" | "regressed" | "no significant change" | "changed" | "too few pairs" | "no data";

export interface Interval {
  low: number | null;
  high: number | null;
}

export interface PassComparison {
  pairs: number;
  base_passed: number;
  candidate_passed: number;
  base_pass_rate: number | null;
  candidate_pass_rate: number | null;
  /** candidate − base pass rate (fraction). */
  delta: number | null;
  fixed: number;
  regressed: number;
  still_failing: number;
  still_passing: number;
  /** Exact McNemar on fixed vs regressed (two-sided). */
  p_value: number;
  /** Paired bootstrap interval of the delta. */
  ci: Interval;
  verdict: Verdict;
}

export interface ScoreComparison {
  check: string;
  /** The unit the scores are in (length: chars/words/tokens; bleu: tok:NAME), when the check has several; set by the diff. */
  unit?: string | null;
  better: Better;
  /** Units with a numeric score on both sides. */
  pairs: number;
  base_mean: number | null;
  candidate_mean: number | null;
  delta: number | null;
  ci: Interval;
  verdict: Verdict;
}

export interface CorpusComparison {
  check: string;
  /** The corpus: the probes' language and the tokenizer (null for chrF); `signature` says how it was computed. */
  language: string | null;
  tokenize: string | null;
  /** Segments (paired check results carrying corpus statistics). */
  segments: number;
  base: number | null;
  candidate: number | null;
  delta: number | null;
  ci: Interval;
  signature: string;
  verdict: Verdict;
}

export const DIFF_SCHEMA_VERSION = 1;

export interface ReportRef {
  path: string;
  /** The round's name (its report's label, else its model file's name): titles the diff's columns and the trend. */
  label: string;
  created_at: string;
  kind: "run" | "score" | "merge";
  model: string | null;
  model_sha256: string | null;
  suites: Array<{ name: string; sha256: string; probe_count: number; data?: DataVersion }>;
  total: number;
  passed: number;
  pass_rate: number | null;
  /** The report's gate verdict: pass, and the rules that failed or warned with the probes behind them. */
  gate: { pass: boolean; policy?: string | null; failed?: GateRuleBrief[]; warned?: GateRuleBrief[] } | null;
}

/** A gate rule that did not hold, as the diff carries it. */
export type GateRuleBrief = Pick<GateRuleResult, "rule" | "line" | "message" | "probes">;

export interface ProbeSide {
  hash: string;
  status: ReportProbe["status"];
  pass: boolean | null;
  output_version: ReportProbe["output_version"];
  prompt: string;
  expected: string[];
  output: string | null;
  stop_reason: ReportProbe["stop_reason"];
  output_tokens: number | null;
  failed_checks: Array<{ type: string; reason: string }>;
  scores: Record<string, number | null>;
  /** Every check's highlights on this side's output (report.json's `details.highlights`, code-point offsets), each naming its check; [] when the report recorded none. */
  highlights: CheckHighlight[];
}

/** A highlight as the diff carries it: the range and label a check recorded, and which check recorded it. */
export type CheckHighlight = Highlight & { check: string };

export interface DiffProbe {
  suite: string;
  id: string;
  category: string;
  language: string;
  change: Change;
  output_changed: boolean | null;
  /** For edited probes: which parts of the definition changed. */
  edited_fields: string[] | null;
  base: ProbeSide | null;
  candidate: ProbeSide | null;
}

/** A data-backed suite's dataset version, as the report's manifest records it. */
export interface DataVersion {
  sha256: string;
  records: number;
  selected: number;
  selection_sha256: string;
}

/** How many probes were added, removed or edited between the two reports' dataset versions. */
export interface DatasetChangeCounts {
  added: number;
  removed: number;
  edited: number;
}

/**
 * The dataset's changes, apart from the model's: per category (the candidate's
 * category, the base's for a removed probe), and per data-backed suite whether
 * the data file and the selected slice are the same in both reports.
 */
export interface DatasetChanges {
  overall: DatasetChangeCounts;
  by_category: Record<string, DatasetChangeCounts>;
  data: Array<{ suite: string; base: DataVersion | null; candidate: DataVersion | null; same_file: boolean; same_selection: boolean }>;
  /** One line per category with a change, e.g. "translation: 40 records added, 3 edited" (records for data-backed suites, probes otherwise). */
  summary: string[];
}

export interface Diff {
  schema_version: typeof DIFF_SCHEMA_VERSION;
  tool: "bonsai-eval";
  created_at: string;
  base: ReportRef;
  candidate: ReportRef;
  settings: { alpha: number; confidence: number; resamples: number; seed: number; test: string; interval: string };
  /** Every setting that differs between base and candidate, listed at the top of diff.md and diff.html. */
  setting_changes: SettingChange[];
  counts: Record<Change | "matched" | "output_changed", number>;
  /** Probes added, removed and edited between dataset versions, per category; not compared, and not in the pass rates. */
  dataset_changes: DatasetChanges;
  /** Pass rates on the shared unchanged probes, overall and by suite, category, language and check. */
  pass: {
    overall: PassComparison;
    by_suite: Record<string, PassComparison>;
    by_category: Record<string, PassComparison>;
    by_language: Record<string, PassComparison>;
    by_check: Record<string, PassComparison>;
  };
  /** Mean check scores on the shared unchanged probes, overall and per suite. */
  scores: { overall: Record<string, ScoreComparison>; by_suite: Record<string, Record<string, ScoreComparison>> };
  /** Corpus metrics (BLEU, chrF, …) per suite on the shared unchanged probes: one entry per corpus (check, language, signature). */
  corpus: Record<string, CorpusComparison[]>;
  probes: DiffProbe[];
  /** With more than two reports (a series of rounds): pass rates per round. */
  trend: Trend | null;
  /** The candidate's pairwise judge comparisons with its baseline round; null when it made none. */
  pairwise?: PairwiseComparison | null;
}

/** Pairwise judge outcomes (recorded by the candidate's run), with paired bootstrap intervals of the win and loss rates. */
export interface PairwiseComparison {
  comparisons: number;
  counts: { win: number; tie: number; loss: number; inconsistent: number };
  win_rate: Interval & { estimate: number; confidence: number };
  loss_rate: Interval & { estimate: number; confidence: number };
  signatures: string[];
  /** The report the candidate's run compared with (its manifest's `judge.baseline`): not always the diff's base. */
  baseline: string | null;
}

/** Reports in a series (oldest first): pass rates per group per round, and whether each step is significant. */
export interface Trend {
  reports: ReportRef[];
  rows: TrendRow[];
  /** Corpus scores per round, one row per corpus (suite, metric, language, signature): never pooled across them. */
  corpus: TrendCorpusRow[];
}

export interface TrendCorpusRow {
  suite: string;
  check: string;
  language: string | null;
  tokenize: string | null;
  signature: string;
  /** Per report: the corpus score over all its segments in that report; null when the report has no such corpus. */
  values: Array<{ score: number | null; segments: number }>;
}

export interface TrendRow {
  group: string;
  /** Per report: pass rate and probe count in that report (all its probes in the group). */
  values: Array<{ pass_rate: number | null; total: number }>;
  /** Per step i → i+1: paired comparison on the shared unchanged probes (null for the first report). */
  steps: Array<{ delta: number | null; p_value: number; verdict: PassComparison["verdict"]; pairs: number } | null>;
}
