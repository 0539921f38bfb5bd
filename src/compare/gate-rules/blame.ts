/**
 * The probes behind a rule that does not hold, worst first, so a failed gate
 * says which probes to open: those that flipped from pass to fail, those whose
 * score moved the wrong way, those failing in this report, those whose score
 * is beyond a threshold.
 */
import type { Better } from "../../format/check-result.js";
import type { GateRuleProbes, ReportProbe } from "../../format/report.js";
import type { Unit } from "../paired.js";
import { num } from "./rule.js";

/** How many probes a rule result names; the rest are counted. */
export const LISTED_PROBES = 10;

/** One probe behind a result: why it counts and the value that put it there. */
export interface Blamed {
  probe: Pick<ReportProbe, "suite" | "id">;
  reason: string | null;
  value: number | null;
}

/** The first LISTED_PROBES of `entries` (already worst first) and how many there are. */
export function blamed(about: GateRuleProbes["about"], entries: readonly Blamed[]): GateRuleProbes {
  return {
    about,
    total: entries.length,
    listed: entries.slice(0, LISTED_PROBES).map(({ probe, reason, value }) => ({ suite: probe.suite, id: probe.id, reason, value })),
  };
}

/** Why a probe failed: its first failed check (of `type`, when given) and that check's reason, else its status. */
export function failureReason(probe: ReportProbe, type?: string): string {
  if (probe.status === "missing") return "no output";
  const failed = probe.checks.find((check) => check.pass === false && (type === undefined || check.type === type));
  return failed ? `${failed.type}: ${failed.details.reason}` : probe.status;
}

/** Units that passed in the baseline and fail in the candidate, in report order. */
export function regressedUnits(units: readonly Unit[]): Blamed[] {
  return units
    .filter((unit) => unit.base.pass === true && unit.candidate.pass === false)
    .map((unit) => ({ probe: unit.pair.candidate, reason: failureReason(unit.pair.candidate, unit.candidate.result?.type), value: null }));
}

/**
 * Units whose score moved against `better` (fell when higher is better), by how
 * far, worst first; the value is candidate − base. A score with no direction
 * blames the largest moves either way.
 */
export function worsenedUnits(units: readonly Unit[], better: Better): Blamed[] {
  const sign = better === "lower" ? 1 : -1;
  return units
    .filter((unit) => unit.base.score !== null && unit.candidate.score !== null)
    .map((unit) => ({ unit, delta: unit.candidate.score! - unit.base.score! }))
    .filter(({ delta }) => (better === null ? delta !== 0 : delta * sign > 0))
    .sort((a, b) => (better === null ? Math.abs(b.delta) - Math.abs(a.delta) : (b.delta - a.delta) * sign))
    .map(({ unit, delta }) => ({
      probe: unit.pair.candidate,
      reason: unit.candidate.result ? `${unit.candidate.result.type} ${num(unit.base.score!)} → ${num(unit.candidate.score!)}` : null,
      value: delta,
    }));
}
