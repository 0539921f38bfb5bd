/**
 * Gating a report on disk: the policy and baseline are loaded (and rejected
 * with exit 2) before anything runs; afterwards the verdict goes into
 * report.json, report.html and, when asked, a JUnit file.
 */
import { InputError } from "../errors.js";
import type { GateResult, Report } from "../format/report.js";
import { writeReport } from "../report/write.js";
import { evaluateGate } from "../compare/gate.js";
import { loadReport, type LoadedReport } from "../format/report-file.js";
import { loadPolicy, type Policy } from "../format/policy.js";

export interface GateInputs {
  policy: Policy;
  baseline: LoadedReport | null;
}

/** Loads and validates the policy and the baseline; null when no policy was given. */
export function loadGateInputs(policyPath: string | undefined, baselinePath: string | undefined, flag = "--gate"): GateInputs | null {
  if (policyPath === undefined) {
    if (baselinePath !== undefined) throw new InputError(`--baseline needs a policy (${flag} POLICY) whose rules use it`, { field: "--baseline" });
    return null;
  }
  const policy = loadPolicy(policyPath);
  const baseline = baselinePath === undefined ? null : loadReport(baselinePath);
  if (!baseline && policy.require_baseline) {
    throw new InputError("this policy sets require_baseline: true; pass --baseline REPORT (the previous round's report.json or run folder)", {
      file: policyPath,
      field: "require_baseline",
    });
  }
  return { policy, baseline };
}

/** Evaluates the gate, stores it in the report, and rewrites report.json and report.html in `dir`. */
export function gateReport(report: Report, dir: string, inputs: GateInputs): GateResult {
  const gate = evaluateGate(report, inputs.policy, { baseline: inputs.baseline });
  report.gate = gate;
  writeReport(dir, report);
  return gate;
}
