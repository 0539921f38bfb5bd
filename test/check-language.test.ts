import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { CHINESE_ONLY, JAPANESE_ONLY, analyzeDrift, driftLanguageOf } from "../src/lang/drift.js";
import { scriptRuns, scriptOf, countScripts } from "../src/lang/scripts.js";
import { hanSideOf, hanStandardsOf } from "../src/lang/han-sets.js";
import { HAN_SETS_MODULE, deriveHanSets, renderHanSetsModule } from "../src/lang/han-sets-generate.js";
import { check, drifted, loadLanguageCheckServices } from "./check-language-helpers.js";

beforeAll(async () => {
  await loadLanguageCheckServices();
});

describe("language check: drift inside an answer", () => {
  it("a Japanese answer drifting into English mid-answer: share, segment and offsets", () => {
    const output = "富士山は日本で一番高い山です。It is 3776 meters tall and very beautiful.";
    const result = check(output);
    expect(result.pass).toBe(false);
    expect(result.details.letters).toEqual({ ja: 14, en: 30 });
    expect(result.score).toBeCloseTo(30 / 44, 4);
    expect(drifted(result)).toEqual([
      expect.objectContaining({ start: 15, end: 56, language: "en", text: "It is 3776 meters tall and very beautiful" }),
    ]);
    expect(result.details.highlights).toEqual([{ start: 15, end: 56, label: "drift: en" }]);
    expect(result.details.reason).toMatch(/^68% of letters outside ja \(max 10%\): en 30 letters in 1 segment, first at 15/);
  });

  it("drift in the middle of a sentence is caught too", () => {
    const output = "富士山は日本で一番高い山で、it is located between Yamanashi and Shizuoka.";
    const [segment] = drifted(check(output));
    expect(segment).toMatchObject({ start: 14, end: 58, language: "en" });
  });

  it("a Japanese answer drifting into Chinese", () => {
    const output = "富士山は日本で一番高い山です。它位于本州岛中部，海拔3776米，是日本的象征。";
    const result = check(output);
    expect(result.pass).toBe(false);
    expect(drifted(result)).toEqual([expect.objectContaining({ start: 15, end: 38, language: "zh" })]);
    expect((drifted(result)[0] as unknown as { evidence: string }).evidence).toMatch(/Chinese-only characters 它于岛/);
    // Without distinguishing characters, Chinese function characters give it away.
    const plain = check("富士山は日本で一番高い山です。北京是中国的首都。");
    expect(drifted(plain)).toEqual([expect.objectContaining({ text: "北京是中国的首都", language: "zh" })]);
  });

  it("a kanji-heavy Japanese answer is not called Chinese", () => {
    expect(check("東京都庁").details).toMatchObject({ letters: { ja: 4 }, drift_letters: 0 });
    const result = check("東京都庁は新宿区西新宿二丁目。都庁舎は丹下健三設計、一九九一年竣工。\n最寄駅は都庁前駅。");
    expect(result).toMatchObject({ score: 0, pass: true });
    // The same kanji in a zh probe: 庁 and 駅 are Japanese-only forms.
    expect(check("东京都厅", "zh").pass).toBe(true);
    expect(check("東京駅", "zh").pass).toBe(false);
  });

  it("a Chinese answer to a zh probe passes, and fails a ja probe", () => {
    const output = "北京是中国的首都，也是政治和文化中心。这里有很多名胜古迹。";
    expect(check(output, "zh")).toMatchObject({ score: 0, pass: true });
    expect(check(output, "zh-CN").pass).toBe(true);
    expect(check(output, "ja")).toMatchObject({ score: 1, pass: false });
  });

  it("Korean and other scripts are drift for a ja probe", () => {
    expect(check("서울은 한국의 수도입니다.").details.letters).toEqual({ ko: 11 });
    // Hanja in a Korean sentence are Korean, though 國 is a Traditional Chinese form.
    expect(check("대한민국(大韓民國)은 민주공화국이다.", "ko")).toMatchObject({ score: 0, pass: true });
    expect(check("Москва — столица России.").details.letters).toEqual({ other: 19 });
  });
});

describe("language check: Japanese and Chinese characters from the standards", () => {
  it("the committed data is what the generator derives from the encodings", () => {
    expect(readFileSync(HAN_SETS_MODULE, "utf8")).toBe(renderHanSetsModule(deriveHanSets()));
  });

  it("the sets have the sizes of the standards", () => {
    const sets = deriveHanSets();
    expect(sets.jisX0208).toHaveLength(6718);
    expect(sets.jisX0208Level1).toHaveLength(2965);
    expect(sets.gb2312).toHaveLength(6763);
    expect(sets.gb2312Level1).toHaveLength(3755);
    expect(sets.big5).toHaveLength(13053);
    expect(sets.big5Level1).toHaveLength(5401);
    const jis = new Set(sets.jisX0208);
    expect(sets.gb2312.filter((char) => !jis.has(char))).toHaveLength(3385);
  });

  it("tells which side a character points to", () => {
    const sides = (chars: string) => Array.from(chars, hanSideOf);
    expect(sides("们这说错烦你吗說對們國它很")).toEqual(Array(13).fill("zh"));
    expect(sides("気駅図広売読込峠畑庁々")).toEqual(Array(11).fill("ja"));
    expect(sides("我是個想要更多看起来不東京")).toEqual(Array(13).fill(null));
    expect(hanStandardsOf("你")).toEqual(["JIS X 0212", "GB2312 level 1", "Big5 level 1"]);
    expect(hanStandardsOf("庁")).toEqual(["JIS X 0208 level 1"]);
  });

  it("one kanji outside JIS X 0208 in a Japanese sentence yields to the kana; two Chinese forms do not", () => {
    for (const output of ["皮を剝いた。", "頰が赤い。", "森鷗外を読んだ。"]) expect(check(output), output).toMatchObject({ score: 0, pass: true });
    expect(drifted(check("これは简单です。"))).toEqual([expect.objectContaining({ text: "简单", language: "zh" })]);
    // Kanji merely rare in Japan (JIS X 0208 level 2) never outweigh kana.
    expect(check("修行を積めば涅槃の境地に到達できます。").score).toBe(0);
  });

  it("a period before a lowercase word is an abbreviation, not the end of a sentence", () => {
    const analysis = analyzeDrift("Compare apt vs. aptitude first. Then decide.", { expected: ["en"] });
    expect(analysis.segments.map((segment) => segment.end - segment.start)).toEqual([30, 11]);
  });

  it("the ideographic zero is a digit, not Japanese evidence", () => {
    expect(check("我出生于二〇〇一年。", "zh").pass).toBe(true);
    expect(check("我出生于二〇〇一年。").pass).toBe(false);
  });
});

describe("language check: what is not drift", () => {
  it("short Latin terms inside Japanese sentences and lists", () => {
    expect(check("AIとは artificial intelligence の略です。").pass).toBe(true);
    expect(check("PythonはGoogleでもよく使われています。").score).toBe(0);
    expect(check("人気のスマホ：\n- iPhone\n- Pixel\n- Galaxy").score).toBe(0);
    // …but a full English sentence around a Japanese word is drift.
    expect(check("It is 富士山 and it is very tall.").pass).toBe(false);
  });

  it("what a sentence in the expected language mentions is not drift: names, titles, quotations, glosses", () => {
    for (const output of [
      "500 Internal Server Error は「サーバー内部で処理に失敗した」という意味です。",
      "KGI（Key Goal Indicator）は最終的なゴールを測る指標です。",
      "最初の文で自分の意見を書きます（I agree that … / I think …）。",
      "村上春樹のエッセイ『走ることについて語るときに僕の語ること』（What I Talk About When I Talk About Running）も面白いです。",
    ]) {
      const result = check(output);
      expect(result, output).toMatchObject({ score: 0, pass: true });
      expect(result.details.drifted, output).toEqual([]);
    }
    const mention = analyzeDrift("KGI（Key Goal Indicator）は最終的なゴールを測る指標です。", { expected: ["ja"] }).segments.find((s) => s.language === "en" && s.letters > 3);
    expect(mention).toMatchObject({ term: true, drift: false, evidence: expect.stringContaining("mentioned inside a sentence in ja") });
    // Kana in a quotation are the quotation's: the Chinese around them is Chinese, and a Chinese answer still fails a ja probe.
    const quoting = "“ありがとう”就是“谢谢”的意思，日本人每天都会说很多次。";
    expect(check(quoting, "zh")).toMatchObject({ score: 0, pass: true });
    expect(check(quoting, "ja").pass).toBe(false);
    // 。？ inside 「」 end the quoted sentence, not the Chinese one quoting it.
    expect(check("例如有人跌倒時問「大丈夫ですか？」就是「你還好嗎？」的意思。", "zh").pass).toBe(true);
    expect(check("ありがとう (arigatō) means \"thank you\" in Japanese.", "en").pass).toBe(true);
    expect(check("'ありがとう'(아리가토)는 '고마워'라는 뜻으로, 가까운 사이에서 씁니다.", "ko").pass).toBe(true);
  });

  it("a switch of language ends a sentence: appended, trailing and unquoted Chinese-in-Japanese drift is still drift", () => {
    for (const output of [
      "富士山は日本で一番高い山です。Thanks for asking!",
      "富士山は日本で一番高い山で, and it is very beautiful.",
      "これは简单です。",
      "Sure, here is the answer to your question: 富士山です。",
      "「This is the whole answer in English, inside quotation marks.」",
      // Running text in brackets that ends a sentence is a translation appended to it, not a mention;
      "富士山は日本で一番高い山です（It is the highest mountain in Japan and it is very famous）。",
      "富士山はとても美しい山で、古くから愛されてきました（Mount Fuji is the highest mountain in Japan. It is loved by many people.）。",
      "答えは次のとおりです：「Mount Fuji is the highest mountain in Japan.」",
      // nor is a quotation standing as a sentence of its own after one, as a translation after each sentence is;
      "日本のお正月は、一年で一番大切な行事の一つです。(New Year is one of the most important events of the year.) 大晦日には年越しそばを食べます。",
      "日本の夏といえば花火大会です。（说到日本的夏天，就是烟花大会。）浴衣を着て出かける人も多いです。",
      // nor is running text a sentence starts with and then goes on from in Japanese: that is a switch;
      "Sure, here is the answer to your question: 富士山は日本で一番高い山で、標高は3776メートルです。",
      "The tallest mountain in Japan is Mount Fuji, 富士山は日本で一番高い山として世界中でとても有名です。",
      // nor a Chinese clause inside English prose.
      "Water cacti once every two weeks, 冬天的时候基本上一个月浇一次就可以了, so always let the soil dry out first.",
    ]) {
      expect(check(output).pass, output).toBe(false);
    }
  });

  it("paths and identifiers written without code marks carry no language; items between 、 are terms each", () => {
    for (const output of [
      "Linux や macOS では /etc/hosts、Windows では C:\\Windows\\System32\\drivers\\etc\\hosts にあります。",
      "設定ファイルで editor.formatOnSave を true にし、depends_on の condition を service_healthy にします。",
      "動詞は Led、Built、Reduced、Launched のように過去形で始めます。",
    ]) {
      expect(check(output), output).toMatchObject({ score: 0, pass: true });
    }
    expect(check("/etc/hosts を編集します。").details.removed).toEqual({ path: 1 });
    // Not and/or, nor the English around a path.
    expect(check("Edit the file /etc/hosts and then restart the network service to apply it.").pass).toBe(false);
  });

  it("example sentences glossed by an arrow, Japanese names in Chinese sentences and Korean quoted in Chinese are not drift", () => {
    for (const [output, expected] of [
      ["例句：The exam was a piece of cake. → 这次考试太简单了。", "zh"],
      ["- I hope it doesn't rain tomorrow. → 明日雨が降らないといいな。", "ja"],
      ["河原町在京都市中心，位於鴨川西側，是京都最熱鬧的購物區。", "zh"],
      ["坂本龍馬是幕末的土佐藩志士。", "zh"],
      ["“아이고”是韩语里的感叹词，用法很像中文的“哎哟”。", "zh"],
    ] as const) {
      expect(check(output, expected), output).toMatchObject({ score: 0, pass: true });
    }
    // One Japanese-only character still outweighs one Chinese function word, or the same one many times.
    for (const output of ["有言実行。", "1個120円、2個50円、3個60円、4個150円。"]) expect(check(output).pass, output).toBe(true);
    // Running text before an arrow with nothing after it in the expected language is still drift.
    expect(check("回答：It is the highest mountain in Japan and very famous. →").pass).toBe(false);
  });

  it("a quotation or bracket opens only where it closes on its line: emoticons, stray and mismatched marks quote nothing", () => {
    for (const [output, expected] of [
      ["富士山は日本で一番高い山です（標高3776メートル。I hope this helps. Let me know if you have any other questions.", "ja"],
      ["富士山は日本で一番高い山です。\nごめんなさい、わかりません :( Sorry. I do not know anything about that.", "ja"],
      ["「やった(^o^」と彼は言いました。Thanks for asking! I hope you have a nice day.", "ja"],
      ["“谢谢\"的意思是感谢。I hope this helps. Thank you for asking!", "zh"],
      // An apostrophe quotes nothing ('90s, don't).
      ["日本の音楽は'90年代に大きく変わりました and it was a very exciting time for everyone.", "ja"],
    ] as const) {
      expect(check(output, expected).pass, output).toBe(false);
    }
    expect(check('彼は"元気ですか?"と言った。').pass).toBe(true);
    expect(check("「I'd like a table for two.」は「二名で予約したいのですが」と訳せます。").pass).toBe(true);
  });

  it("kana in a quotation decide no Han outside it, yet a reading in brackets stays Japanese and Chinese sentences inside 「」 stay Chinese", () => {
    for (const output of ["薔薇（ばら）", "夏目漱石（なつめそうせき）", "大谷翔平（おおたにしょうへい）", "大谷翔平選手「ありがとう」", "・林檎（りんご）\n・檸檬（れもん）\n・葡萄（ぶどう）", "新商品「さくらもち」発売中"]) {
      expect(check(output).pass, output).toBe(true);
    }
    for (const output of ["「我是学生。我想去日本。他去学校了。アニメ」", "（我是学生。我想去日本。他去学校了。アニメ）", "这个很好吃（おいしい）", "我是学生（がくせい）"]) {
      expect(check(output).pass, output).toBe(false);
    }
  });

  it("allow-listed product names are ignored", () => {
    // A name the sentence goes on after is mentioned (おすすめはVisual Studio Code Insidersです。); one that ends it is not.
    const output = "おすすめのエディター：Visual Studio Code Insiders";
    expect(check(output).pass).toBe(false);
    const allowed = check(output, "ja", { allow: ["visual studio code insiders"] });
    expect(allowed).toMatchObject({ score: 0, pass: true });
    expect(allowed.details.removed).toEqual({ allowed: 1 });
    // A name the sentence goes on after needs no allow; one allowed is removed wherever it is.
    expect(check("おすすめはVisual Studio Code Insidersです。", "ja", { allow: ["visual studio code insiders"] }).details.removed).toEqual({ allowed: 1 });
    // A term is only removed as a whole word.
    expect(check("Javaは古い言語です。", "ja", { allow: ["Jav"] }).details.removed).toEqual({});
  });

  it("code blocks, inline code, URLs, e-mail addresses and numbers are ignored", () => {
    const output = [
      "例です。",
      "```python",
      "def greet(name):",
      '    print("hello world, this is English in code")',
      "```",
      "`console.log(value)` を実行し、https://example.com/docs/getting-started を参照、質問は info@example.com へ。容量は10GBです。",
    ].join("\n");
    const result = check(output);
    expect(result).toMatchObject({ score: 0, pass: true });
    expect(result.details.removed).toEqual({ code_block: 1, inline_code: 1, url: 1, email: 1, number: 1 });
    // An unclosed fence (cut by the token limit) runs to the end.
    expect(check("コードです。\n```js\nconst answer = compute everything here").score).toBe(0);
  });

  it("a mixed answer passes when both languages are expected", () => {
    const output = "富士山は日本で一番高い山です。It is 3776 meters tall.";
    expect(check(output, "ja", { expected: ["ja", "en"] }).pass).toBe(true);
    expect(check(output, "ja", { max_drift: 0.9 }).pass).toBe(true);
  });
});

describe("language check: short answers", () => {
  it("a kanji-only name in a ja probe is fine, and says why", () => {
    const result = check("富士山");
    expect(result).toMatchObject({ score: 0, pass: true });
    expect(result.details.notes).toEqual([expect.stringMatching(/Han characters only.*expected language \(ja\)/)]);
    expect(check("富士山", "zh").pass).toBe(true);
  });

  it("a number, an empty output and symbols have nothing to judge", () => {
    for (const output of ["3776", "", "  ", "😀👍", "3,776m"]) {
      const result = check(output);
      expect(result, output).toMatchObject({ score: null, pass: true });
      expect(result.details.reason).toMatch(/nothing can drift/);
    }
  });

  it("a one-word Latin answer is read as a name", () => {
    const result = check("Python");
    expect(result).toMatchObject({ score: 0, pass: true });
    expect(result.details.notes).toEqual([expect.stringMatching(/name or term/)]);
    // One written as an identifier (camelCase, dotted, snake_case) is masked as code: nothing to judge.
    expect(check("iPhone")).toMatchObject({ score: null, pass: true, details: { removed: { identifier: 1 } } });
    // Whole English sentences are not short answers.
    expect(check("It is Mount Fuji.").pass).toBe(false);
  });
});

describe("language check: text edge cases", () => {
  it("emoji and astral characters: offsets are code points", () => {
    const output = "𠮷野家の牛丼🍜はおいしい。😀 It is very tasty and cheap.";
    const result = check(output);
    expect(result.details.letters).toEqual({ ja: 11, en: 21 });
    const [segment] = drifted(result);
    expect(segment).toMatchObject({ start: 15, end: 41, text: "It is very tasty and cheap" });
    expect(Array.from(output).slice(15, 41).join("")).toBe("It is very tasty and cheap");
  });

  it("full-width Latin and half-width katakana are normalized", () => {
    expect(check("ｶﾞｲﾗｲｺﾞです。").details.letters).toEqual({ ja: 7 });
    const result = check("日本語です。Ｔｈｉｓ ｉｓ ｅｎｇｌｉｓｈ ｔｅｘｔ．");
    expect(drifted(result)).toEqual([expect.objectContaining({ start: 6, end: 26, language: "en" })]);
  });

  // A quadratic step would take minutes on 50k characters: the test's timeout guards against one (throughput is bench:score's to measure).
  it("a long line of alternating scripts is judged in linear time", { timeout: 30_000 }, () => {
    const result = check("a b c あいうえおかきくけこ".repeat(20_000));
    expect(result.details.total_letters).toBe(20_000 * 13);
  });

  it("handles a very long output", { timeout: 30_000 }, () => {
    const output = ("富士山は日本で一番高い山です。東京駅から新幹線で行けます。".repeat(400) + "This part drifted into English. ".repeat(600)).slice(0, 50_000);
    const result = check(output);
    expect(result.pass).toBe(false);
    expect(result.details.drifted_total).toBeGreaterThan(50);
    expect((result.details.highlights as unknown[]).length).toBe(50);
  });
});

describe("language check: labels and scripts", () => {
  it("maps language codes to labels", () => {
    expect(["ja-JP", "zh-TW", "cmn", "ko", "en-US", "fr", "de", "ru"].map(driftLanguageOf)).toEqual([
      "ja", "zh", "zh", "ko", "en", "en", "en", "other",
    ]);
    expect(analyzeDrift("C'est la vie, mon ami.", { expected: ["fr"] }).share).toBe(0);
  });

  it("the Japanese-only and Chinese-only character sets do not overlap", () => {
    expect([...JAPANESE_ONLY].filter((char) => CHINESE_ONLY.has(char))).toEqual([]);
    expect(JAPANESE_ONLY.size).toBeGreaterThan(80);
    expect(CHINESE_ONLY.size).toBeGreaterThan(80);
  });

  it("script runs classify kana, Han, Hangul, Latin, digits and keep code point offsets", () => {
    expect(scriptRuns("𠮷野家のラーメン2杯, すごーい").map((run) => [run.script, run.start, run.end, run.text])).toEqual([
      ["han", 0, 3, "𠮷野家"],
      ["hiragana", 3, 4, "の"],
      ["katakana", 4, 8, "ラーメン"],
      ["digit", 8, 9, "2"],
      ["han", 9, 10, "杯"],
      ["neutral", 10, 12, ", "],
      ["hiragana", 12, 16, "すごーい"],
    ]);
    expect(["ｶ", "ｰ", "ー", "한", "é", "Ж", "・", "😀", "５"].map(scriptOf)).toEqual([
      "katakana", "katakana", "katakana", "hangul", "latin", "other", "neutral", "neutral", "digit",
    ]);
    // A combining mark belongs to its letter.
    expect(countScripts("e\u0301t\u00e9")).toMatchObject({ latin: 3 });
  });
});
