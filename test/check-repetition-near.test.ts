/**
 * Repetition v8: near-copies at the budget (copies that differ in a few
 * letters as well as numbers) and figures that nothing indexes counted into
 * the budget, against the lists, tables and prose that look like them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { EN_PROSE, check, corpusOutput, loadRepetitionServices } from "./check-repetition-helpers.js";

beforeAll(loadRepetitionServices);

const WEEKDAYS = "月火水木金土日";

describe("near-copies at the end of an output cut at max_tokens", () => {
  it("Japanese: a date range stepping with its weekday, to the budget, is a loop; the same text that ended on its own is not", () => {
    const copy = (day: number): string => `説明会の参加者は3月${day}日（${WEEKDAYS[day % 7]}）から3月${day + 1}日（${WEEKDAYS[(day + 1) % 7]}）まで、`;
    const output = `今年の説明会の予定です。\n${Array.from({ length: 9 }, (_, k) => copy(k + 2)).join("")}説明会の参加`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "end", count: 9, runaway: true, unit: copy(2) });
    expect(result.details.reason).toContain("up to 2 other chars");
    // Whole copies are highlighted as written: 3月2日（水）… then 3月3日（木）….
    expect(result.details.highlights?.[1]).toMatchObject({ label: "loop copy 2/9" });
    // Ended on its own, the copies are no loop (the statistics may still find it repetitive).
    expect(check(output, "ja", { stopReason: "eog" }).details.looping).toBe(false);
  });

  it("Chinese: the same words with a figure falling unevenly, ten times into the budget, are a loop", () => {
    const heights = [88, 75, 75, 61, 52, 50, 43, 40, 31, 27, 19, 12];
    const output = `这座塔的资料如下。\n\n${heights.map((height) => `塔楼高度${height}米，`).join("")}塔楼高度`;
    const result = check(output, "zh", { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "end", count: 12, unit: "塔楼高度88米，", runaway: true });
    // Ended on its own, it is a table of falling heights; and with fewer than ten copies, the budget is no evidence.
    expect(check(output, "zh", { stopReason: "eog" }).pass).toBe(true);
    const short = `这座塔的资料如下。\n\n${heights.slice(0, 8).map((height) => `塔楼高度${height}米，`).join("")}塔楼高度`;
    expect(check(short, "zh", { stopReason: "max_tokens" }).pass).toBe(true);
  });

  it("English: numbered sentences with one word swapped for another as long, to the budget, are a loop", () => {
    const words = ["users", "hosts", "nodes", "sites"];
    const copies = Array.from({ length: 8 }, (_, k) => `${k + 1}. It is a network which has a large number of ${words[k % 4]}.\n`).join("");
    const output = `The internet, simply put:\n${copies}9. It is a network which has`;
    const result = check(output, "en", { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "end", count: 8, unit: "1. It is a network which has a large number of users.\n" });
    expect(result.details.reason).toContain("up to 4 other chars");
    expect(check(output, "en", { stopReason: "eog" }).details.looping).toBe(false);
  });

  it("copies that differ in one other code point say so in the singular", () => {
    const output = `会議の予定です。${Array.from({ length: 8 }, (_, k) => `第${k + 1}回の会議は${WEEKDAYS[k % 7]}曜日に開きます。`).join("")}第9回の会`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.details).toMatchObject({ looping: true, count: 8 });
    expect(result.details.reason).toContain("and up to 1 other char + a partial copy");
  });
});

describe("lists, tables and prose that look like near-copies pass, at the budget too", () => {
  it("a list of dated events: every day has its weekday and an event of its own", () => {
    const events = ["開会式", "クラス対抗リレー", "合唱コンクール", "文化祭の準備", "文化祭", "片付けと反省会", "振替休日", "期末試験の説明", "部活動の発表会", "閉会式"];
    const output = `来月の行事予定です。\n${events.map((event, k) => `10月${k + 1}日（${WEEKDAYS[k % 7]}）：${event}`).join("\n")}\n10月11日（`;
    expect(check(output, "ja", { stopReason: "max_tokens" }).pass).toBe(true);
  });

  it("a schedule whose rows differ in their dates and weekdays only (a real Gemma 3 270M answer cut at max_tokens)", () => {
    const output = corpusOutput("gemma-3-270m-heldout", "gemma-ja-h12-sampled-s2");
    expect(check(output, "ja", { stopReason: "max_tokens" }).pass).toBe(true);
  });

  it("a table of falling heights with an index that counts, into the budget", () => {
    const heights = [88, 75, 75, 61, 52, 50, 43, 40, 31, 27, 19, 12];
    const output = `各号楼的高度如下。\n${heights.map((height, k) => `${k + 1}号楼高度${height}米，`).join("")}13号楼`;
    expect(check(output, "zh", { stopReason: "max_tokens" }).pass).toBe(true);
  });

  it("a paragraph that reuses a phrase three times, cut at the budget", () => {
    const output =
      "The network of computers that makes up the internet is large. The network of computers that makes up a school is small. " +
      `The network of computers that makes up a home may be a single router. ${EN_PROSE.slice(0, 300)}`;
    expect(check(output, "en", { stopReason: "max_tokens" }).pass).toBe(true);
  });
});

describe("review of v8: lists, tables and code cut at the budget pass; long near-copy loops are reported whole", () => {
  it("copies that differ in a word and hold no count moving with them are a list (opening hours, code)", () => {
    const outputs: Array<[string, string]> = [
      ["ja", "当店の営業時間は以下のとおりです。\n月曜日：9時から17時まで\n火曜日：9時から17時まで\n水曜日：9時から17時まで\n木曜日：9時から17時まで\n金曜日：9時"],
      ["zh", "营业时间如下：\n星期一：上午9点到下午5点\n星期二：上午9点到下午5点\n星期三：上午9点到下午5点\n星期四：上午9点到下午5点\n星期五：上午9点"],
      ["en", 'const a = getValue("a");\nconst b = getValue("b");\nconst c = getValue("c");\nconst d = getValue("d");\nconst e = getValue("e");\nconst f = getV'],
    ];
    for (const [language, output] of outputs) {
      const result = check(output, language, { stopReason: "max_tokens" });
      expect(result.pass, `${output}: ${result.details.reason}`).toBe(true);
    }
  });

  it("tables whose index counts unevenly (census years, departure times) are no figures without an index", () => {
    const japan: Array<[number, string]> = [
      [1920, "5596万"], [1930, "6445万"], [1940, "7193万"], [1947, "7810万"], [1950, "8411万"], [1955, "9008万"], [1960, "9430万"],
      [1965, "9921万"], [1970, "1億467万"], [1975, "1億1194万"], [1980, "1億1706万"], [1985, "1億2105万"], [1990, "1億2361万"],
    ];
    const china: Array<[number, string]> = [
      [1953, "5.8"], [1964, "6.9"], [1982, "10.1"], [1990, "11.3"], [2000, "12.7"], [2010, "13.4"], [2020, "14.1"],
      [2021, "14.1"], [2022, "14.1"], [2023, "14.0"], [2024, "14.0"],
    ];
    const departures = ["6:05", "6:32", "6:50", "7:08", "7:25", "7:47", "8:03", "8:20", "8:41", "9:00", "9:15", "9:40"];
    const outputs: Array<[string, string]> = [
      ["ja", `日本の人口の推移です。\n${japan.map(([year, people]) => `${year}年の人口は約${people}人\n`).join("")}1995年の`],
      ["zh", `中国人口的变化：${china.map(([year, people]) => `${year}年人口约${people}亿，`).join("")}2025年人口`],
      ["ja", `市役所行きのバスの時刻表です。\n${departures.map((time) => `${time}発 市役所行き\n`).join("")}10:0`],
    ];
    for (const [language, output] of outputs) {
      const result = check(output, language, { stopReason: "max_tokens" });
      expect(result.pass, `${output}: ${result.details.reason}`).toBe(true);
    }
  });

  it("thirty near-copies of a date range are one loop of the short unit over the whole tail, not four copies of a week", () => {
    const copy = (day: number): string => `説明会の参加者は3月${day}日（${WEEKDAYS[day % 7]}）から3月${day + 1}日（${WEEKDAYS[(day + 1) % 7]}）まで、`;
    const output = `今年の説明会の予定です。\n${Array.from({ length: 30 }, (_, k) => copy(k + 1)).join("")}説明会の`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.count as number).toBeGreaterThanOrEqual(28);
    expect(result.details).toMatchObject({ unit: copy(1), unit_length: 27, loop_at: "end" });
    expect(result.score).toBeGreaterThan(0.9);
  });
});

describe("a copy never starts inside a number", () => {
  it("nor after a thousands separator (1,500)", () => {
    const output = "x,500 apples and pears, 1,500 apples and pears, 2,500 apples and pears, 3,500 apples and pears, 4,500 apples and pears, 5,500 apples";
    const result = check(output, "en", { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(false);
    // The copy starts after a space, holding 1,500 whole, not at the 500 after "x," (which reads as 500 … 1, in every later copy).
    expect(result.details.unit).toBe("apples and pears, 1,500 ");
  });

  it("nor after a decimal point (49.9)", () => {
    // The loop's region starts at 最, after no boundary; the nearest place after a point is the 9 of 49.9.
    const output = `今日の記録：${"最高気温は49.9度でした。".repeat(6)}最高気温`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(false);
    expect(result.details.unit).toBe("最高気温は49.9度でした。");
  });
});
