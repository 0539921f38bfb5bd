/**
 * What run, score, merge and gate do with the store: add their report as a
 * round when --history FILE or $BONSAI_HISTORY names one, and resolve
 * `--baseline last-accepted` (or $BONSAI_BASELINE=last-accepted) from it.
 */
import type { Report } from "../format/report.js";
import { loadReport, type LoadedReport } from "../format/report-file.js";
import { describeBaseline, LAST_ACCEPTED, lastAccepted, lastCompatible, newestAccepted, type RoundCandidate } from "./baseline.js";
import { addRound } from "./rounds.js";
import { historyFile, withHistory } from "./store.js";

/** The store run/score/merge/gate add to: --history, else $BONSAI_HISTORY; null when neither is set. */
export function recordingStore(flag: string | undefined): string | null {
  return flag ?? (process.env.BONSAI_HISTORY || null);
}

/** The --baseline value: the flag, else last-accepted when $BONSAI_BASELINE says so (its other values are report paths for npm test against a checkpoint). */
export function baselineChoice(flag: string | undefined): string | undefined {
  return flag ?? (process.env.BONSAI_BASELINE === LAST_ACCEPTED ? LAST_ACCEPTED : undefined);
}

export const isLastAccepted = (baseline: string | undefined): boolean => baseline === LAST_ACCEPTED;

/** Adds the report as a round; returns the line saying so. */
export function recordRound(file: string, loaded: LoadedReport): string {
  const round = withHistory(file, {}, (store) => addRound(store, loaded));
  return `history: added round "${round.label}" to ${file}`;
}

export interface ResolvedBaseline {
  loaded: LoadedReport;
  /** "baseline: last accepted round …": which round was taken, for stderr. */
  note: string;
}

/**
 * The baseline for last-accepted from the store (--history, $BONSAI_HISTORY,
 * else reports/history.sqlite): the newest accepted round compatible with
 * `candidate` (a report, or a round not run yet: its settings and suites as
 * the run will record them), or, with no candidate yet, the newest accepted.
 */
export function historyBaseline(flag: string | undefined, candidate: Report | RoundCandidate | null): ResolvedBaseline {
  return withHistory(historyFile(flag), { create: false }, (store) => {
    const chosen = candidate === null ? newestAccepted(store) : "manifest" in candidate ? lastAccepted(store, candidate) : lastCompatible(store, candidate);
    return { loaded: chosen.loaded, note: describeBaseline(store, chosen) };
  });
}

/**
 * The gate's last-accepted baseline once a run is done: the round its pairwise
 * judging compared with, when it did (one round for both), else the newest
 * accepted round compatible with the report.
 */
export function gateBaselineAfterRun(flag: string | undefined, run: { report: Report; judgeBaseline: LoadedReport | null }): ResolvedBaseline {
  if (run.judgeBaseline) {
    return { loaded: run.judgeBaseline, note: `baseline: the gate compares with the round pairwise judging compared with (${run.judgeBaseline.path})` };
  }
  return historyBaseline(flag, run.report);
}

/**
 * The baseline pairwise judge checks compare with, for `--baseline` (or
 * $BONSAI_BASELINE): a report read now, or for last-accepted the choice the
 * run makes once its suites are loaded (historyBaseline); null without one.
 */
export function judgeBaselineChoice(
  baseline: string | undefined,
  historyFlag: string | undefined,
): LoadedReport | ((candidate: RoundCandidate) => ResolvedBaseline) | null {
  if (baseline === undefined) return null;
  if (isLastAccepted(baseline)) return (candidate) => historyBaseline(historyFlag, candidate);
  return loadReport(baseline);
}

/** Opens (creating) the store once before a run, so a damaged or newer store fails before the model loads, not after. */
export function checkRecordingStore(file: string): void {
  withHistory(file, {}, () => undefined);
}
