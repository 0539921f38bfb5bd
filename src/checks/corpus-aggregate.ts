/**
 * The aggregate of the reference metrics (bleu, chrf, chrf++, token_f1): a
 * corpus score from the segments' summed statistics, as sacreBLEU's corpus
 * score, one per language and configuration (tokenizer, smoothing, beta…).
 */
import { corpusGroupKey, corpusScores } from "../metrics/index.js";
import type { AggregateItem, CheckAggregate, CheckDetails } from "./types.js";

/** What a reference metric records for its corpus score. */
export interface ReferenceMetricDetails extends CheckDetails {
  /** The best-matching reference (shown), its index, and how many there were. */
  reference?: string;
  reference_index?: number;
  nrefs?: number;
  /** The segment's sufficient statistics and the configuration they were computed with. */
  stats?: unknown;
  metric?: unknown;
}

const resultOf = ({ result, language }: AggregateItem<ReferenceMetricDetails>) => ({ ...result, language });

export const CORPUS_AGGREGATE: CheckAggregate<ReferenceMetricDetails> = {
  name: "corpus",
  group: (item) => corpusGroupKey(resultOf(item)),
  combine(items) {
    const [corpus] = corpusScores(items.map(resultOf));
    if (!corpus) throw new Error("a corpus group holds results with corpus statistics");
    return { score: corpus.score, signature: corpus.signature, language: corpus.language, values: { tokenize: corpus.tokenize, segments: corpus.segments } };
  },
};

/** report.html: the reference a score was computed against. */
export function referenceView(details: ReferenceMetricDetails) {
  const rows: Array<[string, string]> = [];
  if (typeof details.reference === "string") rows.push(["best reference", details.reference]);
  if (typeof details.nrefs === "number") rows.push(["references", String(details.nrefs)]);
  return rows.length > 0 ? [{ kind: "facts" as const, rows }] : [];
}
