/**
 * Corpus scores for the report: BLEU and chrF are corpus metrics, so a suite's
 * score is computed from the SUMMED segment statistics the checks record
 * (`details.stats`), never by averaging sentence scores. Token F1 is averaged,
 * as SQuAD does.
 */
import { bleuFromStats, sumBleuStats, type BleuStats } from "./bleu.js";
import { chrfFromStats, sumChrfStats, type ChrfStats } from "./chrf.js";
import { meanTokenF1, type TokenF1Stats } from "./token-f1.js";
import {
  bleuSignature,
  chrfSignature,
  tokenF1Signature,
  type BleuConfig,
  type ChrfConfig,
  type Nrefs,
  type TokenF1Config,
} from "./signature.js";

/** The check types whose results carry corpus statistics. */
export const REFERENCE_METRIC_TYPES = ["bleu", "chrf", "chrf++", "token_f1"] as const;
export type ReferenceMetricType = (typeof REFERENCE_METRIC_TYPES)[number];

export type MetricConfig = BleuConfig | ChrfConfig | TokenF1Config;
export type MetricStats = BleuStats | ChrfStats | TokenF1Stats;

export interface CorpusScore {
  type: ReferenceMetricType;
  /** 0–100 for bleu / chrf / chrf++, 0–1 for token_f1. */
  score: number;
  /** How many segments went in. */
  segments: number;
  /** Corpus-level signature (corpus BLEU uses no effective order: `eff:no`). */
  signature: string;
  config: MetricConfig;
}

const DEFAULT_CONFIGS: Record<ReferenceMetricType, MetricConfig> = {
  bleu: { metric: "bleu", tokenize: "13a", smooth: "exp", smooth_value: null, max_order: 4, lowercase: false },
  chrf: { metric: "chrf", char_order: 6, word_order: 0, beta: 2, lowercase: false, whitespace: false, eps_smoothing: false },
  "chrf++": { metric: "chrf", char_order: 6, word_order: 2, beta: 2, lowercase: false, whitespace: false, eps_smoothing: false },
  token_f1: { metric: "token_f1", tokenize: "unicode-words", articles: null },
};

export function isReferenceMetricType(type: string): type is ReferenceMetricType {
  return (REFERENCE_METRIC_TYPES as readonly string[]).includes(type);
}

/**
 * The corpus score of one group of segments computed the same way.
 * `config` is the `details.metric` the check recorded (defaults: the type's
 * defaults); `nrefs` goes into the signature (a number, or "var" when segments
 * have different numbers of references).
 */
export function corpusScore(
  type: ReferenceMetricType,
  statsList: readonly MetricStats[],
  options: { config?: MetricConfig; nrefs?: Nrefs } = {},
): CorpusScore {
  const config = options.config ?? DEFAULT_CONFIGS[type];
  const nrefs = options.nrefs ?? 1;
  const segments = statsList.length;
  if (config.metric === "bleu") {
    if (type !== "bleu") throw new Error(`a ${type} score cannot use a BLEU configuration`);
    const stats = sumBleuStats(statsList as BleuStats[], config.max_order);
    const { score } = bleuFromStats(stats, { smooth: config.smooth, smoothValue: config.smooth_value, effectiveOrder: false });
    return { type, score, segments, signature: bleuSignature(config, nrefs, false), config };
  }
  if (config.metric === "chrf") {
    if (type !== "chrf" && type !== "chrf++") throw new Error(`a ${type} score cannot use a chrF configuration`);
    const stats = sumChrfStats(statsList as ChrfStats[], config.char_order + config.word_order);
    const score = chrfFromStats(stats, config.beta, config.eps_smoothing);
    return { type, score, segments, signature: chrfSignature(config, nrefs), config };
  }
  if (type !== "token_f1") throw new Error(`a ${type} score cannot use a token F1 configuration`);
  return { type, score: meanTokenF1(statsList as TokenF1Stats[]), segments, signature: tokenF1Signature(config, nrefs), config };
}

/** The parts of a check result `corpusScores` reads. */
export interface MetricResultLike {
  type: string;
  score: number | null;
  details: { stats?: unknown; metric?: unknown; nrefs?: unknown; [key: string]: unknown };
}

/**
 * Corpus scores for a set of check results (e.g. one suite's): results of the
 * reference-metric types are grouped by type and configuration (tokenizer,
 * smoothing, beta…), and each group is scored from its summed statistics.
 * Results without statistics (no reference, unscorable) are skipped. Groups
 * come out in first-seen order.
 */
export function corpusScores(results: Iterable<MetricResultLike>): CorpusScore[] {
  const groups = new Map<string, { type: ReferenceMetricType; config: MetricConfig; stats: MetricStats[]; nrefs: Set<number> }>();
  for (const result of results) {
    if (!isReferenceMetricType(result.type)) continue;
    const { stats, metric, nrefs } = result.details;
    if (!stats || typeof stats !== "object" || !metric || typeof metric !== "object") continue;
    const config = metric as MetricConfig;
    const key = `${result.type}\u0000${JSON.stringify(config)}`;
    let group = groups.get(key);
    if (!group) {
      group = { type: result.type, config, stats: [], nrefs: new Set() };
      groups.set(key, group);
    }
    group.stats.push(stats as MetricStats);
    if (typeof nrefs === "number") group.nrefs.add(nrefs);
  }
  return [...groups.values()].map((group) => {
    const nrefs: Nrefs = group.nrefs.size === 1 ? [...group.nrefs][0]! : group.nrefs.size === 0 ? 1 : "var";
    return corpusScore(group.type, group.stats, { config: group.config, nrefs });
  });
}
