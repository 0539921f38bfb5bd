/**
 * Checks that could hang on hostile output: a backtracking regular expression
 * is stopped by its time limit and reported as a check error; a 100,000-character
 * unpunctuated Japanese output is scored under every check in bounded time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitLongRuns } from "../src/lang/long-runs.js";
import { backtrackingBound } from "../src/util/bounded-regex.js";
import type { Report } from "../src/format/report.js";
import { mulberry32 } from "../src/util/random.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const at = (...parts: string[]) => path.join(dir, ...parts);

async function score(name: string, suite: string, outputs: object[]) {
  writeFileSync(at(`${name}.yaml`), suite);
  writeFileSync(at(`${name}.jsonl`), outputs.map((line) => JSON.stringify(line)).join("\n") + "\n");
  const started = performance.now();
  const result = await runCli(["score", "--outputs", at(`${name}.jsonl`), "--suite", at(`${name}.yaml`), "--out", at(name)]);
  const seconds = (performance.now() - started) / 1000;
  expect(result.code, result.stderr).toBe(0);
  return { result, seconds, report: JSON.parse(readFileSync(at(name, "report.json"), "utf8")) as Report };
}

/** Unpunctuated Japanese from a fixed vocabulary, not a loop: what a model that never ends a sentence writes. */
function unpunctuatedJapanese(length: number): string {
  const words = ["今日は", "天気が", "いいので", "公園に", "散歩に", "行きました", "そこで", "友達に", "会って", "一緒に", "お茶を", "飲みました", "富士山", "東京タワー", "ワンタン", "美味しい", "とても", "新しい", "本を", "読んで", "考えました", "コンピューター", "について", "話しました"];
  const random = mulberry32(9);
  let text = "";
  while (text.length < length) text += words[Math.floor(random() * words.length)];
  return text.slice(0, length);
}

describe("checks that could hang", () => {
  it("a catastrophically backtracking regex or schema pattern is a check error within its time limit", async () => {
    const hostile = "a".repeat(30) + " aaaa aaa aaaaa aaaa aaaaa a aaaaaa aaaa!"; // 62 characters
    const suite = `suite: redos
defaults: {language: en, category: classification}
probes:
  - {id: regex, prompt: x, checks: [{type: regex, pattern: '^(\\w+\\s?)*$'}]}
  - {id: schema, prompt: x, checks: [{type: json, extract: whole, schema: {type: string, pattern: '^(\\w+\\s?)*$'}}]}
  - {id: fine, prompt: x, checks: [{type: regex, pattern: 'a{3} a'}]}
`;
    const { report, seconds } = await score("redos", suite, [
      { suite: "redos", id: "regex", output: hostile },
      { suite: "redos", id: "schema", output: JSON.stringify(hostile) },
      { suite: "redos", id: "fine", output: hostile },
    ]);
    expect(seconds).toBeLessThan(20);
    const probe = (id: string) => report.probes.find((p) => p.id === id)!;
    for (const id of ["regex", "schema"]) {
      expect(probe(id).status).toBe("error");
      expect(probe(id).checks[0]!.details.reason).toMatch(/ran past the 1000 ms limit on \d+ characters/);
    }
    expect(probe("fine")).toMatchObject({ status: "pass", checks: [{ details: { matched: "aaa a" } }] });
  });

  it("scores a 100,000-character unpunctuated Japanese output under every check in bounded time", async () => {
    const output = unpunctuatedJapanese(100_000);
    const checks = [
      "contains",
      "exact",
      "{type: regex, pattern: '富士山'}",
      "{type: not_contains, values: [回答できません]}",
      "{type: katakana, expected: [ワンタン]}",
      "language",
      "repetition",
      "bleu",
      "chrf",
      "chrf++",
      "token_f1",
      "{type: json, extract: embedded}",
      "{type: length, unit: words, max_length: 10}",
      "{type: length, unit: chars, max_length: 10}",
      "{type: refusal, expect: answer}",
    ];
    const suite = `suite: long
defaults: {language: ja, category: open_qa}
probes:
  - {id: essay, prompt: 日本について書いてください, expected: [今日は天気がいいので公園に散歩に行きました], checks: [${checks.join(", ")}]}
`;
    const { report, seconds } = await score("long", suite, [{ suite: "long", id: "essay", output, stop_reason: "max_tokens" }]);
    const essay = report.probes[0]!;
    expect(essay.checks.map((check) => check.type).sort()).toEqual(
      ["bleu", "chrf", "chrf++", "contains", "exact", "json", "katakana", "language", "length", "length", "not_contains", "refusal", "regex", "repetition", "token_f1"],
    );
    // Every check reached a verdict; none crashed.
    expect(essay.checks.filter((check) => check.details.crashed)).toEqual([]);
    expect(essay.checks.find((check) => check.type === "regex")!.pass).toBe(true);
    // Before the text was cut into pieces, kuromoji alone took minutes on this (20,000 chars: 5 s, quadratic);
    // now about 13 s on a busy 2-core machine.
    expect(seconds).toBeLessThan(60);
  }, 120_000);

  it("cuts a long stretch without 、 or 。 where a word ends, and leaves ordinary sentences whole", () => {
    const text = unpunctuatedJapanese(2_000);
    const pieces = splitLongRuns(text);
    expect(pieces.join("")).toBe(text);
    expect(Math.max(...pieces.map((piece) => Array.from(piece).length))).toBeLessThanOrEqual(257);
    // Each cut follows hiragana (a particle or an ending), not the middle of a kanji or katakana word.
    for (const piece of pieces.slice(0, -1)) expect(piece.at(-1)).toMatch(/\p{Script=Hiragana}/u);
    const prose = "日本で一番高い山は富士山です。標高は三七七六メートルで、静岡県と山梨県にまたがっています。";
    expect(splitLongRuns(prose.repeat(20))).toEqual([prose.repeat(20)]);
  });
});

describe("which patterns need the time limit", () => {
  it("bounds the work of patterns quantified only on single atoms, and no other", () => {
    expect(backtrackingBound("[？?]\\s*$", 99)).toBe(100 ** 2);
    expect(backtrackingBound("(東京|Tokyo)都?", 9)).toBe(2 * 10 ** 2);
    expect(backtrackingBound("^\\d{1,3}(,\\d{3})$", 9)).toBe(10 ** 3);
    expect(backtrackingBound("\\p{Script=Han}+[a-z\\]+]*", 9)).toBe(10 ** 3);
    expect(backtrackingBound("a{3} a", 9)).toBe(10 ** 2);
    for (const hostile of ["^(\\w+\\s?)*$", "(a|aa)+$", "(?:x+)+y", "(a)\\1", "(?<w>a)\\k<w>", "(ab){2,}"]) {
      expect(backtrackingBound(hostile, 9), hostile).toBeNull();
    }
  });
});
