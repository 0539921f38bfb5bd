/**
 * The words every surface (terminal, report page, JUnit, diff.md, checkpoint
 * tests) uses for what triage records: a probe's change against the baseline,
 * and the probes behind a gate rule.
 */
import type { Change } from "../format/change.js";
import type { GateRuleProbes } from "../format/report.js";

const CHANGE_WORDS: Record<Change, string> = {
  regressed: "regressed",
  fixed: "fixed",
  still_failing: "still failing",
  still_passing: "still passing",
  scored: "no verdict on one side",
  edited: "edited",
  stale: "stale",
  added: "new",
  removed: "removed",
};

/** "still failing", "new": a probe's change against the baseline. */
export function changeWords(change: Change): string {
  return CHANGE_WORDS[change];
}

/** What a rule's probes are, as a heading: "regressed (3)". */
export function blamedHeading(probes: GateRuleProbes): string {
  const what = { regressed: "regressed", worsened: "score worsened", failing: "failing", worst: "beyond the limit", missing: "no output" }[probes.about];
  return `${what} (${probes.total})`;
}
