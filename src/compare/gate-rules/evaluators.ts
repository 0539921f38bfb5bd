/**
 * Every gate rule kind and its evaluator. A new rule kind is a file beside
 * this one, a line here, and its key in the policy schema; the type makes a
 * kind without an evaluator a compile error.
 */
import type { RuleKind } from "../../format/policy.js";
import { maxDecrease, maxIncrease } from "./max-change.js";
import { maxRegressions } from "./max-regressions.js";
import { minPassRate } from "./min-pass-rate.js";
import { noSignificantRegression } from "./no-significant-regression.js";
import { requireComplete } from "./require-complete.js";
import { requireSameSettings } from "./require-same-settings.js";
import type { RuleEvaluator } from "./rule.js";
import { maxScore, minScore } from "./score-limit.js";
import { maxLossRate, minWinRate } from "./win-rate.js";

export const RULE_EVALUATORS: Readonly<Record<RuleKind, RuleEvaluator>> = {
  min_pass_rate: minPassRate,
  max_score: maxScore,
  min_score: minScore,
  no_significant_regression: noSignificantRegression,
  max_regressions: maxRegressions,
  max_decrease: maxDecrease,
  max_increase: maxIncrease,
  min_win_rate: minWinRate,
  max_loss_rate: maxLossRate,
  require_same_settings: requireSameSettings,
  require_complete: requireComplete,
};
