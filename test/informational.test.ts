/**
 * A metric without a threshold is a measurement, not a pass: BLEU, chrF++,
 * token F1 and perplexity with no min/max carry their value and `pass: null`,
 * stay out of pass counts and rates, and a probe whose checks are all
 * informational has status scored. Means are kept per language and unit.
 * Through the real CLI: suite + outputs → report, terminal, JUnit, diff, gate.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Diff } from "../src/format/diff.js";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import type { Report } from "../src/format/report.js";
import { createAjv } from "../src/util/ajv.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const at = (...parts: string[]) => path.join(dir, ...parts);
const read = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

const SUITE = `suite: info
defaults: {category: translation, language: ja}
probes:
  - {id: ja-bleu, prompt: "次の英語を日本語に翻訳してください: Good morning.", expected: [おはようございます。], checks: [bleu, chrf++, token_f1]}
  - {id: en-bleu, language: en, prompt: "次の日本語を英語に翻訳してください: おはよう。", expected: [Good morning.], checks: [bleu, chrf++]}
  - {id: en-bleu-2, language: en, prompt: "次の日本語を英語に翻訳してください: ありがとう。", expected: [Thank you.], checks: [bleu]}
  - {id: fuji, category: open_qa, prompt: 日本で一番高い山は？, expected: [富士山], checks: [contains, bleu]}
  - {id: short-chars, category: open_qa, prompt: 短く答えて, checks: [{type: length, unit: chars, max_length: 40}]}
  - {id: short-words, category: open_qa, language: en, prompt: Answer briefly., checks: [{type: length, unit: words, max_length: 40}]}
  - {id: ja-text, type: perplexity, text: 富士山は日本で一番高い山です。, checks: [perplexity]}
  - {id: en-text, type: perplexity, language: en, text: Mount Fuji is the highest mountain in Japan., checks: [perplexity]}
`;

const perplexity = (logprob: number, tokens: number, text: string) => ({ kind: "perplexity", logprob, tokens, chars: Array.from(text).length, bytes: Buffer.byteLength(text), windows: 1 });

function outputs(round: 1 | 2): string {
  const lines = [
    { id: "ja-bleu", output: round === 1 ? "おはようございます。" : "こんにちは。" },
    { id: "en-bleu", output: round === 1 ? "Good morning." : "Hello there." },
    { id: "en-bleu-2", output: "Thank you." },
    { id: "fuji", output: "富士山です。" },
    { id: "short-chars", output: "はい、短いです。" },
    { id: "short-words", output: "Yes, this is a short answer." },
    { id: "ja-text", output: "", likelihood: perplexity(-30, 12, "富士山は日本で一番高い山です。") },
    { id: "en-text", output: "", likelihood: perplexity(-20, 10, "Mount Fuji is the highest mountain in Japan.") },
  ];
  return lines.map((line) => JSON.stringify({ suite: "info", ...line }) + "\n").join("");
}

let report: Report;
let stdout: string;

beforeAll(async () => {
  writeFileSync(at("info.yaml"), SUITE);
  for (const round of [1, 2] as const) {
    writeFileSync(at(`round${round}.jsonl`), outputs(round));
    const result = await runCli(["score", "--outputs", at(`round${round}.jsonl`), "--suite", at("info.yaml"), "--out", at(`round${round}`), "--junit", at(`round${round}.xml`)]);
    expect(result.code, result.stderr).toBe(0);
    if (round === 1) stdout = result.stdout;
  }
  report = read<Report>(at("round1", "report.json"));
});

const probe = (id: string) => report.probes.find((each) => each.id === id)!;

describe("informational results", () => {
  it("carry their value and no verdict; a probe of informational checks only is scored", () => {
    const validate = createAjv().compile(REPORT_SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    for (const id of ["ja-bleu", "en-bleu", "en-bleu-2", "ja-text", "en-text"]) {
      expect(probe(id)).toMatchObject({ status: "scored", pass: null });
      for (const check of probe(id).checks) {
        expect(check.pass).toBeNull();
        expect(typeof check.score).toBe("number");
      }
    }
    expect(probe("ja-bleu").checks[0]!.details.reason).toMatch(/no min_score threshold is set/);
    // A real check decides; the informational BLEU beside it neither helps nor hurts.
    expect(probe("fuji")).toMatchObject({ status: "pass", pass: true });
    expect(probe("fuji").checks.map((check) => check.pass)).toEqual([true, null]);
  });

  it("are left out of pass counts and rates", () => {
    expect(report.summary).toMatchObject({ total: 8, passed: 3, failed: 0, scored: 5, pass_rate: 1 });
    expect(report.summary.by_check.bleu).toMatchObject({ total: 4, passed: 0, failed: 0, no_verdict: 4, pass_rate: null });
    expect(report.summary.by_check.contains).toMatchObject({ total: 1, passed: 1, no_verdict: 0, pass_rate: 1 });
    expect(report.summary.by_category.translation).toMatchObject({ total: 5, passed: 0, failed: 0, no_verdict: 5, pass_rate: null });
  });

  it("are averaged per language and unit, never across them", () => {
    const means = (type: string) => report.summary.by_check[type]!.means.map(({ language, unit, results }) => ({ language, unit, results }));
    expect(means("length")).toEqual([
      { language: "ja", unit: "chars", results: 1 },
      { language: "en", unit: "words", results: 1 },
    ]);
    expect(means("bleu")).toEqual([
      { language: "ja", unit: "tok:ja-kuromoji", results: 2 },
      { language: "en", unit: "tok:13a", results: 2 },
    ]);
    expect(means("perplexity").map((mean) => mean.language)).toEqual(["ja", "en"]);
    const bitsPerChar = (nats: number, text: string) => nats / Math.LN2 / Array.from(text).length;
    expect(report.summary.perplexity!.map(({ language, texts, bits_per_char }) => ({ language, texts, bits_per_char }))).toEqual([
      { language: "en", texts: 1, bits_per_char: bitsPerChar(20, "Mount Fuji is the highest mountain in Japan.") },
      { language: "ja", texts: 1, bits_per_char: bitsPerChar(30, "富士山は日本で一番高い山です。") },
    ]);
  });

  it("show as values in the terminal, JUnit and the page, not as passes", () => {
    expect(stdout).toContain("3/3 probes passed (100.0%), 5 scored (no threshold)");
    expect(stdout).not.toMatch(/bleu\s+\d+\/\d+/);
    expect(stdout).toMatch(/bleu\s+—\s+—\s+\+4 without a verdict/);
    expect(stdout).toMatch(/info bleu en: \d+\.\d\d over 2 segment\(s\)\s+bleu\|nrefs:1\|case:mixed\|eff:no\|tok:13a/);
    expect(stdout).toMatch(/perplexity ja: mean \d+\.\d+ over 1 result/);
    const xml = readFileSync(at("round1.xml"), "utf8");
    expect(xml).toMatch(/name="ja-bleu"[^>]*>\s*<skipped message="scored, no threshold set: bleu 100/);
    expect(xml).toContain('tests="8" failures="0" errors="0" skipped="5"');
    const html = readFileSync(at("round1", "report.html"), "utf8");
    expect(html).toContain('<span class="status-scored" title="informational: a value, no threshold">·</span>');
    expect(html).toContain("SCORED");
    expect(html).toContain('id="measurements"');
  });

  it("are compared as scores in the diff, never as passes or fails", async () => {
    const result = await runCli(["diff", at("round1"), at("round2"), "--out", at("diff")]);
    expect(result.code, result.stderr).toBe(0);
    const diff = read<Diff>(at("diff", "diff.json"));
    expect(diff.counts).toMatchObject({ scored: 5, regressed: 0, fixed: 0, still_passing: 3 });
    expect(diff.probes.find((each) => each.id === "ja-bleu")!.change).toBe("scored");
    // McNemar sees only the probes with a verdict on both sides.
    expect(diff.pass.overall.pairs).toBe(3);
    expect(diff.pass.by_check.bleu?.pairs ?? 0).toBe(0);
    // Mean scores are compared per unit: BLEU per tokenizer, length in chars apart from words.
    expect(Object.keys(diff.scores.overall).filter((key) => /^(bleu|length)/.test(key)).sort()).toEqual(["bleu (tok:13a)", "bleu (tok:ja-kuromoji)", "length (chars)", "length (words)"]);
    expect(diff.scores.overall["bleu (tok:ja-kuromoji)"]!.delta!).toBeLessThan(0);
    const ja = diff.corpus.info!.find((corpus) => corpus.check === "bleu" && corpus.language === "ja")!;
    expect(ja.candidate!).toBeLessThan(ja.base!);
  });

  it("give a pass-rate gate rule nothing to measure instead of a pass", async () => {
    writeFileSync(at("policy.yaml"), "rules:\n  - min_pass_rate: 0.9\n    category: translation\n  - min_pass_rate: 0.9\n    check: bleu\n");
    const result = await runCli(["gate", at("round1"), "--policy", at("policy.yaml"), "--out", at("gated")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("no probes (category translation) with a pass/fail verdict (only informational scores, no thresholds); nothing to measure");
    expect(result.stdout).toContain("no bleu results with a pass/fail verdict (only informational scores, no thresholds); nothing to measure");
  });

  it("a score rule never averages across units: one that would is a policy error, a narrower scope is measured", async () => {
    writeFileSync(at("mixed.yaml"), "rules:\n  - max_score: 40\n    check: length\n");
    const mixed = await runCli(["gate", at("round1"), "--policy", at("mixed.yaml"), "--out", at("gated-mixed")]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr.trim()).toContain(`${at("mixed.yaml")}:2`);
    expect(mixed.stderr).toContain("max_score of length would mix scores in 2 units (chars, words)");
    writeFileSync(at("bleu.yaml"), "rules:\n  - min_score: 10\n    check: bleu\n");
    const bleu = await runCli(["gate", at("round1"), "--policy", at("bleu.yaml"), "--out", at("gated-bleu")]);
    expect(bleu.code).toBe(2);
    expect(bleu.stderr).toContain("(tok:ja-kuromoji, tok:13a)");
    writeFileSync(at("narrow.yaml"), "rules:\n  - max_score: 40\n    check: length\n    language: ja\n  - min_score: 10\n    check: bleu\n    tokenize: 13a\n");
    const narrow = await runCli(["gate", at("round1"), "--policy", at("narrow.yaml"), "--out", at("gated-narrow")]);
    expect(narrow.code, narrow.stdout + narrow.stderr).toBe(0);
  });
});
