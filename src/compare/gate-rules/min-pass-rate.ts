/** `min_pass_rate: 0.6`: the probes (or one check's results) in scope pass at least this often; results without a verdict do not count. */
import { blamed, failureReason } from "./blame.js";
import { EPSILON, nothingToMeasure, pct, type RuleEvaluator } from "./rule.js";
import { currentUnits, scopeText, unitNoun } from "./scope.js";

export const minPassRate: RuleEvaluator = (rule, scope, { report }) => {
  const units = currentUnits(report.probes, scope);
  const where = scopeText(scope);
  const what = unitNoun(scope);
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
    ...(ok ? {} : { probes: blamed("failing", judged.filter((unit) => !unit.pass).map((unit) => ({ probe: unit.probe, reason: failureReason(unit.probe, scope.check), value: unit.score }))) }),
    details: { passed, total: judged.length, no_verdict: units.length - judged.length },
  };
};
