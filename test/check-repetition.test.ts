import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { RepetitionParams } from "../src/checks/repetition.js";
import type { CheckResult } from "../src/format/check-result.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import { splitLongRuns } from "../src/lang/long-runs.js";
import { codePointValues, longestRepeatedSubstring, seqRep, tailLoop } from "../src/lang/repetition.js";
import { splitWords } from "../src/lang/words.js";
import type { StopReason } from "../src/format/outputs.js";
import type { Probe } from "../src/format/suite.js";
import { packagePath } from "../src/util/paths.js";
import { makeProbe } from "./helpers.js";
import { scoreCheck } from "./check-harness.js";

let services: LanguageServices;
beforeAll(async () => {
  services = await loadLanguageServices(["ja", "zh"]);
});

function probe(language: string): Probe {
  return makeProbe({
    suite: "test",
    id: `repetition-${language}`,
    prompt: "…",
    category: "open_qa",
    language,
    expected: [],
    checks: [{ type: "repetition" }],
  });
}

function check(
  output: string,
  language: string,
  options: { params?: RepetitionParams; stopReason?: StopReason | null } = {},
): CheckResult {
  return scoreCheck({ type: "repetition", ...options.params }, { output, stopReason: options.stopReason ?? "eog" }, services, { probe: probe(language) });
}

// Ordinary prose, written for these tests: particles, です/ます and 的 everywhere.
const JA_PROSE = `富士山は静岡県と山梨県にまたがる活火山で、標高は3776メートルです。日本で一番高い山であり、古くから信仰の対象として大切にされてきました。山頂には浅間大社の奥宮があり、毎年夏になると多くの登山者が御来光を見るために夜通し歩きます。

登山の季節は7月上旬から9月上旬までです。この時期は山小屋が営業しているので、初心者でも比較的安全に登ることができます。ただし、山頂付近の気温は真夏でも10度を下回ることがあるので、防寒具は必ず用意してください。また、高山病を防ぐためには、途中の山小屋で一泊してゆっくり体を慣らすのがよいと言われています。

富士山は2013年に世界文化遺産に登録されました。登録の名称は「富士山－信仰の対象と芸術の源泉」です。葛飾北斎の「富嶽三十六景」をはじめ、多くの絵画や和歌に描かれてきたことが評価されました。一方で、登山者の増加によるごみの問題や、登山道の混雑も指摘されています。

近年は入山料の導入や、登山者の人数を制限する取り組みも始まっています。美しい景色を次の世代に残すためには、訪れる人一人ひとりがマナーを守ることが大切です。`;

const ZH_PROSE = `北京是中国的首都，也是全国的政治和文化中心。这座城市有三千多年的历史，留下了大量的历史遗迹。故宫是明清两代的皇宫，现在是世界上规模最大的古代宫殿建筑群之一，每年吸引着成千上万的游客。

除了故宫以外，长城也是来北京的游客必去的地方。离市区最近的八达岭长城交通方便，但是节假日的人特别多。如果想看到比较安静的风景，可以去慕田峪或者司马台。那里的山势险峻，城墙的样子也更接近原来的模样。

北京的饮食文化也很有特色。最有名的当然是北京烤鸭，鸭皮烤得又脆又香，配上薄饼、葱丝和甜面酱一起吃。胡同里的小吃也很受欢迎，比如炸酱面、豆汁儿和糖葫芦。很多人觉得，真正的北京味道不在大饭店里，而在普通人的日常生活中。

随着城市的发展，北京的交通越来越便利。地铁已经通到了郊区的很多地方，出行的时间大大缩短了。不过，早晚高峰的时候地铁里还是非常拥挤，所以最好错开上下班的时间出门。`;

const EN_PROSE = `The Pacific Ocean is the largest and deepest of the world's oceans. It stretches from the Arctic in the north to the Southern Ocean in the south, and it is bounded by Asia and Australia in the west and by the Americas in the east. Its area is larger than that of all the land on Earth combined.

The ocean was named by the Portuguese explorer Ferdinand Magellan, who called it "peaceful" because the weather was calm when he crossed it in 1521. In reality, the Pacific is far from peaceful. It is surrounded by the so-called Ring of Fire, a chain of volcanoes and fault lines where most of the world's earthquakes take place.

Many islands are scattered across the ocean, from large countries such as Japan and New Zealand to tiny coral atolls that rise only a few meters above the water. People first reached the remote islands of Polynesia more than a thousand years ago, using double-hulled canoes and a detailed knowledge of stars, winds and currents.

Today the Pacific faces serious problems. Rising temperatures are bleaching coral reefs, overfishing has reduced the number of tuna and sharks, and plastic waste collects in huge areas where the currents meet. Scientists argue that protecting the ocean will require cooperation between the many countries that share its coasts.`;

// A templated list: the same endings on every line, as brainstorming answers have.
const JA_LIST = `休日の過ごし方の例です。
1. 近所の公園を散歩することです。
2. 図書館で本を読むことです。
3. 友達と一緒に料理をすることです。
4. 映画館で新しい映画を見ることです。
5. 家でゆっくり音楽を聴くことです。
6. 美術館で絵を見ることです。
どれも気軽にできるので、ぜひ試してみてください。`;

/** A sentence repeated until the token limit cut it in the middle of a copy. */
function loopUntilLimit(intro: string, unit: string, copies: number, partial: number): string {
  return intro + unit.repeat(copies) + Array.from(unit).slice(0, partial).join("");
}

describe("seq-rep-n (Welleck et al.)", () => {
  it("gives the reference vector for “the cat sat on the mat” twice", () => {
    const output = "the cat sat on the mat the cat sat on the mat";
    expect(check(output, "en", { params: { n: 1 } }).details.seq_rep).toBeCloseTo(0.5833, 4);
    expect(check(output, "en", { params: { n: 2 } }).details.seq_rep).toBeCloseTo(0.4545, 4);
    expect(check(output, "en", { params: { n: 4 } }).details.seq_rep).toBeCloseTo(0.3333, 4);
    // Two copies are not a loop, and the text is below min_length: it passes.
    expect(check(output, "en").pass).toBe(true);
  });

  it("is null when there are fewer tokens than n", () => {
    expect(seqRep(["a", "b"], 4)).toBeNull();
    expect(seqRep(splitWords("a b c d"), 4)).toBe(0);
  });
});

describe("real loops fail", () => {
  it("Japanese: a sentence repeated to the token limit is a runaway loop", () => {
    const unit = "富士山は静岡県と山梨県にまたがっています。";
    const output = loopUntilLimit("富士山は日本で一番高い山です。", unit, 15, 6);
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.runaway).toBe(true);
    expect(result.details.unit).toBe(unit);
    expect(result.details.count).toBe(15);
    expect(result.details.partial).toBe(6);
    expect(result.details.loop_at).toBe("end");
    const length = Array.from(output).length;
    expect(result.details.span).toEqual([15, length]);
    expect(result.score).toBeGreaterThan(0.9);
    expect(result.details.reason).toContain("output ends in 15 copies");
    expect(result.details.reason).toContain("runaway");
    // One highlight per copy plus the partial copy, in code points.
    expect(result.details.highlights).toHaveLength(16);
    expect(result.details.highlights?.[0]).toEqual({ start: 15, end: 36, label: "loop copy 1/15" });
    expect(result.details.highlights?.at(-1)).toEqual({ start: length - 6, end: length, label: "loop partial copy" });
  });

  it("Chinese: a sentence loop", () => {
    const unit = "北京有很多名胜古迹，比如故宫和长城。";
    const result = check(loopUntilLimit("北京是中国的首都。", unit, 12, 5), "zh", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.runaway).toBe(true);
    expect(result.details.unit).toBe(unit);
    expect(result.details.count).toBe(12);
    expect(result.details.seq_rep as number).toBeGreaterThan(0.8);
  });

  it("English: the unit starts at the sentence, not mid-word", () => {
    const unit = "Paris is the capital of France. ";
    const result = check(loopUntilLimit("The answer is Paris. ", unit, 12, 12), "en", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe(unit);
    expect(result.details.count).toBe(12);
    expect(result.details.partial).toBe(12);
  });

  it("a one-character loop", () => {
    const output = `答えは${"は".repeat(300)}`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe("は");
    expect(result.details.count).toBe(301);
    // 20 copies one by one, then one highlight for the rest.
    expect(result.details.highlights).toHaveLength(21);
    expect(result.details.highlights?.[20]).toEqual({ start: 22, end: 303, label: "loop copies 21–301/301" });
  });

  it("a ~200-character unit repeated", () => {
    const unit = JA_PROSE.slice(0, 200);
    const result = check(loopUntilLimit("まず、", unit, 4, 50), "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit_length).toBe(200);
    expect(result.details.count).toBe(4);
    expect(result.details.partial).toBe(50);
    expect(result.details.runaway).toBe(true);
  });

  it("a loop that ended on its own fails but is not a runaway", () => {
    const result = check(`はい。${"富士山は日本で一番高い山です。".repeat(3)}`, "ja", { stopReason: "eog" });
    expect(result.pass).toBe(false);
    expect(result.details.count).toBe(3);
    expect(result.details.runaway).toBe(false);
  });

  it("a loop in the middle that the model recovered from", () => {
    const output = JA_PROSE.slice(0, 100) + "これは重要です。".repeat(10) + JA_PROSE.slice(100, 400);
    const result = check(output, "ja");
    expect(result.pass).toBe(false);
    expect(result.details.loop_at).toBe("middle");
    expect(result.details.unit).toBe("これは重要です。");
    expect(result.details.count).toBe(10);
    expect(result.details.span).toEqual([100, 180]);
  });

  it("a loop in the middle is found when the output's longest repeat lies elsewhere", () => {
    // A long sentence written twice far apart is the longest repeat; the stutter between them is the loop.
    const sentence = "そのお店は、町で一番古い和菓子屋として、昔から地元の人々に親しまれてきた。";
    const output = `${sentence}${JA_PROSE.slice(0, 120)}子供たちには、おばあちゃんのおばあちゃんのおばあちゃんのおばあちゃんのお話をした。${JA_PROSE.slice(120, 240)}${sentence}`;
    const result = check(output, "ja");
    expect(result.pass).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "middle", count: 4 });
    expect(String(result.details.unit)).toMatch(/^(おばあちゃんの|ばあちゃんのお|あちゃんのおば)$/);
  });

  it("a table row repeating its cells is not a loop; a row repeated is", () => {
    const table = [
      "| 項目 | ライト | スタンダード | プレミアム | ビジネス |",
      "|---|---|---|---|---|",
      "| 月額料金 | 500円 | 1,000円 | 2,000円 | 3,000円 |",
      "| 広告なし | ○ | ○ | ○ | ○ |",
      "| 電話サポート | × | × | × | ○ |",
    ].join("\n");
    expect(check(`主な料金プランを比較します。\n\n${table}\n\n家族で使うならプレミアムがおすすめです。`, "ja").pass).toBe(true);
    const rows = "| 広告なし | ○ | ○ | ○ | ○ |\n".repeat(6);
    expect(check(`${table}\n${rows}`, "ja", { stopReason: "max_tokens" }).details.looping).toBe(true);
  });

  it("a numbered loop, whose copies differ only in their numbers, is a loop", () => {
    const output = Array.from({ length: 30 }, (_, i) => `${i + 1}. The capital of France is Paris.`).join("\n");
    const result = check(output, "en", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.looping).toBe(true);
    expect(result.details.reason).toContain('output ends in 29 copies of "1. The capital of France is Paris.\n" (differing at most in their numbers and spacing');
    expect(result.details.reason).toMatch(/seq-rep-4 0\.\d+ > max_seq_rep 0\.5/);
    expect(result.details.reason).toMatch(/compression ratio \d+(\.\d+)? > max_compression_ratio 3/);
    expect(result.details.runaway).toBe(true);
    // Copies are highlighted where they are, though "10. " is longer than "9. ".
    expect(result.details.highlights?.[9]).toEqual({ start: 315, end: 351, label: "loop copy 10/29" });
  });

  it("a loop whose copies are spaced unevenly is a loop", () => {
    const sentence = "富士山は日本で一番高い山です。";
    const output = `はい。${[1, 2, 1, 1, 3, 1, 2, 1].map((breaks) => sentence + "\n".repeat(breaks)).join("")}`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.looping).toBe(true);
    expect(result.details.count).toBe(8);
    expect(result.details.unit).toBe(`${sentence}\n`);
  });

  it("a list of chapters or days is not a loop: the numbers are all that differ, and little else", () => {
    const chapters = Array.from({ length: 12 }, (_, i) => `第${i + 1}章`).join("\n");
    expect(check(chapters, "ja").pass).toBe(true);
    // One item under ever new list numbers is a loop, however short (a real Gemma 3 270M output).
    const items = Array.from({ length: 38 }, (_, i) => `${i + 1}. 休憩時`).join("\n");
    const result = check(items, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe("1. 休憩時\n");
  });

  it("a table of figures is not a loop: its months count, but its figures vary as data does", () => {
    const figures = [[5.4, 59.7], [6.1, 56.5], [9.4, 116.0], [14.3, 133.7], [18.8, 139.7], [21.9, 167.8], [25.7, 156.2], [26.9, 154.7]];
    const table = figures.map(([temperature, rain], month) => `- ${month + 1}月：平均気温${temperature!.toFixed(1)}℃、降水量${rain!.toFixed(1)}mm`).join("\n");
    const result = check(`東京の月ごとの平均気温と降水量です。\n${table}\n夏に雨が多くなります。`, "ja");
    expect(result.pass).toBe(true);
    expect(result.details.looping).toBe(false);
    // The same frame with a count that steps evenly in every place is a loop: 2023年1月…, 2023年2月… with one figure.
    const counted = Array.from({ length: 12 }, (_, k) => `2023年${k + 1}月の来場者数は12,400人でした。`).join("\n");
    expect(check(counted, "ja", { stopReason: "max_tokens" })).toMatchObject({ pass: false, details: { looping: true, count: 11 } });
  });
});

describe("ordinary prose passes", () => {
  it.each([
    ["ja", JA_PROSE],
    ["zh", ZH_PROSE],
    ["en", EN_PROSE],
    ["ja", JA_LIST],
  ])("%s prose", (language, output) => {
    const result = check(output, language, { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(true);
    expect(result.details.looping).toBe(false);
    expect(result.details.runaway).toBe(false);
    expect(result.details.seq_rep as number).toBeLessThan(0.2);
    expect(result.details.window_compression_ratio as number).toBeLessThan(2.4);
    // Repeats shorter than min_loop_chars (the list's "を見ることです。\n") do not count.
    expect(result.score as number).toBeLessThan(0.05);
    expect(result.details.highlights).toBeUndefined();
  });

  it("Japanese that compresses 3.3× as UTF-8 bytes is not a loop: the ratio is over code points", () => {
    // A real, non-looping answer of Gemma 3 270M (fixtures/repetition/gemma-3-270m.jsonl).
    const output = readFileSync(packagePath("fixtures", "repetition", "gemma-3-270m.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; text: string })
      .find((row) => row.id === "gemma-ja-04-sampled-s0-r1")!.text;
    const points = Array.from(output);
    let utf8Ratio = 0;
    for (let start = 0; start + 300 <= points.length; start += 150) {
      const bytes = Buffer.from(points.slice(start, start + 300).join(""));
      utf8Ratio = Math.max(utf8Ratio, bytes.length / deflateSync(bytes).length);
    }
    expect(utf8Ratio).toBeGreaterThan(3);
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(true);
    expect(result.details.window_compression_ratio as number).toBeLessThan(2);
  });

  it("a list of parallel items sharing one ending is not judged on the ending", () => {
    const places = ["近所の公園", "図書館", "美術館", "映画館", "駅前のカフェ", "古い神社", "海辺の町", "山の温泉", "市場", "博物館", "川沿いの道", "動物園", "水族館", "植物園"];
    const list = `おすすめの場所です。\n${places.map((place) => `・${place}に行ってみるのもおすすめです。`).join("\n")}`;
    const result = check(list, "ja");
    expect(result.pass, result.details.reason).toBe(true);
    expect(result.details.list_frames_removed).toBe(1);
    expect(result.details.seq_rep).toBe(0);
    // The same item over and over is a loop, frame or not.
    const loop = check(`おすすめの場所です。\n${"・近所の公園に行ってみるのもおすすめです。\n".repeat(8)}`, "ja");
    expect(loop.pass).toBe(false);
    expect(loop.details.unit).toBe("・近所の公園に行ってみるのもおすすめです。\n");
  });

  it("short answers, ellipses and laughter are not loops", () => {
    for (const [output, language] of [
      ["はい。", "ja"],
      ["はい。はい。はい。", "ja"],
      ["哈哈哈哈", "zh"],
      ["Well...", "en"],
      ["答えは 1,000,000 です。", "ja"],
      ["1兆は 1,000,000,000,000 です。答えは 1,000,000,000,000,000", "ja"],
    ] as const) {
      const result = check(output, language);
      expect(result.pass, `${output}: ${result.details.reason}`).toBe(true);
    }
    expect(check("はい。", "ja").details.reason).toContain("not judged below min_length 100");
  });

  it("rule lines and table borders are not loops unless they run on", () => {
    const table = "| 都市 | 人口 |\n|------|------|\n| 東京 | 1400万 |\n\n" + "-".repeat(79);
    expect(check(table, "ja").pass).toBe(true);
    expect(check("-".repeat(400), "ja", { stopReason: "max_tokens" }).pass).toBe(false);
  });

  it("a rule line earlier does not hide a loop at the end", () => {
    const output = `結果\n${"-".repeat(79)}\n${"富士山は日本で一番高い山です。".repeat(3)}`;
    const result = check(output, "ja");
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe("富士山は日本で一番高い山です。");
  });

  it("empty output", () => {
    const result = check("", "ja");
    expect(result.pass).toBe(true);
    expect(result.score).toBe(0);
    expect(result.details.reason).toBe("empty output: nothing repeats");
  });
});

describe("offsets are code points", () => {
  it("emoji loop", () => {
    const result = check("😀".repeat(50), "en", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe("😀");
    expect(result.details.span).toEqual([0, 50]);
    expect(check("今日は楽しかったです😀！また行きたいです🎉", "ja").pass).toBe(true);
  });

  it("astral characters (𠮷) count as one", () => {
    const unit = "𠮷野家の牛丼はおいしいです。";
    const result = check(unit.repeat(10), "ja");
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe(unit);
    expect(result.details.unit_length).toBe(14);
    expect(result.details.span).toEqual([0, 140]);
    expect(result.details.highlights?.[1]).toEqual({ start: 14, end: 28, label: "loop copy 2/10" });
  });
});

describe("measures", () => {
  it("longest repeated substring does not overlap itself", () => {
    expect(longestRepeatedSubstring(codePointValues("aaaa"))).toEqual({ length: 2, starts: [0, 2] });
    expect(longestRepeatedSubstring(codePointValues("abcabcabc"))).toEqual({ length: 3, starts: [0, 3, 6] });
    expect(longestRepeatedSubstring(codePointValues("abcd"))).toBeNull();
    expect(longestRepeatedSubstring(codePointValues("x𠮷yz𠮷y"))).toEqual({ length: 2, starts: [1, 4] });
  });

  it("longest repeated substring agrees with brute force", () => {
    let seed = 7;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    for (let trial = 0; trial < 300; trial++) {
      const text = Array.from({ length: random() % 30 }, () => "ab𠮷"[random() % 3]).join("");
      const points = Array.from(text);
      let best = 0;
      for (let i = 0; i < points.length; i++) {
        for (let j = i + 1; j < points.length; j++) {
          let length = 0;
          while (j + length < points.length && points[i + length] === points[j + length] && length < j - i) length++;
          best = Math.max(best, length);
        }
      }
      expect(longestRepeatedSubstring(codePointValues(text))?.length ?? 0, text).toBe(best);
    }
  });

  it("tail loop prefers the shortest unit covering the loop", () => {
    expect(tailLoop(codePointValues("xyz" + "ab".repeat(10) + "a"), 3)).toMatchObject({ unit: "ab", count: 10, partial: 1 });
    expect(tailLoop(codePointValues("Stop it!!! Stop it!!! Stop it!!! "), 3)).toMatchObject({ unit: "Stop it!!! ", count: 3 });
    expect(tailLoop(codePointValues("abc"), 3)).toBeNull();
  });
});

describe("speed", () => {
  it("scores a 50k-character loop in milliseconds", () => {
    const english = "The cat sat on the mat and looked at the door. ".repeat(1100).slice(0, 50_000);
    check(english, "en"); // warm up the JIT
    let started = performance.now();
    const result = check(english, "en", { stopReason: "max_tokens" });
    const englishMs = performance.now() - started;
    expect(result.pass).toBe(false);
    expect(result.details.length).toBe(50_000);
    expect(englishMs).toBeLessThan(500);

    // Japanese pays for kuromoji (≈ 234k chars/s) on top of the measures.
    const japanese = "これはテストです。".repeat(5600).slice(0, 50_000);
    started = performance.now();
    const ja = check(japanese, "ja", { stopReason: "max_tokens" });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(ja.details.unit).toBe("これはテストです。");
    expect(ja.details.count).toBe(5555);
  });

  it("one-character runs do not make kuromoji quadratic", () => {
    // kuromoji alone needs ≈ 15 s for "ー"×8000; the check tokenizes in bounded pieces.
    for (const char of ["ー", "w", "草"]) {
      const started = performance.now();
      const result = check(`そうですね${char.repeat(20_000)}`, "ja", { stopReason: "max_tokens" });
      expect(performance.now() - started, char).toBeLessThan(2000);
      expect(result.details.unit).toBe(char);
      expect(result.details.runaway).toBe(true);
    }
    // Ordinary text has no long same-class run: it is tokenized in one piece.
    expect(splitLongRuns(JA_PROSE)).toEqual([JA_PROSE]);
    expect(splitLongRuns("ー".repeat(70)).map((piece) => piece.length)).toEqual([32, 32, 6]);
    expect(splitLongRuns("")).toEqual([""]);
  });

  it("scores 50k characters of non-repeating text in milliseconds", () => {
    // Pseudo-random words: no loop, nothing long repeats.
    let seed = 11;
    // High bits of a 32-bit LCG (its low bits have short periods).
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    const syllables = ["ka", "to", "mi", "re", "su", "no", "ha", "ri", "ne", "yo", "pa", "zu"];
    let text = "";
    while (text.length < 50_000) {
      const length = 1 + (random() % 4);
      text += Array.from({ length }, () => syllables[random() % syllables.length]).join("") + (random() % 9 === 0 ? ". " : " ");
    }
    text = text.slice(0, 50_000);
    check(text, "en");
    const started = performance.now();
    const result = check(text, "en");
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.details.looping).toBe(false);
  });
});
