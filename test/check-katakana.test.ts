import { beforeAll, describe, expect, it } from "vitest";
import { katakana, type KatakanaParams } from "../src/checks/katakana.js";
import { BUILTIN_CHECKS } from "../src/checks/builtins.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import { katakanaWords } from "../src/lang/katakana.js";
import type { Probe } from "../src/format/suite.js";
import { makeProbe } from "./helpers.js";
import { scoreCheck } from "./check-harness.js";

function probe(expected: string[], overrides: Partial<Probe> = {}): Probe {
  return makeProbe({
    suite: "ja-katakana",
    id: "wonton",
    prompt: "中華料理の「wonton」はカタカナで何と書きますか？",
    category: "open_qa",
    language: "ja",
    expected,
    ...overrides,
  });
}

let services: LanguageServices;
beforeAll(async () => {
  services = await loadLanguageServices(["ja"]);
});

function check(output: string, expected: string[] | string, params: KatakanaParams = {}) {
  const list = typeof expected === "string" ? [expected] : expected;
  return scoreCheck({ type: "katakana", ...params }, { output, stopReason: "eog" }, services, { probe: probe(list) });
}

describe("katakana check: the users' cases", () => {
  it("ウォントン for ワンタン is a wrong transliteration, 2 morae off, highlighted", () => {
    const output = "それはウォントンです。";
    const result = check(output, "ワンタン");
    expect(result.pass).toBe(false);
    expect(result.score).toBe(2);
    expect(result.details.case).toBe("wrong_transliteration");
    expect(result.details.matched).toBe("ウォントン");
    expect(result.details.highlights).toEqual([{ start: 3, end: 8, label: "wrong katakana" }]);
    expect(result.details.reason).toContain("ウォントン");
  });

  it("ワンタン is exact", () => {
    const result = check("ワンタンです。", "ワンタン");
    expect(result).toMatchObject({ type: "katakana", score: 0, pass: true });
    expect(result.details.case).toBe("exact");
    expect(result.details.highlights).toEqual([{ start: 0, end: 4, label: "expected" }]);
  });

  it("finds the expected form inside a longer katakana word", () => {
    const result = check("ワンタンメンが好きです", "ワンタン");
    expect(result.details.case).toBe("exact");
    expect(result.details.highlights).toEqual([{ start: 0, end: 4, label: "expected" }]);
    const soup = check("ウォントンスープです", "ワンタン");
    expect(soup.details.case).toBe("wrong_transliteration");
    expect(soup.score).toBe(2);
    expect(soup.details.matched).toBe("ウォントン");
  });

  it('"wonton" has no katakana and says the answer was in Latin script', () => {
    const result = check("wonton", "ワンタン");
    expect(result).toMatchObject({ score: null, pass: false });
    expect(result.details.case).toBe("no_katakana");
    expect(result.details.dominant_script).toBe("latin");
    expect(result.details.reason).toMatch(/Latin script/);
  });

  it("an answer in kanji is reported as kanji", () => {
    const result = check("雲呑です", ["ワンタン", "wonton"]);
    expect(result.details.case).toBe("no_katakana");
    expect(result.details.dominant_script).toBe("han");
  });

  it("an expected word in kanji is compared by its kuromoji reading", () => {
    const definition = katakana;
    expect(definition.services!({ expected: "富士山" }, probe([]))).toEqual(["ja"]);
    expect(definition.services!({}, probe(["ワンタン", "wonton"]))).toEqual([]);
    const result = check("日本一高い山はフジサンです", "富士山");
    expect(result.details.case).toBe("exact");
    expect(result.details.expected_katakana).toBe("フジサン");
    expect(result.details.reason).toContain("read フジサン");
    expect(check("フジヤマです", "富士山").details).toMatchObject({ case: "wrong_transliteration", distance: 2 });
    // 雲呑 reads ワンタン, so the kanji spelling of the dish works as the expected form too.
    expect(check("ウォントン", "雲呑").score).toBe(2);
  });

  it("the expected kanji written as is counts as exact", () => {
    const result = check("答えは富士山です。", "富士山");
    expect(result.details.case).toBe("exact");
    expect(result.details.highlights).toEqual([{ start: 3, end: 6, label: "expected" }]);
  });

  it("hiragana expected forms are converted without kuromoji", () => {
    expect(katakana.services!({ expected: "わんたん" }, probe([]))).toEqual([]);
    expect(check("ワンタン", "わんたん").details.case).toBe("exact");
  });
});

describe("katakana check: accepted variants", () => {
  it("コンピューター / コンピュータ (final ー optional), both ways", () => {
    const a = check("コンピュータを使います", "コンピューター");
    expect(a).toMatchObject({ score: 0, pass: true });
    expect(a.details.case).toBe("variant");
    const b = check("コンピューターを使います", "コンピュータ");
    expect(b.details.case).toBe("variant");
    expect(b.details.highlights).toEqual([{ start: 0, end: 7, label: "variant" }]);
    const inside = check("コンピューターウイルスに注意", "コンピュータ");
    expect(inside.details).toMatchObject({ case: "variant", matched: "コンピューター" });
    // Strict mode keeps the long vowel: one mora off.
    const strict = check("コンピュータ", "コンピューター", { mode: "strict" });
    expect(strict).toMatchObject({ score: 1, pass: false });
    expect(strict.details.case).toBe("wrong_transliteration");
  });

  it("ゴールデンウィーク / ゴールデンウイーク", () => {
    expect(check("ゴールデンウイークに行きます", "ゴールデンウィーク").details.case).toBe("variant");
    expect(check("ゴールデンウィーク", "ゴールデンウイーク").details.case).toBe("variant");
  });

  it("ヴァイオリン / バイオリン", () => {
    const result = check("バイオリンを弾く", "ヴァイオリン");
    expect(result).toMatchObject({ score: 0, pass: true });
    expect(result.details.case).toBe("variant");
    expect(check("ヴァイオリン", "バイオリン", { mode: "strict" }).score).toBe(1);
  });

  it("フリーダイアル / フリーダイヤル is 1 mora: fails by default, passes with max_distance 1", () => {
    const strictDefault = check("フリーダイアルにお電話ください", "フリーダイヤル");
    expect(strictDefault).toMatchObject({ score: 1, pass: false });
    expect(strictDefault.details.case).toBe("wrong_transliteration");
    const tolerant = check("フリーダイアルにお電話ください", "フリーダイヤル", { max_distance: 1 });
    expect(tolerant).toMatchObject({ score: 1, pass: true });
    expect(tolerant.details.case).toBe("variant");
  });

  it("middle dot is optional in lenient mode", () => {
    expect(check("ワシントンポスト紙", "ワシントン・ポスト").details.case).toBe("variant");
    expect(check("ワシントン・ポスト紙", "ワシントン・ポスト").details.case).toBe("exact");
  });
});

describe("katakana check: tolerance scales with the word", () => {
  it("ピザ does not pass on ピアノ: a part of a longer word counts only when exact", () => {
    const result = check("ピアノです。", "ピザ", { max_distance: 1 });
    expect(result.pass).toBe(false);
    expect(result.details).toMatchObject({ case: "wrong_transliteration", partial: true, matched: "ピ" });
    expect(result.details.reason).toContain("only part of \"ピアノ\"");
  });

  it("a whole 2- or 3-mora word 1 mora off is another word, even at max_distance 1", () => {
    for (const [output, expected] of [["ピサ", "ピザ"], ["パンダ", "パンツ"], ["カメオ", "カメラ"]] as const) {
      const result = check(`${output}です。`, expected, { max_distance: 1 });
      expect(result.pass, `${output} for ${expected}`).toBe(false);
      expect(result.details).toMatchObject({ case: "wrong_transliteration", distance: 1, tolerance: 0, partial: false });
    }
    expect(check("カメオです", "カメラ", { max_distance: 1 }).details.reason).toContain("a 3 morae word tolerates 0");
    // Short words with a known variant list both.
    expect(check("ギブスで固定", ["ギプス", "ギブス"], { max_distance: 1 }).details.case).toBe("exact");
  });

  it("words of 4 morae or more keep max_distance 1; 8 or more could take 2", () => {
    expect(check("ダイアルを回す", "ダイヤル", { max_distance: 1 })).toMatchObject({ pass: true, score: 1 });
    expect(check("デジタル", "ディジタル", { max_distance: 1 }).details).toMatchObject({ case: "variant", tolerance: 1 });
    // 2 morae off: an 8-mora word passes at max_distance 2, a 7-mora word does not.
    expect(check("インターネッツアクセス", "インターネットアクセス", { max_distance: 2 }).pass).toBe(true);
    expect(check("インタネッツアクセス", "インターネットアクセス", { max_distance: 2 }).details.tolerance).toBe(2);
    const sevenMorae = check("フリーダヤール", "フリーダイヤル", { max_distance: 2 });
    expect(sevenMorae.pass).toBe(false);
    expect(sevenMorae.details).toMatchObject({ distance: 2, tolerance: 1 });
  });

  it("an approximate form inside a longer word fails, the exact or folded one passes", () => {
    expect(check("フリーダイアルサービス", "フリーダイヤル", { max_distance: 1 }).details).toMatchObject({ case: "wrong_transliteration", partial: true });
    expect(check("フリーダイヤルサービス", "フリーダイヤル", { max_distance: 1 }).details.case).toBe("exact");
    expect(check("ヴァイオリンケース", "バイオリン", { max_distance: 1 }).details.case).toBe("variant");
  });

  it("half-width input gets the same tolerance", () => {
    expect(check("ﾌﾘｰﾀﾞｲｱﾙ", "フリーダイヤル", { max_distance: 1 })).toMatchObject({ pass: true, score: 1 });
    expect(check("ﾋﾟｱﾉ", "ピザ", { max_distance: 1 }).pass).toBe(false);
  });
});

describe("katakana check: spelling variants of short words", () => {
  it("a 3-mora word written by a variant edit passes at max_distance 1, and the reason names the kind", () => {
    const cases: Array<[string, string, string, string]> = [
      ["ギブス", "ギプス", "voicing", "プ → ブ"],
      ["ベット", "ベッド", "voicing", "ド → ト"],
      ["メーン", "メイン", "long vowel", "イ → ー"],
      ["マネージャー", "マネジャー", "long vowel", "ー added"],
      ["ティーム", "チーム", "ti/di", "チ → ティ"],
      ["タイア", "タイヤ", "ya after i", "ヤ → ア"],
      ["キス", "キッス", "sokuon", "ッ left out"],
      ["セロハン", "セロファン", "fa", "ファ → ハ"],
    ];
    for (const [written, expected, kind, edit] of cases) {
      const result = check(`${written}です。`, expected, { max_distance: 1 });
      expect(result, `${written} for ${expected}`).toMatchObject({ pass: true, score: 1 });
      expect(result.details).toMatchObject({ case: "variant", distance: 1, edits: [{ variant: kind }] });
      expect(result.details.reason).toContain(`a variant of "${expected}" (${kind}: ${edit})`);
    }
  });

  it("a variant edit still counts toward the distance: it fails at max_distance 0 and in strict mode", () => {
    expect(check("ギブスで固定", "ギプス")).toMatchObject({ pass: false, score: 1, details: { case: "wrong_transliteration" } });
    expect(check("ギブスで固定", "ギプス", { max_distance: 1, mode: "strict" })).toMatchObject({ pass: false, score: 1, details: { tolerance: 0 } });
  });

  it("a small kana written full-size is a variant of two morae: フイルム for フィルム needs max_distance 2", () => {
    expect(check("フイルム", "フィルム", { max_distance: 1 }).pass).toBe(false);
    const two = check("フイルム", "フィルム", { max_distance: 2 });
    expect(two).toMatchObject({ pass: true, score: 2, details: { case: "variant", edits: [{ expected: "フィ", written: "フイ", variant: "small kana" }] } });
  });

  it("a small ャ written full-size may be ア (ヤ/ア after an i): ギリシア for ギリシャ and back at max_distance 2", () => {
    for (const [expected, written] of [["ギリシャ", "ギリシア"], ["ギリシア", "ギリシャ"], ["ペルシャ", "ペルシア"]] as const) {
      expect(check(`${written}の神話`, expected, { max_distance: 1 }).pass).toBe(false);
      expect(check(`${written}の神話`, expected, { max_distance: 2 })).toMatchObject({ pass: true, score: 2, details: { case: "variant" } });
    }
    // Not for another small kana: ュ written full-size is ユ, not ウ.
    expect(check("ヒウズ", "ヒューズ", { max_distance: 2 }).pass).toBe(false);
  });

  it("any other edit on a short word is another word, and the reason says which edit is not a variant", () => {
    for (const [output, expected] of [["ハープ", "ハーブ"], ["リンク", "リング"], ["キズ", "キス"], ["ガード", "カード"], ["パンチ", "パンツ"], ["ピンク", "ピンチ"]] as const) {
      const result = check(`${output}です。`, expected, { max_distance: 1 });
      expect(result.pass, `${output} for ${expected}`).toBe(false);
      expect(result.details).toMatchObject({ case: "wrong_transliteration", distance: 1, tolerance: 0 });
    }
    expect(check("ピサです", "ピザ", { max_distance: 1 }).details.reason).toContain("unless every edit is a spelling variant, and ザ → サ is not one");
  });

  it("a variant edit together with another edit gets only the word's tolerance", () => {
    // ギプス → ギブソ: プ → ブ is a variant, ス → ソ is not.
    expect(check("ギブソ", "ギプス", { max_distance: 2 })).toMatchObject({ pass: false, score: 2, details: { tolerance: 0 } });
    expect(check("ギブズ", "ギプス", { max_distance: 2 })).toMatchObject({ pass: true, score: 2, details: { edits: [{ variant: "voicing" }, { variant: "voicing" }] } });
  });

  it("half-width variants of short words pass the same way", () => {
    expect(check("ｷﾞﾌﾞｽで固定", "ギプス", { max_distance: 1 })).toMatchObject({ pass: true, score: 1, details: { matched: "ｷﾞﾌﾞｽ" } });
    expect(check("ﾁｰﾑ", "ティーム", { max_distance: 1 })).toMatchObject({ pass: true, score: 1 });
  });
});

describe("katakana check: normalization", () => {
  it("half-width katakana is read as full-width, with offsets in the original", () => {
    const output = "答え：ｶﾞｲﾗｲｺﾞ";
    const result = check(output, "ガイライゴ");
    expect(result.details.case).toBe("exact");
    expect(result.details.matched).toBe("ｶﾞｲﾗｲｺﾞ");
    expect(result.details.highlights).toEqual([{ start: 3, end: 10, label: "expected" }]);
  });

  it("dashes after katakana read as ー", () => {
    expect(check("コンピュ-タ-", "コンピューター", { mode: "strict" }).details.case).toBe("exact");
    expect(check("コンピュ—タ〜", "コンピューター", { mode: "strict" }).details.case).toBe("exact");
    expect(katakanaWords("ｺﾝﾋﾟｭｰﾀｰ と ラ-メン")).toMatchObject([{ text: "コンピューター" }, { text: "ラーメン" }]);
    // A dash not after katakana is not a long vowel.
    expect(katakanaWords("A-B")).toEqual([]);
  });

  it("separate voicing marks compose onto their kana", () => {
    expect(katakanaWords("カ゛イライコ゛")[0]!.text).toBe("ガイライゴ");
    expect(katakanaWords("ハ\u309Aン")[0]!.text).toBe("パン");
  });

  it("astral characters and emoji before the word keep code point offsets", () => {
    const output = "𠮷野家の🍜はワンタンメン";
    const result = check(output, "ワンタン");
    expect(result.details.highlights).toEqual([{ start: 6, end: 10, label: "expected" }]);
  });

  it("empty output is no_katakana", () => {
    const result = check("", "ワンタン");
    expect(result).toMatchObject({ score: null, pass: false });
    expect(result.details).toMatchObject({ case: "no_katakana", dominant_script: null });
    expect(result.details.reason).toMatch(/empty/);
  });

  // A quadratic step would take minutes on ~56k characters: the test's timeout guards against one (throughput is bench:score's to measure).
  it("handles a long output", { timeout: 30_000 }, () => {
    const output = "ウォントンスープとラーメンの話。".repeat(3_500); // ~56k characters
    const result = check(output, "ワンタン");
    expect(result.details.case).toBe("wrong_transliteration");
    expect(result.score).toBe(2);
  });
});

describe("katakana check: spec", () => {
  it("is registered and rejects probes with no usable expected form", () => {
    expect(BUILTIN_CHECKS.map((definition) => definition.type)).toContain("katakana");
    expect(katakana.validate!({}, probe(["wonton"]))).toMatch(/katakana, hiragana or kanji/);
    expect(katakana.validate!({ expected: "ワンタン" }, probe(["wonton"]))).toBeNull();
  });

  it("states how the score was computed", () => {
    expect(check("ワンタン", "ワンタン").details.signature).toBe("katakana|mode:lenient|max_distance:0|tolerance:quarter+variants|unit:mora|version:4");
  });
});
