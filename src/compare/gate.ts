/**
 * The gate: a policy's rules measured on a report (and on its pairs with a
 * baseline report). Every rule yields what was measured, the limit and one
 * sentence; the round passes when no rule fails.
 */
import type { CheckResult } from "../format/check-result.js";
import { InputError } from "../errors.js";
import { scoreUnit, tokenizerOf } from "../metrics/index.js";
import type { GateResult, GateRuleResult, Report, ReportProbe } from "../format/report.js";
import { scoreDirection } from "./direction.js";
import type { LoadedReport } from "../format/report-file.js";
import { isMatched, pairProbes, type MatchedPair } from "./match.js";
import { checkUnits, compareCorpus, comparePass, compareScores, corpusLabel, probeUnits, type CompareOptions, type Unit } from "./paired.js";
import type { CorpusComparison } from "../format/diff.js";
import { isBaselineRule, ruleLabel, SCOPE_KEYS, type Policy, type PolicyRule, type Scope } from "../format/policy.js";
import { nearestRank } from "./stats.js";

/** Float comparisons of rates (5/12 vs 0.41666…) must not fail on the last bit. */
const EPSILON = 1e-9;

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const num = (value: number) => (Number.isInteger(value) ? String(value) : Math.abs(value) >= 10 ? value.toFixed(2) : value.toFixed(4));
const signed = (value: number, asRate: boolean) => `${value > 0 ? "+" : value < 0 ? "−" : "±"}${asRate ? `${(Math.abs(value) * 100).toFixed(1)} points` : num(Math.abs(value))}`;

function inScope(probe: ReportProbe, scope: Scope): boolean {
  return (
    (scope.suite === undefined || probe.suite === scope.suite) &&
    (scope.category === undefined || probe.category === scope.category) &&
    (scope.language === undefined || probe.language === scope.language)
  );
}

/** Whether a check result is one the rule's scope names (its check type and, if set, its tokenizer). */
function resultInScope(result: CheckResult, scope: Scope): boolean {
  return result.type === scope.check && (scope.tokenize === undefined || tokenizerOf(result) === scope.tokenize);
}

/** " (suite zh, language ja)": the probes a result is about (the check, and a corpus's language and tokenizer, are named in the message itself). */
function scopeText(scope: Scope, named: readonly string[] = ["check"]): string {
  const parts = SCOPE_KEYS.filter((key) => !named.includes(key) && scope[key] !== undefined).map((key) => `${key} ${scope[key]}`);
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}

/** The rule's scope with "*" replaced by each value found in the probes. */
function expandScopes(rule: PolicyRule, probes: readonly ReportProbe[]): Scope[] {
  const wildcard = SCOPE_KEYS.find((key) => rule.scope[key] === "*");
  if (!wildcard) return [rule.scope];
  const values = new Set<string>();
  for (const probe of probes) {
    if (wildcard === "check") for (const check of probe.checks) values.add(check.type);
    else if (wildcard === "tokenize") {
      for (const check of probe.checks) {
        const tokenize = check.type === rule.scope.check ? tokenizerOf(check) : null;
        if (tokenize !== null) values.add(tokenize);
      }
    } else values.add(probe[wildcard]);
  }
  return [...values].sort().map((value) => ({ ...rule.scope, [wildcard]: value }));
}

function statistic(sorted: readonly number[], stat: string): number {
  if (stat === "mean") return sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  if (stat === "min") return sorted[0]!;
  if (stat === "max") return sorted[sorted.length - 1]!;
  if (stat === "median") return nearestRank(sorted, 0.5);
  return nearestRank(sorted, Number(stat.slice(1)) / 100);
}

interface Outcome {
  status: GateRuleResult["status"];
  measured: number | null;
  /** The bound `measured` is compared with, when it is not the rule's own value (α, 0, −max_decrease). */
  limit?: number;
  comparison: string;
  message: string;
  details?: Record<string, unknown>;
}

const nothingToMeasure = (rule: PolicyRule, what: string, comparison: string): Outcome => ({
  limit: undefined,
  status: rule.optional ? "skipped" : "fail",
  measured: null,
  comparison,
  message: `${what}${rule.optional ? "; optional rule skipped" : "; nothing to measure (mark the rule optional: true to allow this)"}`,
});

/** Probe-level or check-level units of the current report in scope, as {pass, score}. */
function currentUnits(probes: readonly ReportProbe[], scope: Scope): Array<{ pass: boolean | null; score: number | null; unit: string | null }> {
  const units: Array<{ pass: boolean | null; score: number | null; unit: string | null }> = [];
  for (const probe of probes) {
    if (!inScope(probe, scope)) continue;
    if (scope.check === undefined) units.push({ pass: probe.pass, score: null, unit: null });
    else for (const check of probe.checks) if (resultInScope(check, scope)) units.push({ pass: check.pass, score: check.score, unit: scoreUnit(check) });
  }
  return units;
}

/**
 * A score rule takes a mean (or a percentile) of one unit: scores in several
 * (length in chars and in words, BLEU under two tokenizers) are a policy error
 * that names them, like a corpus_score rule matching several corpora.
 */
function assertOneUnit(rule: PolicyRule, scope: Scope, units: ReadonlyArray<string | null>, policy: Policy): void {
  const found = [...new Set(units)];
  if (found.length <= 1) return;
  throw new InputError(
    `${rule.kind} of ${scope.check}${scopeText(scope)} would mix scores in ${found.length} units (${found.map((unit) => unit ?? "unlabelled").join(", ")}); narrow the scope (tokenize:, suite:, category: or language:)`,
    { file: policy.path, line: rule.line, field: `rules[${rule.index}]` },
  );
}

function pairedUnits(pairs: readonly MatchedPair[], scope: Scope): Unit[] {
  const scoped = pairs.filter((pair) => inScope(pair.candidate, scope));
  if (scope.check === undefined) return probeUnits(scoped);
  return checkUnits(scoped, scope.check).filter((unit) => resultInScope(unit.candidate.result!, scope));
}

function evaluateCurrent(rule: PolicyRule, scope: Scope, report: Report, policy: Policy): Outcome {
  const units = currentUnits(report.probes, scope);
  const where = scopeText(scope);
  if (rule.kind === "require_complete") {
    const missing = report.summary.missing;
    const ok = report.manifest.complete && missing === 0;
    return {
      status: ok ? "pass" : "fail",
      measured: missing,
      limit: 0,
      comparison: "==",
      message: ok
        ? "the run is complete: every probe has an output"
        : `${report.manifest.complete ? "" : "the run was interrupted; "}${missing} probe(s) have no output (limit 0)`,
      details: { complete: report.manifest.complete, missing },
    };
  }
  if (rule.kind === "min_pass_rate") {
    const what = scope.check ? `${scope.check} results` : "probes";
    if (units.length === 0) return nothingToMeasure(rule, `no ${what}${where}`, ">=");
    const judged = units.filter((unit) => unit.pass !== null);
    if (judged.length === 0) return nothingToMeasure(rule, `no ${what}${where} with a pass/fail verdict (only informational scores, no thresholds)`, ">=");
    const passed = judged.filter((unit) => unit.pass).length;
    const rate = passed / judged.length;
    const ok = rate + EPSILON >= rule.limit;
    return {
      status: ok ? "pass" : "fail",
      measured: rate,
      comparison: ">=",
      message: `${scope.check ? `${scope.check} pass rate` : "pass rate"}${where} ${pct(rate)} (${passed}/${judged.length}) ${ok ? "meets" : "is below"} the minimum ${pct(rule.limit)}`,
      details: { passed, total: judged.length, no_verdict: units.length - judged.length },
    };
  }
  // max_score / min_score
  const measured = units.filter((unit) => typeof unit.score === "number" && Number.isFinite(unit.score));
  assertOneUnit(rule, scope, measured.map((unit) => unit.unit), policy);
  const scores = measured.map((unit) => unit.score!);
  const comparison = rule.kind === "max_score" ? "<=" : ">=";
  if (scores.length === 0) return nothingToMeasure(rule, `no ${scope.check} scores${where}`, comparison);
  scores.sort((a, b) => a - b);
  const value = statistic(scores, rule.stat);
  const ok = rule.kind === "max_score" ? value <= rule.limit + EPSILON : value + EPSILON >= rule.limit;
  return {
    status: ok ? "pass" : "fail",
    measured: value,
    comparison,
    message: `${rule.stat} ${scope.check} score${where} ${num(value)} over ${scores.length} result(s) ${
      ok ? "is within" : rule.kind === "max_score" ? "is above" : "is below"
    } the ${rule.kind === "max_score" ? "maximum" : "minimum"} ${num(rule.limit)}`,
    details: { stat: rule.stat, results: scores.length },
  };
}

function evaluateBaseline(rule: PolicyRule, scope: Scope, pairs: readonly MatchedPair[], policy: Policy): Outcome {
  const units = pairedUnits(pairs, scope);
  const where = scopeText(scope);
  const options: CompareOptions = { alpha: rule.alpha, resamples: policy.bootstrap.resamples, seed: policy.bootstrap.seed };
  const what = scope.check ? `${scope.check} results` : "probes";

  if (rule.kind === "max_regressions") {
    if (units.length === 0) return nothingToMeasure(rule, `no ${what} shared with the baseline${where}`, "<=");
    const pass = comparePass(units, options);
    const ok = pass.regressed <= rule.limit;
    const regressedIds = units.filter((u) => u.base.pass === true && u.candidate.pass === false).map((u) => `${u.pair.suite}/${u.pair.id}`);
    return {
      status: ok ? "pass" : "fail",
      measured: pass.regressed,
      comparison: "<=",
      message: `${pass.regressed} ${what}${where} flipped from pass to fail (${pass.fixed} fixed) of ${pass.pairs} shared; at most ${rule.limit} allowed`,
      details: { regressed: pass.regressed, fixed: pass.fixed, pairs: pass.pairs, regressed_probes: regressedIds.slice(0, 50) },
    };
  }

  if (rule.kind === "no_significant_regression") {
    if (rule.metric === "pass_rate") {
      if (units.length === 0) return nothingToMeasure(rule, `no ${what} shared with the baseline${where}`, ">=");
      const pass = comparePass(units, options);
      if (pass.pairs === 0) return nothingToMeasure(rule, `no ${what} with a pass/fail verdict shared with the baseline${where}`, ">=");
      const significant = pass.verdict === "regressed";
      return {
        status: significant ? "fail" : "pass",
        measured: pass.p_value,
        limit: rule.alpha,
        comparison: "p >= (when worse)",
        message: `${pass.regressed} regressed, ${pass.fixed} fixed of ${pass.pairs} shared ${what}${where}: exact McNemar p = ${pass.p_value.toPrecision(3)}${
          significant ? ` < α ${rule.alpha}, a significant regression` : pass.regressed > pass.fixed ? ` ≥ α ${rule.alpha}, not significant` : ""
        }`,
        details: { ...pass, alpha: rule.alpha, test: "exact McNemar (two-sided)" },
      };
    }
    const check = scope.check!;
    if (rule.metric === "mean_score") assertOneUnit(rule, scope, units.filter((unit) => unit.candidate.score !== null).map((unit) => scoreUnit(unit.candidate.result!)), policy);
    const cmp = rule.metric === "mean_score" ? compareScores(units, check, options, rule.better) : oneCorpus(rule, scope, units, policy, options);
    const count = cmp === null ? 0 : "pairs" in cmp ? cmp.pairs : cmp.segments;
    if (cmp === null || count === 0 || cmp.delta === null) return nothingToMeasure(rule, `no paired ${check} scores${where}`, "CI not below 0");
    const better = scoreDirection(check, rule.better);
    if (better === null) {
      return { status: "fail", measured: cmp.delta, limit: 0, comparison: "CI", message: `the ${check} score has no known direction; set better: higher or lower on this rule` };
    }
    const significant = cmp.verdict === "regressed";
    const level = Math.round((1 - rule.alpha) * 1000) / 10;
    return {
      status: significant ? "fail" : "pass",
      measured: cmp.delta,
      limit: 0,
      comparison: better === "higher" ? "CI high >=" : "CI low <=",
      message: `${"signature" in cmp ? `corpus ${corpusLabel(cmp)}${scopeText(scope, CORPUS_NAMED)}` : `mean ${check}${where}`} ${signed(cmp.delta, false)} (${level}% CI ${num(cmp.ci.low ?? NaN)} … ${num(cmp.ci.high ?? NaN)}, ${count} paired, ${better} is better)${
        significant ? ": a significant regression" : cmp.verdict === "too few pairs" ? ": too few pairs to tell" : ""
      }`,
      details: { ...cmp, alpha: rule.alpha, test: "paired bootstrap (percentile)", resamples: options.resamples, seed: options.seed },
    };
  }

  // max_decrease / max_increase
  const increase = rule.kind === "max_increase";
  const comparison = increase ? "Δ <=" : "Δ >=";
  let delta: number | null = null;
  let base: number | null = null;
  let candidate: number | null = null;
  let count = 0;
  let asRate = false;
  let corpus: CorpusComparison | null = null;
  if (rule.metric === "pass_rate") {
    const pass = comparePass(units, { ...options, resamples: 0 });
    ({ delta, base_pass_rate: base, candidate_pass_rate: candidate } = pass);
    count = pass.pairs;
    asRate = true;
  } else if (rule.metric === "mean_score") {
    assertOneUnit(rule, scope, units.filter((unit) => unit.candidate.score !== null).map((unit) => scoreUnit(unit.candidate.result!)), policy);
    const cmp = compareScores(units, scope.check!, { ...options, resamples: 0 });
    ({ delta, base_mean: base, candidate_mean: candidate } = cmp);
    count = cmp.pairs;
  } else {
    corpus = oneCorpus(rule, scope, units, policy, { ...options, resamples: 0 });
    if (corpus) ({ delta, base, candidate, segments: count } = corpus);
  }
  const label =
    rule.metric === "pass_rate"
      ? `${scope.check ? `${scope.check} ` : ""}pass rate`
      : rule.metric === "mean_score"
        ? `mean ${scope.check} score`
        : `corpus ${corpus ? corpusLabel(corpus) : scope.check}`;
  if (delta === null || count === 0) return nothingToMeasure(rule, `no ${label} shared with the baseline${where}`, comparison);
  const about = corpus ? scopeText(scope, CORPUS_NAMED) : where;
  const ok = increase ? delta <= rule.limit + EPSILON : delta + EPSILON >= -rule.limit;
  const fmt = (value: number | null) => (value === null ? "—" : asRate ? pct(value) : num(value));
  return {
    status: ok ? "pass" : "fail",
    measured: delta,
    limit: increase ? rule.limit : -rule.limit,
    comparison,
    message: `${label}${about} ${fmt(base)} → ${fmt(candidate)} (${signed(delta, asRate)} over ${count} shared); ${increase ? "may rise" : "may fall"} at most ${
      asRate ? `${(rule.limit * 100).toFixed(1)} points` : num(rule.limit)
    }`,
    details: { base, candidate, pairs: count, ...(corpus ? { signature: corpus.signature, language: corpus.language, tokenize: corpus.tokenize } : {}) },
  };
}

/**
 * The one corpus a corpus_score rule's scope names. Corpora of different
 * languages or tokenizers are never pooled: a scope that matches several is a
 * policy error (exit 2) that lists them and says how to name one.
 */
const CORPUS_NAMED = ["check", "language", "tokenize"];

function oneCorpus(rule: PolicyRule, scope: Scope, units: readonly Unit[], policy: Policy, options: CompareOptions): CorpusComparison | null {
  const corpora = compareCorpus(units, scope.check!, options);
  if (corpora.length <= 1) return corpora[0] ?? null;
  const listed = corpora.map((corpus) => `${corpusLabel(corpus)} ${corpus.signature}`).join("; ");
  throw new InputError(
    `corpus_score of ${scope.check}${scopeText(scope)} matches ${corpora.length} corpora (${listed}); name one with language: or tokenize:, or write "*" for each separately`,
    { file: policy.path, line: rule.line, field: `rules[${rule.index}]` },
  );
}

export interface GateOptions {
  /** Absent: baseline rules are skipped and say so. */
  baseline?: LoadedReport | null;
}

export function evaluateGate(report: Report, policy: Policy, options: GateOptions = {}): GateResult {
  const baseline = options.baseline ?? null;
  const pairs = baseline ? pairProbes(baseline.report.probes, report.probes).filter(isMatched) : [];
  const results: GateRuleResult[] = [];
  for (const rule of policy.rules) {
    const baselineRule = isBaselineRule(rule);
    if (baselineRule && !baseline) {
      results.push({
        rule: ruleLabel(rule),
        kind: rule.kind,
        line: rule.line,
        scope: rule.scope,
        status: "skipped",
        measured: null,
        limit: rule.limit,
        comparison: "",
        message: "needs a baseline report (--baseline); skipped",
        details: {},
      });
      continue;
    }
    const scopes = expandScopes(rule, baselineRule ? pairs.map((pair) => pair.candidate) : report.probes);
    if (scopes.length === 0) {
      const { limit: _limit, details: _details, ...outcome } = nothingToMeasure(rule, `no values for ${ruleLabel(rule)}`, "");
      results.push({ rule: ruleLabel(rule), kind: rule.kind, line: rule.line, scope: rule.scope, limit: rule.limit, ...outcome, details: {} });
      continue;
    }
    for (const scope of scopes) {
      const outcome = baselineRule ? evaluateBaseline(rule, scope, pairs, policy) : evaluateCurrent(rule, scope, report, policy);
      const { limit, details, ...rest } = outcome;
      results.push({ rule: ruleLabel(rule, scope), kind: rule.kind, line: rule.line, scope, limit: limit ?? rule.limit, ...rest, details: details ?? {} });
    }
  }
  const failed = results.filter((result) => result.status === "fail").length;
  const skipped = results.filter((result) => result.status === "skipped").length;
  return {
    pass: failed === 0,
    policy: { path: policy.path, sha256: policy.sha256, name: policy.name },
    baseline: baseline
      ? {
          path: baseline.path,
          created_at: baseline.report.manifest.created_at,
          model: baseline.report.manifest.model?.file_name ?? null,
          model_sha256: baseline.report.manifest.model?.sha256 ?? null,
        }
      : null,
    counts: { rules: results.length, passed: results.length - failed - skipped, failed, skipped },
    rules: results,
  };
}
