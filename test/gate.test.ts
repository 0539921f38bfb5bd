/**
 * Gate policies: the file is validated like a suite (file:line:col, field),
 * and each rule says what it measured against which limit.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateGate } from "../src/compare/gate.js";
import { loadPolicy, RULE_KINDS, SCOPE_KEYS } from "../src/format/policy.js";
import { POLICY_SCHEMA } from "../src/format/policy-schema.js";
import { renderJunit } from "../src/report/junit.js";
import { renderReportHtml } from "../src/report/html.js";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import { gateSummary, type Colors } from "../src/report/terminal.js";
import { createAjv } from "../src/util/ajv.js";
import { packagePath } from "../src/util/paths.js";
import { fileWriter, loadProblems } from "./helpers.js";
import { loaded, probe, report, twoRounds } from "./report-builder.js";

const policyFile = fileWriter("policy");
const problems = (text: string): string[] => loadProblems(policyFile(text), loadPolicy, "POLICY");

const plain: Colors = { green: (t) => t, red: (t) => t, yellow: (t) => t, bold: (t) => t, dim: (t) => t };

describe("policy files", () => {
  it("loads a policy with defaults applied", () => {
    const policy = loadPolicy(
      policyFile(`name: round gate
alpha: 0.1
rules:
  - min_pass_rate: 0.6
  - max_score: 0.2
    check: repetition
    stat: p95
  - no_significant_regression: true
    suite: "*"
`),
    );
    expect(policy).toMatchObject({ name: "round gate", alpha: 0.1, require_baseline: false, bootstrap: { resamples: 1000, seed: 0 } });
    expect(policy.rules.map((rule) => [rule.kind, rule.limit, rule.line, rule.alpha])).toEqual([
      ["min_pass_rate", 0.6, 4, 0.1],
      ["max_score", 0.2, 5, 0.1],
      ["no_significant_regression", 1, 8, 0.1],
    ]);
    expect(policy.rules[1]).toMatchObject({ scope: { check: "repetition" }, stat: "p95" });
    expect(policy.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("loads the example policy shipped in policies/", () => {
    const policy = loadPolicy(packagePath("policies", "round-gate.yaml"));
    expect(policy.name).toBe("sft-round");
    expect(policy.rules.length).toBeGreaterThan(8);
  });

  it("names file, line, column and field for every problem", () => {
    expect(problems("rules:\n  - min_pass_rate: 60\n")).toEqual(["POLICY:2:20: rules[0].min_pass_rate: must be <= 1"]);
    expect(problems("rules:\n  - min_pass_rate: 0.5\n    sute: ja\n")).toEqual(['POLICY:3:5: rules[0].sute: unknown key "sute"; did you mean "suite"?']);
    expect(problems("rules:\n  - max_score: 0.1\n")).toEqual(['POLICY:2:5: rules[0]: missing required key "check"']);
    expect(problems("rules:\n  - max_score: 0.1\n    check: language\n    stat: p999\n")).toEqual(["POLICY:4:11: rules[0].stat: does not match ^(mean|min|max|median|p([1-9]?[0-9]|100))$"]);
    expect(problems("rules:\n  - min_pass_rate: 0.5\n    max_regressions: 2\n")).toEqual([
      "POLICY:2:5: rules[0]: a rule has exactly one rule key; this one has min_pass_rate and max_regressions (write them as separate rules)",
    ]);
    expect(problems("rules:\n  - suite: ja\n")).toEqual([expect.stringMatching(/^POLICY:2:5: rules\[0\]: a rule needs one of min_pass_rate, max_score/)]);
    expect(problems("rules:\n  - min_pass_rate: 0.5\n    stat: p90\n")).toEqual([
      'POLICY:3:5: rules[0].stat: "stat" does not apply to min_pass_rate (it takes suite, category, language, check, tokenize, optional, name, level)',
    ]);
    expect(problems("rules:\n  - max_regressions: 1\n    suite: '*'\n    language: '*'\n")).toEqual([
      'POLICY:2:5: rules[0]: only one scope key may be "*"; this rule has suite and language',
    ]);
    expect(problems("rules: []\n")).toEqual(["POLICY:1:8: rules: must NOT have fewer than 1 items"]);
    expect(problems("rules:\n  - min_pass_rate: 0.5\n  - min_pass_rate: 0.5\n    min_pass_rate: 0.6\n")).toEqual([
      expect.stringMatching(/^POLICY:4:5: YAML syntax error: Map keys must be unique/),
    ]);
  });

  it("has a schema that compiles, covers every rule kind and option, and is committed as schemas/policy.schema.json", () => {
    expect(() => createAjv().compile(POLICY_SCHEMA)).not.toThrow();
    const options = Object.keys(POLICY_SCHEMA.properties.rules.items.properties).sort();
    expect(options).toEqual([...RULE_KINDS, ...SCOPE_KEYS, "stat", "metric", "better", "alpha", "optional", "name", "level"].sort());
    expect(JSON.parse(readFileSync(packagePath("schemas", "policy.schema.json"), "utf8"))).toEqual(POLICY_SCHEMA);
  });
});

describe("the gate", () => {
  const { base, candidate } = twoRounds();
  const gate = (rules: string, withBaseline = true, target = candidate) =>
    evaluateGate(target, loadPolicy(policyFile(`rules:\n${rules}`)), { baseline: withBaseline ? loaded(base, "base/report.json") : null });

  it("checks pass rates overall and per group, with '*' expanded per value", () => {
    const result = gate("  - min_pass_rate: 0.5\n  - min_pass_rate: 0.15\n    suite: '*'\n  - min_pass_rate: 0.5\n    check: repetition\n", false);
    expect(result.pass).toBe(false);
    expect(result.rules.map((r) => [r.rule, r.status, r.measured])).toEqual([
      ["min_pass_rate", "fail", 3 / 18],
      ["min_pass_rate suite=ja", "pass", 2 / 10],
      ["min_pass_rate suite=zh", "fail", 1 / 8],
      ["min_pass_rate check=repetition", "pass", 1],
    ]);
    expect(result.rules[0]!.message).toBe("pass rate 16.7% (3/18) is below the minimum 50.0%");
    expect(result.rules[0]).toMatchObject({ limit: 0.5, comparison: ">=", line: 2 });
  });

  it("checks a mean or a nearest-rank percentile of a check's scores", () => {
    const scored = report(
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0].map((score, i) =>
        probe({ id: `r${i}`, pass: true, checks: [{ type: "repetition", score, pass: true, details: { reason: "" } }] }),
      ),
    );
    const result = gate(
      "  - max_score: 0.5\n    check: repetition\n  - max_score: 0.8\n    check: repetition\n    stat: p90\n  - min_score: 0.2\n    check: repetition\n    stat: min\n",
      false,
      scored,
    );
    // mean 0.55 > 0.5; p90 = 9th of 10 = 0.9 > 0.8; min 0.1 < 0.2
    expect(result.rules.map((r) => [r.status, r.measured])).toEqual([
      ["fail", expect.closeTo(0.55, 12)],
      ["fail", 0.9],
      ["fail", 0.1],
    ]);
    expect(result.rules[1]!.message).toBe("p90 repetition score 0.9000 over 10 result(s) is above the maximum 0.8000");
  });

  it("fails a significant regression against the baseline and lets a small one pass", () => {
    const result = gate("  - no_significant_regression: true\n    suite: '*'\n  - no_significant_regression: true\n");
    expect(result.rules.map((r) => [r.rule, r.status])).toEqual([
      ["no_significant_regression suite=ja", "pass"], // 7 vs 1: p = 0.0703
      ["no_significant_regression suite=zh", "fail"], // 6 vs 0: p = 0.03125
      ["no_significant_regression", "fail"], // 13 vs 1
    ]);
    expect(result.rules[0]!.measured).toBe(18 / 256);
    expect(result.rules[1]!.message).toBe("6 regressed, 0 fixed of 6 shared probes (suite zh): exact McNemar p = 0.0313 < α 0.05, a significant regression");
    expect(result.rules[1]).toMatchObject({ limit: 0.05, comparison: "p >= (when worse)" });
  });

  it("counts flips, and limits drops and rises of metrics", () => {
    const result = gate(
      "  - max_regressions: 13\n  - max_regressions: 3\n  - max_decrease: 0.05\n  - max_increase: 0.1\n    metric: mean_score\n    check: repetition\n  - no_significant_regression: true\n    metric: mean_score\n    check: repetition\n",
    );
    expect(result.rules.map((r) => [r.kind, r.status])).toEqual([
      ["max_regressions", "pass"],
      ["max_regressions", "fail"],
      ["max_decrease", "fail"],
      ["max_increase", "fail"],
      ["no_significant_regression", "fail"],
    ]);
    expect(result.rules[1]).toMatchObject({ measured: 13, limit: 3 });
    expect(result.rules[1]!.details.regressed_probes).toHaveLength(13);
    expect(result.rules[2]).toMatchObject({ measured: -0.75, limit: -0.05, comparison: "Δ >=" });
    expect(result.rules[2]!.message).toBe("pass rate 87.5% → 12.5% (−75.0 points over 16 shared); may fall at most 5.0 points");
    expect(result.rules[3]!.measured).toBeCloseTo(0.2, 12);
  });

  it("skips baseline rules without a baseline, and says when a scope has nothing to measure", () => {
    const result = gate("  - max_regressions: 0\n  - min_pass_rate: 0.5\n    language: ko\n  - min_pass_rate: 0.5\n    language: ko\n    optional: true\n", false);
    expect(result.rules.map((r) => r.status)).toEqual(["skipped", "fail", "skipped"]);
    expect(result.rules[0]!.message).toContain("needs a baseline report (--baseline)");
    expect(result.rules[1]!.message).toContain("no probes (language ko); nothing to measure");
    expect(result.counts).toEqual({ rules: 3, passed: 0, failed: 1, skipped: 2, warned: 0 });
  });

  it("writes a rule result's fields in report.json in the order it always has, skipped, unexpanded or measured", () => {
    const result = gate("  - max_regressions: 0\n  - min_pass_rate: 0.5\n    check: bleu\n    tokenize: '*'\n  - min_pass_rate: 0.5\n", false);
    // level and probes (the probes behind a result) came later: they follow the fields that were there before.
    const skipped = ["rule", "kind", "line", "scope", "status", "measured", "limit", "comparison", "message", "details", "level", "probes"];
    const evaluated = ["rule", "kind", "line", "scope", "limit", "status", "measured", "comparison", "message", "details", "level", "probes"];
    expect(result.rules.map((r) => r.message)).toEqual([
      "needs a baseline report (--baseline); skipped",
      "no values for min_pass_rate check=bleu tokenize=*; nothing to measure (mark the rule optional: true to allow this)",
      "pass rate 16.7% (3/18) is below the minimum 50.0%",
    ]);
    expect(result.rules.map((r) => Object.keys(r))).toEqual([skipped, evaluated, evaluated]);
  });

  it("goes into report.json (valid against the schema), the page, the terminal and JUnit", () => {
    const result = gate("  - require_complete: true\n  - max_regressions: 3\n");
    const withGate = { ...candidate, gate: result };
    const validate = createAjv().compile(REPORT_SCHEMA);
    expect(validate(JSON.parse(JSON.stringify(withGate))), JSON.stringify(validate.errors)).toBe(true);
    const html = renderReportHtml(withGate);
    expect(html).toContain(`data-verdict="fail"`);
    expect(html).toContain("max_regressions — 13 probes flipped from pass to fail (1 fixed) of 16 shared; at most 3 allowed");
    const lines = gateSummary(result, plain);
    expect(lines[0]).toMatch(/^GATE FAIL: 1 of 2 rule checks failed/);
    expect(lines[1]).toMatch(/✘ max_regressions \(policy line 3\): 13 probes flipped/);
    const xml = renderJunit(withGate);
    expect(xml).toContain(`<testsuite name="gate" tests="2" failures="1"`);
    expect(xml).toContain(`<testcase classname="ja.open_qa.ja" name="a0"`);
    // Characters XML cannot carry become U+FFFD; markup is escaped.
    const odd = renderJunit(report([probe({ id: "odd", pass: false, output: "\u0000bad\u0007 </system-out><x a='1'>" })]));
    expect(odd).toContain("<system-out>\uFFFDbad\uFFFD &lt;/system-out&gt;&lt;x a=&apos;1&apos;&gt;</system-out>");
  });
});
