/**
 * The gate and the diff through the real CLI, on real runs of the fixture
 * model. The previous round is a report scored from hand-written outputs
 * (outputs from any tool are scored the same way): one where every answer was
 * right, one where only two were.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Diff } from "../src/format/diff.js";
import { POLICY_SCHEMA } from "../src/format/policy-schema.js";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import type { Report } from "../src/format/report.js";
import { createAjv } from "../src/util/ajv.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const at = (...parts: string[]) => path.join(dir, ...parts);
const read = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

const ANSWERS: Array<[id: string, prompt: string, expected: string, language?: string]> = [
  ["fuji", "日本で一番高い山はどこ？", "富士山"],
  ["tokyo", "日本の首都はどこですか？", "東京"],
  ["paris", "フランスの首都はどこですか？", "パリ"],
  ["canberra", "オーストラリアの首都はどこですか？", "キャンベラ"],
  ["biwa", "日本で一番大きい湖は何ですか？", "琵琶湖"],
  ["shinano", "日本で一番長い川は何ですか？", "信濃川"],
  ["wonton", "wonton をカタカナで書いてください。", "ワンタン"],
  ["beijing", "中国的首都是哪里？", "北京", "zh"],
];

function suite(entries: typeof ANSWERS): string {
  const probes = entries.map(([id, prompt, expected, language]) => `  - {id: ${id}, prompt: "${prompt}", expected: [${expected}]${language ? `, language: ${language}` : ""}}`);
  return `suite: rounds\ndefaults:\n  language: ja\n  category: open_qa\n  max_tokens: 8\n  checks: [contains]\nprobes:\n${probes.join("\n")}\n`;
}

function outputs(right: (id: string) => boolean): string {
  return ANSWERS.map(([id, , expected]) => JSON.stringify({ suite: "rounds", id, output: right(id) ? `答えは${expected}です。` : "わかりません。" }) + "\n").join("");
}

const POLICY = `name: round gate
rules:
  - no_significant_regression: true
  - max_regressions: 5
  - require_complete: true
`;

beforeAll(async () => {
  mkdirSync(at("v1"));
  mkdirSync(at("v2"));
  writeFileSync(at("v1", "rounds.yaml"), suite(ANSWERS));
  // Dataset v2: wonton's prompt edited, beijing removed, a new probe added.
  const v2 = ANSWERS.filter(([id]) => id !== "beijing").map(([id, prompt, expected, language]) =>
    (id === "wonton" ? [id, "「wonton」をカタカナで書いてください。", expected, language] : [id, prompt, expected, language]) as (typeof ANSWERS)[number],
  );
  writeFileSync(at("v2", "rounds.yaml"), suite([...v2, ["kyoto", "京都は何県にありますか？", "京都府"]]));
  writeFileSync(at("policy.yaml"), POLICY);
  writeFileSync(at("all-right.jsonl"), outputs(() => true));
  writeFileSync(at("two-right.jsonl"), outputs((id) => id === "fuji" || id === "tokyo"));
  await Promise.all(
    ([["round1", "all-right.jsonl"], ["round1-two", "two-right.jsonl"]] as const).map(async ([name, file]) => {
      const scored = await runCli(["score", "--outputs", at(file), "--suite", at("v1", "rounds.yaml"), "--out", at(name)]);
      expect(scored.code, scored.stderr).toBe(0);
    }),
  );
});

describe("bonsai-eval run --gate --baseline", () => {
  it("exits 1 naming the failing rules when the candidate regresses, and writes the verdict everywhere", async () => {
    const result = await runCli(["run", "--suite", at("v1", "rounds.yaml"), "--out", at("cand"), "--quiet", "--no-cache", "--gate", at("policy.yaml"), "--baseline", at("round1"), "--junit", at("cand.xml")]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain("GATE FAIL: 2 of 3 rule checks failed (round gate vs baseline");
    // 8 regressed, 0 fixed: p = 2 · (1/2)^8 = 0.0078125
    expect(result.stdout).toContain("✘ no_significant_regression (policy line 3): 8 regressed, 0 fixed of 8 shared probes: exact McNemar p = 0.00781 < α 0.05, a significant regression");
    expect(result.stdout).toContain("✘ max_regressions (policy line 4): 8 probes flipped from pass to fail (0 fixed) of 8 shared; at most 5 allowed");

    const report = read<Report>(at("cand", "report.json"));
    const validate = createAjv().compile(REPORT_SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(report.gate).toMatchObject({ pass: false, counts: { rules: 3, passed: 1, failed: 2, skipped: 0 }, policy: { name: "round gate" } });
    expect(report.gate!.baseline!.path).toBe(at("round1", "report.json"));
    expect(report.gate!.rules[0]).toMatchObject({ status: "fail", measured: 0.0078125, limit: 0.05, line: 3 });
    expect(report.gate!.rules[1]).toMatchObject({ status: "fail", measured: 8, limit: 5, line: 4 });
    const html = readFileSync(at("cand", "report.html"), "utf8");
    expect(html).toContain(`data-verdict="fail"`);
    expect(html).toContain("no_significant_regression — 8 regressed, 0 fixed");
    const xml = readFileSync(at("cand.xml"), "utf8");
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="bonsai-eval tiny-bonsai.gguf" tests="11" failures="10" errors="0">/);
    expect(xml).toContain(`<testsuite name="gate" tests="3" failures="2" errors="0" skipped="0">`);
    expect(xml.match(/<testcase /g)).toHaveLength(11);
  });

  it("exits 0 when nothing regressed against the baseline", async () => {
    const result = await runCli(["run", "--suite", at("v1", "rounds.yaml"), "--out", at("cand2"), "--quiet", "--no-cache", "--gate", at("policy.yaml"), "--baseline", at("cand")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("GATE PASS: 3/3 rule checks hold (round gate vs baseline");
    expect(read<Report>(at("cand2", "report.json")).gate).toMatchObject({ pass: true });
    expect(readFileSync(at("cand2", "report.html"), "utf8")).toContain(`data-verdict="pass"`);
  });

  it("does not call a swing of two probes a regression (bonsai-eval gate on an existing report)", async () => {
    const result = await runCli(["gate", at("cand"), "--policy", at("policy.yaml"), "--baseline", at("round1-two"), "--out", at("gated")]);
    expect(result.code, result.stderr).toBe(0);
    // 2 regressed, 0 fixed: p = 2 · (1/2)^2 = 0.5
    expect(read<Report>(at("gated", "report.json")).gate!.rules[0]).toMatchObject({ status: "pass", measured: 0.5 });
    expect(result.stdout).toContain("GATE PASS");
  });

  it("rejects a bad policy or baseline with exit 2 before running anything", async () => {
    writeFileSync(at("bad-policy.yaml"), "rules:\n  - min_pass_rate: 0.5\n    categroy: translation\n");
    writeFileSync(at("not-a-report.json"), JSON.stringify({ schema_version: 1 }));
    const [bad, noBaseline, notReport, noPolicy, baselineAlone] = await Promise.all([
      runCli(["run", "--suite", at("v1", "rounds.yaml"), "--out", at("never"), "--gate", at("bad-policy.yaml")]),
      runCli(["gate", at("cand"), "--policy", at("policy.yaml"), "--baseline", at("nowhere")]),
      runCli(["gate", at("not-a-report.json"), "--policy", at("policy.yaml")]),
      runCli(["gate", at("cand")]),
      runCli(["run", "--baseline", at("cand"), "--out", at("never")]),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`bonsai-eval: ${at("bad-policy.yaml")}:3:5: rules[0].categroy: unknown key "categroy"; did you mean "category"?`);
    expect(noBaseline).toMatchObject({ code: 2, stderr: `bonsai-eval: ${at("nowhere")}: no such report file or run directory\n` });
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toContain("not-a-report.json: not a bonsai-eval report: missing required key");
    expect(noPolicy).toMatchObject({ code: 2, stderr: expect.stringContaining("--policy FILE is required") });
    expect(baselineAlone).toMatchObject({ code: 2, stderr: expect.stringContaining("--baseline needs a policy") });
    expect(existsSync(at("never"))).toBe(false);
  });

  it("prints the policy schema", async () => {
    const result = await runCli(["schema", "policy"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(POLICY_SCHEMA);
  });
});

describe("bonsai-eval diff", () => {
  it("lists flips apart from probes edited, added and removed between dataset versions", async () => {
    const run = await runCli(["run", "--suite", at("v2", "rounds.yaml"), "--out", at("cand-v2"), "--quiet", "--no-cache"]);
    expect(run.code, run.stderr).toBe(0);
    const result = await runCli(["diff", at("round1"), at("cand-v2", "report.json"), "--out", at("diff")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Significant regression");
    // 6 shared unchanged probes, all regressed: p = 2 · (1/2)^6 = 0.03125
    expect(result.stdout).toContain("6 shared unchanged probes: 100.0% → 0.0% (−100.0 pts), 0 fixed, 6 regressed, p = 0.0313");
    const diff = read<Diff>(at("diff", "diff.json"));
    expect(diff.counts).toMatchObject({ matched: 6, regressed: 6, fixed: 0, edited: 1, added: 1, removed: 1 });
    expect(diff.pass.overall.p_value).toBe(0.03125);
    const change = (id: string) => diff.probes.find((probe) => probe.id === id)!;
    expect(change("wonton")).toMatchObject({ change: "edited", edited_fields: ["prompt"] });
    expect(change("beijing")).toMatchObject({ change: "removed", candidate: null });
    expect(change("kyoto")).toMatchObject({ change: "added", base: null });
    expect(change("fuji")).toMatchObject({ change: "regressed", output_changed: true, base: { output: "答えは富士山です。" } });
    const md = readFileSync(at("diff", "diff.md"), "utf8");
    expect(md).toContain("**Regressed (6)**");
    expect(md).toContain("`rounds/wonton` — prompt");
    expect(readFileSync(at("diff", "diff.html"), "utf8")).toContain("Content-Security-Policy");
  });

  it("adds a trend table across a series of rounds", async () => {
    const result = await runCli(["diff", at("round1-two"), at("round1"), at("cand"), "--out", at("trend"), "--seed", "3"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("trend (overall pass rate): 25.0% → 100.0% → 0.0%");
    const diff = read<Diff>(at("trend", "diff.json"));
    expect(diff.trend!.reports).toHaveLength(3);
    expect(diff.settings.seed).toBe(3);
    expect(readFileSync(at("trend", "diff.html"), "utf8")).toContain(`id="trend"`);
  });

  it("needs two reports", async () => {
    const [one, alpha] = await Promise.all([runCli(["diff", at("round1")]), runCli(["diff", at("round1"), at("cand"), "--alpha", "5"])]);
    expect(one).toMatchObject({ code: 2, stderr: expect.stringContaining("expected BASE and CANDIDATE reports, got 1") });
    expect(alpha).toMatchObject({ code: 2, stderr: expect.stringContaining("--alpha must be a number between 0 and 1") });
  });
});
