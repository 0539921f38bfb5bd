/**
 * Gating a report: the policy and the baseline are loaded (and rejected with
 * exit 2) before anything runs or is written; the verdict then goes into
 * report.json, report.html and, when asked, a JUnit file.
 */
import path from "node:path";
import { InputError } from "../errors.js";
import type { GateResult, Report } from "../format/report.js";
import { writeJunit } from "../report/junit.js";
import { writeReport } from "../report/write.js";
import { evaluateGate } from "../compare/gate.js";
import { markChanges } from "../compare/match.js";
import { loadReport, type LoadedReport } from "../format/report-file.js";
import { loadPolicy, type Policy } from "../format/policy.js";
import { assertWritable } from "../util/atomic.js";
import { assertJunitPath, claimReportDir } from "./run-dir.js";

export interface GateInputs {
  policy: Policy;
  baseline: LoadedReport | null;
}

/** Loads and validates the policy and the baseline (a path, or a report already read: the history's last accepted round); null when no policy was given. */
export function loadGateInputs(policyPath: string | undefined, baselinePath: string | LoadedReport | undefined, flag = "--gate"): GateInputs | null {
  if (policyPath === undefined) {
    if (baselinePath !== undefined) throw new InputError(`--baseline needs a policy (${flag} POLICY) whose rules use it`, { field: "--baseline" });
    return null;
  }
  const policy = loadPolicy(policyPath);
  const baseline = baselinePath === undefined ? null : typeof baselinePath === "string" ? loadReport(baselinePath) : baselinePath;
  if (!baseline && policy.require_baseline) {
    throw new InputError("this policy sets require_baseline: true; pass --baseline REPORT (the previous round's report.json or run folder)", {
      file: policyPath,
      field: "require_baseline",
    });
  }
  return { policy, baseline };
}

/** Evaluates the gate, stores the verdict in the report, and rewrites report.json and report.html in `dir`. */
export function applyGate(report: Report, dir: string, inputs: GateInputs): GateResult {
  if (inputs.baseline) markChanges(report.probes, inputs.baseline.report.probes);
  const gate = evaluateGate(report, inputs.policy, { baseline: inputs.baseline });
  report.gate = gate;
  writeReport(dir, report);
  return gate;
}

export interface GateReportFileOptions {
  /** A report.json, or the run folder holding it. */
  report: string;
  policy: string;
  /** A path, or the baseline chosen for the report once it is read (--baseline last-accepted). */
  baseline?: string | ((report: Report) => LoadedReport);
  /** Where the gated report goes; default: the folder of `report`. */
  outDir?: string;
  junit?: string;
}

export interface GatedReport {
  report: Report;
  outDir: string;
  gate: GateResult;
}

/** `bonsai-eval gate`: read the report and the gate's inputs, check where the verdict may go, gate, write. */
export function gateReportFile(options: GateReportFileOptions): GatedReport {
  const loaded = loadReport(options.report);
  const baseline = typeof options.baseline === "function" ? options.baseline(loaded.report) : options.baseline;
  const inputs = loadGateInputs(options.policy, baseline, "--policy")!;
  const outDir = options.outDir ?? path.dirname(loaded.path);
  assertWritable(outDir, "dir", "--out");
  // The gated report goes next to REPORT only when that is the folder's own report.json.
  claimReportDir(outDir, { reportFile: loaded.path, outputsOf: loaded.report.manifest.outputs_file ?? null });
  if (options.junit !== undefined) {
    assertWritable(options.junit, "file", "--junit");
    assertJunitPath(options.junit, [outDir, path.dirname(loaded.path)]);
  }
  const gate = applyGate(loaded.report, outDir, inputs);
  if (options.junit !== undefined) writeJunit(options.junit, loaded.report);
  return { report: loaded.report, outDir, gate };
}
