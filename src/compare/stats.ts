/**
 * Paired statistics for comparing two rounds on the same probes: an exact
 * McNemar test on pass/fail flips and a seeded paired bootstrap for confidence
 * intervals on score deltas. Pure functions; the same inputs and seed give the
 * same numbers on every machine.
 */
import { mulberry32 } from "../util/random.js";
import { BOOTSTRAP_DEFAULTS } from "../format/policy-schema.js";

/** ln(n!) for n = 0…len-1, built once and extended on demand. */
const logFactorials: number[] = [0];

function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[n]!;
}

/** P(X = k) for X ~ Binomial(n, 1/2), computed in log space so n in the thousands does not underflow. */
export function binomialHalfPmf(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  return Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) - n * Math.LN2);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, 1/2). Up to n = 1000 by the recurrence
 * pmf(i+1) = pmf(i)·(n−i)/(i+1) from pmf(0) = 2^−n, which is exact for the
 * small counts a suite produces (1/32 is 0.03125, not 0.031250000000000014);
 * beyond that in log space, where 2^−n would underflow.
 */
export function binomialHalfTail(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let tail = 0;
  if (n <= 1000) {
    let pmf = Math.pow(2, -n);
    for (let i = 0; i <= k; i++) {
      tail += pmf;
      pmf = (pmf * (n - i)) / (i + 1);
    }
  } else {
    for (let i = 0; i <= k; i++) tail += binomialHalfPmf(n, i);
  }
  return Math.min(1, tail);
}

export interface McNemarResult {
  /** Pairs that passed in the base and fail in the candidate. */
  regressed: number;
  /** Pairs that failed in the base and pass in the candidate. */
  fixed: number;
  /** Discordant pairs: regressed + fixed. */
  discordant: number;
  /** Two-sided exact p-value: min(1, 2 · P(X ≤ min(regressed, fixed))), X ~ Binomial(discordant, 1/2). 1 when nothing flipped. */
  p_value: number;
}

/**
 * Exact (conditional) McNemar test: under "no change", each discordant pair is
 * equally likely to be a fix or a regression, so the smaller count is a
 * Binomial(n, 1/2) tail. Concordant pairs (still passing, still failing) carry
 * no information about the change and do not enter.
 */
export function mcnemarExact(regressed: number, fixed: number): McNemarResult {
  if (!Number.isInteger(regressed) || !Number.isInteger(fixed) || regressed < 0 || fixed < 0) {
    throw new RangeError(`mcnemarExact needs non-negative integer counts, got ${regressed} and ${fixed}`);
  }
  const n = regressed + fixed;
  if (n === 0) return { regressed, fixed, discordant: 0, p_value: 1 };
  return { regressed, fixed, discordant: n, p_value: Math.min(1, 2 * binomialHalfTail(n, Math.min(regressed, fixed))) };
}

/** Bootstrap indices are drawn with mulberry32: a seed reproduces an interval in every JavaScript engine. */
export const seededRandom = mulberry32;

/**
 * The q-quantile (0–1) of sorted values by the nearest-rank rule: the
 * ⌈q·n⌉-th smallest (the smallest for q = 0). Always one of the values, so
 * easy to check by hand.
 */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

export interface BootstrapOptions {
  /** Resamples drawn. Default 1000. */
  resamples?: number;
  /** Seed of the PRNG drawing the indices. Default 0. */
  seed?: number;
  /** Two-sided confidence level, 0–1. Default 0.95. */
  confidence?: number;
}

export interface Interval {
  /** The statistic on the observed pairs. */
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  seed: number;
}


/**
 * Paired bootstrap: draw n pair indices with replacement, `resamples` times,
 * compute `statistic` on each draw, and take the percentile interval
 * (nearest-rank quantiles (1−confidence)/2 and (1+confidence)/2). Pairs are
 * resampled together, so what varies is which probes are in the set, not how
 * the two rounds did on a probe. `statistic` receives the drawn indices.
 */
export function pairedBootstrap(
  n: number,
  statistic: (indices: Int32Array | null) => number,
  options: BootstrapOptions = {},
): Interval {
  const resamples = options.resamples ?? BOOTSTRAP_DEFAULTS.resamples;
  const seed = options.seed ?? BOOTSTRAP_DEFAULTS.seed;
  const confidence = options.confidence ?? BOOTSTRAP_DEFAULTS.confidence;
  const estimate = statistic(null);
  if (n === 0) return { estimate, low: Number.NaN, high: Number.NaN, confidence, resamples, seed };
  const random = seededRandom(seed);
  const indices = new Int32Array(n);
  const estimates: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(random() * n);
    estimates.push(statistic(indices));
  }
  estimates.sort((a, b) => a - b);
  return {
    estimate,
    low: nearestRank(estimates, (1 - confidence) / 2),
    high: nearestRank(estimates, (1 + confidence) / 2),
    confidence,
    resamples,
    seed,
  };
}

/** Bootstrap interval of the mean paired difference (candidate − base) of `deltas`. */
export function meanDeltaInterval(deltas: readonly number[], options: BootstrapOptions = {}): Interval {
  return pairedBootstrap(
    deltas.length,
    (indices) => {
      if (indices === null) return mean(deltas);
      let sum = 0;
      for (let i = 0; i < indices.length; i++) sum += deltas[indices[i]!]!;
      return sum / indices.length;
    },
    options,
  );
}
