/**
 * `no_significant_regression: true`: the candidate is not significantly worse
 * than the baseline on what they share: an exact McNemar test on pass/fail
 * flips, or a paired bootstrap interval of a mean or corpus score.
 */
import { recordedDirection } from "../../checks/facts.js";
import { comparePass, compareScores, corpusLabel, type Unit } from "../paired.js";
import type { PolicyRule, Scope } from "../../format/policy.js";
import { blamed, regressedUnits, worsenedUnits } from "./blame.js";
import { nothingToMeasure, num, signed, type GateInputs, type RuleEvaluator, type RuleOutcome } from "./rule.js";
import { compareOptions, CORPUS_NAMED, oneCorpus, meanScoreUnits, pairedUnits, scopeText, unitNoun } from "./scope.js";

export const noSignificantRegression: RuleEvaluator = (rule, scope, inputs) => {
  const units = pairedUnits(inputs.pairs, scope);
  return rule.metric === "pass_rate" ? passRegression(rule, scope, units, inputs) : scoreRegression(rule, scope, units, inputs);
};

function passRegression(rule: PolicyRule, scope: Scope, units: readonly Unit[], { policy }: GateInputs): RuleOutcome {
  const where = scopeText(scope);
  const what = unitNoun(scope);
  if (units.length === 0) return nothingToMeasure(rule, `no ${what} shared with the baseline${where}`, ">=");
  const pass = comparePass(units, compareOptions(rule, policy));
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
    ...(significant ? { probes: blamed("regressed", regressedUnits(units)) } : {}),
    details: { ...pass, alpha: rule.alpha, test: "exact McNemar (two-sided)" },
  };
}

function scoreRegression(rule: PolicyRule, scope: Scope, paired: readonly Unit[], { policy, report }: GateInputs): RuleOutcome {
  const where = scopeText(scope);
  const options = compareOptions(rule, policy);
  const check = scope.check!;
  const scored = rule.metric === "mean_score" ? meanScoreUnits(rule, scope, paired, policy, "CI not below 0") : { units: paired };
  if ("skipped" in scored) return scored.skipped;
  const units = scored.units;
  const better = recordedDirection(report.summary, check, rule.better);
  const cmp = rule.metric === "mean_score" ? compareScores(units, check, options, better) : oneCorpus(rule, scope, units, policy, options);
  const count = cmp === null ? 0 : "pairs" in cmp ? cmp.pairs : cmp.segments;
  if (cmp === null || count === 0 || cmp.delta === null) return nothingToMeasure(rule, `no paired ${check} scores${where}`, "CI not below 0");
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
    ...(significant ? { probes: blamed("worsened", worsenedUnits(units, better)) } : {}),
    details: { ...cmp, alpha: rule.alpha, test: "paired bootstrap (percentile)", resamples: options.resamples, seed: options.seed },
  };
}
