/**
 * Pairing the probes of two reports: by suite and id, then by content hash.
 * A probe whose definition changed between dataset versions is "edited", not
 * a change in the model's behaviour; only unchanged probes are compared. A
 * probe left unscored because its output was generated for another version
 * (status stale) is "stale" and not compared either; one with no verdict on a
 * side (status scored: informational checks only) is "scored": its scores are
 * compared, its pass is not.
 */
import type { ReportProbe } from "../format/report.js";
import type { Change, Transition } from "../format/change.js";
import { probeKey } from "../format/probe-key.js";

export interface ProbePair {
  suite: string;
  id: string;
  base: ReportProbe | null;
  candidate: ReportProbe | null;
  change: Change;
  /** For probes in both reports: whether the output text differs. */
  output_changed: boolean | null;
}

/** A pair of the same, unchanged probe in both reports. */
export type MatchedPair = ProbePair & { base: ReportProbe; candidate: ReportProbe; change: Transition };

export function transition(basePass: boolean | null, candidatePass: boolean | null): Transition {
  if (basePass === null || candidatePass === null) return "scored";
  if (basePass === candidatePass) return basePass ? "still_passing" : "still_failing";
  return candidatePass ? "fixed" : "regressed";
}

/** Every probe of either report once: the candidate's order, then probes only the base has. */
export function pairProbes(base: readonly ReportProbe[], candidate: readonly ReportProbe[]): ProbePair[] {
  const byKey = new Map(base.map((probe) => [probeKey(probe), probe]));
  const seen = new Set<string>();
  const pairs: ProbePair[] = [];
  for (const probe of candidate) {
    const key = probeKey(probe);
    if (seen.has(key)) continue;
    seen.add(key);
    const before = byKey.get(key) ?? null;
    if (!before) {
      pairs.push({ suite: probe.suite, id: probe.id, base: null, candidate: probe, change: "added", output_changed: null });
      continue;
    }
    const outputChanged = before.output !== probe.output;
    const change: Change =
      before.hash !== probe.hash ? "edited" : before.status === "stale" || probe.status === "stale" ? "stale" : transition(before.pass, probe.pass);
    pairs.push({ suite: probe.suite, id: probe.id, base: before, candidate: probe, change, output_changed: outputChanged });
  }
  for (const probe of base) {
    const key = probeKey(probe);
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push({ suite: probe.suite, id: probe.id, base: probe, candidate: null, change: "removed", output_changed: null });
  }
  return pairs;
}

/** Marks every probe of the candidate with its change against the baseline (`ReportProbe.change`), so each surface can say whether a failure is new. */
export function markChanges(candidate: readonly ReportProbe[], baseline: readonly ReportProbe[]): void {
  const changes = new Map(pairProbes(baseline, candidate).map((pair) => [pair.candidate, pair.change]));
  for (const probe of candidate) probe.change = changes.get(probe) ?? "added";
}

export function isMatched(pair: ProbePair): pair is MatchedPair {
  return pair.base !== null && pair.candidate !== null && pair.change !== "edited" && pair.change !== "stale";
}

/** The probe fields that differ between two versions of a probe (the hash also covers checks' parameters and generation settings). */
export function editedFields(base: ReportProbe, candidate: ReportProbe): string[] {
  const fields: string[] = [];
  if (base.prompt !== candidate.prompt) fields.push("prompt");
  if (base.system !== candidate.system) fields.push("system");
  if (JSON.stringify(base.expected) !== JSON.stringify(candidate.expected)) fields.push("expected");
  if (base.category !== candidate.category) fields.push("category");
  if (base.language !== candidate.language) fields.push("language");
  if (JSON.stringify(base.choices ?? []) !== JSON.stringify(candidate.choices ?? [])) fields.push("choices");
  if ((base.answer ?? null) !== (candidate.answer ?? null)) fields.push("answer");
  if ((base.text ?? null) !== (candidate.text ?? null)) fields.push("text");
  const types = (probe: ReportProbe) => probe.checks.map((check) => check.type).join(",");
  if (base.status !== "missing" && candidate.status !== "missing" && types(base) !== types(candidate)) fields.push("checks");
  if (fields.length === 0) fields.push("checks or generation settings");
  return fields;
}
