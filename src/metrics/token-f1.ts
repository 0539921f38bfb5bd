/**
 * SQuAD-style token F1: precision and recall of the hypothesis' token multiset
 * against a reference's, best over the references. Tokens come from the caller
 * (language-aware: kuromoji for Japanese, jieba for Chinese); this module only
 * normalizes them the SQuAD way, extended beyond English: NFKC, lower case,
 * punctuation removed (Unicode punctuation and ASCII symbols), empty tokens
 * dropped, and English articles dropped when asked.
 */
import { pySplit } from "./text.js";

/** Per-segment result; the corpus score is the mean F1 (as SQuAD averages it). */
export interface TokenF1Stats {
  /** 0–1. */
  f1: number;
  precision: number;
  recall: number;
  /** Size of the multiset intersection. */
  common: number;
  hyp_tokens: number;
  ref_tokens: number;
}

// Unicode punctuation plus the ASCII symbols in Python's string.punctuation ($ + < = > ^ ` | ~).
const PUNCTUATION = /[\p{P}$+<=>^`|~]/gu;
const ENGLISH_ARTICLES = new Set(["a", "an", "the"]);

export interface NormalizeOptions {
  /** Drop this language's articles; only English (`en`) has a list. */
  articles?: string | null;
}

/** SQuAD's answer normalization applied to tokens. */
export function normalizeF1Tokens(tokens: readonly string[], options: NormalizeOptions = {}): string[] {
  const dropArticles = options.articles === "en";
  const out: string[] = [];
  for (const token of tokens) {
    const cleaned = token.normalize("NFKC").toLowerCase().replace(PUNCTUATION, "");
    for (const piece of pySplit(cleaned)) {
      if (dropArticles && ENGLISH_ARTICLES.has(piece)) continue;
      out.push(piece);
    }
  }
  return out;
}

/** F1 of two normalized token lists. Both empty gives 1, one empty gives 0 (SQuAD v2). */
export function tokenF1(hyp: readonly string[], ref: readonly string[]): TokenF1Stats {
  const base = { hyp_tokens: hyp.length, ref_tokens: ref.length };
  if (hyp.length === 0 || ref.length === 0) {
    const same = hyp.length === ref.length ? 1 : 0;
    return { f1: same, precision: same, recall: same, common: 0, ...base };
  }
  const refCounts = new Map<string, number>();
  for (const token of ref) refCounts.set(token, (refCounts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of hyp) {
    const left = refCounts.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      refCounts.set(token, left - 1);
    }
  }
  if (common === 0) return { f1: 0, precision: 0, recall: 0, common, ...base };
  const precision = common / hyp.length;
  const recall = common / ref.length;
  return { f1: (2 * precision * recall) / (precision + recall), precision, recall, common, ...base };
}

/** The best F1 over the references (first one on ties). */
export function bestTokenF1(
  hyp: readonly string[],
  refs: ReadonlyArray<readonly string[]>,
): { stats: TokenF1Stats; bestReference: number } {
  if (refs.length === 0) throw new Error("token F1 needs at least one reference");
  let best = tokenF1(hyp, refs[0]!);
  let bestReference = 0;
  for (let i = 1; i < refs.length; i++) {
    const stats = tokenF1(hyp, refs[i]!);
    if (stats.f1 > best.f1) {
      best = stats;
      bestReference = i;
    }
  }
  return { stats: best, bestReference };
}

/** Mean F1 over segments (0–1); 0 for none. */
export function meanTokenF1(list: readonly TokenF1Stats[]): number {
  if (list.length === 0) return 0;
  let sum = 0;
  for (const stats of list) sum += stats.f1;
  return sum / list.length;
}
