/**
 * Pairwise judge results as a win rate: each probe whose pairwise `judge`
 * check compared this round's answer with the baseline's is one paired unit
 * (win 1 / tie / loss / inconsistent, where the two orders disagreed). The
 * win and loss rates come with a paired bootstrap interval over those probes.
 */
import type { CheckResult } from "../format/check-result.js";
import type { ReportProbe } from "../format/report.js";
import { pairedBootstrap, type BootstrapOptions, type Interval } from "./stats.js";

export const PAIRWISE_OUTCOMES = ["win", "tie", "loss", "inconsistent"] as const;
export type PairwiseOutcomeName = (typeof PAIRWISE_OUTCOMES)[number];

export interface WinRate {
  /** Probes compared (every outcome, inconsistent ones included: they are neither a win nor a loss). */
  comparisons: number;
  counts: Record<PairwiseOutcomeName, number>;
  win_rate: Interval;
  loss_rate: Interval;
  /** The judge signatures behind the outcomes (one, unless judges were mixed). */
  signatures: string[];
}

/** The outcome a pairwise judge result recorded; null for a grade result or a check error. */
export function pairwiseOutcome(result: CheckResult): PairwiseOutcomeName | null {
  if (result.type !== "judge" || result.details.mode !== "pairwise") return null;
  const outcome = result.details.outcome;
  return PAIRWISE_OUTCOMES.includes(outcome as PairwiseOutcomeName) ? (outcome as PairwiseOutcomeName) : null;
}

export function winRate(results: readonly CheckResult[], options: BootstrapOptions = {}): WinRate | null {
  const outcomes: PairwiseOutcomeName[] = [];
  const signatures = new Set<string>();
  for (const result of results) {
    const outcome = pairwiseOutcome(result);
    if (outcome === null) continue;
    outcomes.push(outcome);
    if (typeof result.details.signature === "string") signatures.add(result.details.signature);
  }
  if (outcomes.length === 0) return null;
  const counts = Object.fromEntries(PAIRWISE_OUTCOMES.map((name) => [name, outcomes.filter((o) => o === name).length])) as Record<PairwiseOutcomeName, number>;
  const rate = (name: PairwiseOutcomeName) =>
    pairedBootstrap(
      outcomes.length,
      (indices) => {
        if (indices === null) return counts[name] / outcomes.length;
        let hits = 0;
        for (let i = 0; i < indices.length; i++) if (outcomes[indices[i]!] === name) hits++;
        return hits / indices.length;
      },
      options,
    );
  return { comparisons: outcomes.length, counts, win_rate: rate("win"), loss_rate: rate("loss"), signatures: [...signatures].sort() };
}

/** The pairwise judge results of a report's probes. */
export function pairwiseResults(probes: readonly ReportProbe[]): CheckResult[] {
  return probes.flatMap((probe) => probe.checks.filter((check) => pairwiseOutcome(check) !== null));
}
