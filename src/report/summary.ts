import { corpusScores } from "../metrics/index.js";
import { NORMALIZATIONS } from "../checks/choice.js";
import { textMetrics } from "../checks/perplexity.js";
import type { Bucket, CheckBucket, ChoiceAccuracy, CorpusMetric, PerplexitySummary, ReportProbe, SamplingSummary, Summary } from "./types.js";

function emptyBucket(): Bucket {
  return { total: 0, passed: 0, failed: 0, pass_rate: 0 };
}

function add(bucket: Bucket, pass: boolean): void {
  bucket.total++;
  if (pass) bucket.passed++;
  else bucket.failed++;
  bucket.pass_rate = bucket.passed / bucket.total;
}

function addTo(buckets: Record<string, Bucket>, key: string, pass: boolean): void {
  add((buckets[key] ??= emptyBucket()), pass);
}

/** Counts and pass rates overall and by suite, category, language and check type. Missing outputs count as failures. */
export function summarize(probes: ReportProbe[]): Summary {
  const summary: Summary = {
    total: 0, passed: 0, failed: 0, missing: 0, errors: 0, pass_rate: 0,
    by_suite: {}, by_category: {}, by_language: {}, by_check: {}, corpus_metrics: {},
    choice_accuracy: choiceAccuracy(probes), perplexity: perplexitySummary(probes), sampling: samplingSummary(probes),
  };
  const scoreSums: Record<string, { sum: number; count: number }> = {};
  for (const probe of probes) {
    summary.total++;
    if (probe.pass) summary.passed++;
    else summary.failed++;
    if (probe.status === "missing") summary.missing++;
    if (probe.status === "error") summary.errors++;
    addTo(summary.by_suite, probe.suite, probe.pass);
    addTo(summary.by_category, probe.category, probe.pass);
    addTo(summary.by_language, probe.language, probe.pass);
    for (const check of probe.checks) {
      const bucket = (summary.by_check[check.type] ??= { ...emptyBucket(), mean_score: null }) as CheckBucket;
      add(bucket, check.pass);
      if (typeof check.score === "number" && Number.isFinite(check.score)) {
        const sums = (scoreSums[check.type] ??= { sum: 0, count: 0 });
        sums.sum += check.score;
        sums.count++;
        bucket.mean_score = sums.sum / sums.count;
      }
    }
  }
  summary.pass_rate = summary.total === 0 ? 0 : summary.passed / summary.total;
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

function perplexitySummary(probes: ReportProbe[]): PerplexitySummary | null {
  const texts = probes.map((probe) => probe.likelihood).filter((likelihood) => likelihood?.kind === "perplexity");
  if (texts.length === 0) return null;
  const total = { logprob: 0, tokens: 0, chars: 0, bytes: 0 };
  for (const text of texts) {
    if (text?.kind !== "perplexity") continue;
    total.logprob += text.logprob;
    total.tokens += text.tokens;
    total.chars += text.chars;
    total.bytes += text.bytes;
  }
  return { texts: texts.length, tokens: total.tokens, chars: total.chars, bytes: total.bytes, ...textMetrics(total.logprob, total.tokens, total.chars, total.bytes) };
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
