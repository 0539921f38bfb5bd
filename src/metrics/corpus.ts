/**
 * Corpus scores: BLEU and chrF are corpus metrics, so a corpus's score is
 * computed from the SUMMED segment statistics the checks record
 * (`details.stats`, with the configuration in `details.metric`), never by
 * averaging sentence scores. Token F1 is averaged, as SQuAD does. Which checks
 * have a corpus score is theirs to say (their `aggregate`); here is the math,
 * chosen by the configuration a result carries.
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

/** The metrics a corpus score is computed for, by the names sacreBLEU gives them (chrF++ is chrF with word order 2). */
export type ReferenceMetricType = "bleu" | "chrf" | "chrf++" | "token_f1";

export type MetricConfig = BleuConfig | ChrfConfig | TokenF1Config;
export type MetricStats = BleuStats | ChrfStats | TokenF1Stats;

export interface CorpusScore {
  /** The check the segments are results of (the metric's name when computed directly). */
  type: string;
  /** The language of the segments (the probes' target language); null when the results did not say. */
  language: string | null;
  /** The word tokenizer (bleu, token_f1); null for chrF, which has none. */
  tokenize: string | null;
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

const METRIC_KINDS = new Set<string>(["bleu", "chrf", "token_f1"]);

/** Whether a recorded `details.metric` is a configuration these functions can score. */
function isMetricConfig(value: unknown): value is MetricConfig {
  return typeof value === "object" && value !== null && METRIC_KINDS.has((value as { metric?: unknown }).metric as string);
}

/**
 * The corpus score of one group of segments computed the same way, by the
 * configuration: `config` is the `details.metric` the check recorded (default:
 * the metric's defaults); `nrefs` goes into the signature (a number, or "var"
 * when segments have different numbers of references).
 */
export function corpusScore(
  type: string,
  statsList: readonly MetricStats[],
  options: { config?: MetricConfig; nrefs?: Nrefs; language?: string | null } = {},
): CorpusScore {
  const config = options.config ?? DEFAULT_CONFIGS[type as ReferenceMetricType];
  if (!config) throw new Error(`no default configuration for a ${type} corpus score: pass its config`);
  const nrefs = options.nrefs ?? 1;
  const segments = statsList.length;
  const group = { type, language: options.language ?? null, segments, config };
  if (config.metric === "bleu") {
    const stats = sumBleuStats(statsList as BleuStats[], config.max_order);
    const { score } = bleuFromStats(stats, { smooth: config.smooth, smoothValue: config.smooth_value, effectiveOrder: false });
    return { ...group, tokenize: config.tokenize, score, signature: bleuSignature(config, nrefs, false) };
  }
  if (config.metric === "chrf") {
    const stats = sumChrfStats(statsList as ChrfStats[], config.char_order + config.word_order);
    const score = chrfFromStats(stats, config.beta, config.eps_smoothing);
    return { ...group, tokenize: null, score, signature: chrfSignature(config, nrefs) };
  }
  return { ...group, tokenize: config.tokenize, score: meanTokenF1(statsList as TokenF1Stats[]), signature: tokenF1Signature(config, nrefs) };
}

/** The parts of a check result `corpusScores` reads. */
export interface MetricResultLike {
  type: string;
  score: number | null;
  details: { stats?: unknown; metric?: unknown; nrefs?: unknown; [key: string]: unknown };
  /** The probe's language: segments of different languages are different corpora. */
  language?: string;
}

/**
 * Which corpus a result belongs to: its type, its language and how it was
 * computed (tokenizer, smoothing, beta…); null when it carries no corpus
 * statistics with a metric configuration (no reference, unscorable, not a
 * reference metric). Two results are summed into one corpus score only when
 * their keys are equal.
 */
export function corpusGroupKey(result: MetricResultLike): string | null {
  const { stats, metric } = result.details;
  if (!stats || typeof stats !== "object" || !isMetricConfig(metric)) return null;
  return JSON.stringify([result.type, result.language ?? null, metric]);
}

/**
 * Corpus scores for a set of check results (e.g. one suite's): results are
 * grouped by `corpusGroupKey`, and each group is scored from its summed
 * statistics. Results without statistics are skipped. Groups come out in
 * first-seen order.
 */
export function corpusScores(results: Iterable<MetricResultLike>): CorpusScore[] {
  const groups = new Map<string, { type: string; language: string | null; config: MetricConfig; stats: MetricStats[]; nrefs: Set<number> }>();
  for (const result of results) {
    const key = corpusGroupKey(result);
    if (key === null) continue;
    const { stats, metric, nrefs } = result.details;
    let group = groups.get(key);
    if (!group) {
      group = { type: result.type, language: result.language ?? null, config: metric as MetricConfig, stats: [], nrefs: new Set() };
      groups.set(key, group);
    }
    group.stats.push(stats as MetricStats);
    if (typeof nrefs === "number") group.nrefs.add(nrefs);
  }
  return [...groups.values()].map((group) => {
    const nrefs: Nrefs = group.nrefs.size === 1 ? [...group.nrefs][0]! : group.nrefs.size === 0 ? 1 : "var";
    return corpusScore(group.type, group.stats, { config: group.config, nrefs, language: group.language });
  });
}

/** The word tokenizer a result was computed with (`details.metric.tokenize`: bleu, token_f1); null when it has none. */
export function tokenizerOf(result: Pick<MetricResultLike, "details">): string | null {
  const metric = result.details.metric;
  if (!metric || typeof metric !== "object") return null;
  const tokenize = (metric as { tokenize?: unknown }).tokenize;
  return typeof tokenize === "string" ? tokenize : null;
}

/**
 * How a result's score was measured, so means never mix units:
 * `details.score_unit` (length: chars, words, tokens; judge: its signature)
 * or the word tokenizer (bleu, token_f1: `tok:13a`); null when the check has
 * one unit. Judge results written before they carried `score_unit` are
 * measured in their `details.signature` all the same.
 */
export function scoreUnit(result: Pick<MetricResultLike, "type" | "details">): string | null {
  const unit = result.details.score_unit;
  if (typeof unit === "string") return unit;
  if (result.type === "judge" && typeof result.details.signature === "string") return result.details.signature;
  const tokenize = tokenizerOf(result);
  return tokenize === null ? null : `tok:${tokenize}`;
}
