/**
 * Paired comparisons of two rounds on the probes they share unchanged: pass
 * rates with an exact McNemar test, mean scores and corpus scores with paired
 * bootstrap intervals. Used by both the diff and the gate.
 */
import type { CheckResult } from "../format/check-result.js";
import { corpusGroupKey, corpusScores, scoreUnit, type CorpusScore } from "../metrics/index.js";
import type { Better } from "../format/check-result.js";
import type { MatchedPair } from "./match.js";
import { mcnemarExact, meanDeltaInterval, mean, pairedBootstrap, type BootstrapOptions } from "./stats.js";
import type { CorpusComparison, Interval, PassComparison, ScoreComparison, Verdict } from "../format/diff.js";

export interface CompareOptions {
  /** Significance level: a change counts when p < alpha, or when the (1 − alpha) interval excludes 0. */
  alpha: number;
  resamples: number;
  seed: number;
}

/**
 * Fewest pairs a bootstrap interval is read from: resampling one or two pairs
 * gives an interval as narrow as the pairs are alike, which says nothing
 * about noise.
 */
export const MIN_BOOTSTRAP_PAIRS = 5;

/** One compared unit: a probe (its overall pass) or one check result of a probe. pass null: no verdict (informational). */
export interface Unit {
  pair: MatchedPair;
  base: { pass: boolean | null; score: number | null; result: CheckResult | null };
  candidate: { pass: boolean | null; score: number | null; result: CheckResult | null };
}

/** The probes themselves as units (pass = the probe passed; missing output counts as failed). */
export function probeUnits(pairs: readonly MatchedPair[]): Unit[] {
  return pairs.map((pair) => ({
    pair,
    base: { pass: pair.base.pass, score: null, result: null },
    candidate: { pass: pair.candidate.pass, score: null, result: null },
  }));
}

const numeric = (score: number | null): number | null => (typeof score === "number" && Number.isFinite(score) ? score : null);

/** The results of one check type, the k-th of that type in the base paired with the k-th in the candidate. */
export function checkUnits(pairs: readonly MatchedPair[], type: string): Unit[] {
  const units: Unit[] = [];
  for (const pair of pairs) {
    const before = pair.base.checks.filter((check) => check.type === type);
    const after = pair.candidate.checks.filter((check) => check.type === type);
    for (let k = 0; k < Math.min(before.length, after.length); k++) {
      const b = before[k]!;
      const c = after[k]!;
      units.push({
        pair,
        base: { pass: b.pass, score: numeric(b.score), result: b },
        candidate: { pass: c.pass, score: numeric(c.score), result: c },
      });
    }
  }
  return units;
}

/** Check units split by whether both rounds measured the score in one unit (one judge and rubric, one tokenizer, chars or words). */
export interface ScoreUnitSplit {
  /** The units whose base score is in the candidate's unit: the only ones a mean delta may be read from. */
  same: Unit[];
  /** Each distinct pair of units met where they differ, base first. */
  mismatched: Array<{ base: string | null; candidate: string | null }>;
}

/**
 * Keeps the units whose base result was measured in the candidate's unit
 * (`scoreUnit`): a judge's 1–5 rubric against another's 0–10 scale, or
 * lengths in chars against words, is no delta. Used by the diff's score table
 * and by every gate rule on a mean score.
 */
export function sameScoreUnit(units: readonly Unit[]): ScoreUnitSplit {
  const same: Unit[] = [];
  const mismatched = new Map<string, { base: string | null; candidate: string | null }>();
  for (const unit of units) {
    const base = unit.base.result ? scoreUnit(unit.base.result) : null;
    const candidate = unit.candidate.result ? scoreUnit(unit.candidate.result) : null;
    if (base === candidate) same.push(unit);
    else mismatched.set(JSON.stringify([base, candidate]), { base, candidate });
  }
  return { same, mismatched: [...mismatched.values()] };
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

function bootstrapOptions(options: CompareOptions): BootstrapOptions {
  return { resamples: options.resamples, seed: options.seed, confidence: 1 - options.alpha };
}

/** Pass rates and flips over the units with a verdict on both sides; a unit without one (informational) is no pass and no fail. */
export function comparePass(all: readonly Unit[], options: CompareOptions): PassComparison {
  const units = all.filter((unit) => unit.base.pass !== null && unit.candidate.pass !== null);
  let basePassed = 0, candidatePassed = 0, fixed = 0, regressed = 0, stillFailing = 0, stillPassing = 0;
  const deltas: number[] = [];
  for (const unit of units) {
    const b = unit.base.pass!, c = unit.candidate.pass!;
    if (b) basePassed++;
    if (c) candidatePassed++;
    if (b && c) stillPassing++;
    else if (!b && !c) stillFailing++;
    else if (c) fixed++;
    else regressed++;
    deltas.push(Number(c) - Number(b));
  }
  const n = units.length;
  const { p_value } = mcnemarExact(regressed, fixed);
  const interval = meanDeltaInterval(deltas, bootstrapOptions(options));
  const verdict: Verdict = n === 0 ? "no data" : p_value < options.alpha ? (fixed > regressed ? "improved" : "regressed") : "no significant change";
  return {
    pairs: n,
    base_passed: basePassed,
    candidate_passed: candidatePassed,
    base_pass_rate: n === 0 ? null : basePassed / n,
    candidate_pass_rate: n === 0 ? null : candidatePassed / n,
    delta: n === 0 ? null : (candidatePassed - basePassed) / n,
    fixed,
    regressed,
    still_failing: stillFailing,
    still_passing: stillPassing,
    p_value,
    ci: { low: finite(interval.low), high: finite(interval.high) },
    verdict,
  };
}

/** Whether an interval of (candidate − base) lies wholly on one side of 0, read in the score's direction. */
function intervalVerdict(ci: Interval, better: Better, pairs: number): Verdict {
  if (pairs === 0 || ci.low === null || ci.high === null) return "no data";
  if (pairs < MIN_BOOTSTRAP_PAIRS) return "too few pairs";
  const above = ci.low > 0;
  const below = ci.high < 0;
  if (!above && !below) return "no significant change";
  if (better === null) return "changed";
  return above === (better === "higher") ? "improved" : "regressed";
}

/** Mean scores of paired units; `better` (the check's direction, from the report's facts) reads the interval as improved or regressed. */
export function compareScores(units: readonly Unit[], check: string, options: CompareOptions, better: Better): ScoreComparison {
  const direction = better;
  const base: number[] = [];
  const candidate: number[] = [];
  for (const unit of units) {
    if (unit.base.score === null || unit.candidate.score === null) continue;
    base.push(unit.base.score);
    candidate.push(unit.candidate.score);
  }
  const deltas = candidate.map((value, i) => value - base[i]!);
  const interval = meanDeltaInterval(deltas, bootstrapOptions(options));
  const ci = { low: finite(interval.low), high: finite(interval.high) };
  return {
    check,
    better: direction,
    pairs: deltas.length,
    base_mean: finite(mean(base)),
    candidate_mean: finite(mean(candidate)),
    delta: finite(interval.estimate),
    ci,
    verdict: intervalVerdict(ci, direction, deltas.length),
  };
}

const withLanguage = (result: CheckResult, language: string) => ({ ...result, language });

/** The one corpus score of results already grouped by `corpusGroupKey`. */
function groupScore(results: ReadonlyArray<CheckResult & { language: string }>): CorpusScore {
  return corpusScores(results)[0]!;
}

/**
 * Corpus metrics (BLEU, chrF… from summed segment statistics) on the paired
 * segments, one comparison per corpus: segments of another language or
 * computed another way (tokenizer, smoothing…) are another corpus, never
 * summed together. A segment counts when both rounds scored it in the same
 * corpus. Each comparison has a paired bootstrap that resamples segments and
 * recomputes both corpus scores, as sacreBLEU's paired bootstrap does.
 * Corpus scores (BLEU, chrF, token F1) improve upward unless `better` says otherwise.
 */
export function compareCorpus(units: readonly Unit[], check: string, options: CompareOptions, better: Better = "higher"): CorpusComparison[] {
  const groups = new Map<string, { base: Array<CheckResult & { language: string }>; candidate: Array<CheckResult & { language: string }> }>();
  for (const unit of units) {
    const before = unit.base.result, after = unit.candidate.result;
    if (!before || !after) continue;
    const b = withLanguage(before, unit.pair.base.language);
    const c = withLanguage(after, unit.pair.candidate.language);
    const key = corpusGroupKey(c);
    if (key === null || key !== corpusGroupKey(b)) continue;
    const group = groups.get(key) ?? groups.set(key, { base: [], candidate: [] }).get(key)!;
    group.base.push(b);
    group.candidate.push(c);
  }
  return [...groups.values()].map(({ base, candidate }) => {
    const before = groupScore(base);
    const after = groupScore(candidate);
    const interval = pairedBootstrap(
      base.length,
      (indices) => {
        if (indices === null) return after.score - before.score;
        const b: Array<CheckResult & { language: string }> = [];
        const c: Array<CheckResult & { language: string }> = [];
        for (let i = 0; i < indices.length; i++) {
          b.push(base[indices[i]!]!);
          c.push(candidate[indices[i]!]!);
        }
        return groupScore(c).score - groupScore(b).score;
      },
      bootstrapOptions(options),
    );
    const ci = { low: finite(interval.low), high: finite(interval.high) };
    return {
      check,
      language: after.language,
      tokenize: after.tokenize,
      segments: base.length,
      base: before.score,
      candidate: after.score,
      delta: after.score - before.score,
      ci,
      signature: after.signature,
      verdict: intervalVerdict(ci, better, base.length),
    };
  });
}

/** "bleu (en, tok 13a)": which corpus a comparison is about. */
export function corpusLabel(corpus: Pick<CorpusComparison, "check" | "language" | "tokenize">): string {
  const parts = [corpus.language ?? "any language", ...(corpus.tokenize ? [`tok ${corpus.tokenize}`] : [])];
  return `${corpus.check} (${parts.join(", ")})`;
}
