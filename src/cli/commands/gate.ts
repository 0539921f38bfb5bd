import path from "node:path";
import { gateReport, loadGateInputs } from "../../pipeline/gate-report.js";
import { loadReport } from "../../format/report-file.js";
import { assertJunitPath, claimReportDir } from "../../pipeline/run-dir.js";
import { assertWritable } from "../../util/atomic.js";
import { InputError } from "../../errors.js";
import { writeJunit } from "../../report/junit.js";
import { colorsFor, terminalSummary } from "../../report/terminal.js";
import { parseCommandArgs } from "../args.js";
import { printHelp, type Command } from "../command.js";

export const gate: Command = {
  summary: "apply a gate policy to a report (exit 0 when every rule holds, 1 when one fails)",
  help: `Usage: bonsai-eval gate REPORT --policy POLICY [--baseline REPORT] [--out DIR] [--junit FILE]

Checks a report (its report.json, or the run folder holding it) against a gate
policy and exits 0 when every rule holds, 1 when any rule fails, 2 on bad
input. Rules are thresholds on the report (min_pass_rate, max_score, …) and
limits against a baseline report, normally the previous round
(no_significant_regression, max_regressions, max_decrease, max_increase).
The verdict — each rule, what was measured and the limit — is printed and
written into DIR/report.json and DIR/report.html.

  --policy FILE         the policy (YAML; schema: schemas/policy.schema.json)
  --baseline REPORT     the previous round's report.json or run folder, for the baseline rules
                        (without it those rules are skipped, unless the policy sets require_baseline)
  --out DIR             where to write report.json and report.html with the verdict
                        (default: the folder of REPORT)
  --junit FILE          also write JUnit XML: a testcase per probe, and a "gate" testsuite
                        with a testcase per rule
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("gate", argv, {
      policy: { type: "string" },
      baseline: { type: "string" },
      out: { type: "string" },
      junit: { type: "string" },
    }, true);
    if (values.help) return printHelp(gate.help);
    if (positionals.length !== 1) {
      throw new InputError(`expected one REPORT (a report.json or run folder), got ${positionals.length} (see bonsai-eval gate --help)`, { field: "usage" });
    }
    if (!values.policy) throw new InputError("--policy FILE is required (see bonsai-eval gate --help)", { field: "--policy" });
    const loaded = loadReport(positionals[0]!);
    const inputs = loadGateInputs(values.policy, values.baseline, "--policy")!;
    const outDir = values.out ?? path.dirname(loaded.path);
    // The gated report goes next to REPORT only when that is the folder's own report.json.
    assertWritable(outDir, "dir", "--out");
    claimReportDir(outDir, { reportFile: loaded.path, outputsOf: loaded.report.manifest.outputs_file ?? null });
    if (values.junit) {
      assertWritable(values.junit, "file", "--junit");
      assertJunitPath(values.junit, [outDir, path.dirname(loaded.path)]);
    }
    const verdict = gateReport(loaded.report, outDir, inputs);
    if (values.junit) writeJunit(values.junit, loaded.report);
    process.stdout.write(terminalSummary(loaded.report, colorsFor(process.stdout), outDir) + "\n");
    return verdict.pass ? 0 : 1;
  },
};
