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
 * `candidate`, or, with no candidate yet (before a run), the newest accepted.
 */
export function historyBaseline(flag: string | undefined, candidate: Report | null): ResolvedBaseline {
  const file = historyFile(flag);
  return withHistory(file, { create: false }, (store) => {
    const chosen = candidate ? lastAccepted(store, candidate) : newestAccepted(store);
    return { loaded: chosen.loaded, note: describeBaseline(store, chosen) };
  });
}

/** The baseline for last-accepted before a run that needs it during the run (pairwise judging): compatible with the run's settings and suites as it will record them. */
export function plannedHistoryBaseline(flag: string | undefined, candidate: RoundCandidate): ResolvedBaseline {
  return withHistory(historyFile(flag), { create: false }, (store) => {
    const chosen = lastCompatible(store, candidate);
    return { loaded: chosen.loaded, note: describeBaseline(store, chosen) };
  });
}

/**
 * The baseline pairwise judge checks compare with, for `--baseline` (or
 * $BONSAI_BASELINE): a report read now, or for last-accepted the choice the
 * run makes once its suites are loaded (plannedHistoryBaseline); null without one.
 */
export function judgeBaselineChoice(
  baseline: string | undefined,
  historyFlag: string | undefined,
): LoadedReport | ((candidate: RoundCandidate) => ResolvedBaseline) | null {
  if (baseline === undefined) return null;
  if (isLastAccepted(baseline)) return (candidate) => plannedHistoryBaseline(historyFlag, candidate);
  return loadReport(baseline);
}

/** Opens (creating) the store once before a run, so a damaged or newer store fails before the model loads, not after. */
export function checkRecordingStore(file: string): void {
  withHistory(file, {}, () => undefined);
}
