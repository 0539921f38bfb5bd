/** `require_complete: true`: the run finished, and every probe has an output. */
import { blamed } from "./blame.js";
import type { RuleEvaluator } from "./rule.js";

export const requireComplete: RuleEvaluator = (_rule, _scope, { report }) => {
  const missing = report.summary.missing;
  const ok = report.manifest.complete && missing === 0;
  return {
    status: ok ? "pass" : "fail",
    measured: missing,
    limit: 0,
    comparison: "==",
    message: ok
      ? "the run is complete: every probe has an output"
      : `${report.manifest.complete ? "" : "the run was interrupted; "}${missing} probe(s) have no output (limit 0)`,
    ...(ok ? {} : { probes: blamed("missing", report.probes.filter((probe) => probe.status === "missing").map((probe) => ({ probe, reason: "no output", value: null }))) }),
    details: { complete: report.manifest.complete, missing },
  };
};
