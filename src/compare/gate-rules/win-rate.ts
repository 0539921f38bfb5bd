/**
 * `min_win_rate: 0.5` and `max_loss_rate: 0.2`: of the probes a pairwise
 * judge check compared with the baseline round (in scope), this round won at
 * least / lost at most this often. Measured on the report itself (the
 * comparison was made by the run's judge), with the paired bootstrap interval
 * in the details.
 */
import { winRate, type PairwiseOutcomeName } from "../win-rate.js";
import { EPSILON, nothingToMeasure, pct, type RuleEvaluator } from "./rule.js";
import { currentUnits, scopeText } from "./scope.js";

function rateRule(outcome: Extract<PairwiseOutcomeName, "win" | "loss">, comparison: ">=" | "<="): RuleEvaluator {
  return (rule, scope, { report, policy }) => {
    const where = scopeText(scope);
    const results = currentUnits(report.probes, { ...scope, check: scope.check ?? "judge" }).flatMap((unit) => (unit.result ? [unit.result] : []));
    const rates = winRate(results, { resamples: policy.bootstrap.resamples, seed: policy.bootstrap.seed });
    if (rates === null) return nothingToMeasure(rule, `no pairwise judge comparisons${where}`, comparison);
    const interval = outcome === "win" ? rates.win_rate : rates.loss_rate;
    const rate = interval.estimate;
    const ok = comparison === ">=" ? rate + EPSILON >= rule.limit : rate <= rule.limit + EPSILON;
    const { win, tie, loss, inconsistent } = rates.counts;
    const range = `${(interval.confidence * 100).toFixed(0)}% interval ${pct(interval.low)}–${pct(interval.high)}`;
    // The round the judge compared with, which need not be the gate's own baseline (a `gate` run later against another round).
    const against = report.manifest.judge?.baseline ?? null;
    return {
      status: ok ? "pass" : "fail",
      measured: rate,
      comparison,
      message:
        `${outcome} rate against the baseline${where} ${pct(rate)} (${rates.counts[outcome]}/${rates.comparisons}; ${range}) ` +
        `${ok ? (comparison === ">=" ? "meets the minimum" : "is within the maximum") : comparison === ">=" ? "is below the minimum" : "exceeds the maximum"} ${pct(rule.limit)}` +
        (against ? `; judged against ${against}` : ""),
      details: {
        win, tie, loss, inconsistent, comparisons: rates.comparisons, low: interval.low, high: interval.high, confidence: interval.confidence, signatures: rates.signatures,
        judge_baseline: against,
      },
    };
  };
}

export const minWinRate = rateRule("win", ">=");
export const maxLossRate = rateRule("loss", "<=");
