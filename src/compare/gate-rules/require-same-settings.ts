/** `require_same_settings: true`: the candidate was made with the baseline's settings, so the comparison measures the model and nothing else. */
import { changeText } from "../settings.js";
import type { RuleEvaluator } from "./rule.js";

export const requireSameSettings: RuleEvaluator = (_rule, _scope, { settingChanges }) => {
  const ok = settingChanges.length === 0;
  return {
    status: ok ? "pass" : "fail",
    measured: settingChanges.length,
    limit: 0,
    comparison: "==",
    message: ok
      ? "every recorded setting is the baseline's"
      : `${settingChanges.length} setting(s) differ from the baseline: ${settingChanges.map(changeText).join("; ")}`,
    details: { settings: settingChanges.map((change) => change.setting) },
  };
};
