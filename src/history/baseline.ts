/**
 * `--baseline last-accepted`: the newest accepted round whose settings are
 * compatible with the round being judged (settings.ts), read from the store.
 */
import { InputError } from "../errors.js";
import type { Report } from "../format/report.js";
import type { LoadedReport } from "../format/report-file.js";
import { listRounds, storedReport, type RoundRow } from "./rounds.js";
import { roundSettings, settingsDifferences, sharesSuite, type RoundSettings } from "./settings.js";
import type { HistoryStore } from "./store.js";

export const LAST_ACCEPTED = "last-accepted";

export interface ChosenBaseline {
  round: RoundRow;
  loaded: LoadedReport;
  /** Newer accepted rounds passed over, and why. */
  skipped: Array<{ label: string; why: string }>;
}

/** Accepted rounds, newest acceptance first. */
function acceptedRounds(store: HistoryStore): RoundRow[] {
  return listRounds(store)
    .filter((round) => round.accepted_at !== null)
    .sort((a, b) => b.accepted_at!.localeCompare(a.accepted_at!) || b.id - a.id);
}

/** The newest accepted round of any settings: checked before a run, when the candidate's settings are not known yet. */
export function newestAccepted(store: HistoryStore): ChosenBaseline {
  const round = acceptedRounds(store)[0];
  if (!round) throw new InputError("--baseline last-accepted: no accepted round in the store (bonsai-eval history accept LABEL)", { file: store.file, field: "--baseline" });
  return { round, loaded: storedReport(store, round), skipped: [] };
}

/** What a baseline must be compatible with: a round's generation settings and suites (known before a run, from its options). */
export interface RoundCandidate {
  settings: RoundSettings | null;
  suites: ReadonlyArray<{ name: string }>;
}

/** The newest accepted round compatible with `candidate`; an InputError saying why each accepted round was not. */
export function lastAccepted(store: HistoryStore, candidate: Report): ChosenBaseline {
  return lastCompatible(store, { settings: roundSettings(candidate), suites: candidate.manifest.suites });
}

/** lastAccepted for a round not run yet: its settings and suites as the run will record them. */
export function lastCompatible(store: HistoryStore, candidate: RoundCandidate): ChosenBaseline {
  const { settings } = candidate;
  const skipped: ChosenBaseline["skipped"] = [];
  for (const round of acceptedRounds(store)) {
    const differences = settingsDifferences(round.settings, settings);
    if (differences.length > 0) skipped.push({ label: round.label, why: `settings differ: ${differences.join(", ")}` });
    else if (!sharesSuite(round.suites, candidate.suites)) skipped.push({ label: round.label, why: "no suite in common" });
    else return { round, loaded: storedReport(store, round), skipped };
  }
  const detail = skipped.length === 0 ? "no accepted round in the store (bonsai-eval history accept LABEL)" : `no accepted round is compatible (${skipped.map((s) => `${s.label}: ${s.why}`).join("; ")})`;
  throw new InputError(`--baseline last-accepted: ${detail}`, { file: store.file, field: "--baseline" });
}

/** "baseline: last accepted round "r17" (model r17.gguf, created …), from reports/history.sqlite" */
export function describeBaseline(store: HistoryStore, chosen: ChosenBaseline): string {
  const { round } = chosen;
  const passed = chosen.skipped.length > 0 ? `; passed over ${chosen.skipped.map((s) => `${s.label} (${s.why})`).join(", ")}` : "";
  return `baseline: last accepted round "${round.label}" (model ${round.model ?? "none"}, created ${round.created_at}, accepted ${round.accepted_at}) from ${store.file}${passed}`;
}
