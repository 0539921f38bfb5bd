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

  it("English: sentences with one word swapped for another as long, to the budget, are a loop", () => {
    const words = ["users", "hosts", "nodes", "sites"];
    const copies = Array.from({ length: 8 }, (_, k) => `It is a network which has a large number of ${words[k % 4]}.\n`).join("");
    const output = `The internet, simply put:\n${copies}It is a network which has`;
    const result = check(output, "en", { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "end", count: 8, unit: "It is a network which has a large number of users.\n" });
    expect(check(output, "en", { stopReason: "eog" }).details.looping).toBe(false);
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
