/**
 * The diff of two reports: which probes were added, removed or edited between
 * dataset versions, and, on the probes both share unchanged, which were fixed
 * or regressed and whether the change in pass rates and scores is more than
 * noise (exact McNemar, paired bootstrap intervals).
 */
import type { GateRuleResult, Report, ReportProbe } from "../format/report.js";
import { scoreUnit } from "../metrics/index.js";
import { recordedFacts } from "../checks/facts.js";
import type { Better } from "../format/check-result.js";
import { labelOf, type LoadedReport } from "../format/report-file.js";
import { settingChanges } from "./settings.js";
import { editedFields, isMatched, pairProbes, type MatchedPair, type ProbePair } from "./match.js";
import { checkUnits, compareCorpus, comparePass, compareScores, probeUnits, sameScoreUnit, type CompareOptions, type Unit } from "./paired.js";
import { DIFF_SCHEMA_VERSION, type DatasetChangeCounts, type DatasetChanges, type DataVersion, type Diff, type DiffProbe, type GateRuleBrief, type PairwiseComparison, type PassComparison, type ProbeSide, type ReportRef, type ScoreComparison, type Trend, type TrendCorpusRow, type TrendRow } from "../format/diff.js";
import { BOOTSTRAP_DEFAULTS } from "../format/policy-schema.js";
import { pairwiseResults, winRate } from "./win-rate.js";

export interface DiffOptions {
  alpha?: number;
  resamples?: number;
  seed?: number;
  now?: Date;
}

const brief = ({ rule, line, message, probes }: GateRuleResult): GateRuleBrief => ({ rule, line, message, probes: probes ?? null });

function reportRef(loaded: LoadedReport): ReportRef {
  const { manifest, summary, gate } = loaded.report;
  return {
    path: loaded.path,
    label: labelOf(manifest),
    created_at: manifest.created_at,
    kind: manifest.kind,
    model: manifest.model?.file_name ?? null,
    model_sha256: manifest.model?.sha256 ?? null,
    suites: manifest.suites.map((suite) => ({ name: suite.name, sha256: suite.sha256, probe_count: suite.probe_count, ...(suite.data ? { data: dataVersion(suite.data) } : {}) })),
    total: summary.total,
    passed: summary.passed,
    pass_rate: summary.pass_rate,
    gate: gate
      ? {
          pass: gate.pass,
          policy: gate.policy.name ?? gate.policy.path,
          failed: gate.rules.filter((rule) => rule.status === "fail").map(brief),
          warned: gate.rules.filter((rule) => rule.status === "warn").map(brief),
        }
      : null,
  };
}

function dataVersion(data: DataVersion): DataVersion {
  return { sha256: data.sha256, records: data.records, selected: data.selected, selection_sha256: data.selection_sha256 };
}

/** The probes added, removed and edited between the reports' suites, per category, and each data-backed suite's two versions. */
function datasetChanges(pairs: readonly ProbePair[], base: LoadedReport, candidate: LoadedReport): DatasetChanges {
  const empty = (): DatasetChangeCounts => ({ added: 0, removed: 0, edited: 0 });
  const overall = empty();
  const byCategory = new Map<string, DatasetChangeCounts>();
  const versions = (loaded: LoadedReport) => new Map(loaded.report.manifest.suites.filter((suite) => suite.data).map((suite) => [suite.name, dataVersion(suite.data!)]));
  const [before, after] = [versions(base), versions(candidate)];
  const dataSuites = new Set([...before.keys(), ...after.keys()]);
  // "records" when every changed probe of the category comes from a data file, "probes" otherwise.
  const noun = new Map<string, "records" | "probes">();
  for (const pair of pairs) {
    if (pair.change !== "added" && pair.change !== "removed" && pair.change !== "edited") continue;
    const category = (pair.candidate ?? pair.base)!.category;
    const counts = byCategory.get(category) ?? byCategory.set(category, empty()).get(category)!;
    counts[pair.change]++;
    overall[pair.change]++;
    if (!dataSuites.has(pair.suite)) noun.set(category, "probes");
    else if (!noun.has(category)) noun.set(category, "records");
  }
  const sorted = [...byCategory].sort(([a], [b]) => a.localeCompare(b));
  const summary = sorted.map(([category, counts]) => {
    const kinds = (["added", "removed", "edited"] as const).filter((kind) => counts[kind] > 0);
    const first = counts[kinds[0]!];
    const what = first === 1 ? noun.get(category)!.slice(0, -1) : noun.get(category)!;
    return `${category}: ${[`${first} ${what} ${kinds[0]}`, ...kinds.slice(1).map((kind) => `${counts[kind]} ${kind}`)].join(", ")}`;
  });
  const data = [...dataSuites].sort().map((suite) => {
    const [b, c] = [before.get(suite) ?? null, after.get(suite) ?? null];
    return { suite, base: b, candidate: c, same_file: b !== null && c !== null && b.sha256 === c.sha256, same_selection: b !== null && c !== null && b.selection_sha256 === c.selection_sha256 };
  });
  return { overall, by_category: Object.fromEntries(sorted), data, summary };
}

function side(probe: ReportProbe | null): ProbeSide | null {
  if (!probe) return null;
  const scores: Record<string, number | null> = {};
  for (const check of probe.checks) if (!(check.type in scores)) scores[check.type] = check.score;
  return {
    hash: probe.hash,
    status: probe.status,
    pass: probe.pass,
    output_version: probe.output_version,
    prompt: probe.prompt,
    expected: probe.expected,
    output: probe.output,
    stop_reason: probe.stop_reason,
    output_tokens: probe.output_tokens,
    failed_checks: probe.checks.filter((check) => check.pass === false).map((check) => ({ type: check.type, reason: check.details.reason })),
    scores,
    highlights: probe.checks.flatMap((check) => (check.details.highlights ?? []).map(({ start, end, label }) => ({ check: check.type, start, end, label }))),
  };
}

function diffProbe(pair: ProbePair): DiffProbe {
  const probe = (pair.candidate ?? pair.base)!;
  return {
    suite: pair.suite,
    id: pair.id,
    category: probe.category,
    language: probe.language,
    change: pair.change,
    output_changed: pair.output_changed,
    edited_fields: pair.change === "edited" ? editedFields(pair.base!, pair.candidate!) : null,
    base: side(pair.base),
    candidate: side(pair.candidate),
  };
}

function groupBy(pairs: readonly MatchedPair[], key: (pair: MatchedPair) => string): Map<string, MatchedPair[]> {
  const groups = new Map<string, MatchedPair[]>();
  for (const pair of pairs) {
    const name = key(pair);
    const list = groups.get(name);
    if (list) list.push(pair);
    else groups.set(name, [pair]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

function checkTypes(pairs: readonly MatchedPair[]): string[] {
  const types = new Set<string>();
  for (const pair of pairs) for (const check of pair.candidate.checks) types.add(check.type);
  return [...types].sort();
}

/** Mean scores per check type and unit ("length (chars)", "bleu (tok:13a)"): lengths in chars and in words are never one mean. */
function scoreTable(pairs: readonly MatchedPair[], options: CompareOptions, betterOf: (type: string) => Better): Record<string, ScoreComparison> {
  const table: Record<string, ScoreComparison> = {};
  for (const type of checkTypes(pairs)) {
    const byUnit = new Map<string | null, Unit[]>();
    for (const unit of sameScoreUnit(checkUnits(pairs, type)).same) {
      const measured = scoreUnit(unit.candidate.result!);
      (byUnit.get(measured) ?? byUnit.set(measured, []).get(measured)!).push(unit);
    }
    for (const [measured, units] of byUnit) {
      const comparison = { ...compareScores(units, type, options, betterOf(type)), unit: measured };
      if (comparison.pairs > 0) table[measured === null ? type : `${type} (${measured})`] = comparison;
    }
  }
  return table;
}

export function diffReports(base: LoadedReport, candidate: LoadedReport, options: DiffOptions = {}): Diff {
  const compare: CompareOptions = {
    alpha: options.alpha ?? 0.05,
    resamples: options.resamples ?? BOOTSTRAP_DEFAULTS.resamples,
    seed: options.seed ?? BOOTSTRAP_DEFAULTS.seed,
  };
  const pairs = pairProbes(base.report.probes, candidate.report.probes);
  const matched = pairs.filter(isMatched);
  // A check's facts as the candidate records them, else as the base does (a check only the base ran).
  const factsOf = (type: string) => recordedFacts(candidate.report.summary, type) ?? recordedFacts(base.report.summary, type);
  // A check no report describes (a user check in reports from before facts were recorded) counts as higher-is-better, as it always did.
  const betterOf = (type: string): Better => {
    const facts = factsOf(type);
    return facts ? facts.better : "higher";
  };

  const counts: Diff["counts"] = {
    matched: matched.length, fixed: 0, regressed: 0, still_failing: 0, still_passing: 0, scored: 0, edited: 0, stale: 0, added: 0, removed: 0, output_changed: 0,
  };
  for (const pair of pairs) {
    counts[pair.change]++;
    if (isMatched(pair) && pair.output_changed) counts.output_changed++;
  }

  const passOf = (group: readonly MatchedPair[]) => comparePass(probeUnits(group), compare);
  const byGroup = (key: (pair: MatchedPair) => string) =>
    Object.fromEntries([...groupBy(matched, key)].map(([name, group]) => [name, passOf(group)]));
  const byCheck: Record<string, PassComparison> = {};
  for (const type of checkTypes(matched)) {
    const units = checkUnits(matched, type);
    if (units.length > 0) byCheck[type] = comparePass(units, compare);
  }

  const scoresBySuite: Diff["scores"]["by_suite"] = {};
  const corpus: Diff["corpus"] = {};
  for (const [suite, group] of groupBy(matched, (pair) => pair.suite)) {
    const table = scoreTable(group, compare, betterOf);
    if (Object.keys(table).length > 0) scoresBySuite[suite] = table;
    const metrics = checkTypes(group)
      .filter((type) => factsOf(type)?.aggregate === "corpus")
      .flatMap((type) => compareCorpus(checkUnits(group, type), type, compare, betterOf(type)));
    if (metrics.length > 0) corpus[suite] = metrics;
  }

  return {
    schema_version: DIFF_SCHEMA_VERSION,
    tool: "bonsai-eval",
    created_at: (options.now ?? new Date()).toISOString(),
    base: reportRef(base),
    candidate: reportRef(candidate),
    settings: {
      alpha: compare.alpha,
      confidence: 1 - compare.alpha,
      resamples: compare.resamples,
      seed: compare.seed,
      test: "exact McNemar (two-sided binomial on discordant pairs)",
      interval: "paired bootstrap, percentile (nearest rank), mulberry32 PRNG",
    },
    setting_changes: settingChanges(base.report, candidate.report),
    counts,
    dataset_changes: datasetChanges(pairs, base, candidate),
    pass: {
      overall: passOf(matched),
      by_suite: byGroup((pair) => pair.suite),
      by_category: byGroup((pair) => pair.candidate.category),
      by_language: byGroup((pair) => pair.candidate.language),
      by_check: byCheck,
    },
    scores: { overall: scoreTable(matched, compare, betterOf), by_suite: scoresBySuite },
    corpus,
    probes: pairs.map(diffProbe),
    trend: null,
    pairwise: pairwiseComparison(candidate, compare),
  };
}

/** The candidate's pairwise judge outcomes, and the round its run compared with. */
function pairwiseComparison(candidate: LoadedReport, compare: CompareOptions): PairwiseComparison | null {
  const rates = winRate(pairwiseResults(candidate.report.probes), { resamples: compare.resamples, seed: compare.seed });
  return rates && { ...rates, baseline: candidate.report.manifest.judge?.baseline ?? null };
}

export function trend(reports: readonly LoadedReport[], options: DiffOptions = {}): Trend {
  const compare: CompareOptions = { alpha: options.alpha ?? 0.05, resamples: 0, seed: options.seed ?? 0 };
  const groupsOf = (report: Report) => {
    const groups = new Map<string, ReportProbe[]>();
    const add = (name: string, probe: ReportProbe) => (groups.get(name) ?? groups.set(name, []).get(name)!).push(probe);
    for (const probe of report.probes) {
      add("overall", probe);
      add(`suite ${probe.suite}`, probe);
      add(`category ${probe.category}`, probe);
      add(`language ${probe.language}`, probe);
    }
    return groups;
  };
  const perReport = reports.map((loaded) => groupsOf(loaded.report));
  const names = new Set<string>();
  for (const groups of perReport) for (const name of groups.keys()) names.add(name);
  const order = (name: string) => (name === "overall" ? 0 : name.startsWith("suite ") ? 1 : name.startsWith("category ") ? 2 : 3);
  const sorted = [...names].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const rows: TrendRow[] = sorted.map((group) => ({
    group,
    values: perReport.map((groups) => {
      const probes = groups.get(group) ?? [];
      const judged = probes.filter((probe) => probe.pass !== null);
      return { pass_rate: judged.length === 0 ? null : judged.filter((probe) => probe.pass).length / judged.length, total: probes.length };
    }),
    steps: perReport.map((groups, i) => {
      if (i === 0) return null;
      const pairs = pairProbes(perReport[i - 1]!.get(group) ?? [], groups.get(group) ?? []).filter(isMatched);
      const cmp = comparePass(probeUnits(pairs), compare);
      return { delta: cmp.delta, p_value: cmp.p_value, verdict: cmp.verdict, pairs: cmp.pairs };
    }),
  }));
  return { reports: reports.map(reportRef), rows, corpus: trendCorpus(reports) };
}

function trendCorpus(reports: readonly LoadedReport[]): TrendCorpusRow[] {
  const rows = new Map<string, TrendCorpusRow>();
  reports.forEach((loaded, i) => {
    for (const [suite, metrics] of Object.entries(loaded.report.summary.corpus_metrics)) {
      for (const metric of metrics) {
        const key = JSON.stringify([suite, metric.type, metric.language, metric.signature]);
        const row =
          rows.get(key) ??
          rows
            .set(key, {
              suite,
              check: metric.type,
              language: metric.language,
              tokenize: metric.tokenize,
              signature: metric.signature,
              values: reports.map(() => ({ score: null, segments: 0 })),
            })
            .get(key)!;
        row.values[i] = { score: metric.score, segments: metric.segments };
      }
    }
  });
  return [...rows.values()].sort((a, b) => a.suite.localeCompare(b.suite) || a.check.localeCompare(b.check) || (a.language ?? "").localeCompare(b.language ?? ""));
}
