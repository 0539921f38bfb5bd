/**
 * What every gate rule evaluator shares: one signature, one outcome shape, the
 * wording of numbers in messages, and the outcome of a scope with nothing in it.
 */
import type { GateRuleProbes, GateRuleResult, Report } from "../../format/report.js";
import type { Policy, PolicyRule, Scope } from "../../format/policy.js";
import type { MatchedPair } from "../match.js";
import type { SettingChange } from "../../format/change.js";

/** What one rule measured on one scope (the gate adds the rule's label, kind, line and scope). */
export interface RuleOutcome {
  status: GateRuleResult["status"];
  measured: number | null;
  /** The bound `measured` is compared with, when it is not the rule's own value (α, 0, −max_decrease). */
  limit?: number;
  comparison: string;
  message: string;
  /** The probes behind a result that does not hold (see `blamed`). */
  probes?: GateRuleProbes;
  details?: Record<string, unknown>;
}

/** What rules are measured on. */
export interface GateInputs {
  report: Report;
  /** The baseline report; null without one (baseline rules are then skipped before they are evaluated). */
  baseline: Report | null;
  /** The probes the report shares unchanged with the baseline; a baseline rule is only evaluated when there is a baseline. */
  pairs: readonly MatchedPair[];
  /** The settings that differ from the baseline's; empty without one. */
  settingChanges: readonly SettingChange[];
  policy: Policy;
}

/** One rule kind: the rule measured on one scope (wildcards already expanded). */
export type RuleEvaluator = (rule: PolicyRule, scope: Scope, inputs: GateInputs) => RuleOutcome;

/** Float comparisons of rates (5/12 vs 0.41666…) must not fail on the last bit. */
export const EPSILON = 1e-9;

export const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
export const num = (value: number) => (Number.isInteger(value) ? String(value) : Math.abs(value) >= 10 ? value.toFixed(2) : value.toFixed(4));
export const signed = (value: number, asRate: boolean) =>
  `${value > 0 ? "+" : value < 0 ? "−" : "±"}${asRate ? `${(Math.abs(value) * 100).toFixed(1)} points` : num(Math.abs(value))}`;

/** A scope with nothing to measure fails, unless the rule is optional. */
export const nothingToMeasure = (rule: PolicyRule, what: string, comparison: string): RuleOutcome => ({
  limit: undefined,
  status: rule.optional ? "skipped" : "fail",
  measured: null,
  comparison,
  message: `${what}${rule.optional ? "; optional rule skipped" : "; nothing to measure (mark the rule optional: true to allow this)"}`,
});
