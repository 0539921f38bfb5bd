/**
 * The gate: a policy's rules measured on a report (and on its pairs with a
 * baseline report). Each rule kind has its evaluator (gate-rules/); every rule
 * yields what was measured, the limit and one sentence, per scope once "*" is
 * expanded; the round passes when no rule fails. A rule at level warn that
 * does not hold is a warning: reported with its probes, never failing the round.
 */
import type { GateResult, GateRuleResult, Report } from "../format/report.js";
import { labelOf, type LoadedReport } from "../format/report-file.js";
import { isBaselineRule, ruleLabel, type Policy, type PolicyRule, type RuleKind } from "../format/policy.js";
import { RULE_DEFINITIONS } from "../format/policy-schema.js";
import type { SettingChange } from "../format/change.js";
import { RULE_EVALUATORS } from "./gate-rules/evaluators.js";
import { nothingToMeasure, type GateInputs } from "./gate-rules/rule.js";
import { expandScopes } from "./gate-rules/scope.js";
import { isMatched, pairProbes } from "./match.js";
import { invalidWarning, settingChanges } from "./settings.js";

export interface GateOptions {
  /** Absent: baseline rules are skipped and say so. */
  baseline?: LoadedReport | null;
}

/** A rule at level warn that does not hold warns instead of failing. */
function leveled(rule: PolicyRule, status: GateRuleResult["status"]): GateRuleResult["status"] {
  return status === "fail" && rule.level === "warn" ? "warn" : status;
}

function ruleResults(rule: PolicyRule, inputs: GateInputs): GateRuleResult[] {
  const baselineRule = isBaselineRule(rule);
  const unscoped = { rule: ruleLabel(rule), kind: rule.kind, line: rule.line, scope: rule.scope };
  if (baselineRule && inputs.baseline === null) {
    return [
      { ...unscoped, status: "skipped", measured: null, limit: rule.limit, comparison: "", message: "needs a baseline report (--baseline); skipped", details: {}, level: rule.level, probes: null },
    ];
  }
  const scopes = expandScopes(rule, baselineRule ? inputs.pairs.map((pair) => pair.candidate) : inputs.report.probes);
  if (scopes.length === 0) {
    const { limit: _limit, details: _details, status, ...outcome } = nothingToMeasure(rule, `no values for ${ruleLabel(rule)}`, "");
    return [{ ...unscoped, limit: rule.limit, status: leveled(rule, status), ...outcome, details: {}, level: rule.level, probes: null }];
  }
  const evaluate = RULE_EVALUATORS[rule.kind];
  return scopes.map((scope) => {
    const { limit, details, probes, status, ...outcome } = evaluate(rule, scope, inputs);
    return {
      rule: ruleLabel(rule, scope),
      kind: rule.kind,
      line: rule.line,
      scope,
      limit: limit ?? rule.limit,
      status: leveled(rule, status),
      ...outcome,
      details: details ?? {},
      level: rule.level,
      probes: status === "fail" ? (probes ?? null) : null,
    };
  });
}

/** A baseline comparison that a setting difference makes invalid (a token budget, for length and repetition) says so in its message. */
function withSettingsWarning(result: GateRuleResult, changes: readonly SettingChange[]): GateRuleResult {
  if (result.status === "skipped" || !RULE_DEFINITIONS[result.kind as RuleKind]?.baseline || result.kind === "require_same_settings") return result;
  const warning = invalidWarning(changes, result.scope.check);
  return warning === null ? result : { ...result, message: `${result.message} (${warning})` };
}

export function evaluateGate(report: Report, policy: Policy, options: GateOptions = {}): GateResult {
  const baseline = options.baseline ?? null;
  const pairs = baseline ? pairProbes(baseline.report.probes, report.probes).filter(isMatched) : [];
  const changes = baseline ? settingChanges(baseline.report, report) : [];
  const inputs: GateInputs = { report, baseline: baseline?.report ?? null, pairs, settingChanges: changes, policy };
  const results = policy.rules.flatMap((rule) => ruleResults(rule, inputs)).map((result) => withSettingsWarning(result, changes));
  const failed = results.filter((result) => result.status === "fail").length;
  const skipped = results.filter((result) => result.status === "skipped").length;
  const warned = results.filter((result) => result.status === "warn").length;
  return {
    pass: failed === 0,
    policy: { path: policy.path, sha256: policy.sha256, name: policy.name },
    baseline: baseline
      ? {
          path: baseline.path,
          created_at: baseline.report.manifest.created_at,
          label: labelOf(baseline.report.manifest),
          model: baseline.report.manifest.model?.file_name ?? null,
          model_sha256: baseline.report.manifest.model?.sha256 ?? null,
        }
      : null,
    setting_changes: changes,
    counts: { rules: results.length, passed: results.length - failed - skipped - warned, failed, skipped, warned },
    rules: results,
  };
}
