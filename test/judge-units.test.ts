/**
 * Judge scores are compared only in one unit (the judge's signature: model,
 * template, rubric, scale), through the CLI on hand-written reports: the diff
 * and the gate's mean-score rules never read a delta between two judges, and a
 * report written before judge results carried `score_unit` still pairs with a
 * new one by its signature.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../src/format/check-result.js";
import type { Diff } from "../src/format/diff.js";
import type { Report } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";
import { probe, report } from "./report-builder.js";

const dir = tempDir("bonsai-judge-units-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const read = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

const FIVE = "judge:a.gguf@aaaaaaaaaaaa|tpl:chatml|rubric:111111111111|scale:1-5|mode:grade|v:1";
const TEN = "judge:b.gguf@bbbbbbbbbbbb|tpl:chatml|rubric:222222222222|scale:0-10|mode:grade|v:1";

function judged(signature: string, score: number, withUnit = true): CheckResult {
  return { type: "judge", score, pass: null, details: { reason: "graded", signature, ...(withUnit ? { score_unit: signature } : {}), judge_model: "x.gguf" } };
}

/** A round of six probes whose judge scores are `scores(i)`, written as report.json in its own folder. */
function round(name: string, check: (i: number) => CheckResult, created_at = "2025-01-01T00:00:00.000Z"): string {
  const probes = Array.from({ length: 6 }, (_, i) => probe({ id: `p${i}`, pass: true, output: `answer ${i}`, checks: [check(i)] }));
  mkdirSync(at(name));
  writeFileSync(at(name, "report.json"), JSON.stringify(report(probes, { created_at })));
  return at(name);
}

const fiveScale = round("five", () => judged(FIVE, 4));
const tenScale = round("ten", () => judged(TEN, 2), "2025-01-02T00:00:00.000Z");
const oldFive = round("old-five", () => judged(FIVE, 4, false));
const newFive = round("new-five", () => judged(FIVE, 3), "2025-01-02T00:00:00.000Z");

const policy = (name: string, rule: string) => {
  writeFileSync(at(name), `rules:\n${rule}`);
  return at(name);
};

describe("judge scores of different judges are never compared", () => {
  it("max_decrease and no_significant_regression on judge means are skipped, naming both judges' units", async () => {
    const file = policy("judge.yaml", "  - max_decrease: 0.5\n    metric: mean_score\n    check: judge\n  - no_significant_regression: true\n    metric: mean_score\n    check: judge\n");
    const result = await runCli(["gate", tenScale, "--policy", file, "--baseline", fiveScale, "--out", at("gate")]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const rules = read<Report>(at("gate", "report.json")).gate!.rules;
    expect(rules.map((rule) => [rule.kind, rule.status, rule.measured])).toEqual([
      ["max_decrease", "skipped", null],
      ["no_significant_regression", "skipped", null],
    ]);
    for (const rule of rules) {
      expect(rule.message).toContain(`baseline ${FIVE}, candidate ${TEN}`);
      expect(rule.message).toContain("not compared");
    }
    expect(result.stdout).toContain("scale:0-10");
  });

  it("the diff has no judge mean for them", async () => {
    const result = await runCli(["diff", fiveScale, tenScale, "--out", at("diff")]);
    expect(result.code, result.stderr).toBe(0);
    const diff = read<Diff>(at("diff", "diff.json"));
    expect(Object.keys(diff.scores.overall).filter((key) => key.startsWith("judge"))).toEqual([]);
  });

  it("the same judge's means are still compared and gated", async () => {
    const file = policy("same.yaml", "  - max_decrease: 0.5\n    metric: mean_score\n    check: judge\n");
    const result = await runCli(["gate", newFive, "--policy", file, "--baseline", fiveScale, "--out", at("gate-same")]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(read<Report>(at("gate-same", "report.json")).gate!.rules[0]).toMatchObject({ status: "fail", measured: -1 });
  });
});

describe("judge results written before score_unit", () => {
  it("pair with a new report's by their signature: the diff keeps the judge mean and the gate measures it", async () => {
    const result = await runCli(["diff", oldFive, newFive, "--out", at("diff-old")]);
    expect(result.code, result.stderr).toBe(0);
    const diff = read<Diff>(at("diff-old", "diff.json"));
    expect(diff.scores.overall[`judge (${FIVE})`]).toMatchObject({ pairs: 6, base_mean: 4, candidate_mean: 3, delta: -1, unit: FIVE });

    const file = policy("old.yaml", "  - max_decrease: 0.5\n    metric: mean_score\n    check: judge\n");
    const gated = await runCli(["gate", newFive, "--policy", file, "--baseline", oldFive, "--out", at("gate-old")]);
    expect(gated.code, gated.stdout + gated.stderr).toBe(1);
    expect(read<Report>(at("gate-old", "report.json")).gate!.rules[0]).toMatchObject({ status: "fail", measured: -1 });
  });
});
