/**
 * BLEU with sacreBLEU 2.x semantics (`sacrebleu/metrics/bleu.py`): segment
 * statistics, corpus BLEU from summed statistics, sentence BLEU with
 * effective order, smoothing `exp` / `floor` / `add-k` / `none`.
 */
import { increment, pyRstrip } from "./text.js";
import { requireReferences } from "./verdict.js";
import { getTokenizer, tokenList, type Tokenizer, type TokenizerName, type TokenizerOptions } from "./tokenizers.js";
import { bleuSignature, SMOOTH_DEFAULTS, type BleuConfig, type Nrefs, type SmoothMethod } from "./signature.js";

/**
 * A segment's sufficient statistics. Corpus BLEU sums them over segments before
 * scoring. Field names are snake_case because they are written into reports.
 */
export interface BleuStats {
  /** Hypothesis length in tokens. */
  hyp_len: number;
  /** Length of the reference closest to the hypothesis length (ties: the shorter). */
  ref_len: number;
  /** Clipped n-gram matches per order (index 0 = unigrams). */
  matches: number[];
  /** Hypothesis n-grams per order. */
  totals: number[];
}

export interface BleuOptions extends TokenizerOptions {
  /** Tokenizer name or instance; default `13a`. */
  tokenize?: TokenizerName | Tokenizer;
  /** Default `exp`. */
  smooth?: SmoothMethod;
  /** The floor (default 0.1) or k (default 1); ignored by `exp` and `none`. */
  smoothValue?: number;
  /** Highest n-gram order; default 4. */
  maxOrder?: number;
  lowercase?: boolean;
  /**
   * Average only over the orders the hypothesis has n-grams for. Default: true
   * for sentence BLEU, false for corpus BLEU (sacreBLEU's defaults).
   */
  effectiveOrder?: boolean;
}

export interface BleuScore {
  /** 0–100. */
  score: number;
  /** Per-order precisions on 0–100 after smoothing (0 beyond the orders used). */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  stats: BleuStats;
  signature: string;
  /** How it was computed (what `corpusScore` needs to score summed statistics the same way). */
  config: BleuConfig;
}

/** The resolved configuration a BLEU computation runs with. */
export interface ResolvedBleu {
  tokenizer: Tokenizer;
  config: BleuConfig;
}

export function resolveBleuOptions(options: BleuOptions = {}): ResolvedBleu {
  const tokenizer =
    typeof options.tokenize === "object" ? options.tokenize : getTokenizer(options.tokenize ?? "13a", options);
  const smooth = options.smooth ?? "exp";
  if (!(smooth in SMOOTH_DEFAULTS)) throw new Error(`unknown smoothing method "${smooth}"`);
  const maxOrder = options.maxOrder ?? 4;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new Error(`max order must be a positive integer, got ${maxOrder}`);
  return {
    tokenizer,
    config: {
      metric: "bleu",
      tokenize: tokenizer.name,
      smooth,
      smooth_value: SMOOTH_DEFAULTS[smooth] === null ? null : (options.smoothValue ?? null),
      max_order: maxOrder,
      lowercase: options.lowercase ?? false,
    },
  };
}

/** Lower-cases (optionally), right-strips and tokenizes one segment, as sacreBLEU does. */
export function bleuTokens(text: string, resolved: ResolvedBleu): string[] {
  const cased = resolved.config.lowercase ? text.toLowerCase() : text;
  return tokenList(resolved.tokenizer.tokenize(pyRstrip(cased)));
}

/** n-gram counts per order (index 0 = unigrams). */
function ngramCounts(tokens: readonly string[], maxOrder: number): Map<string, number>[] {
  const counts: Map<string, number>[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const order = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) increment(order, tokens.slice(i, i + n).join(" "));
    counts.push(order);
  }
  return counts;
}

function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const refLen of refLens) {
    const diff = Math.abs(hypLen - refLen);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = refLen;
    } else if (diff === closestDiff && refLen < closestLen) {
      closestLen = refLen;
    }
  }
  return closestLen;
}

/**
 * Statistics of one tokenized segment: hypothesis n-gram counts clipped by the
 * largest count of that n-gram in any one reference.
 */
export function bleuStatsFromTokens(hyp: readonly string[], refs: ReadonlyArray<readonly string[]>, maxOrder = 4): BleuStats {
  if (refs.length === 0) throw new Error("BLEU needs at least one reference");
  const refMax = new Map<string, number>();
  for (const ref of refs) {
    for (const order of ngramCounts(ref, maxOrder)) {
      for (const [ngram, count] of order) if (count > (refMax.get(ngram) ?? 0)) refMax.set(ngram, count);
    }
  }
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  ngramCounts(hyp, maxOrder).forEach((order, index) => {
    for (const [ngram, count] of order) {
      totals[index]! += count;
      matches[index]! += Math.min(count, refMax.get(ngram) ?? 0);
    }
  });
  return { hyp_len: hyp.length, ref_len: closestRefLen(hyp.length, refs.map((ref) => ref.length)), matches, totals };
}


/** Statistics of one segment from raw text. */
export function bleuSegmentStats(hyp: string, refs: readonly string[], options: BleuOptions | ResolvedBleu = {}): BleuStats {
  const resolved = "config" in options ? options : resolveBleuOptions(options);
  const refTokens = requireReferences("BLEU", refs).map((ref) => bleuTokens(ref, resolved));
  return bleuStatsFromTokens(bleuTokens(hyp, resolved), refTokens, resolved.config.max_order);
}

/** Element-wise sum of segment statistics (all with the same max order). */
export function sumBleuStats(list: readonly BleuStats[], maxOrder = list[0]?.matches.length ?? 4): BleuStats {
  const total: BleuStats = {
    hyp_len: 0,
    ref_len: 0,
    matches: new Array<number>(maxOrder).fill(0),
    totals: new Array<number>(maxOrder).fill(0),
  };
  for (const stats of list) {
    if (stats.matches.length !== maxOrder || stats.totals.length !== maxOrder) {
      throw new Error(`cannot sum BLEU statistics of different max orders (${stats.matches.length} and ${maxOrder})`);
    }
    total.hyp_len += stats.hyp_len;
    total.ref_len += stats.ref_len;
    for (let i = 0; i < maxOrder; i++) {
      total.matches[i]! += stats.matches[i]!;
      total.totals[i]! += stats.totals[i]!;
    }
  }
  return total;
}

/** sacreBLEU's `my_log`: log(0) is a very large negative number, not -Infinity. */
function myLog(value: number): number {
  return value === 0 ? -9999999999 : Math.log(value);
}

export interface BleuFromStatsOptions {
  smooth?: SmoothMethod;
  smoothValue?: number | null;
  effectiveOrder?: boolean;
}

/** BLEU (0–100) with its precisions and brevity penalty, from (summed) statistics. */
export function bleuFromStats(
  stats: BleuStats,
  options: BleuFromStatsOptions = {},
): { score: number; precisions: number[]; bp: number } {
  const smooth = options.smooth ?? "exp";
  const smoothValue = options.smoothValue ?? SMOOTH_DEFAULTS[smooth] ?? 0;
  const maxOrder = stats.matches.length;
  const matches = [...stats.matches];
  const totals = [...stats.totals];
  const sysLen = stats.hyp_len;
  const refLen = stats.ref_len;

  let bp = 1;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0;

  const precisions = new Array<number>(maxOrder).fill(0);
  // No matches at all: 0, whatever the smoothing (sacreBLEU #141).
  if (!matches.some((count) => count !== 0)) return { score: 0, precisions, bp };

  let smoothMteval = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (smooth === "add-k" && n > 1) {
      matches[n - 1]! += smoothValue;
      totals[n - 1]! += smoothValue;
    }
    const total = totals[n - 1]!;
    const correct = matches[n - 1]!;
    if (total === 0) break;
    if (options.effectiveOrder) effOrder = n;
    if (correct === 0) {
      if (smooth === "exp") {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total);
      } else if (smooth === "floor") {
        precisions[n - 1] = (100 * smoothValue) / total;
      }
    } else {
      precisions[n - 1] = (100 * correct) / total;
    }
  }

  let logSum = 0;
  for (const precision of precisions.slice(0, effOrder)) logSum += myLog(precision);
  return { score: bp * Math.exp(logSum / effOrder), precisions, bp };
}

function nrefsOf(counts: readonly number[]): Nrefs {
  const first = counts[0] ?? 0;
  return counts.every((count) => count === first) ? first : "var";
}

/**
 * Sentence BLEU of one hypothesis against its references, with effective order
 * by default (sacreBLEU's `sentence_bleu`).
 */
export function sentenceBleu(hyp: string, refs: readonly string[], options: BleuOptions = {}): BleuScore {
  const resolved = resolveBleuOptions(options);
  const effectiveOrder = options.effectiveOrder ?? true;
  const stats = bleuSegmentStats(hyp, refs, resolved);
  const result = bleuFromStats(stats, {
    smooth: resolved.config.smooth,
    smoothValue: resolved.config.smooth_value,
    effectiveOrder,
  });
  const nrefs = requireReferences("BLEU", refs).length;
  return { ...result, stats, signature: bleuSignature(resolved.config, nrefs, effectiveOrder), config: resolved.config };
}

/**
 * Corpus BLEU. `refStreams` follows sacreBLEU: one array per reference set,
 * each as long as `hyps` (`refStreams[k][i]` is the k-th reference of segment i;
 * an empty string means that segment has fewer references).
 */
export function corpusBleu(hyps: readonly string[], refStreams: ReadonlyArray<readonly string[]>, options: BleuOptions = {}): BleuScore {
  const resolved = resolveBleuOptions(options);
  const effectiveOrder = options.effectiveOrder ?? false;
  for (const stream of refStreams) {
    if (stream.length !== hyps.length) throw new Error("every reference stream must be as long as the hypotheses");
  }
  const perSegment: BleuStats[] = [];
  const refCounts: number[] = [];
  hyps.forEach((hyp, i) => {
    const refs = refStreams.map((stream) => stream[i]!);
    refCounts.push(requireReferences("BLEU", refs).length);
    perSegment.push(bleuSegmentStats(hyp, refs, resolved));
  });
  const stats = sumBleuStats(perSegment, resolved.config.max_order);
  const result = bleuFromStats(stats, {
    smooth: resolved.config.smooth,
    smoothValue: resolved.config.smooth_value,
    effectiveOrder,
  });
  return {
    ...result,
    stats,
    signature: bleuSignature(resolved.config, nrefsOf(refCounts), effectiveOrder),
    config: resolved.config,
  };
}
