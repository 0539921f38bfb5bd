import { scoreUnit } from "../metrics/index.js";
import { CheckRegistry } from "../checks/registry.js";
import { checkFacts } from "../checks/facts.js";
import type { AggregateItem, CheckDefinition } from "../checks/types.js";
import type {
  AggregateValue,
  Bucket,
  CheckBucket,
  ChoiceAccuracy,
  CorpusMetric,
  PerplexitySummary,
  ReportProbe,
  SamplingSummary,
  ScoreMean,
  Summary,
} from "../format/report.js";

const BUILTIN_REGISTRY = new CheckRegistry();

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
 * the rates. Missing outputs and errors count as failures. Means are kept per
 * language and unit; each check's facts and aggregate come from its
 * definition in `registry`.
 */
export function summarize(probes: ReportProbe[], registry: CheckRegistry = BUILTIN_REGISTRY): Summary {
  const aggregates = aggregateValues(probes, registry);
  const summary: Summary = {
    total: 0, passed: 0, failed: 0, scored: 0, stale: 0, missing: 0, errors: 0, unverified: 0, pass_rate: null,
    by_suite: {}, by_category: {}, by_language: {}, by_check: {}, aggregates, corpus_metrics: corpusMetrics(aggregates),
    choice_accuracy: choiceAccuracy(aggregates), perplexity: perplexitySummary(aggregates), sampling: samplingSummary(probes),
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
      add((summary.by_check[check.type] ??= newCheckBucket(registry.get(check.type))), check.pass);
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
  return summary;
}

function newCheckBucket(definition: CheckDefinition<any, any> | undefined): CheckBucket {
  return { ...emptyBucket(), means: [], ...(definition ? { facts: checkFacts(definition) } : {}) };
}

/**
 * Every check aggregate's values: for each suite, and over all suites, the
 * results of each check with an aggregate, grouped by the aggregate's key and
 * combined. Groups come out in first-seen order, suites in report order.
 */
function aggregateValues(probes: readonly ReportProbe[], registry: CheckRegistry): AggregateValue[] {
  const scopes = new Map<string | null, Map<string, { check: string; items: AggregateItem[] }>>([[null, new Map()]]);
  for (const probe of probes) {
    for (const result of probe.checks) {
      const aggregate = registry.get(result.type)?.aggregate;
      if (!aggregate) continue;
      const item: AggregateItem = { result, language: probe.language };
      const key = aggregate.group(item);
      if (key === null) continue;
      for (const suite of [probe.suite, null]) {
        const groups = scopes.get(suite) ?? scopes.set(suite, new Map()).get(suite)!;
        const groupKey = JSON.stringify([result.type, key]);
        const group = groups.get(groupKey) ?? groups.set(groupKey, { check: result.type, items: [] }).get(groupKey)!;
        group.items.push(item);
      }
    }
  }
  const values: AggregateValue[] = [];
  for (const [suite, groups] of [...scopes].filter(([suite]) => suite !== null).concat([[null, scopes.get(null)!]])) {
    for (const { check, items } of groups.values()) {
      const aggregate = registry.get(check)!.aggregate!;
      const { score, signature, language, values: more } = aggregate.combine(items);
      values.push({ check, aggregate: aggregate.name, suite, language, score, results: items.length, signature, values: more ?? {} });
    }
  }
  return values;
}

const numberOr = (value: number | string | null | undefined, fallback: number): number => (typeof value === "number" ? value : fallback);
const numberOrNull = (value: number | string | null | undefined): number | null => (typeof value === "number" ? value : null);

/** corpus_metrics: the values of the `corpus` aggregates, per suite. */
function corpusMetrics(aggregates: readonly AggregateValue[]): Record<string, CorpusMetric[]> {
  const bySuite: Record<string, CorpusMetric[]> = {};
  for (const value of aggregates) {
    if (value.aggregate !== "corpus" || value.suite === null || value.score === null) continue;
    const tokenize = value.values.tokenize;
    (bySuite[value.suite] ??= []).push({
      type: value.check,
      language: value.language,
      tokenize: typeof tokenize === "string" ? tokenize : null,
      score: value.score,
      segments: numberOr(value.values.segments, value.results),
      signature: value.signature,
    });
  }
  return bySuite;
}

/** choice_accuracy: the `choice_accuracy` aggregate over all suites. */
function choiceAccuracy(aggregates: readonly AggregateValue[]): ChoiceAccuracy | null {
  const value = aggregates.find((entry) => entry.aggregate === "choice_accuracy" && entry.suite === null);
  if (!value) return null;
  return { probes: value.results, raw: numberOr(value.values.raw, 0), per_token: numberOr(value.values.per_token, 0), per_char: numberOr(value.values.per_char, 0) };
}

/** perplexity: the `corpus_perplexity` aggregate over all suites, one per language (bits per character of Japanese and of English are not one number). */
function perplexitySummary(aggregates: readonly AggregateValue[]): PerplexitySummary[] | null {
  const values = aggregates.filter((entry) => entry.aggregate === "corpus_perplexity" && entry.suite === null && entry.language !== null);
  if (values.length === 0) return null;
  return values
    .map(({ language, values: v }) => ({
      language: language!,
      texts: numberOr(v.texts, 0),
      tokens: numberOr(v.tokens, 0),
      chars: numberOr(v.chars, 0),
      bytes: numberOr(v.bytes, 0),
      perplexity: numberOrNull(v.perplexity),
      bits_per_char: numberOrNull(v.bits_per_char),
      bits_per_byte: numberOrNull(v.bits_per_byte),
    }))
    .sort((a, b) => a.language.localeCompare(b.language));
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
