/** The language check on short kana-less Han sentences: the character standards, the word segmenters, the word lists, the neighbours. */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeDrift } from "../src/lang/drift.js";
import { CHINESE_FUNCTION_CHARACTERS, chineseFunctionWords } from "../src/lang/drift-grammar.js";
import { JAPANESE_FUNCTION_WORDS_MODULE, deriveJapaneseFunctionWords, renderJapaneseFunctionWordsModule } from "../src/lang/drift-grammar-generate.js";
import { generateHanWordFrequencies } from "../src/lang/han-word-frequencies-generate.js";
import { HAN_WORD_FREQUENCIES_RELEASE, leaningWord } from "../src/lang/han-word-frequencies.js";
import type { LanguageServices } from "../src/lang/services.js";
import { check, drifted, loadLanguageCheckServices } from "./check-language-helpers.js";

let services: LanguageServices;
beforeAll(async () => {
  services = await loadLanguageCheckServices();
});

describe("language check: short sentences", () => {
  it("short Chinese sentences without kana are Chinese, Simplified or Traditional", () => {
    for (const output of ["我想要更多。", "看起来不错。", "不要烦我。", "我是個英雄。", "我走了。", "你說什麼？"]) {
      const result = check(output);
      expect(result, output).toMatchObject({ score: 1, pass: false });
      expect(drifted(result), output).toEqual([expect.objectContaining({ language: "zh" })]);
      expect(check(output, "zh"), output).toMatchObject({ score: 0, pass: true });
    }
    // Shared characters only: the sentence form decides, and the evidence says so.
    const [segment] = drifted(check("我是個英雄。")) as unknown as Array<{ evidence: string }>;
    expect(segment!.evidence).toMatch(/sentence of 5 Han characters without kana/);
    // Characters only Chinese writes decide even without a full stop.
    expect(drifted(check("不要烦我"))).toEqual([expect.objectContaining({ language: "zh" })]);
  });

  it("a terse kana-less Japanese line is Sino-Japanese nouns, a terse Chinese one carries Chinese grammar", () => {
    // Function characters inside Japanese words (完了 不能 目的) or as an affix on a compound (-的) are not grammar.
    for (const output of ["準備完了。", "署名不能。", "分遣署名。", "確定的?", "送信完了。", "入力不要。", "要確認。"]) {
      expect(check(output), output).toMatchObject({ score: 0, pass: true });
    }
    for (const [output, grammar] of [["我同意。", "我"], ["好的。", "的"], ["是的。", "是"], ["電話響了。", "了"], ["連上了。", "了"], ["地震好大！", "好"], ["頭好痛。", "好"]]) {
      const result = check(output!);
      expect(result, output).toMatchObject({ score: 1, pass: false });
      const [segment] = drifted(result) as unknown as Array<{ evidence: string }>;
      expect(segment!.evidence, output).toContain(`${grammar}: a function word of its own`);
      expect(check(output!, "zh").pass, output).toBe(true);
    }
    // Without the segmenters (analyzeDrift called without dictionaries), the IPADIC word list decides the same lines.
    for (const [output, grammar] of [["我同意。", "我"], ["好的。", "好的"], ["是的。", "是的"], ["電話響了。", "了"], ["連上了。", "了"]]) {
      const [segment] = analyzeDrift(output!, { expected: ["ja"] }).segments;
      expect(segment, output).toMatchObject({ language: "zh", drift: true });
      expect(segment!.evidence, output).toContain(`with Chinese function words ${grammar}`);
    }
    // Chinese grammar outweighs a Japanese neighbour: appended short Chinese is drift.
    expect(drifted(check("富士山は日本で一番高い山です。我想要更多。"))).toEqual([expect.objectContaining({ text: "我想要更多", language: "zh" })]);
    // Without kana, Chinese grammar, distinguishing characters or a word only one dictionary has, the expected language decides.
    expect(check("操作失敗。", "zh").pass).toBe(true);
    expect(check("操作失敗。", "ja").pass).toBe(true);
    expect(chineseFunctionWords(Array.from("我是個英雄"), 0, 5)).toEqual(["我", "是", "個"]);
    expect(chineseFunctionWords(Array.from("準備完了"), 0, 4)).toEqual([]);
  });

  it("a kana-less line is read by kuromoji and jieba: Chinese where IPADIC falls apart, Japanese where jieba lacks a word", () => {
    // The IPADIC pair list missed these (校了 is a Japanese word; 今天 星期一 加油 have no function character).
    for (const [output, reading] of [
      ["他去学校了。", "他: a function word of its own"],
      ["今天星期一。", "今天: a jieba word IPADIC has no word for"],
      ["加油！", "加: a one-kanji piece of a name"],
      ["干杯！", "干: a verb or adjective without kana"],
      ["請等一下。", "請: not in IPADIC"],
      ["謝謝。", "謝謝: one kanji twice"],
      // 他 is a Japanese prefix before a word, but not before 不在, two Chinese function words.
      ["他不在。", "他: a function word of its own"],
    ]) {
      const result = check(output!);
      expect(result, output).toMatchObject({ score: 1, pass: false });
      expect((drifted(result) as unknown as Array<{ evidence: string }>)[0]!.evidence, output).toContain(reading);
      expect(check(output!, "zh").pass, output).toBe(true);
      expect(analyzeDrift(output!, { expected: ["ja"] }).share, `${output} without the segmenters`).toBe(0);
    }
    // Japanese compounds kuromoji reads whole, prefixes and suffixes included, stay Japanese.
    for (const output of ["一期一会。", "立入禁止。", "再起動中。", "不合格。", "確定的?", "心配無用。", "個人情報保護方針。"]) {
      expect(check(output), output).toMatchObject({ score: 0, pass: true });
    }
    // A word jieba's (Simplified) dictionary lacks makes a kana-less line Japanese under zh; a Traditional word (失敗) does not.
    const result = check("送信完了。", "zh");
    expect(result).toMatchObject({ score: 1, pass: false });
    expect((drifted(result) as unknown as Array<{ language: string; evidence: string }>)[0]).toMatchObject({
      language: "ja",
      evidence: expect.stringContaining("words jieba's dictionary lacks or rarely counts (完了)"),
    });
    expect(check("操作失敗。", "zh").pass).toBe(true);
    // 件名 inside jieba's 文件名, and 不在 (two Chinese function words), are no Japanese evidence.
    expect(check("未指定文件名。", "zh").pass).toBe(true);
    expect(check("他不在家。", "zh").pass).toBe(true);
  });

  it("jieba reads Traditional and Japanese forms in their Simplified ones, and a word it rarely counts is Japanese", () => {
    // Read as written, jieba's Simplified dictionary had none of these words: 網路 錯誤 多謝 were single characters, and so were 無料 勿論.
    expect(services.chineseDictionaryWords("網路錯誤")).toEqual(["網路", "錯誤"]);
    expect(services.chineseDictionaryWords("準備万端")).toEqual(["準備", "万端"]);
    // Traditional forms first: OpenCC's Japanese route alone takes 衛 to 衞, which jieba lacks; and it is not run over
    // Simplified characters, which it rewrites (研 → 硏, 概 → 槪, 欠 → 缺: a review found 研究概念翻译 read one by one).
    expect(services.chineseDictionaryWords("衛生紙")).toEqual(["衛生紙"]);
    expect(services.chineseDictionaryWords("研究概念翻译")).toEqual(["研究", "概念", "翻译"]);
    expect(services.chineseWordsPerMillion("研究")).toBeGreaterThan(100);
    for (const output of ["概率。", "欠条。", "芸豆。"]) expect(check(output, "ja").pass, output).toBe(false);
    for (const [output, word] of [["網路錯誤。", "網路"], ["快上車！", "快上車"]]) {
      const result = check(output!);
      expect(result, output).toMatchObject({ score: 1, pass: false });
      expect((drifted(result) as unknown as Array<{ evidence: string }>)[0]!.evidence, output).toContain(`${word}: a jieba word IPADIC has no word for`);
      expect(check(output!, "zh").pass, output).toBe(true);
    }
    // 無料 is 无料 to jieba, which it lacks; 本当 休憩 休业 it counts under once per million words (注意 164 times).
    for (const [output, evidence] of [
      ["無料。", "(無料)"],
      ["勿論。", "(勿論)"],
      ["本当？", "本当 (0.72 per million in jieba)"],
      ["休憩。", "休憩 (0.85 per million in jieba)"],
      ["休業中。", "休業 (0.05 per million in jieba)"],
    ]) {
      const result = check(output!, "zh");
      expect(result, output).toMatchObject({ score: 1, pass: false });
      expect((drifted(result) as unknown as Array<{ language: string; evidence: string }>)[0], output).toMatchObject({ language: "ja", evidence: expect.stringContaining(evidence!) });
      expect(check(output!, "ja").pass, output).toBe(true);
    }
    expect(services.chineseWordsPerMillion("注意")).toBeCloseTo(164.3, 1);
    expect(services.chineseWordsPerMillion("無料")).toBe(0);
    // A compound IPADIC lists that jieba cuts into words of its own is one jieba lacks: 非常口 is 非常/口 to it, 現在地 现在/地.
    for (const [output, word] of [["非常口。", "(非常口)"], ["現在地。", "(現在地)"]]) {
      const result = check(output!, "zh");
      expect(result, output).toMatchObject({ score: 1, pass: false });
      expect((drifted(result) as unknown as Array<{ evidence: string }>)[0]!.evidence, output).toContain(word);
    }
    // A number with its counter, its ordinal prefix or both is one Japanese word, not single characters jieba joins
    // (何时 第一 第一章 第三回: IPADIC reads 第/三/回); a jieba word reaching past it is still Chinese (第二天: 天 is no counter).
    for (const output of ["今何時？", "安全第一。", "第一章。", "第三回定例会議。", "第一次産業。"]) expect(check(output, "ja").pass, output).toBe(true);
    for (const output of ["第二天。", "第一次去日本。", "第二天早上。"]) expect(check(output, "ja").pass, output).toBe(false);
    // Words Chinese writes often stay the expected language's: 注意 未定 確認 (in its Simplified form 确认, 26 per million).
    for (const output of ["注意！", "未定。", "確認中。", "操作失敗。"]) {
      expect(check(output, "zh").pass, output).toBe(true);
      expect(check(output, "ja").pass, output).toBe(true);
    }
  });

  it("a kana-less line with a word one language writes a hundred times as often as the other is that language's", () => {
    // wordfreq's lists (Zipf): 多謝 ja 1.77 zh 3.94, 脚下 1.48/3.93; 料金 4.50 and 本日 4.63 Chinese does not list; 終了 5.13/2.98.
    for (const [output, language, word] of [
      ["多謝。", "zh", "多謝"],
      ["注意脚下。", "zh", "脚下"],
      ["料金表。", "ja", "料金"],
      ["本日出社。", "ja", "本日"],
      ["通話終了。", "ja", "終了"],
    ]) {
      const other = language === "ja" ? "zh" : "ja";
      const result = check(output!, other);
      expect(result, output).toMatchObject({ score: 1, pass: false });
      expect((drifted(result) as unknown as Array<{ language: string; evidence: string }>)[0], output).toMatchObject({
        language,
        evidence: expect.stringContaining(`a hundred times as often`),
      });
      expect((drifted(result) as unknown as Array<{ evidence: string }>)[0]!.evidence, output).toContain(`${word} (Zipf`);
      expect(check(output!, language).pass, output).toBe(true);
    }
    // Words both write often say nothing, however much more one writes them (進入 ja 3.64, zh 5.54): the expected language's.
    for (const output of ["進入禁止。", "禁止進入。", "系統錯誤。"]) {
      expect(check(output, "zh").pass, output).toBe(true);
      expect(check(output, "ja").pass, output).toBe(true);
    }
    // Japanese writes Sino-Japanese words of Chinese use a few times per ten million words in formal kana-less lines
    // (公布 ja 2.99, 故事 2.86, 熱情 2.71, 版本 2.52): a Chinese-leaning word is one Japanese writes under once per ten million.
    for (const output of ["憲法公布。", "故事成語。", "熱情。", "不断努力。", "事物。", "利潤追求。", "版本。", "符合。", "華人社会。"]) {
      expect(check(output, "ja").pass, output).toBe(true);
    }
    expect(leaningWord("進入")).toBeNull();
    expect(leaningWord("公布")).toBeNull();
    expect(leaningWord("多謝")).toEqual({ language: "zh", ja: 1.77, zh: 3.94 });
  });

  it("a neighbouring sentence outweighs the word lists: a formal kana-less line among Japanese sentences is Japanese", () => {
    for (const output of [
      "日本国憲法について説明します。1946年11月3日、憲法公布。翌年5月3日に施行されました。",
      "主な特徴は次のとおりです。\n・熱情。\n・不断努力。\n・利潤追求。\nどれも大切です。",
      "お礼を伝えるときの言い方です。多謝。香港ではよく使われます。",
    ]) {
      expect(check(output, "ja"), output).toMatchObject({ score: 0, pass: true });
    }
    // Alone, 多謝。 is Chinese under ja; after a Chinese sentence, 料金表。 is Chinese under zh.
    expect(check("多謝。", "ja").pass).toBe(false);
    expect(check("请看下面的价格。料金表。", "zh").pass).toBe(true);
  });

  it("the word table keeps, by Simplified forms, the words one language writes a hundred times as often, from a wordfreq dump", () => {
    const dump = [
      "wordfreq@3.1.1",
      "ja\t終了\t5.13",
      "zh\t终了\t2.98",
      "ja\t注意\t5.16",
      "zh\t注意\t5.35",
      "zh\t明天\t5.08",
      "ja\t明天\t2.56",
      "zh\t多谢\t3.94",
      "ja\t多謝\t1.77",
      "ja\t進入\t3.64",
      "zh\t进入\t5.54",
      "",
      "ja\t料金\t4.50",
    ].join("\r\n");
    const source = generateHanWordFrequencies(dump);
    expect(source).toContain('export const HAN_WORD_FREQUENCIES_RELEASE = "wordfreq@3.1.1";');
    // 明天: Japanese writes it 2.56, more than once per ten million words, so it leans to neither.
    expect(/HAN_WORD_FREQUENCIES = `([^`]*)`/.exec(source)![1]!.split("\n")).toEqual(["多谢\tzh\t1.77\t3.94", "料金\tja\t4.50\t0.00", "终了\tja\t5.13\t2.98"]);
    expect(() => generateHanWordFrequencies("ja\t終了\t5.13")).toThrow(/first line should be wordfreq@VERSION/);
    expect(() => generateHanWordFrequencies("wordfreq@3.1.1\nja\t終了")).toThrow(/dump line 2: expected ja\|zh<TAB>word<TAB>zipf/);
    expect(HAN_WORD_FREQUENCIES_RELEASE).toBe("wordfreq@3.1.1");
  });

  it("a bare Japanese name or place in a Chinese answer, and lines of words both languages write, stay Chinese under zh", () => {
    // Word frequencies would call them Japanese (Japanese writes Japan's names more often); nothing else tells, so the expected language holds.
    for (const output of ["大阪。", "北海道。", "名古屋市。", "田中先生。", "川端康成。", "全体起立。", "金木水火土。", "甲乙丙丁。"]) {
      expect(check(output, "zh").pass, output).toBe(true);
    }
  });

  it("a number in Han numerals before its counter is no jieba word IPADIC lacks: a time or a date written in them is Japanese under ja", () => {
    // 十八 is one jieba word where IPADIC lists every numeral apart (十/八), as it lists 何 and 時 apart.
    for (const output of ["開場十八時。", "開演十九時。", "十二月二十五日必着。"]) expect(check(output, "ja").pass, output).toBe(true);
    // Numerals with no counter after them are words (千万, an adverb; 一五一十, an idiom), and a Chinese word that only
    // starts with a numeral (一下 → 一/下) is still a jieba word IPADIC lacks; so is a long run of numerals.
    for (const output of ["看一下。", "千万注意。", "一五一十。", "我去便利商店一下", "明天早上八点集合"]) expect(check(output, "ja").pass, output).toBe(false);
  });

  it("a long run of numerals is judged whole, whatever its length", () => {
    expect(check(`${"一二三四五六七八九十".repeat(200)}。`, "zh").pass).toBe(true);
    expect(check(`${"一".repeat(2000)}時。`, "ja").pass).toBe(false);
  });

  it("a kana-less line in Traditional forms beside Simplified ones, which no Chinese standard writes together, is Japanese", () => {
    for (const [output, traditional, simplified] of [["電池残量低下。", "電", "残"], ["会議延期。", "議", "会"]]) {
      const result = check(output!, "zh");
      expect(result, output).toMatchObject({ score: 1, pass: false });
      expect((drifted(result) as unknown as Array<{ language: string; evidence: string }>)[0], output).toMatchObject({
        language: "ja",
        evidence: expect.stringContaining(`in Traditional forms (${traditional}) beside Simplified ones (${simplified})`),
      });
      expect(check(output!, "ja").pass, output).toBe(true);
    }
    // One standard's forms throughout is Chinese either way, and Chinese grammar outweighs the mix (个 and 電 together).
    for (const output of ["電池電量不足。", "电池电量不足。", "會議延期。", "会议延期。", "我的電池没电了。"]) expect(check(output, "zh").pass, output).toBe(true);
    // A glyph variant Big5 lacks (内 for 內, 温 for 溫), common in Traditional Chinese, is not a Simplified form.
    for (const output of ["内容錯誤。", "温度過高。"]) expect(check(output, "zh").pass, output).toBe(true);
  });

  it("the Japanese words of function characters are what the generator derives from IPADIC", async () => {
    const derived = await deriveJapaneseFunctionWords();
    expect(readFileSync(JAPANESE_FUNCTION_WORDS_MODULE, "utf8")).toBe(renderJapaneseFunctionWordsModule(derived));
    expect(derived.words).toEqual(expect.arrayContaining(["完了", "終了", "不能", "目的", "我慢", "現在"]));
    expect(derived.words).not.toContain("是的");
    expect(derived.suffixes).toContain("的");
    expect(derived.prefixes).toContain("不");
    for (const char of [...derived.prefixes, ...derived.suffixes]) expect(CHINESE_FUNCTION_CHARACTERS.has(char), char).toBe(true);
  });

  it("a Chinese line without a full stop is Chinese when it is longer than Japanese compounds", () => {
    const result = check("目前没有可用的更新");
    expect(result).toMatchObject({ score: 1, pass: false });
    expect((drifted(result)[0] as unknown as { evidence: string }).evidence).toMatch(/run of 9 Han characters/);
    expect(check("富士山は日本で一番高い山です。\n北京是中国的首都").pass).toBe(false);
    for (const output of ["浮動小数点例外", "自宅電話番号", "| zh_CN | 中国語 (中華人民共和国) |"]) {
      expect(check(output), output).toMatchObject({ score: 0, pass: true });
    }
  });

  it("a Chinese sentence appended to a Japanese answer is drift; a short kana-less one among Japanese sentences is not", () => {
    const appended = check("富士山は日本で一番高い山です。我是個英雄，我想要更多而且不要停下来。");
    expect(appended.pass).toBe(false);
    expect(drifted(appended)).toEqual([expect.objectContaining({ start: 15, end: 33, language: "zh" })]);
    expect(drifted(check("富士山は日本で一番高い山です。不要烦我。"))).toEqual([expect.objectContaining({ text: "不要烦我" })]);
    // Next to Japanese sentences, a kana-less short one is Japanese (a label and a name), not Chinese.
    expect(check("結論：富士山。\n日本で一番高い山は富士山で、標高は3776メートルです。").score).toBe(0);
  });

  it("a whole answer that is a short sentence in another language is drift", () => {
    for (const output of ["I left.", "Goodbye!", "Who ran?"]) {
      const result = check(output);
      expect(result, output).toMatchObject({ score: 1, pass: false });
      expect(result.details.notes, output).toBeUndefined();
      expect(check(output, "en").pass, output).toBe(true);
      expect(check(output, "zh").pass, output).toBe(false);
    }
    // …unless the answer is listed in `allow`.
    expect(check("Goodbye!", "ja", { allow: ["goodbye"] })).toMatchObject({ score: null, pass: true });
  });

  it("appended short English is still caught, a term inside Japanese is not drift", () => {
    expect(check("東京は日本の首都です。Goodbye!").pass).toBe(false);
    expect(drifted(check("答えは富士山です。\nThanks!"))).toEqual([expect.objectContaining({ text: "Thanks", language: "en" })]);
    expect(check("iPhoneを買いました。").score).toBe(0);
    expect(check("おすすめ：\n- Vim\n- VS Code").score).toBe(0);
  });
});
