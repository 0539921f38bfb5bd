/**
 * `max_decrease` and `max_increase`: the pass rate, mean score or corpus score
 * shared with the baseline may fall (or rise) by at most the limit. Point
 * estimates only: no resampling.
 */
import type { CorpusComparison } from "../../format/diff.js";
import type { PolicyRule, Scope } from "../../format/policy.js";
import { recordedDirection } from "../../checks/facts.js";
import { comparePass, compareScores, corpusLabel, type CompareOptions, type Unit } from "../paired.js";
import { blamed, regressedUnits, worsenedUnits } from "./blame.js";
import { EPSILON, nothingToMeasure, num, pct, signed, type GateInputs, type RuleEvaluator } from "./rule.js";
import { compareOptions, CORPUS_NAMED, oneCorpus, meanScoreUnits, pairedUnits, scopeText } from "./scope.js";

/** Base and candidate values of the rule's metric over what both share. */
interface Change {
  label: string;
  delta: number | null;
  base: number | null;
  candidate: number | null;
  count: number;
  /** Pass rates: shown as percentages, limits as points. */
  asRate: boolean;
  corpus: CorpusComparison | null;
}

function measureChange(rule: PolicyRule, scope: Scope, units: readonly Unit[], { policy, report }: GateInputs, options: CompareOptions): Change {
  if (rule.metric === "pass_rate") {
    const pass = comparePass(units, options);
    return { label: `${scope.check ? `${scope.check} ` : ""}pass rate`, delta: pass.delta, base: pass.base_pass_rate, candidate: pass.candidate_pass_rate, count: pass.pairs, asRate: true, corpus: null };
  }
  if (rule.metric === "mean_score") {
    const cmp = compareScores(units, scope.check!, options, recordedDirection(report.summary, scope.check!, rule.better));
    return { label: `mean ${scope.check} score`, delta: cmp.delta, base: cmp.base_mean, candidate: cmp.candidate_mean, count: cmp.pairs, asRate: false, corpus: null };
  }
  const corpus = oneCorpus(rule, scope, units, policy, options);
  return {
    label: `corpus ${corpus ? corpusLabel(corpus) : scope.check}`,
    delta: corpus?.delta ?? null,
    base: corpus?.base ?? null,
    candidate: corpus?.candidate ?? null,
    count: corpus?.segments ?? 0,
    asRate: false,
    corpus,
  };
}

function maxChange(direction: "decrease" | "increase"): RuleEvaluator {
  const increase = direction === "increase";
  const comparison = increase ? "Δ <=" : "Δ >=";
  return (rule, scope, inputs) => {
    const where = scopeText(scope);
    const paired = pairedUnits(inputs.pairs, scope);
    const scored = rule.metric === "mean_score" ? meanScoreUnits(rule, scope, paired, inputs.policy, comparison) : { units: paired };
    if ("skipped" in scored) return scored.skipped;
    const units = scored.units;
    const { label, delta, base, candidate, count, asRate, corpus } = measureChange(rule, scope, units, inputs, { ...compareOptions(rule, inputs.policy), resamples: 0 });
    if (delta === null || count === 0) return nothingToMeasure(rule, `no ${label} shared with the baseline${where}`, comparison);
    const about = corpus ? scopeText(scope, CORPUS_NAMED) : where;
    const ok = increase ? delta <= rule.limit + EPSILON : delta + EPSILON >= -rule.limit;
    const shown = (value: number | null) => (value === null ? "—" : asRate ? pct(value) : num(value));
    return {
      status: ok ? "pass" : "fail",
      measured: delta,
      limit: increase ? rule.limit : -rule.limit,
      comparison,
      message: `${label}${about} ${shown(base)} → ${shown(candidate)} (${signed(delta, asRate)} over ${count} shared); ${increase ? "may rise" : "may fall"} at most ${
        asRate ? `${(rule.limit * 100).toFixed(1)} points` : num(rule.limit)
      }`,
      // A pass rate that rose too far has no probe to blame; a score is blamed on the units that moved the limited way.
      ...(ok || (rule.metric === "pass_rate" && increase)
        ? {}
        : { probes: rule.metric === "pass_rate" ? blamed("regressed", regressedUnits(units)) : blamed("worsened", worsenedUnits(units, increase ? "lower" : "higher")) }),
      details: { base, candidate, pairs: count, ...(corpus ? { signature: corpus.signature, language: corpus.language, tokenize: corpus.tokenize } : {}) },
    };
  };
}

export const maxDecrease = maxChange("decrease");
export const maxIncrease = maxChange("increase");
