import path from "node:path";
import { InputError } from "../../errors.js";
import { loadReport } from "../../format/report-file.js";
import { exportRounds } from "../../history/export.js";
import { HISTORY_SCHEMA_VERSION } from "../../history/schema.js";
import { acceptRound, addRound, checkLabel, getRound, listRounds, removeRound, storedReport, type RoundRow } from "../../history/rounds.js";
import { historyFile, withHistory } from "../../history/store.js";
import { historyTrend } from "../../history/trend.js";
import { writeTrend } from "../../report/trend-write.js";
import { percent } from "../../report/format.js";
import { assertWritable } from "../../util/atomic.js";
import { folderStamp } from "../../util/time.js";
import { visibleControls } from "../../util/untrusted-text.js";
import { intOption, parseCommandArgs, usageError } from "../args.js";
import { printHelp, type Command } from "../command.js";
import { ExitCode } from "../exit-code.js";

const HELP = `Usage: bonsai-eval history <add|list|show|accept|rm|export|trend> [options]

Keeps every round in one SQLite store (schema version ${HISTORY_SCHEMA_VERSION}): the last accepted round
is the baseline of --baseline last-accepted, and trends across rounds and
dataset versions are one command away.

  history add REPORT [--label L]   add a report.json (or run folder) as a round; the label defaults
                                   to the run's --label, else the model file's name
  history list                     every round, oldest first: label, model, pass rate, accepted
  history show L                   one round: model, settings, suites and pass rates
  history accept L                 mark round L as the one that shipped (a baseline for last-accepted)
  history rm L                     remove round L
  history export --out DIR         write every round back as DIR/L/report.json
  history trend [--last N] [--out DIR]
                                   write DIR/trend.html (opens from disk) and DIR/trend.md: pass rates
                                   per suite, category, language and check, corpus metrics, dataset
                                   changes, paired intervals between neighbours, flaky and broken probes

  --history FILE        the store (default: $BONSAI_HISTORY, else reports/history.sqlite)
  --label L             add: the round's label (A-Z a-z 0-9 _ . : + -)
  --out DIR             export: where to write (required); trend: default reports/trend-<time>
  --last N              trend: only the newest N rounds
`;

function roundLine(round: RoundRow): string {
  const model = visibleControls(round.model ?? "(no model)");
  const flags = [round.accepted_at ? "accepted" : "", round.complete ? "" : "incomplete", round.gate_pass === null ? "" : round.gate_pass ? "gate passed" : "gate failed"].filter(Boolean);
  return `${round.label}  ${round.created_at}  ${model}  ${percent(round.pass_rate)} (${round.passed}/${round.total})${flags.length > 0 ? `  ${flags.join(", ")}` : ""}`;
}

function needLabel(positionals: string[], action: string): string {
  if (positionals.length !== 1) throw usageError("history", `history ${action} takes one round label, got ${positionals.length}`);
  return checkLabel(positionals[0]!, "label");
}

export const history: Command = {
  summary: "keep rounds in one SQLite store: add, list, show, accept, rm, export, trend",
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("history", argv, {
      history: { type: "string" },
      label: { type: "string" },
      out: { type: "string" },
      last: { type: "string" },
    }, true);
    if (values.help) return printHelp(HELP);
    const [action, ...rest] = positionals;
    const file = historyFile(values.history);
    const write = (text: string) => process.stdout.write(text + "\n");
    switch (action) {
      case "add": {
        if (rest.length !== 1) throw new InputError(`history add takes one REPORT (a report.json or run folder), got ${rest.length}`, { field: "usage" });
        const label = values.label === undefined ? undefined : checkLabel(values.label);
        const loaded = loadReport(rest[0]!);
        const round = withHistory(file, {}, (store) => addRound(store, loaded, { label }));
        write(`added round "${round.label}" (${round.total} probes, pass rate ${percent(round.pass_rate)}) to ${file}`);
        return ExitCode.Ok;
      }
      case "list":
        withHistory(file, { create: false }, (store) => {
          const rounds = listRounds(store);
          if (rounds.length === 0) write(`no rounds in ${file}`);
          for (const round of rounds) write(roundLine(round));
        });
        return ExitCode.Ok;
      case "show": {
        const label = needLabel(rest, "show");
        withHistory(file, { create: false }, (store) => {
          const round = getRound(store, label);
          const { report } = storedReport(store, round);
          write(roundLine(round));
          write(`  kind ${round.kind}, added ${round.added_at}${round.accepted_at ? `, accepted ${round.accepted_at}` : ""}`);
          write(`  model sha256 ${round.model_sha256 ?? "—"}`);
          write(`  settings ${round.settings ? JSON.stringify(round.settings) : "— (scored from recorded outputs)"}`);
          for (const suite of round.suites) {
            const bucket = report.summary.by_suite[suite.name];
            write(`  suite ${suite.name} (${suite.probe_count} probes, sha256 ${suite.sha256.slice(0, 12)}): ${percent(bucket?.pass_rate ?? null)}`);
          }
        });
        return ExitCode.Ok;
      }
      case "accept": {
        const label = needLabel(rest, "accept");
        const round = withHistory(file, { create: false }, (store) => acceptRound(store, label));
        write(`accepted round "${round.label}" (${round.accepted_at}): --baseline last-accepted now takes it where settings match`);
        return ExitCode.Ok;
      }
      case "rm": {
        const label = needLabel(rest, "rm");
        withHistory(file, { create: false }, (store) => removeRound(store, label));
        write(`removed round "${label}" from ${file}`);
        return ExitCode.Ok;
      }
      case "export": {
        if (!values.out) throw new InputError("history export needs --out DIR", { field: "--out" });
        assertWritable(values.out, "dir", "--out");
        const written = withHistory(file, { create: false }, (store) => exportRounds(store, values.out!));
        write(`wrote ${written.length} report${written.length === 1 ? "" : "s"} under ${values.out}`);
        return ExitCode.Ok;
      }
      case "trend": {
        const last = intOption(values.last, "--last", { min: 1 });
        const outDir = values.out ?? path.join("reports", `trend-${folderStamp()}`);
        assertWritable(outDir, "dir", "--out");
        const trend = withHistory(file, { create: false }, (store) => historyTrend(store, { last }));
        const files = writeTrend(outDir, trend);
        write(`trend of ${trend.rounds.length} round${trend.rounds.length === 1 ? "" : "s"} (of ${trend.total_rounds}): ${files.html}, ${files.md}`);
        return ExitCode.Ok;
      }
      case undefined:
        throw usageError("history", "history needs an action: add, list, show, accept, rm, export or trend");
      default:
        throw new InputError(`unknown history action "${visibleControls(action)}"; actions: add, list, show, accept, rm, export, trend`, { field: "usage" });
    }
  },
};
