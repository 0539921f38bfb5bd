/** `max_regressions: N`: at most N probes (or check results) shared with the baseline flip from pass to fail. */
import { comparePass } from "../paired.js";
import { blamed, regressedUnits } from "./blame.js";
import { nothingToMeasure, type RuleEvaluator } from "./rule.js";
import { compareOptions, pairedUnits, scopeText, unitNoun } from "./scope.js";

/** How many regressed probes the details list. */
const LISTED_REGRESSIONS = 50;

export const maxRegressions: RuleEvaluator = (rule, scope, { pairs, policy }) => {
  const units = pairedUnits(pairs, scope);
  const where = scopeText(scope);
  const what = unitNoun(scope);
  if (units.length === 0) return nothingToMeasure(rule, `no ${what} shared with the baseline${where}`, "<=");
  const pass = comparePass(units, compareOptions(rule, policy));
  const ok = pass.regressed <= rule.limit;
  const regressedIds = units.filter((u) => u.base.pass === true && u.candidate.pass === false).map((u) => `${u.pair.suite}/${u.pair.id}`);
  return {
    status: ok ? "pass" : "fail",
    measured: pass.regressed,
    comparison: "<=",
    message: `${pass.regressed} ${what}${where} flipped from pass to fail (${pass.fixed} fixed) of ${pass.pairs} shared; at most ${rule.limit} allowed`,
    ...(ok ? {} : { probes: blamed("regressed", regressedUnits(units)) }),
    details: { regressed: pass.regressed, fixed: pass.fixed, pairs: pass.pairs, regressed_probes: regressedIds.slice(0, LISTED_REGRESSIONS) },
  };
};
