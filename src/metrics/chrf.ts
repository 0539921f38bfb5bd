/**
 * chrF and chrF++ with sacreBLEU 2.x semantics (`sacrebleu/metrics/chrf.py`):
 * character n-grams up to order 6 (whitespace removed unless asked), word
 * n-grams up to order 0 (chrF) or 2 (chrF++), beta 2, effective-order
 * averaging (eps smoothing optional), best-scoring reference per segment, corpus
 * score from summed statistics.
 */
import { codePoints } from "../lang/scripts.js";
import { increment, pySplit, removeWhitespace } from "./text.js";
import { chrfSignature, type ChrfConfig, type Nrefs } from "./signature.js";
import { requireReferences } from "./verdict.js";

export interface ChrfOptions {
  /** Default 6. */
  charOrder?: number;
  /** Default 0 (chrF); 2 is chrF++. */
  wordOrder?: number;
  /** Weight of recall against precision; default 2. */
  beta?: number;
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams; default false. */
  whitespace?: boolean;
  /** Average every order's F-score with epsilon smoothing instead of effective order; default false. */
  epsSmoothing?: boolean;
}

/**
 * A segment's statistics, one entry per order (character orders first, then
 * word orders): hypothesis n-grams, reference n-grams, matches. Corpus chrF
 * sums them. Plain arrays: they are written into reports.
 */
export interface ChrfStats {
  hyp: number[];
  ref: number[];
  match: number[];
}

export interface ChrfScore {
  /** 0–100. */
  score: number;
  stats: ChrfStats;
  /** Index of the best-scoring reference (sentence scores only; 0 for corpus scores). */
  bestReference: number;
  signature: string;
  /** How it was computed (what `corpusScore` needs to score summed statistics the same way). */
  config: ChrfConfig;
}

export function resolveChrfOptions(options: ChrfOptions = {}): ChrfConfig {
  const config: ChrfConfig = {
    metric: "chrf",
    char_order: options.charOrder ?? 6,
    word_order: options.wordOrder ?? 0,
    beta: options.beta ?? 2,
    lowercase: options.lowercase ?? false,
    whitespace: options.whitespace ?? false,
    eps_smoothing: options.epsSmoothing ?? false,
  };
  for (const [name, value] of [["char order", config.char_order], ["word order", config.word_order]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`chrF ${name} must be a non-negative integer, got ${value}`);
  }
  if (config.char_order + config.word_order === 0) throw new Error("chrF needs at least one character or word order");
  if (!(config.beta > 0)) throw new Error(`chrF beta must be positive, got ${config.beta}`);
  return config;
}

const ASCII_PUNCTUATION = new Set(Array.from("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));

/**
 * chrF++'s word tokens: split on whitespace, then one ASCII punctuation
 * character split off the end of a word, or else off its start ("(hi)" gives
 * "(hi" and ")", as in sacreBLEU).
 */
export function chrfWords(text: string): string[] {
  const words: string[] = [];
  for (const word of pySplit(text)) {
    const chars = codePoints(word);
    if (chars.length === 1) {
      words.push(word);
    } else if (ASCII_PUNCTUATION.has(chars[chars.length - 1]!)) {
      words.push(chars.slice(0, -1).join(""), chars[chars.length - 1]!);
    } else if (ASCII_PUNCTUATION.has(chars[0]!)) {
      words.push(chars[0]!, chars.slice(1).join(""));
    } else {
      words.push(word);
    }
  }
  return words;
}

type Ngrams = Map<string, number>[];

function sequenceNgrams(units: readonly string[], n: number, separator: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= units.length; i++) increment(counts, units.slice(i, i + n).join(separator));
  return counts;
}

/** Character n-grams of orders 1..order, cut from one string by code point offsets (no per-n-gram arrays). */
function characterNgrams(text: string, order: number): Map<string, number>[] {
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    offsets.push(i);
    if (text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff && i + 1 < text.length) i++;
  }
  offsets.push(text.length);
  const length = offsets.length - 1;
  const all: Map<string, number>[] = [];
  for (let n = 1; n <= order; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= length; i++) increment(counts, text.slice(offsets[i], offsets[i + n]));
    all.push(counts);
  }
  return all;
}

/**
 * chrF and chrF++ of one output, and references shared by many probes, need
 * the same character n-grams: the most recent ones are kept (read-only).
 */
const recentCharacterNgrams = new Map<string, Map<string, number>[]>();
const RECENT_LIMIT = 256;

function cachedCharacterNgrams(chars: string, order: number): Map<string, number>[] {
  const key = `${order}\u0000${chars}`;
  let ngrams = recentCharacterNgrams.get(key);
  if (!ngrams) {
    ngrams = characterNgrams(chars, order);
    recentCharacterNgrams.set(key, ngrams);
    if (recentCharacterNgrams.size > RECENT_LIMIT) recentCharacterNgrams.delete(recentCharacterNgrams.keys().next().value!);
  }
  return ngrams;
}

function extractNgrams(text: string, config: ChrfConfig): Ngrams {
  const cased = config.lowercase ? text.toLowerCase() : text;
  const all: Ngrams = [...cachedCharacterNgrams(config.whitespace ? cased : removeWhitespace(cased), config.char_order)];
  if (config.word_order > 0) {
    const words = chrfWords(cased);
    for (let n = 1; n <= config.word_order; n++) all.push(sequenceNgrams(words, n, " "));
  }
  return all;
}

function matchStatistics(hyp: Ngrams, ref: Ngrams): ChrfStats {
  const stats: ChrfStats = { hyp: [], ref: [], match: [] };
  hyp.forEach((hypOrder, i) => {
    const refOrder = ref[i]!;
    let hypCount = 0;
    let matchCount = 0;
    for (const [ngram, count] of hypOrder) {
      hypCount += count;
      const refCount = refOrder.get(ngram);
      if (refCount !== undefined) matchCount += Math.min(count, refCount);
    }
    let refCount = 0;
    for (const count of refOrder.values()) refCount += count;
    // sacreBLEU counts no hypothesis n-grams at an order where the reference has none.
    stats.hyp.push(refOrder.size > 0 ? hypCount : 0);
    stats.ref.push(refCount);
    stats.match.push(matchCount);
  });
  return stats;
}

/**
 * chrF (0–100) from (summed) statistics: precision and recall averaged over the
 * orders both sides have n-grams for (sacreBLEU 2.x's default). With
 * `epsSmoothing`, the F-scores of every order are averaged instead, an order
 * without n-grams counting a tiny epsilon (chrF++.py / NLTK / Moses, and
 * sacreBLEU's `eps_smoothing=True`).
 */
export function chrfFromStats(stats: ChrfStats, beta = 2, epsSmoothing = false): number {
  const factor = beta ** 2;
  if (epsSmoothing) return epsSmoothedChrf(stats, factor);
  let avgPrec = 0;
  let avgRec = 0;
  let effectiveOrder = 0;
  stats.hyp.forEach((nHyp, i) => {
    const nRef = stats.ref[i]!;
    const nMatch = stats.match[i]!;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += nMatch / nHyp;
      avgRec += nMatch / nRef;
      effectiveOrder += 1;
    }
  });
  if (effectiveOrder === 0) return 0;
  avgPrec /= effectiveOrder;
  avgRec /= effectiveOrder;
  if (avgPrec + avgRec === 0) return 0;
  let score = (1 + factor) * avgPrec * avgRec;
  score /= factor * avgPrec + avgRec;
  return 100 * score;
}

const EPS = 1e-16;

function epsSmoothedChrf(stats: ChrfStats, factor: number): number {
  let score = 0;
  stats.hyp.forEach((nHyp, i) => {
    const nRef = stats.ref[i]!;
    const nMatch = stats.match[i]!;
    const prec = nHyp > 0 ? nMatch / nHyp : EPS;
    const rec = nRef > 0 ? nMatch / nRef : EPS;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : EPS;
  });
  return (100 * score) / stats.hyp.length;
}


/** Statistics of one segment against its best-scoring reference (first one on ties). */
export function chrfSegmentStats(
  hyp: string,
  refs: readonly string[],
  options: ChrfOptions | ChrfConfig = {},
): { stats: ChrfStats; bestReference: number } {
  const config = "metric" in options ? options : resolveChrfOptions(options);
  const hypNgrams = extractNgrams(hyp, config);
  const usable = requireReferences("chrF", refs);
  let bestStats = matchStatistics(hypNgrams, extractNgrams(usable[0]!, config));
  let bestF = chrfFromStats(bestStats, config.beta, config.eps_smoothing);
  let bestReference = 0;
  for (let index = 1; index < usable.length; index++) {
    const stats = matchStatistics(hypNgrams, extractNgrams(usable[index]!, config));
    const f = chrfFromStats(stats, config.beta, config.eps_smoothing);
    if (f > bestF) {
      bestStats = stats;
      bestF = f;
      bestReference = index;
    }
  }
  return { stats: bestStats, bestReference };
}

/** Element-wise sum of segment statistics (all with the same number of orders). */
export function sumChrfStats(list: readonly ChrfStats[], orders = list[0]?.hyp.length ?? 0): ChrfStats {
  const total: ChrfStats = { hyp: new Array(orders).fill(0), ref: new Array(orders).fill(0), match: new Array(orders).fill(0) };
  for (const stats of list) {
    if (stats.hyp.length !== orders || stats.ref.length !== orders || stats.match.length !== orders) {
      throw new Error(`cannot sum chrF statistics with different numbers of orders (${stats.hyp.length} and ${orders})`);
    }
    for (let i = 0; i < orders; i++) {
      total.hyp[i]! += stats.hyp[i]!;
      total.ref[i]! += stats.ref[i]!;
      total.match[i]! += stats.match[i]!;
    }
  }
  return total;
}

/**
 * Sentence chrF. The reference returned is the one the reported score uses
 * (`bestReference` indexes the non-empty references, in order).
 */
export function sentenceChrf(hyp: string, refs: readonly string[], options: ChrfOptions = {}): ChrfScore {
  const config = resolveChrfOptions(options);
  const { stats, bestReference } = chrfSegmentStats(hyp, refs, config);
  return {
    score: chrfFromStats(stats, config.beta, config.eps_smoothing),
    stats,
    bestReference,
    signature: chrfSignature(config, requireReferences("chrF", refs).length),
    config,
  };
}

/** Corpus chrF from summed segment statistics; `refStreams` as in `corpusBleu`. */
export function corpusChrf(hyps: readonly string[], refStreams: ReadonlyArray<readonly string[]>, options: ChrfOptions = {}): ChrfScore {
  const config = resolveChrfOptions(options);
  for (const stream of refStreams) {
    if (stream.length !== hyps.length) throw new Error("every reference stream must be as long as the hypotheses");
  }
  const counts: number[] = [];
  const perSegment = hyps.map((hyp, i) => {
    const refs = refStreams.map((stream) => stream[i]!);
    counts.push(requireReferences("chrF", refs).length);
    return chrfSegmentStats(hyp, refs, config).stats;
  });
  const stats = sumChrfStats(perSegment, config.char_order + config.word_order);
  const first = counts[0] ?? 0;
  const nrefs: Nrefs = counts.every((count) => count === first) ? first : "var";
  return {
    score: chrfFromStats(stats, config.beta, config.eps_smoothing),
    stats,
    bestReference: 0,
    signature: chrfSignature(config, nrefs),
    config,
  };
}
