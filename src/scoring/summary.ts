import { corpusScores, scoreUnit } from "../metrics/index.js";
import { NORMALIZATIONS } from "../checks/choice.js";
import { textMetrics } from "../checks/perplexity.js";
import type { Bucket, CheckBucket, ChoiceAccuracy, CorpusMetric, PerplexitySummary, ReportProbe, SamplingSummary, ScoreMean, Summary } from "../format/report.js";

function emptyBucket(): Bucket {
  return { total: 0, passed: 0, failed: 0, no_verdict: 0, pass_rate: null };
}

/** Counts one verdict; null (informational, scored, stale) is counted but stays out of the rate. */
function add(bucket: Bucket, pass: boolean | null): void {
  bucket.total++;
  if (pass === true) bucket.passed++;
  else if (pass === false) bucket.failed++;
  else bucket.no_verdict++;
  const judged = bucket.passed + bucket.failed;
  bucket.pass_rate = judged === 0 ? null : bucket.passed / judged;
}

function addTo(buckets: Record<string, Bucket>, key: string, pass: boolean | null): void {
  add((buckets[key] ??= emptyBucket()), pass);
}

/**
 * Counts and pass rates overall and by suite, category, language and check
 * type; probes and results without a verdict are counted apart and left out of
 * the rates. Missing outputs and errors count as failures. Means and corpus
 * scores are kept per language and unit.
 */
export function summarize(probes: ReportProbe[]): Summary {
  const summary: Summary = {
    total: 0, passed: 0, failed: 0, scored: 0, stale: 0, missing: 0, errors: 0, unverified: 0, pass_rate: null,
    by_suite: {}, by_category: {}, by_language: {}, by_check: {}, corpus_metrics: {},
    choice_accuracy: choiceAccuracy(probes), perplexity: perplexitySummary(probes), sampling: samplingSummary(probes),
  };
  const means = new Map<string, { type: string; mean: ScoreMean; sum: number }>();
  for (const probe of probes) {
    summary.total++;
    if (probe.pass === true) summary.passed++;
    else if (probe.pass === false) summary.failed++;
    if (probe.status === "scored") summary.scored++;
    if (probe.status === "stale") summary.stale++;
    if (probe.status === "missing") summary.missing++;
    if (probe.status === "error") summary.errors++;
    if (probe.output_version === "unverified") summary.unverified++;
    addTo(summary.by_suite, probe.suite, probe.pass);
    addTo(summary.by_category, probe.category, probe.pass);
    addTo(summary.by_language, probe.language, probe.pass);
    for (const check of probe.checks) {
      add((summary.by_check[check.type] ??= { ...emptyBucket(), means: [] }) as CheckBucket, check.pass);
      if (typeof check.score !== "number" || !Number.isFinite(check.score)) continue;
      const unit = scoreUnit(check);
      const key = JSON.stringify([check.type, probe.language, unit]);
      let group = means.get(key);
      if (!group) {
        group = { type: check.type, mean: { language: probe.language, unit, results: 0, mean: 0 }, sum: 0 };
        means.set(key, group);
        summary.by_check[check.type]!.means.push(group.mean);
      }
      group.sum += check.score;
      group.mean.results++;
      group.mean.mean = group.sum / group.mean.results;
    }
  }
  const judged = summary.passed + summary.failed;
  summary.pass_rate = judged === 0 ? null : summary.passed / judged;
  for (const suite of Object.keys(summary.by_suite)) {
    const results = probes.filter((probe) => probe.suite === suite).flatMap((probe) => probe.checks.map((check) => ({ ...check, language: probe.language })));
    const corpus: CorpusMetric[] = corpusScores(results).map(({ type, language, tokenize, score, segments, signature }) => ({ type, language, tokenize, score, segments, signature }));
    if (corpus.length > 0) summary.corpus_metrics[suite] = corpus;
  }
  return summary;
}

function choiceAccuracy(probes: ReportProbe[]): ChoiceAccuracy | null {
  const corrects = probes.flatMap((probe) => probe.checks.filter((check) => check.type === "choice" && check.details.correct).map((check) => check.details.correct as Record<string, boolean>));
  if (corrects.length === 0) return null;
  const rate = (normalization: string) => corrects.filter((correct) => correct[normalization]).length / corrects.length;
  const [raw, perToken, perChar] = NORMALIZATIONS.map(rate) as [number, number, number];
  return { probes: corrects.length, raw, per_token: perToken, per_char: perChar };
}

/** One likelihood total per language: bits per character of Japanese and of English are not one number. */
function perplexitySummary(probes: ReportProbe[]): PerplexitySummary[] | null {
  const totals = new Map<string, { texts: number; logprob: number; tokens: number; chars: number; bytes: number }>();
  for (const probe of probes) {
    const text = probe.likelihood;
    if (text?.kind !== "perplexity") continue;
    const total = totals.get(probe.language) ?? totals.set(probe.language, { texts: 0, logprob: 0, tokens: 0, chars: 0, bytes: 0 }).get(probe.language)!;
    total.texts++;
    total.logprob += text.logprob;
    total.tokens += text.tokens;
    total.chars += text.chars;
    total.bytes += text.bytes;
  }
  if (totals.size === 0) return null;
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([language, total]) => ({
      language,
      texts: total.texts,
      tokens: total.tokens,
      chars: total.chars,
      bytes: total.bytes,
      ...textMetrics(total.logprob, total.tokens, total.chars, total.bytes),
    }));
}

function samplingSummary(probes: ReportProbe[]): SamplingSummary | null {
  const sampled = probes.map((probe) => probe.samples).filter((samples) => samples !== null);
  if (sampled.length === 0) return null;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    probes: sampled.length,
    pass_at_k: sampled.filter((samples) => samples.pass_at_k).length / sampled.length,
    mean_pass_rate: mean(sampled.map((samples) => samples.pass_rate)),
    mean_agreement: mean(sampled.map((samples) => samples.agreement)),
  };
}
