import { mergeRunDirs } from "../../pipeline/merge.js";
import { colorsFor, terminalSummary } from "../../report/terminal.js";
import { assertWritable } from "../../util/atomic.js";
import path from "node:path";
import { checkRecordingStore, recordRound, recordingStore } from "../../history/record.js";
import { visibleControls } from "../../util/untrusted-text.js";
import { parseCommandArgs, usageError } from "../args.js";
import { CHECKS_FLAG_HELP, printHelp, registryWith, type Command } from "../command.js";
import { ExitCode } from "../exit-code.js";

export const merge: Command = {
  summary: "join the run directories of --shard runs into one report",
  help: `Usage: bonsai-eval merge DIR... --out DIR [--suite PATH]...

Joins the outputs of shard runs (bonsai-eval run --shard i/n) into DIR/outputs.jsonl
and scores them into one report.json and report.html, identical apart from
timings to an unsharded run. The shards must share the model, suite versions
and run settings; a missing shard leaves the report marked incomplete.

  --out DIR             where to write the merged run (required)
  --suite PATH          score against these suites (default: the suite files the shards used); outputs
                        of probes edited since are stale: listed, not scored, unless --allow-stale
  --allow-stale         score outputs generated for another version of a probe anyway (marked stale)
  --history FILE        add the merged report to this history store as a round (default: $BONSAI_HISTORY, if set)
${CHECKS_FLAG_HELP}
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("merge", argv, {
      out: { type: "string" },
      suite: { type: "string", multiple: true },
      checks: { type: "string", multiple: true },
      "allow-stale": { type: "boolean" },
      history: { type: "string" },
    }, true);
    if (values.help) return printHelp(merge.help);
    if (!values.out) throw usageError("merge", "--out DIR is required", "--out");
    assertWritable(values.out, "dir", "--out");
    const historyStore = recordingStore(values.history);
    if (historyStore) checkRecordingStore(historyStore);
    const report = await mergeRunDirs({ dirs: positionals, outDir: values.out, registry: await registryWith(values.checks), suitePaths: values.suite, allowStale: values["allow-stale"] ?? false });
    process.stdout.write(terminalSummary(report, colorsFor(process.stdout), values.out) + "\n");
    if (historyStore) process.stderr.write(visibleControls(recordRound(historyStore, { path: path.join(values.out, "report.json"), report })) + "\n");
    return ExitCode.Ok;
  },
};
