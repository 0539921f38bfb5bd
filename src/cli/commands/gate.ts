import { gateReportFile } from "../../pipeline/gate-report.js";
import { baselineChoice, historyBaseline, isLastAccepted, recordRound, recordingStore } from "../../history/record.js";
import path from "node:path";
import type { Report } from "../../format/report.js";
import { colorsFor, terminalSummary } from "../../report/terminal.js";
import { visibleControls } from "../../util/untrusted-text.js";
import { parseCommandArgs, usageError } from "../args.js";
import { printHelp, type Command } from "../command.js";
import { ExitCode } from "../exit-code.js";

export const gate: Command = {
  summary: "apply a gate policy to a report (exit 0 when every rule holds, 1 when one fails)",
  help: `Usage: bonsai-eval gate REPORT --policy POLICY [--baseline REPORT|last-accepted] [--out DIR] [--junit FILE] [--history FILE]

Checks a report (its report.json, or the run folder holding it) against a gate
policy and exits 0 when every rule holds, 1 when any rule fails, 2 on bad
input. Rules are thresholds on the report (min_pass_rate, max_score, …) and
limits against a baseline report, normally the previous round
(no_significant_regression, max_regressions, max_decrease, max_increase).
The verdict — each rule, what was measured and the limit — is printed and
written into DIR/report.json and DIR/report.html.

  --policy FILE         the policy (YAML; schema: schemas/policy.schema.json)
  --baseline REPORT     the previous round's report.json or run folder, for the baseline rules
                        (without it those rules are skipped, unless the policy sets require_baseline);
                        last-accepted (or $BONSAI_BASELINE=last-accepted): the newest accepted round of the
                        history store with compatible settings
  --out DIR             where to write report.json and report.html with the verdict
                        (default: the folder of REPORT)
  --junit FILE          also write JUnit XML: a testcase per probe, and a "gate" testsuite
                        with a testcase per rule
  --history FILE        add the gated report to this history store as a round (default: $BONSAI_HISTORY, if set);
                        also the store last-accepted reads (else reports/history.sqlite)
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("gate", argv, {
      policy: { type: "string" },
      baseline: { type: "string" },
      out: { type: "string" },
      junit: { type: "string" },
      history: { type: "string" },
    }, true);
    if (values.help) return printHelp(gate.help);
    if (positionals.length !== 1) {
      throw usageError("gate", `expected one REPORT (a report.json or run folder), got ${positionals.length}`);
    }
    if (!values.policy) throw usageError("gate", "--policy FILE is required", "--policy");
    const choice = baselineChoice(values.baseline);
    const baseline = isLastAccepted(choice)
      ? (report: Report) => {
          const resolved = historyBaseline(values.history, report);
          process.stderr.write(`${visibleControls(resolved.note)}\n`);
          return resolved.loaded;
        }
      : choice;
    const gated = gateReportFile({ report: positionals[0]!, policy: values.policy, baseline, outDir: values.out, junit: values.junit });
    process.stdout.write(terminalSummary(gated.report, colorsFor(process.stdout), gated.outDir) + "\n");
    const store = recordingStore(values.history);
    if (store) process.stderr.write(visibleControls(recordRound(store, { path: path.join(gated.outDir, "report.json"), report: gated.report })) + "\n");
    return gated.gate.pass ? ExitCode.Ok : ExitCode.GateFailed;
  },
};
