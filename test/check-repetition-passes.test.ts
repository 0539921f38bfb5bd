/** The repetition check's verdicts on what is not a loop: prose, lists of parallel items, short answers, rules and borders. */
import { deflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { EN_PROSE, JA_LIST, JA_PROSE, ZH_PROSE, check, corpusOutput, loadRepetitionServices } from "./check-repetition-helpers.js";

beforeAll(loadRepetitionServices);

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
    const output = corpusOutput("gemma-3-270m", "gemma-ja-04-sampled-s0-r1");
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

  it("a list written inline, items between commas, is judged on what its items say", () => {
    // A real answer of Gemma 3 270M (held-out corpus), which seq-rep-4 0.53 flagged before the inline frame was removed.
    const output = corpusOutput("gemma-3-270m-heldout", "gemma-en-h05-sampled-s0");
    expect(output).toMatch(/^Answer choices: explain why the sky is blue, explain why the sky is yellow, /);
    const result = check(output, "en");
    expect(result.pass, result.details.reason).toBe(true);
    expect(result.details.list_frames_removed).toBe(1);
    expect(result.details.seq_rep as number).toBeLessThan(0.2);
    const cities = ["札幌", "仙台", "東京", "名古屋", "京都", "大阪", "神戸", "広島", "福岡", "那覇"];
    const japanese = check(`旅行先の候補は${cities.map((city) => `${city}に行ってみるのも楽しいです`).join("、")}。どこも魅力があります。`, "ja");
    expect(japanese.pass, japanese.details.reason).toBe(true);
    expect(japanese.details.list_frames_removed).toBe(1);
    // The same item over and over is still a loop, on one line as on many.
    const loop = check(`Answer choices: ${"explain why the sky is blue, ".repeat(12)}`, "en");
    expect(loop.pass).toBe(false);
    expect(loop.details.looping).toBe(true);
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
