import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpusBleu, corpusChrf, sentenceBleu, sentenceChrf, type SmoothMethod, type TokenizerName } from "../src/metrics/index.js";

// sacreBLEU 2.6.0's own scores on 80 adversarial segments (Python whitespace oddities, astral
// characters, emoji, combining marks, CJK, HTML entities, 13a edge cases), frozen by
// test/fixtures/sacrebleu-parity.py. Every number must match to floating-point noise.
interface Fixture {
  sacrebleu: string;
  bleu_configs: Array<{ tokenize: TokenizerName; smooth: SmoothMethod; lowercase: boolean }>;
  chrf_configs: Array<{ word_order: number; beta: number; whitespace: boolean; lowercase: boolean }>;
  cases: Array<{ hyp: string; refs: string[]; bleu: number[]; chrf: number[] }>;
  corpus: { bleu: number[]; chrf: number[] };
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/sacrebleu-parity.json", import.meta.url), "utf8")) as Fixture;
const TOLERANCE = 1e-9;

describe(`parity with sacreBLEU ${fixture.sacrebleu}`, () => {
  fixture.bleu_configs.forEach((config, k) => {
    it(`sentence BLEU tok:${config.tokenize} smooth:${config.smooth} lc:${config.lowercase}`, () => {
      for (const { hyp, refs, bleu } of fixture.cases) {
        const ours = sentenceBleu(hyp, refs, config).score;
        expect(Math.abs(ours - bleu[k]!), JSON.stringify({ hyp, refs })).toBeLessThan(TOLERANCE);
      }
    });

    it(`corpus BLEU tok:${config.tokenize} smooth:${config.smooth} lc:${config.lowercase}`, () => {
      const hyps = fixture.cases.map((c) => c.hyp);
      const refs = [fixture.cases.map((c) => c.refs[0]!)];
      expect(Math.abs(corpusBleu(hyps, refs, config).score - fixture.corpus.bleu[k]!)).toBeLessThan(TOLERANCE);
    });
  });

  fixture.chrf_configs.forEach((config, k) => {
    const options = { wordOrder: config.word_order, beta: config.beta, whitespace: config.whitespace, lowercase: config.lowercase };
    it(`sentence chrF nw:${config.word_order} beta:${config.beta} space:${config.whitespace} lc:${config.lowercase}`, () => {
      for (const { hyp, refs, chrf } of fixture.cases) {
        const ours = sentenceChrf(hyp, refs, options).score;
        expect(Math.abs(ours - chrf[k]!), JSON.stringify({ hyp, refs })).toBeLessThan(TOLERANCE);
      }
    });

    it(`corpus chrF nw:${config.word_order} beta:${config.beta} space:${config.whitespace} lc:${config.lowercase}`, () => {
      const hyps = fixture.cases.map((c) => c.hyp);
      const refs = [fixture.cases.map((c) => c.refs[0]!)];
      expect(Math.abs(corpusChrf(hyps, refs, options).score - fixture.corpus.chrf[k]!)).toBeLessThan(TOLERANCE);
    });
  });
});
