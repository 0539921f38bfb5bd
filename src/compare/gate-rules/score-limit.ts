/**
 * `max_score` and `min_score`: a statistic (mean, median, min, max, pNN) of
 * one check's scores in scope stays at or below, or at or above, the limit.
 */
import { nearestRank } from "../stats.js";
import { blamed } from "./blame.js";
import { EPSILON, nothingToMeasure, num, type RuleEvaluator } from "./rule.js";
import { assertOneUnit, currentUnits, scopeText } from "./scope.js";

function statistic(sorted: readonly number[], stat: string): number {
  if (stat === "mean") return sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  if (stat === "min") return sorted[0]!;
  if (stat === "max") return sorted[sorted.length - 1]!;
  if (stat === "median") return nearestRank(sorted, 0.5);
  return nearestRank(sorted, Number(stat.slice(1)) / 100);
}

interface Bound {
  comparison: "<=" | ">=";
  within: (value: number, limit: number) => boolean;
  /** "is above" / "is below". */
  breach: string;
  /** "maximum" / "minimum". */
  noun: string;
  /** Sorts scores worst first. */
  worstFirst: (a: number, b: number) => number;
}

function scoreLimit(bound: Bound): RuleEvaluator {
  return (rule, scope, { report, policy }) => {
    const where = scopeText(scope);
    const measured = currentUnits(report.probes, scope).filter((unit) => typeof unit.score === "number" && Number.isFinite(unit.score));
    assertOneUnit(rule, scope, measured.map((unit) => unit.unit), policy);
    const scores = measured.map((unit) => unit.score!);
    if (scores.length === 0) return nothingToMeasure(rule, `no ${scope.check} scores${where}`, bound.comparison);
    scores.sort((a, b) => a - b);
    const value = statistic(scores, rule.stat);
    const ok = bound.within(value, rule.limit);
    // The results beyond the limit are the ones that pull the statistic over it.
    const beyond = ok ? [] : measured.filter((unit) => !bound.within(unit.score!, rule.limit)).sort((a, b) => bound.worstFirst(a.score!, b.score!));
    return {
      status: ok ? "pass" : "fail",
      measured: value,
      comparison: bound.comparison,
      message: `${rule.stat} ${scope.check} score${where} ${num(value)} over ${scores.length} result(s) ${ok ? "is within" : bound.breach} the ${bound.noun} ${num(rule.limit)}`,
      ...(ok ? {} : { probes: blamed("worst", beyond.map((unit) => ({ probe: unit.probe, reason: unit.result ? String(unit.result.details.reason) : null, value: unit.score }))) }),
      details: { stat: rule.stat, results: scores.length },
    };
  };
}

export const maxScore = scoreLimit({ comparison: "<=", within: (value, limit) => value <= limit + EPSILON, breach: "is above", noun: "maximum", worstFirst: (a, b) => b - a });
export const minScore = scoreLimit({ comparison: ">=", within: (value, limit) => value + EPSILON >= limit, breach: "is below", noun: "minimum", worstFirst: (a, b) => a - b });
