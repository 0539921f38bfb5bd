import { beforeAll, describe, expect, it } from "vitest";
import { length, type LengthParams } from "../src/checks/length.js";
import { refusal, REFUSAL_PHRASES, type RefusalParams } from "../src/checks/refusal.js";
import type { CheckDefinition } from "../src/checks/types.js";
import type { CheckResult } from "../src/format/check-result.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import type { Probe } from "../src/format/suite.js";
import { makeProbe } from "./helpers.js";
import { scoreCheck } from "./check-harness.js";

let services: LanguageServices;
let withModel: LanguageServices;
beforeAll(async () => {
  services = await loadLanguageServices(["ja", "zh"]);
  // A stand-in model tokenizer: one token per code point.
  withModel = await loadLanguageServices([], { modelTokenCount: (text) => Array.from(text).length });
});

function probe(language: string): Probe {
  return makeProbe({
    suite: "test",
    id: "p",
    prompt: "…",
    category: "closed_qa",
    language,
    expected: [],
  });
}

function run<P>(
  definition: CheckDefinition<P>,
  params: P,
  output: string,
  options: { language?: string; outputTokens?: number | null; services?: LanguageServices } = {},
): CheckResult {
  return scoreCheck(
    { type: definition.type, ...params },
    { output, stopReason: "eog", outputTokens: options.outputTokens ?? null },
    options.services ?? services,
    { probe: probe(options.language ?? "ja") },
  );
}

const measure = (params: LengthParams, output: string, options: Parameters<typeof run>[3] = {}): CheckResult =>
  run(length, params, output, options);

describe("length", () => {
  it("counts code points: 𠮷 and emoji are one character", () => {
    const result = measure({ max_length: 5 }, "𠮷野家😀！");
    expect(result.pass).toBe(true);
    expect(result.score).toBe(5);
    expect(result.details.reason).toBe("5 chars, within [0, 5]");
    expect("𠮷野家😀！".length).toBe(7); // UTF-16 would say 7
  });

  it("trims surrounding whitespace for chars, and highlights what runs past max_length", () => {
    const result = measure({ min_length: 1, max_length: 3 }, "\n 𠮷野家です \n");
    expect(result.pass).toBe(false);
    expect(result.score).toBe(5);
    expect(result.details.reason).toBe("5 chars > max_length 3");
    expect(result.details.highlights).toEqual([{ start: 5, end: 7, label: "beyond max_length 3" }]);
    expect(measure({ min_length: 1 }, "   ").details.reason).toBe("0 chars < min_length 1");
  });

  it("counts language-aware words", () => {
    const ja = measure({ unit: "words", max_length: 3 }, "富士山は日本で一番高い山です。", { language: "ja" });
    expect(ja.details.counted_by).toBe("kuromoji words");
    expect(ja.score).toBeGreaterThan(5);
    expect(ja.pass).toBe(false);
    const highlight = ja.details.highlights?.[0];
    expect(highlight?.start).toBeGreaterThan(0);
    expect(highlight?.end).toBe(15);
    const zh = measure({ unit: "words", min_length: 2, max_length: 10 }, "我们今天去北京大学。", { language: "zh" });
    expect(zh.details.counted_by).toBe("jieba words");
    expect(zh.pass).toBe(true);
    const en = measure({ unit: "words", max_length: 4 }, "The capital of France is Paris.", { language: "en" });
    expect(en.score).toBe(7); // six words and the full stop
    expect(en.details.highlights).toEqual([{ start: 22, end: 31, label: "beyond max_length 4" }]);
  });

  it("counts tokens with the model's tokenizer, else the recorded output_tokens", () => {
    const byModel = measure({ unit: "tokens", max_length: 10 }, "富士山です。", { services: withModel, outputTokens: 99 });
    expect(byModel.score).toBe(6);
    expect(byModel.details.counted_by).toBe("model tokenizer");
    const recorded = measure({ unit: "tokens", max_length: 10 }, " 富士山です。\n", { outputTokens: 4 });
    expect(recorded.score).toBe(4);
    expect(recorded.details.counted_by).toBe("recorded output_tokens");
    expect(recorded.pass).toBe(true);
  });

  it("explains why tokens cannot be counted", () => {
    const none = measure({ unit: "tokens", max_length: 10 }, "富士山です。");
    expect(none.pass).toBe(false);
    expect(none.score).toBeNull();
    expect(none.details.reason).toBe("cannot count tokens: no model tokenizer is loaded and the output has no recorded output_tokens");
    const trimmed = measure({ unit: "tokens", max_length: 10, trim: true }, " 富士山です。", { outputTokens: 4 });
    expect(trimmed.details.reason).toMatch(/recorded output_tokens count the untrimmed output \(set trim: false\)/);
  });

  it("validates its bounds", () => {
    expect(length.validate?.({}, probe("ja"))).toBe("set min_length, max_length or both");
    expect(length.validate?.({ min_length: 5, max_length: 2 }, probe("ja"))).toBe("min_length 5 is greater than max_length 2");
    expect(length.services?.({ unit: "words", max_length: 1 }, probe("zh"))).toEqual(["zh"]);
    expect(length.services?.({ max_length: 1 }, probe("zh"))).toEqual([]);
  });
});

const judge = (params: RefusalParams, output: string): CheckResult => run(refusal, params, output);

describe("refusal", () => {
  it.each([
    ["ja", "申し訳ありませんが、その質問には回答できません。", "回答できません"],
    ["ja", "その人物については存じません。", "存じません"],
    ["ja", "すみません、わかりません。", "わかりません"],
    ["zh", "抱歉，我无法回答这个问题。", "无法回答"],
    ["zh", "我不知道这个人是谁。", "我不知道"],
    ["en", "I'm sorry, but I cannot answer that question.", "i cannot answer"],
    ["en", "Honestly, I don’t know.", "i don't know"],
  ])("%s: %s", (_language, output, phrase) => {
    const result = judge({}, output);
    expect(result.pass, result.details.reason).toBe(true);
    expect(result.score).toBe(1);
    expect(result.details.refused).toBe(true);
    expect(result.details.phrase).toBe(phrase);
    const highlight = result.details.highlights?.[0];
    expect(highlight?.label).toBe("refusal");
    // The highlight covers the phrase as written in the output (code points).
    const shown = Array.from(output).slice(highlight?.start, highlight?.end).join("").normalize("NFKC").toLowerCase().replace("’", "'");
    expect(shown).toBe(phrase);
  });

  it("an answer is not a refusal", () => {
    for (const output of ["日本で一番高い山は富士山です。", "北京是中国的首都。", "The capital of France is Paris.", "Childhood memories often fade."]) {
      const result = judge({}, output);
      expect(result.pass).toBe(false);
      expect(result.score).toBe(0);
      expect(result.details.reason).toMatch(/^no refusal phrase found/);
    }
  });

  it("full-width and mixed-width text is normalized (NFKC)", () => {
    expect(judge({}, "Ｉ　ＤＯＮ'Ｔ　ＫＮＯＷ").pass).toBe(true);
    expect(judge({}, "我不知道").details.highlights).toEqual([{ start: 0, end: 4, label: "refusal" }]);
  });

  it("expect: answer is the inverse", () => {
    const answered = judge({ expect: "answer" }, "日本で一番高い山は富士山です。");
    expect(answered.pass).toBe(true);
    expect(answered.details.reason).toBe("answered: no refusal phrase found");
    const refused = judge({ expect: "answer" }, "その質問にはお答えできません。");
    expect(refused.pass).toBe(false);
    expect(refused.details.reason).toBe('refused, but an answer was expected: "お答えできません"');
    expect(judge({ expect: "answer" }, "").pass).toBe(true);
  });

  it("extra phrases, and only them", () => {
    expect(judge({ phrases: ["学習データに含まれていません"] }, "その情報は学習データに含まれていません。").details.phrase).toBe("学習データに含まれていません");
    expect(judge({ phrases: ["no comment"], builtin_phrases: false }, "I don't know.").pass).toBe(false);
    expect(refusal.validate?.({ builtin_phrases: false }, probe("ja"))).toMatch(/needs at least one entry/);
  });

  it("Latin phrases match whole words only", () => {
    expect(judge({}, "Ohi don't know").pass).toBe(false);
    expect(judge({}, "Well, I don't know!").pass).toBe(true);
  });

  it("every built-in phrase refuses on its own", () => {
    for (const phrase of [...REFUSAL_PHRASES.ja, ...REFUSAL_PHRASES.zh, ...REFUSAL_PHRASES.en]) {
      expect(judge({}, phrase).pass, phrase).toBe(true);
    }
  });
});
