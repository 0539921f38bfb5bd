/**
 * Reference metrics with sacreBLEU 2.x semantics (BLEU, chrF, chrF++) and
 * SQuAD-style token F1: pure functions over code points. Checks call the
 * sentence-level functions; the report calls `corpusScores` on a suite's
 * check results.
 */
export * from "./tokenizers.js";
export * from "./signature.js";
export * from "./bleu.js";
export * from "./chrf.js";
export * from "./token-f1.js";
export * from "./corpus.js";
export * from "./verdict.js";
