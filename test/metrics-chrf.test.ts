import { describe, expect, it } from "vitest";
import {
  chrfFromStats,
  chrfSegmentStats,
  chrfWords,
  corpusChrf,
  corpusScore,
  corpusScores,
  sentenceChrf,
  type ChrfStats,
} from "../src/metrics/index.js";

// Vectors from sacreBLEU's test_chrf.py (corpus chrF, beta 3, one reference stream) and
// values computed with sacreBLEU 2.6.0 (REFERENCES.md; the chrF++ ones were computed for this file).

function expectClose(actual: number, expected: number, tolerance = 1e-4): void {
  expect(Math.abs(actual - expected)).toBeLessThan(tolerance);
}

const beta3 = (hyps: string[], refs: string[], options: { whitespace?: boolean; epsSmoothing?: boolean } = {}) =>
  corpusChrf(hyps, [refs], { charOrder: 6, wordOrder: 0, beta: 3, ...options }).score;

describe("corpus chrF, beta 3, effective order (sacreBLEU's default, test_chrf_eff_order)", () => {
  it.each([
    [["a"], ["a"], 100.0],
    [[""], ["reference"], 0.0],
    [["a b c"], ["a b c"], 100.0],
    [["a b c"], ["abc"], 100.0],
    [[""], ["c"], 0.0],
    [["a", "b"], ["a", "c"], 50.0],
    [["aa"], ["ab"], 25.0],
  ])("%j vs %j → %s", (hyps, refs, expected) => {
    expectClose(beta3(hyps, refs), expected, 1e-9);
  });
});

describe("corpus chrF, beta 3, whitespace kept (test_chrf_keep_whitespace)", () => {
  it("German: 67.3481606", () => {
    const score = beta3(
      ["Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."],
      ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."],
      { whitespace: true },
    );
    expectClose(score, 67.3481606, 1e-6);
  });

  it("English: 65.2414427", () => {
    const score = beta3(
      ["risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."],
      ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."],
      { whitespace: true },
    );
    expectClose(score, 65.2414427, 1e-6);
  });

  it("the signature says space:yes", () => {
    expect(corpusChrf(["a"], [["a"]], { whitespace: true }).signature).toContain("|space:yes|");
  });
});

describe("chrF with eps smoothing (test_chrf, chrF++.py / NLTK style)", () => {
  it.each([
    [["abcdefg"], ["hijklmnop"], 0.0],
    [["a"], ["b"], 0.0],
    [[""], ["b"], 0.0],
    [[""], ["ref"], 0.0],
    [[""], ["reference"], 0.0],
    [["aa"], ["ab"], 8.3333],
    [["a", "b"], ["a", "c"], 8.3333],
    [["a"], ["a"], 16.6667],
    [["a b c"], ["a b c"], 50.0],
    [["a b c"], ["abc"], 50.0],
    [
      [" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."],
      ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."],
      63.36173,
    ],
    [
      [" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
      ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."],
      64.1302698,
    ],
    [["Niemand hat die Absicht, eine Mauer zu errichten"], ["Niemand hat die Absicht, eine Mauer zu errichten"], 100.0],
  ])("%j vs %j → %s", (hyps, refs, expected) => {
    expectClose(beta3(hyps, refs, { epsSmoothing: true }), expected);
  });

  it.each([
    [
      "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
      "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.",
      39.14078509,
    ],
    [
      "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
      "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.",
      31.22557079,
    ],
    [
      "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
      "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.",
      57.15704367,
    ],
  ])("sentence chrF2 (eps) %s → %s", (hyp, ref, expected) => {
    const result = sentenceChrf(hyp, [ref], { epsSmoothing: true });
    expectClose(result.score, expected, 1e-6);
    expect(result.signature).toContain("|eff:no|");
  });
});

describe("sentence chrF and chrF++ (defaults: beta 2, effective order)", () => {
  it("zh: 我们今天去北京大学。 vs 我们明天去北京大学。 gives chrF 62.9034", () => {
    const result = sentenceChrf("我们今天去北京大学。", ["我们明天去北京大学。"]);
    expectClose(result.score, 62.9034);
    expectClose(result.score, 62.90343915343916, 1e-9); // sacreBLEU 2.6.0, full precision
    expect(result.signature).toBe("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:bonsai-1");
  });

  it("zh chrF++: an unspaced sentence is one word (53.9172)", () => {
    const result = sentenceChrf("我们今天去北京大学。", ["我们明天去北京大学。"], { wordOrder: 2 });
    expectClose(result.score, 53.91723356009071, 1e-9);
    expect(result.stats.hyp.slice(6)).toEqual([1, 0]); // one word unigram; the reference has no bigram, so 0
    expect(result.signature).toBe("chrF2++|nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:bonsai-1");
  });

  it("chrF++ splits one ASCII punctuation mark off a word's end, else its start", () => {
    expect(chrfWords("(hi) there, friend! 「今日」 a")).toEqual(["(hi", ")", "there", ",", "friend", "!", "「今日」", "a"]);
    expect(chrfWords("!hi ...")).toEqual(["!", "hi", "..", "."]);
    expectClose(sentenceChrf("(hi) there, friend!", ["hi there friend"], { wordOrder: 2 }).score, 47.11976295441019, 1e-9);
  });

  it("corpus chrF / chrF++ on the BLEU README example (sacreBLEU 2.6.0: 59.7275 / 59.1531)", () => {
    const hyps = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
    const refs = [
      ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
      ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
    ];
    expectClose(corpusChrf(hyps, refs).score, 59.72751782684763, 1e-9);
    expectClose(corpusChrf(hyps, refs, { wordOrder: 2 }).score, 59.15310444399262, 1e-9);
    expect(corpusChrf(hyps, refs).signature).toBe("chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:bonsai-1");
  });

  it("takes the best-scoring reference per segment (first one on ties)", () => {
    const { bestReference } = chrfSegmentStats("the cat sat", ["a dog ran", "the cat sat", "the cat sat"]);
    expect(bestReference).toBe(1);
    const result = sentenceChrf("the cat sat", ["a dog ran", "the cat sat"]);
    expect(result.score).toBe(100);
    expect(result.bestReference).toBe(1);
    expect(result.signature).toContain("|nrefs:2|");
  });

  it("counts code points, not UTF-16 units", () => {
    const result = sentenceChrf("𠮷野家", ["𠮷野家"]);
    expect(result.stats.hyp[0]).toBe(3);
    expect(result.stats.hyp[2]).toBe(1);
    expect(result.score).toBe(100);
  });

  it("removes Python's whitespace set before character n-grams", () => {
    expect(sentenceChrf("a\u3000b\u0085c", ["abc"]).score).toBe(100);
    expect(sentenceChrf("a\ufeffb", ["ab"]).score).toBeLessThan(100); // U+FEFF is not whitespace to Python
  });

  it("lowercases when asked, and says so", () => {
    expect(sentenceChrf("ABC", ["abc"]).score).toBe(0);
    const lower = sentenceChrf("ABC", ["abc"], { lowercase: true });
    expect(lower.score).toBe(100);
    expect(lower.signature).toContain("|case:lc|");
  });

  it("empty hypothesis scores 0; no reference is an error", () => {
    expect(sentenceChrf("", ["abc"]).score).toBe(0);
    expect(() => sentenceChrf("abc", [])).toThrow(/reference/);
    expect(() => sentenceChrf("abc", [""])).toThrow(/reference/);
  });
});

describe("corpus scores from recorded statistics", () => {
  it("sums statistics: two segments a/a and b/c give 50 with beta 3", () => {
    const config = { metric: "chrf", char_order: 6, word_order: 0, beta: 3, lowercase: false, whitespace: false, eps_smoothing: false } as const;
    const stats = [chrfSegmentStats("a", ["a"], config).stats, chrfSegmentStats("b", ["c"], config).stats];
    expect(corpusScore("chrf", stats, { config }).score).toBeCloseTo(50, 12);
  });

  it("hypothesis n-grams do not count at an order where the reference has none", () => {
    const { stats } = chrfSegmentStats("abcdefgh", ["ab"]);
    expect(stats.ref.slice(0, 3)).toEqual([2, 1, 0]);
    expect(stats.hyp.slice(0, 3)).toEqual([8, 7, 0]);
  });

  it("groups check results by type and configuration, with nrefs:var when counts differ", () => {
    const a = sentenceChrf("the cat", ["the cat"]);
    const b = sentenceChrf("a dog", ["the dog", "a hound"]);
    const metric = { metric: "chrf", char_order: 6, word_order: 0, beta: 2, lowercase: false, whitespace: false, eps_smoothing: false };
    const results = [
      { type: "chrf", score: a.score, details: { reason: "", stats: a.stats, metric, nrefs: 1 } },
      { type: "chrf", score: b.score, details: { reason: "", stats: b.stats, metric, nrefs: 2 } },
      { type: "chrf", score: null, details: { reason: "no reference" } },
      { type: "contains", score: 1, details: { reason: "" } },
    ];
    const [corpus, ...rest] = corpusScores(results);
    expect(rest).toEqual([]);
    expect(corpus!.segments).toBe(2);
    expect(corpus!.signature).toBe("chrF2|nrefs:var|case:mixed|eff:yes|nc:6|nw:0|space:no|version:bonsai-1");
    const summed: ChrfStats = {
      hyp: a.stats.hyp.map((v, i) => v + b.stats.hyp[i]!),
      ref: a.stats.ref.map((v, i) => v + b.stats.ref[i]!),
      match: a.stats.match.map((v, i) => v + b.stats.match[i]!),
    };
    expect(corpus!.score).toBe(chrfFromStats(summed, 2));
  });
});
