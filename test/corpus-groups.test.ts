/**
 * Corpus metrics are kept apart by how they were computed: a translation suite
 * with E→J (BLEU tok ja-kuromoji) and J→E (BLEU tok 13a) has two corpora, and
 * the report, diff, trend and gate keep each apart. Through the real CLI:
 * score two rounds' outputs, then diff and gate them.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Diff } from "../src/format/diff.js";
import type { Report } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const at = (...parts: string[]) => path.join(dir, ...parts);
const read = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

/** [id, source, reference, round-1 output] — E→J into Japanese. */
const EN_JA: Array<[string, string, string, string]> = [
  ["station", "Where is the station?", "駅はどこですか。", "駅はどこですか。"],
  ["weather", "The weather is nice today.", "今日はいい天気ですね。", "今日は良い天気ですね。"],
  ["fuji", "Mount Fuji is the highest mountain in Japan.", "富士山は日本で一番高い山です。", "富士山は日本で最も高い山です。"],
  ["lunch", "I ate wonton soup for lunch.", "昼食にワンタンスープを食べました。", "昼ご飯にワンタンスープを食べました。"],
  ["book", "I read a book every night before bed.", "毎晩寝る前に本を読みます。", "毎晩寝る前に本を読んでいます。"],
  ["train", "The train was late this morning.", "今朝は電車が遅れました。", "今朝、電車が遅れました。"],
  ["coffee", "Would you like some coffee?", "コーヒーはいかがですか。", "コーヒーはいかがですか。"],
  ["tokyo", "Tokyo is the capital of Japan.", "東京は日本の首都です。", "東京は日本の首都です。"],
];

/** [id, source, reference, round-1 output, round-2 output] — J→E into English; only these change in round 2. */
const JA_EN: Array<[string, string, string, string, string]> = [
  ["weather", "今日は良い天気ですね。", "The weather is nice today.", "The weather is nice today.", "Today good weather."],
  ["fuji", "富士山は日本で一番高い山です。", "Mount Fuji is the highest mountain in Japan.", "Mount Fuji is the highest mountain in Japan.", "Fuji mountain Japan high."],
  ["cat", "猫がソファの上で寝ています。", "The cat is sleeping on the sofa.", "The cat is sleeping on the sofa.", "Cat sofa sleep."],
  ["late", "電車が遅れたので会議に遅刻しました。", "I was late for the meeting because the train was delayed.", "I was late for the meeting because the train was late.", "Train late, meeting."],
  ["rain", "明日は雨が降るそうです。", "I heard it will rain tomorrow.", "I heard that it will rain tomorrow.", "Rain tomorrow maybe."],
  ["library", "図書館は九時に開きます。", "The library opens at nine o'clock.", "The library opens at nine o'clock.", "Library nine."],
  ["sister", "私の妹は看護師です。", "My younger sister is a nurse.", "My younger sister is a nurse.", "Sister nurse."],
  ["park", "週末に公園で友達とサッカーをしました。", "I played soccer with my friends in the park on the weekend.", "On the weekend I played soccer with friends in the park.", "Soccer park weekend friend."],
];

const quote = (text: string) => JSON.stringify(text);

function suite(): string {
  const probes = [
    ...EN_JA.map(([id, source, reference]) => `  - {id: en-ja-${id}, language: ja, prompt: ${quote(`次の英語を日本語に翻訳してください: ${source}`)}, expected: [${quote(reference)}]}`),
    ...JA_EN.map(([id, source, reference]) => `  - {id: ja-en-${id}, language: en, prompt: ${quote(`次の日本語を英語に翻訳してください: ${source}`)}, expected: [${quote(reference)}]}`),
  ];
  return `suite: translation-corpora\ndefaults:\n  category: translation\n  max_tokens: 64\n  checks: [bleu, chrf, token_f1]\nprobes:\n${probes.join("\n")}\n`;
}

function outputs(round: 1 | 2): string {
  const lines = [
    ...EN_JA.map(([id, , , output]) => ({ suite: "translation-corpora", id: `en-ja-${id}`, output })),
    ...JA_EN.map(([id, , , first, second]) => ({ suite: "translation-corpora", id: `ja-en-${id}`, output: round === 1 ? first : second })),
  ];
  return lines.map((line) => JSON.stringify(line) + "\n").join("");
}

beforeAll(async () => {
  writeFileSync(at("translation.yaml"), suite());
  writeFileSync(at("round1.jsonl"), outputs(1));
  writeFileSync(at("round2.jsonl"), outputs(2));
  for (const round of ["round1", "round2"]) {
    mkdirSync(at(round));
    const scored = await runCli(["score", "--outputs", at(`${round}.jsonl`), "--suite", at("translation.yaml"), "--out", at(round)]);
    expect(scored.code, scored.stderr).toBe(0);
  }
});

const policy = (name: string, scope: string) => {
  writeFileSync(at(name), `rules:\n  - max_decrease: 2.0\n    metric: corpus_score\n    check: bleu\n${scope}`);
  return at(name);
};

describe("corpus scores by language and signature", () => {
  it("the report has one BLEU corpus per language, each with its own tokenizer and signature", () => {
    const report = read<Report>(at("round1", "report.json"));
    const bleu = report.summary.corpus_metrics["translation-corpora"]!.filter((metric) => metric.type === "bleu");
    expect(bleu.map(({ language, tokenize, segments }) => ({ language, tokenize, segments }))).toEqual([
      { language: "ja", tokenize: "ja-kuromoji", segments: 8 },
      { language: "en", tokenize: "13a", segments: 8 },
    ]);
    expect(bleu[0]!.signature).toContain("tok:ja-kuromoji");
    expect(bleu[1]!.signature).toContain("tok:13a");
    // chrF has no tokenizer, but Japanese and English segments are still two corpora.
    const chrf = report.summary.corpus_metrics["translation-corpora"]!.filter((metric) => metric.type === "chrf");
    expect(chrf.map((metric) => metric.language)).toEqual(["ja", "en"]);
  });

  it("the diff shows J→E moving and E→J not", async () => {
    const result = await runCli(["diff", at("round1"), at("round2"), "--out", at("diff")]);
    expect(result.code, result.stderr).toBe(0);
    const diff = read<Diff>(at("diff", "diff.json"));
    const bleu = diff.corpus["translation-corpora"]!.filter((corpus) => corpus.check === "bleu");
    expect(bleu).toHaveLength(2);
    const ja = bleu.find((corpus) => corpus.language === "ja")!;
    const en = bleu.find((corpus) => corpus.language === "en")!;
    expect(ja).toMatchObject({ tokenize: "ja-kuromoji", segments: 8, delta: 0 });
    expect(ja.verdict).toBe("no significant change");
    expect(en).toMatchObject({ tokenize: "13a", segments: 8 });
    expect(en.base!).toBeGreaterThan(50);
    expect(en.candidate!).toBeLessThan(10);
    expect(en.verdict).toBe("regressed");
    expect(en.signature).toBe("bleu|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:bonsai-1");
    expect(result.stdout).toMatch(/▼ corpus translation-corpora bleu \(en, tok 13a\): \d+\.\d+ → \d+\.\d+ .*8 segments, regressed/);
    expect(result.stdout).not.toContain("bleu (ja, tok ja-kuromoji)");
    const markdown = readFileSync(at("diff", "diff.md"), "utf8");
    // Markdown escapes - and ( in untrusted names.
    expect(markdown).toContain("translation\\-corpora bleu \\(en, tok 13a\\)");
    expect(markdown).toContain("No pass/fail verdicts to compare (informational scores only)");
    expect(markdown).toContain("`bleu|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:bonsai-1`");
    const html = readFileSync(at("diff", "diff.html"), "utf8");
    expect(html).toContain("tok:ja-kuromoji");
    expect(html).toContain("tok:13a");
  });

  it("a trend keeps each corpus on its own row", async () => {
    const result = await runCli(["diff", at("round1"), at("round1"), at("round2"), "--out", at("trend")]);
    expect(result.code, result.stderr).toBe(0);
    const diff = read<Diff>(at("trend", "diff.json"));
    const rows = diff.trend!.corpus.filter((row) => row.check === "bleu");
    expect(rows.map((row) => row.language).sort()).toEqual(["en", "ja"]);
    const en = rows.find((row) => row.language === "en")!;
    const ja = rows.find((row) => row.language === "ja")!;
    expect(en.values[0]!.score).toBe(en.values[1]!.score);
    expect(en.values[2]!.score!).toBeLessThan(en.values[0]!.score! - 40);
    expect(new Set(ja.values.map((value) => value.score)).size).toBe(1);
  });

  it("a max_decrease rule on the J→E corpus fails, named by language or by tokenizer", async () => {
    for (const [file, scope] of [["by-language.yaml", "    language: en\n"], ["by-tokenizer.yaml", "    tokenize: 13a\n"]] as const) {
      const result = await runCli(["gate", at("round2"), "--policy", policy(file, scope), "--baseline", at("round1"), "--out", at(`gate-${file}`)]);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toMatch(/corpus bleu \(en, tok 13a\).* → .*may fall at most 2$/m);
      const report = read<Report>(at(`gate-${file}`, "report.json"));
      expect(report.gate!.rules[0]).toMatchObject({ status: "fail", details: { language: "en", tokenize: "13a", pairs: 8 } });
    }
  });

  it("the same rule on the E→J corpus passes", async () => {
    const result = await runCli(["gate", at("round2"), "--policy", policy("ja.yaml", "    language: ja\n"), "--baseline", at("round1"), "--out", at("gate-ja")]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('"*" gates each corpus separately', async () => {
    const result = await runCli(["gate", at("round2"), "--policy", policy("each.yaml", '    language: "*"\n'), "--baseline", at("round1"), "--out", at("gate-each")]);
    expect(result.code).toBe(1);
    const gate = read<Report>(at("gate-each", "report.json")).gate!;
    expect(gate.rules.map((rule) => [rule.scope.language, rule.status])).toEqual([["en", "fail"], ["ja", "pass"]]);
  });

  it("a rule whose scope matches both corpora is an error that says so, and writes nothing", async () => {
    const result = await runCli(["gate", at("round2"), "--policy", policy("ambiguous.yaml", ""), "--baseline", at("round1"), "--out", at("gate-ambiguous")]);
    expect(result.code).toBe(2);
    const message = result.stderr.trim();
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain(`${at("ambiguous.yaml")}:2`);
    expect(message).toContain("matches 2 corpora");
    expect(message).toContain("bleu (ja, tok ja-kuromoji)");
    expect(message).toContain("bleu (en, tok 13a)");
    expect(message).toMatch(/name one with language: or tokenize:/);
    expect(() => readFileSync(at("gate-ambiguous", "report.json"))).toThrow();
  });
});
