import { corpusScores } from "../metrics/index.js";
import type { Bucket, CheckBucket, CorpusMetric, ReportProbe, Summary } from "./types.js";

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
    const results = probes.filter((probe) => probe.suite === suite).flatMap((probe) => probe.checks);
    const corpus: CorpusMetric[] = corpusScores(results).map(({ type, score, segments, signature }) => ({ type, score, segments, signature }));
    if (corpus.length > 0) summary.corpus_metrics[suite] = corpus;
  }
  return summary;
}
