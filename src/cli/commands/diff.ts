import path from "node:path";
import { diffReports, trend } from "../../compare/diff.js";
import { loadReport } from "../../format/report-file.js";
import { InputError } from "../../errors.js";
import { diffTerminalSummary } from "../../report/diff-text.js";
import { writeDiff } from "../../report/diff-write.js";
import { colorsFor } from "../../report/terminal.js";
import { intOption, parseCommandArgs, usageError } from "../args.js";
import { printHelp, type Command } from "../command.js";
import { ExitCode } from "../exit-code.js";
import { folderStamp } from "../../util/time.js";
import { assertWritable } from "../../util/atomic.js";

function defaultOutDir(): string {
  return path.join("reports", `diff-${folderStamp()}`);
}

function alphaOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const alpha = Number(value);
  if (!/^(0?\.\d+|\d+(\.\d+)?([eE]-?\d+)?)$/.test(value) || !(alpha > 0 && alpha < 1)) {
    throw new InputError(`--alpha must be a number between 0 and 1, got "${value}"`, { field: "--alpha" });
  }
  return alpha;
}

export const diff: Command = {
  summary: "compare reports: flips, edited probes, paired statistics; writes diff.json, diff.html, diff.md",
  help: `Usage: bonsai-eval diff BASE CANDIDATE [MORE...] [--out DIR] [options]

Compares two reports (report.json files or run folders). Probes are matched by
suite and id and compared by content hash: probes added, removed or edited
between dataset versions are listed apart, and only probes both reports share
unchanged are compared — fixed, regressed, still failing, output changed (the
two outputs side by side, character differences marked). Pass rates per suite,
category, language and check come with an exact McNemar test on the flips and
paired-bootstrap intervals; mean check scores and corpus metrics (BLEU, chrF)
with paired-bootstrap intervals. So a swing of two probes on a small suite is
not called a regression.

With more than two reports (a series of rounds, oldest first), the last two are
compared in full and a trend table of pass rates across all of them is added.

Writes DIR/diff.json, DIR/diff.html (opens from disk) and DIR/diff.md (short:
for a CI job summary or a pull-request comment), and prints a summary. Exit 0
(use bonsai-eval gate to fail a build on a regression), 2 on bad input.

  --out DIR             output folder (default: reports/diff-<time>)
  --alpha A             significance level (default 0.05); intervals are at 1 − A
  --resamples N         bootstrap resamples (default 1000)
  --seed N              bootstrap seed (default 0); the same seed gives the same intervals
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("diff", argv, {
      out: { type: "string" },
      alpha: { type: "string" },
      resamples: { type: "string" },
      seed: { type: "string" },
    }, true);
    if (values.help) return printHelp(diff.help);
    if (positionals.length < 2) {
      throw usageError("diff", `expected BASE and CANDIDATE reports, got ${positionals.length}`);
    }
    const options = {
      alpha: alphaOption(values.alpha),
      resamples: intOption(values.resamples, "--resamples", { min: 0, max: 1_000_000 }),
      seed: intOption(values.seed, "--seed", { max: 4_294_967_295 }),
    };
    const outDir = values.out ?? defaultOutDir();
    assertWritable(outDir, "dir", "--out");
    const reports = positionals.map((given) => loadReport(given));
    const result = diffReports(reports[reports.length - 2]!, reports[reports.length - 1]!, options);
    if (reports.length > 2) result.trend = trend(reports, options);
    writeDiff(outDir, result);
    process.stdout.write(diffTerminalSummary(result, colorsFor(process.stdout), outDir) + "\n");
    return ExitCode.Ok;
  },
};
