import path from "node:path";
import { scoreOutputsFile } from "../../pipeline/score.js";
import { assertJunitPath, claimReportDir } from "../../pipeline/run-dir.js";
import { assertWritable } from "../../util/atomic.js";
import { writeJunit } from "../../report/junit.js";
import { checkRecordingStore, recordRound, recordingStore } from "../../history/record.js";
import { visibleControls } from "../../util/untrusted-text.js";
import { colorsFor, terminalSummary } from "../../report/terminal.js";
import { parseCommandArgs, runLabel, usageError } from "../args.js";
import { CHECKS_FLAG_HELP, DEFAULT_SUITES, printHelp, registryWith, type Command } from "../command.js";
import { ExitCode } from "../exit-code.js";

export const score: Command = {
  summary: "score recorded outputs (outputs.jsonl) against suites, without a model",
  help: `Usage: bonsai-eval score --outputs FILE.jsonl [--suite PATH]... --out DIR

Scores outputs recorded earlier, or produced by any other tool, and writes
DIR/report.json and DIR/report.html. Each line of FILE.jsonl is a JSON object
with at least {"suite", "id", "output"} (schema: schemas/outputs-line.schema.json).
Outputs for unknown probes and probes without output are listed in the report.
An output whose probe_hash differs from the suite's probe (the probe was edited
since) is stale: listed, status stale, not scored, unless --allow-stale. Lines
without a probe_hash (other tools) are scored and marked unverified.

  --outputs FILE        the outputs.jsonl to score
  --suite PATH          suite file or folder; repeatable (default: the bundled suites/)
  --out DIR             where to write the report (default: the outputs file's folder)
  --junit FILE          also write JUnit XML (a testcase per probe); to gate, run bonsai-eval gate on DIR
  --label NAME          name this round (default: $BONSAI_LABEL, else the label of the report beside
                        the outputs, else its model file's name, else the outputs file's folder)
  --allow-stale         score outputs generated for another version of a probe anyway (marked stale)
  --history FILE        add the report to this history store as a round (default: $BONSAI_HISTORY, if set)
${CHECKS_FLAG_HELP}
`,
  async run(argv) {
    const { values } = parseCommandArgs("score", argv, {
      history: { type: "string" },
      outputs: { type: "string" },
      suite: { type: "string", multiple: true },
      out: { type: "string" },
      checks: { type: "string", multiple: true },
      junit: { type: "string" },
      "allow-stale": { type: "boolean" },
      label: { type: "string" },
    }, false);
    if (values.help) return printHelp(score.help);
    if (!values.outputs) throw usageError("score", "--outputs FILE is required", "--outputs");
    const outDir = values.out ?? path.dirname(values.outputs);
    assertWritable(outDir, "dir", "--out");
    claimReportDir(outDir, { outputsFile: values.outputs, outputsOf: path.resolve(values.outputs) });
    if (values.junit) {
      assertWritable(values.junit, "file", "--junit");
      assertJunitPath(values.junit, [outDir, path.dirname(values.outputs)]);
    }
    const historyStore = recordingStore(values.history);
    if (historyStore) checkRecordingStore(historyStore);
    const report = await scoreOutputsFile({
      outputsFile: values.outputs,
      suitePaths: values.suite ?? [DEFAULT_SUITES],
      outDir,
      registry: await registryWith(values.checks),
      allowStale: values["allow-stale"] ?? false,
      label: runLabel(values.label),
    });
    if (values.junit) writeJunit(values.junit, report);
    process.stdout.write(terminalSummary(report, colorsFor(process.stdout), outDir) + "\n");
    if (historyStore) process.stderr.write(visibleControls(recordRound(historyStore, { path: path.join(outDir, "report.json"), report })) + "\n");
    return ExitCode.Ok;
  },
};

