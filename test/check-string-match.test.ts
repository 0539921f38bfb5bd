/** The string-matching checks (contains, exact, regex, not_contains) and the normalization they share, on Japanese, Chinese and mixed-script output. */
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../src/format/check-result.js";
import { normalizeForMatch, originalRange } from "../src/lang/normalize.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import { scoreCheck } from "./check-harness.js";

let services: LanguageServices;
beforeAll(async () => {
  services = await loadLanguageServices([]);
});

function check(type: string, output: string, params: Record<string, unknown> = {}, expected: string[] = []): CheckResult {
  return scoreCheck({ type, ...params }, { output, stopReason: "eog" }, services, { probe: { expected } });
}

describe("normalization shared by string checks", () => {
  it("folds width, case, whitespace and edge punctuation (Japanese and Chinese too)", () => {
    expect(normalizeForMatch("  「ＴＯＫＹＯ　Tower」。 ").text).toBe("tokyo tower");
    expect(normalizeForMatch("ｶﾀｶﾅ！").text).toBe("カタカナ");
    expect(normalizeForMatch("北京。").text).toBe("北京");
    expect(normalizeForMatch("（答え）富士山です…").text).toBe("答え)富士山です");
  });

  it("keeps symbols and marks that belong to an answer", () => {
    expect(normalizeForMatch("C++").text).toBe("c++");
    expect(normalizeForMatch("「C#」です。").text).toBe("c#」です");
    expect(normalizeForMatch("<br>").text).toBe("<br>");
    expect(normalizeForMatch("100%!").text).toBe("100%");
  });

  it("maps normalized offsets back to code points of the original", () => {
    const text = "𠮷野家の　ＡＢＣ";
    const normalized = normalizeForMatch(text);
    const at = normalized.text.indexOf("abc");
    expect(originalRange(normalized, at, at + 3)).toEqual({ start: 5, end: 8 });
    expect(Array.from(text).slice(5, 8).join("")).toBe("ＡＢＣ");
  });
});

describe("contains", () => {
  it("finds an expected alias inside a Japanese answer and highlights it", () => {
    const result = check("contains", "日本で一番高い山は富士山です。", {}, ["富士", "ふじさん"]);
    expect(result).toMatchObject({ type: "contains", score: 1, pass: true });
    expect(result.details.highlights).toEqual([{ start: 9, end: 11, label: "expected" }]);
  });

  it("matches across full-width and case differences", () => {
    expect(check("contains", "答えはＰＡＲＩＳです", {}, ["Paris"]).pass).toBe(true);
    expect(check("contains", "答えはＰＡＲＩＳです", { case_sensitive: true }, ["Paris"]).pass).toBe(false);
  });

  it("fails with the aliases it looked for", () => {
    const result = check("contains", "エベレストです", {}, ["富士山"]);
    expect(result).toMatchObject({ score: 0, pass: false, details: { expected: ["富士山"] } });
  });

  it("prefers its own expected values over the probe's", () => {
    expect(check("contains", "Mount Fuji", { expected: "Fuji" }, ["富士山"]).pass).toBe(true);
  });

  it("does not let an alias with edge symbols match less than it says", () => {
    expect(check("contains", "I like cats", {}, ["C++"]).pass).toBe(false);
    expect(check("contains", "I write C++ every day", {}, ["C++"]).pass).toBe(true);
    const hostile = check("contains", "x <img src=x onerror=alert(1)> y", {}, ["<img src=x onerror=alert(1)>"]);
    expect(hostile.details.highlights).toEqual([{ start: 2, end: 30, label: "expected" }]);
  });

  it("handles empty output, emoji and astral characters", () => {
    expect(check("contains", "", {}, ["東京"]).pass).toBe(false);
    const result = check("contains", "😀😀 𠮷野家 😀", {}, ["𠮷野家"]);
    expect(result.pass).toBe(true);
    expect(result.details.highlights).toEqual([{ start: 3, end: 6, label: "expected" }]);
  });
});

describe("very long and mixed-script output", () => {
  it("matches in a 60,000-character ja/zh/en output with emoji, and maps the offset back", () => {
    const filler = "日本語の文です。This is English. 这是中文。😀 ".repeat(2000);
    const output = `${filler}答えは𠮷野家の富士山です。${filler}`;
    const start = performance.now();
    const found = check("contains", output, {}, ["富士山"]);
    const absent = check("not_contains", output, { values: ["エベレスト"] });
    const matched = check("regex", output, { pattern: "富士山です" });
    expect(performance.now() - start).toBeLessThan(2000);
    expect(found.pass).toBe(true);
    expect(absent.pass).toBe(true);
    const at = Array.from(filler).length + Array.from("答えは𠮷野家の").length;
    expect(found.details.highlights).toEqual([{ start: at, end: at + 3, label: "expected" }]);
    expect(matched.details.highlights).toEqual([{ start: at, end: at + 5, label: "match" }]);
  });
});

describe("exact", () => {
  it("accepts an answer equal to an alias after normalization", () => {
    expect(check("exact", " 肯定的。", {}, ["肯定的"]).pass).toBe(true);
    expect(check("exact", "「Positive」", {}, ["positive"]).pass).toBe(true);
  });

  it("rejects an answer with more than the alias", () => {
    expect(check("exact", "肯定的です", {}, ["肯定的"])).toMatchObject({ pass: false, details: { normalized_output: "肯定的です" } });
  });
});

describe("regex", () => {
  it("matches the NFKC-normalized output with code point highlights", () => {
    const result = check("regex", "𠮷 旅行はいつですか？", { pattern: "[？?]\\s*$" });
    expect(result.pass).toBe(true);
    expect(result.details.highlights).toEqual([{ start: 10, end: 11, label: "match" }]);
  });

  it("honours flags and reports a miss", () => {
    expect(check("regex", "ANSWER: yes", { pattern: "answer", flags: "i" }).pass).toBe(true);
    expect(check("regex", "no question here", { pattern: "\\?$" })).toMatchObject({ pass: false, score: 0 });
  });
});

describe("not_contains", () => {
  it("fails when a forbidden value appears, naming and highlighting it", () => {
    const result = check("not_contains", "首都はシドニーです", { values: ["シドニー", "メルボルン"] });
    expect(result).toMatchObject({ pass: false, details: { found: ["シドニー"] } });
    expect(result.details.highlights).toEqual([{ start: 3, end: 7, label: "forbidden" }]);
  });

  it("passes when none appears", () => {
    expect(check("not_contains", "キャンベラです", { values: "シドニー" }).pass).toBe(true);
  });
});
