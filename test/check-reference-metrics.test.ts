import { beforeAll, describe, expect, it } from "vitest";
import AjvModule from "ajv";
import { CheckRegistry } from "../src/checks/registry.js";
import type { CheckDefinition } from "../src/checks/types.js";
import type { CheckResult } from "../src/format/check-result.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import { corpusScores, sentenceBleu } from "../src/metrics/index.js";
import type { Probe } from "../src/format/suite.js";
import { makeProbe } from "./helpers.js";
import { scoreCheck } from "./check-harness.js";

const registry = new CheckRegistry();
let services: LanguageServices;

beforeAll(async () => {
  services = await loadLanguageServices(["ja", "zh"]);
});

function probe(language: string, expected: string[], id = "p1"): Probe {
  return makeProbe({
    suite: "metrics",
    id,
    prompt: "Translate.",
    category: "translation",
    language,
    expected,
  });
}

function definition(type: string): CheckDefinition<Record<string, unknown>> {
  const found = registry.get(type);
  if (!found) throw new Error(`check ${type} is not registered`);
  return found;
}

function run(type: string, p: Probe, output: string, params: Record<string, unknown> = {}): CheckResult {
  return scoreCheck({ type, ...params }, { output }, services, { probe: p });
}

const TYPES = ["bleu", "chrf", "chrf++", "token_f1"] as const;

describe("registration", () => {
  it("registers bleu, chrf, chrf++ and token_f1 as built-ins needing expected", () => {
    for (const type of TYPES) {
      expect(definition(type).needsExpected).toBe(true);
      expect(definition(type).summary).toMatch(type === "token_f1" ? /0–1/ : /0–100/);
    }
  });

  it("has parameter schemas that compile under strict ajv and reject unknown keys", () => {
    const ajv = new AjvModule.default({ strict: true, allErrors: true });
    for (const type of TYPES) {
      const validate = ajv.compile(definition(type).paramsSchema);
      expect(validate({ min_score: 0.5 })).toBe(true);
      expect(validate({ nonsense: 1 })).toBe(false);
    }
    const bleuSchema = ajv.compile(definition("bleu").paramsSchema);
    expect(bleuSchema({ tokenize: "ja-kuromoji", smooth: "floor", smooth_value: 0.1, max_order: 2, lowercase: true })).toBe(true);
    expect(bleuSchema({ tokenize: "ja-mecab" })).toBe(false);
    expect(ajv.compile(definition("token_f1").paramsSchema)({ min_score: 50 })).toBe(false); // 0–1 scale
  });

  it("asks for kuromoji only when it will be used, and jieba only for token_f1 on Chinese", () => {
    const services = (type: string, p: Probe, params: Record<string, unknown> = {}) => definition(type).services?.(params, p) ?? [];
    expect(services("bleu", probe("ja", ["x"]))).toEqual(["ja"]);
    expect(services("bleu", probe("ja-JP", ["x"]))).toEqual(["ja"]);
    expect(services("bleu", probe("ja", ["x"]), { tokenize: "char" })).toEqual([]);
    expect(services("bleu", probe("en", ["x"]), { tokenize: "ja-kuromoji" })).toEqual(["ja"]);
    expect(services("bleu", probe("zh", ["x"]))).toEqual([]);
    expect(services("bleu", probe("en", ["x"]))).toEqual([]);
    expect(services("chrf", probe("ja", ["x"]))).toEqual([]);
    expect(services("chrf++", probe("zh", ["x"]))).toEqual([]);
    expect(services("token_f1", probe("ja", ["x"]))).toEqual(["ja"]);
    expect(services("token_f1", probe("zh", ["x"]))).toEqual(["zh"]);
    expect(services("token_f1", probe("en", ["x"]))).toEqual([]);
  });

  it("rejects smooth_value without a smoothing that uses it", () => {
    const validate = definition("bleu").validate!;
    expect(validate({ smooth_value: 0.2 }, probe("en", ["x"]))).toMatch(/floor or add-k/);
    expect(validate({ smooth: "floor", smooth_value: 0.2 }, probe("en", ["x"]))).toBeNull();
  });
});

describe("translations score higher than unrelated outputs", () => {
  const cases = [
    {
      language: "ja",
      reference: "東京は日本の首都で、人口が最も多い都市です。",
      good: "東京は日本の首都であり、最も人口の多い都市です。",
      unrelated: "私は毎朝りんごを食べて散歩に行きます。",
    },
    {
      language: "zh",
      reference: "我们明天去北京大学参观图书馆。",
      good: "我们明天要去北京大学参观图书馆。",
      unrelated: "他喜欢在周末踢足球和游泳。",
    },
    {
      language: "en",
      reference: "The cat is sleeping on the warm windowsill.",
      good: "The cat sleeps on the warm windowsill.",
      unrelated: "Quarterly revenue rose by four percent.",
    },
  ];

  for (const { language, reference, good, unrelated } of cases) {
    it.each(TYPES)(`${language}: %s`, (type) => {
      const p = probe(language, [reference]);
      const high = run(type, p, good);
      const low = run(type, p, unrelated);
      expect(high.score!).toBeGreaterThan(low.score!);
      expect(high.score!).toBeGreaterThan(type === "token_f1" ? 0.4 : 25);
      expect(run(type, p, reference).score).toBeCloseTo(type === "token_f1" ? 1 : 100, 9);
    });
  }

  it("ja BLEU defaults to ja-kuromoji and says so; zh to zh; ko to char", () => {
    const ja = run("bleu", probe("ja", ["今日は良い天気ですね。"]), "今日はいい天気ですね。");
    expect(ja.details.signature).toBe("bleu|nrefs:1|case:mixed|eff:yes|tok:ja-kuromoji|smooth:exp|version:bonsai-1");
    expect(ja.details.reason).toContain("ja-kuromoji");
    // The same score the metric gives with kuromoji surfaces.
    const japanese = (text: string) => services.japanese(text).map((token) => token.surface);
    expect(ja.score).toBe(sentenceBleu("今日はいい天気ですね。", ["今日は良い天気ですね。"], { tokenize: "ja-kuromoji", japanese }).score);
    expect(run("bleu", probe("zh", ["我们明天去北京大学。"]), "我们今天去北京大学。").score).toBeCloseTo(70.7107, 4);
    expect(run("bleu", probe("ko", ["오늘 날씨가 좋네요"]), "오늘 날씨가 좋아요").details.signature).toContain("|tok:char|");
    expect(run("bleu", probe("ja", ["今日は良い天気ですね。"]), "今日はいい天気ですね。", { tokenize: "char" }).score).toBeCloseTo(70.1688, 4);
  });

  it("token_f1 tokenizes by language and normalizes SQuAD-style", () => {
    const ja = run("token_f1", probe("ja", ["東京は日本の首都です。"]), "東京は日本の首都です");
    expect(ja.score).toBe(1); // punctuation is not a token
    expect(ja.details.signature).toContain("tok:ja-kuromoji");
    const zh = run("token_f1", probe("zh", ["北京大学"]), "北京大学！");
    expect(zh.details.signature).toContain("tok:zh-jieba");
    expect(zh.score).toBe(1);
    const en = run("token_f1", probe("en", ["The Eiffel Tower"]), "eiffel tower!");
    expect(en.score).toBe(1); // case, punctuation and English articles ignored
  });
});

describe("hard outputs behave", () => {
  const jaProbe = probe("ja", ["𠮷野家で牛丼を食べました。"]);
  const zhProbe = probe("zh", ["我们明天去北京大学。"]);

  it.each(TYPES)("%s: empty output scores 0 without throwing", (type) => {
    for (const p of [jaProbe, zhProbe, probe("en", ["a cat"])]) {
      const result = run(type, p, "");
      expect(result.score).toBe(0);
      expect(result.details.signature).toBeTruthy();
    }
  });

  it.each(TYPES)("%s: emoji-only output scores 0, emoji kept in a match still count", (type) => {
    expect(run(type, jaProbe, "😀👍🏽").score).toBe(0);
    const withEmoji = probe("en", ["great job 👍"]);
    expect(run(type, withEmoji, "great job 👍").score).toBeCloseTo(type === "token_f1" ? 1 : 100, 9);
  });

  it.each(TYPES)("%s: astral characters (𠮷) count as one character", (type) => {
    const same = run(type, jaProbe, "𠮷野家で牛丼を食べました。");
    expect(same.score).toBeCloseTo(type === "token_f1" ? 1 : 100, 9);
    const other = run(type, jaProbe, "吉野家で牛丼を食べました。"); // 吉 instead of 𠮷
    expect(other.score!).toBeGreaterThan(0);
    expect(other.score!).toBeLessThan(type === "token_f1" ? 1 : 100);
  });

  it("chrF counts 𠮷 as one character n-gram", () => {
    const result = run("chrf", probe("ja", ["𠮷"]), "𠮷");
    expect((result.details.stats as { hyp: number[] }).hyp[0]).toBe(1);
  });

  it.each(TYPES)("%s: mixed scripts score sensibly", (type) => {
    const p = probe("ja", ["東京タワーはTokyo Towerとも呼ばれ、高さは333メートルです。"]);
    const close = run(type, p, "東京タワーはTokyo Towerと呼ばれ、高さ333メートルです。");
    const far = run(type, p, "Привет мир 안녕하세요 hello");
    expect(close.score!).toBeGreaterThan(far.score!);
    expect(Number.isFinite(close.score!)).toBe(true);
  });

  it.each(TYPES)("%s: a very long looping output is handled and penalized", (type) => {
    const reference = "東京は日本の首都です。";
    const output = "東京は日本の首都です。".repeat(2000); // 22,000 characters
    const result = run(type, probe("ja", [reference]), output);
    expect(Number.isFinite(result.score!)).toBe(true);
    expect(result.score!).toBeGreaterThanOrEqual(0);
    expect(result.score!).toBeLessThan(type === "token_f1" ? 0.1 : 50);
  });
});

describe("thresholds, references and details", () => {
  const p = probe("zh", ["我们明天去北京大学。"]);

  it.each([
    ["bleu", 50, 90],
    ["chrf", 50, 90],
    ["chrf++", 40, 90],
    ["token_f1", 0.5, 0.95],
  ] as const)("%s passes at or above min_score and fails below it", (type, low, high) => {
    const output = "我们今天去北京大学。";
    const passing = run(type, p, output, { min_score: low });
    expect(passing.pass).toBe(true);
    expect(passing.details.reason).toMatch(/at or above min_score/);
    const failing = run(type, p, output, { min_score: high });
    expect(failing.pass).toBe(false);
    expect(failing.details.reason).toMatch(/below min_score/);
    expect(failing.score).toBe(passing.score);
  });

  it.each(TYPES)("%s without min_score is informational: no verdict (pass null), and says why", (type) => {
    const result = run(type, p, "完全无关的句子");
    expect(result.pass).toBeNull();
    expect(result.details.reason).toMatch(/no min_score threshold is set/);
  });

  it.each(TYPES)("%s uses the check's own expected over the probe's, and reports the best reference", (type) => {
    const result = run(type, p, "the cat sat on the mat", { expected: ["a dog barked", "the cat sat on the mat"] });
    expect(result.score).toBeCloseTo(type === "token_f1" ? 1 : 100, 9);
    expect(result.details.reference).toBe("the cat sat on the mat");
    expect(result.details.reference_index).toBe(1);
    expect(result.details.nrefs).toBe(2);
  });

  it.each(TYPES)("%s with no reference at all: no score, a failure that says why", (type) => {
    // The loader refuses such a probe (validate: "needs expected values"); run's own guard is for callers that bypass it.
    expect(() => run(type, probe("en", []), "anything")).toThrow(/needs expected values/);
    const result = definition(type).run({ params: {}, probe: probe("en", []), output: "anything", stopReason: null, outputTokens: null, likelihood: null, judgement: null, services });
    expect(result.score).toBeNull();
    expect(result.pass).toBe(false);
    expect(result.details.reason).toMatch(/no reference/);
  });

  it("records signature, statistics and configuration for corpus scores", () => {
    const outputs = ["我们今天去北京大学。", "他们明天去北京。", ""];
    const results = outputs.flatMap((output, i) =>
      TYPES.map((type) => run(type, probe("zh", ["我们明天去北京大学。"], `p${i}`), output)),
    );
    for (const result of results) {
      expect(result.details.signature).toMatch(/version:bonsai-1$/);
      expect(result.details.stats).toBeTruthy();
      expect(result.details.metric).toBeTruthy();
    }
    const corpus = corpusScores(results);
    expect(corpus.map((score) => score.type)).toEqual(["bleu", "chrf", "chrf++", "token_f1"]);
    const bleuCorpus = corpus[0]!;
    expect(bleuCorpus.segments).toBe(3);
    expect(bleuCorpus.signature).toBe("bleu|nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:bonsai-1");
    for (const score of corpus) expect(Number.isFinite(score.score)).toBe(true);
    // Corpus BLEU is computed from summed statistics, not as a mean of sentence scores.
    const bleuResults = results.filter((result) => result.type === "bleu");
    const mean = bleuResults.reduce((sum, result) => sum + result.score!, 0) / bleuResults.length;
    expect(bleuCorpus.score).not.toBeCloseTo(mean, 3);
    // Different tokenizers are different corpora.
    const mixed = corpusScores([...bleuResults, run("bleu", p, "我们", { tokenize: "char" })]);
    expect(mixed.map((score) => score.signature)).toEqual([
      "bleu|nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:bonsai-1",
      "bleu|nrefs:1|case:mixed|eff:no|tok:char|smooth:exp|version:bonsai-1",
    ]);
  });
});
