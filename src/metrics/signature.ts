/**
 * sacreBLEU-style signatures: every score states how it was computed, so two
 * numbers are only compared when they were computed the same way.
 *
 * The fields follow sacreBLEU 2.x (`nrefs`, `case`, `eff`, `tok`, `smooth`,
 * `nc`, `nw`, `space`), but `version` names OUR implementation of those
 * semantics (`bonsai-1`), not a sacreBLEU release: these scores come from
 * bonsai-eval's TypeScript port, checked against sacreBLEU's published test
 * vectors, not from sacreBLEU itself. Bump the version when a change can move
 * a score.
 */
export const METRICS_VERSION = "bonsai-1";

export type SmoothMethod = "exp" | "floor" | "add-k" | "none";

/** sacreBLEU's defaults for the smoothing methods that take a value. */
export const SMOOTH_DEFAULTS: Record<SmoothMethod, number | null> = {
  exp: null,
  floor: 0.1,
  "add-k": 1,
  none: null,
};

/** How a BLEU score was computed (snake_case: it is written into reports). */
export interface BleuConfig {
  metric: "bleu";
  tokenize: string;
  smooth: SmoothMethod;
  /** The value for `floor` / `add-k`; null means sacreBLEU's default. */
  smooth_value: number | null;
  max_order: number;
  lowercase: boolean;
}

/** How a chrF / chrF++ score was computed. */
export interface ChrfConfig {
  metric: "chrf";
  char_order: number;
  word_order: number;
  beta: number;
  lowercase: boolean;
  whitespace: boolean;
  /** sacreBLEU's `eps_smoothing` (signature `eff:no`); false is its default. */
  eps_smoothing: boolean;
}

/** How a token F1 score was computed. */
export interface TokenF1Config {
  metric: "token_f1";
  /** Which word tokens: `ja-kuromoji`, `zh-jieba` or `unicode-words`. */
  tokenize: string;
  /** Language whose articles were dropped (SQuAD drops English a/an/the), or null. */
  articles: string | null;
}

export type Nrefs = number | "var";

function formatSmooth(smooth: SmoothMethod, value: number | null): string {
  const fallback = SMOOTH_DEFAULTS[smooth];
  if (fallback === null) return smooth;
  return `${smooth}[${(value ?? fallback).toFixed(2)}]`;
}

/** `bleu|nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:bonsai-1` (`order:N` added when not 4). */
export function bleuSignature(config: BleuConfig, nrefs: Nrefs, effectiveOrder: boolean): string {
  const parts = [
    "bleu",
    `nrefs:${nrefs}`,
    `case:${config.lowercase ? "lc" : "mixed"}`,
    `eff:${effectiveOrder ? "yes" : "no"}`,
    `tok:${config.tokenize}`,
    `smooth:${formatSmooth(config.smooth, config.smooth_value)}`,
  ];
  if (config.max_order !== 4) parts.push(`order:${config.max_order}`);
  parts.push(`version:${METRICS_VERSION}`);
  return parts.join("|");
}

/** The metric's display name as sacreBLEU writes it: chrF2, chrF2++, chrF3… */
export function chrfName(config: Pick<ChrfConfig, "beta" | "word_order">): string {
  return `chrF${config.beta}${"+".repeat(config.word_order)}`;
}

/** `chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:bonsai-1`. */
export function chrfSignature(config: ChrfConfig, nrefs: Nrefs): string {
  return [
    chrfName(config),
    `nrefs:${nrefs}`,
    `case:${config.lowercase ? "lc" : "mixed"}`,
    // Effective-order averaging is sacreBLEU's default; eps smoothing shows as eff:no.
    `eff:${config.eps_smoothing ? "no" : "yes"}`,
    `nc:${config.char_order}`,
    `nw:${config.word_order}`,
    `space:${config.whitespace ? "yes" : "no"}`,
    `version:${METRICS_VERSION}`,
  ].join("|");
}

/** `token_f1|nrefs:1|tok:ja-kuromoji|norm:nfkc-lc-nopunct|version:bonsai-1`. */
export function tokenF1Signature(config: TokenF1Config, nrefs: Nrefs): string {
  return [
    "token_f1",
    `nrefs:${nrefs}`,
    `tok:${config.tokenize}`,
    `norm:nfkc-lc-nopunct${config.articles ? `-articles(${config.articles})` : ""}`,
    `version:${METRICS_VERSION}`,
  ].join("|");
}
