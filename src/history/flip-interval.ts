/**
 * The paired-bootstrap interval of a pass-rate change, from the flip counts.
 * Resampling n paired probes draws each one as fixed (+1), regressed (−1) or
 * unchanged (0), so the bootstrap distribution of the mean change is that of
 * (F − R)/n with (F, R, rest) ~ Multinomial(n; f/n, r/n, rest). Computed here
 * exactly, as the limit of infinitely many resamples: no seed, and fast
 * enough for every neighbour of 200 rounds (diff draws 1,000 resamples per
 * comparison instead, which would take minutes here). Above EXACT_LIMIT
 * flips its normal limit is used; the two agree to well under a point there.
 */

const EXACT_LIMIT = 400;
/** Probabilities below this are left out of the sums. */
const NEGLIGIBLE = 1e-13;

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[n]!;
}

function logBinomial(n: number, k: number, logP: number, logQ: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * logP + (n - k) * logQ;
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * The (confidence) percentile interval of the pass-rate change over n paired
 * probes of which `fixed` went fail → pass and `regressed` pass → fail, as
 * fractions; null bounds for n = 0.
 */
export function flipInterval(n: number, fixed: number, regressed: number, confidence: number): { low: number | null; high: number | null } {
  if (n === 0) return { low: null, high: null };
  const flips = fixed + regressed;
  if (flips === 0) return { low: 0, high: 0 };
  const lowQ = (1 - confidence) / 2;
  const highQ = (1 + confidence) / 2;
  if (flips > EXACT_LIMIT) {
    const mean = (fixed - regressed) / n;
    const sd = Math.sqrt((flips / n - mean * mean) / n);
    return { low: mean + normalQuantile(lowQ) * sd, high: mean + normalQuantile(highQ) * sd };
  }
  // K = F + R ~ Binomial(n, flips/n); given K = k, F ~ Binomial(k, fixed/flips); D = 2F − k.
  const distribution = new Float64Array(2 * n + 1);
  const pFlip = flips / n;
  const pFixed = fixed / flips;
  const logFlip = Math.log(pFlip), logStay = pFlip === 1 ? -Infinity : Math.log(1 - pFlip);
  const logFixed = fixed === 0 ? -Infinity : Math.log(pFixed), logRegressed = regressed === 0 ? -Infinity : Math.log(1 - pFixed);
  const mode = Math.round(pFlip * n);
  const visitK = (k: number): boolean => {
    const pk = Math.exp(pFlip === 1 ? (k === n ? 0 : -Infinity) : logBinomial(n, k, logFlip, logStay));
    if (pk < NEGLIGIBLE) return false;
    if (fixed === 0 || regressed === 0) {
      distribution[n + (fixed === 0 ? -k : k)]! += pk;
      return true;
    }
    // From the mode of F | K = k outwards, each term from its neighbour: pmf(j+1)/pmf(j) = (k−j)/(j+1) · odds.
    const centre = Math.round(pFixed * k);
    const odds = pFixed / (1 - pFixed);
    const atCentre = pk * Math.exp(logBinomial(k, centre, logFixed, logRegressed));
    for (let j = centre, p = atCentre; j <= k && p >= NEGLIGIBLE * pk; p *= ((k - j) / (j + 1)) * odds, j++) distribution[n + 2 * j - k]! += p;
    for (let j = centre - 1, p = (atCentre * centre) / ((k - centre + 1) * odds); j >= 0 && p >= NEGLIGIBLE * pk; p *= j / ((k - j + 1) * odds), j--) distribution[n + 2 * j - k]! += p;
    return true;
  };
  for (let k = mode; k <= n && visitK(k); k++);
  for (let k = mode - 1; k >= 0 && visitK(k); k--);
  let total = 0;
  for (const p of distribution) total += p;
  const quantile = (q: number): number => {
    let cumulative = 0;
    for (let i = 0; i < distribution.length; i++) {
      cumulative += distribution[i]! / total;
      if (cumulative >= q - 1e-12) return (i - n) / n;
    }
    return 1;
  };
  return { low: quantile(lowQ), high: quantile(highQ) };
}
