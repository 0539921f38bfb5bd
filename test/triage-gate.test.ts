/**
 * Triage through the CLI: a failed gate names the probes behind each rule
 * (regressed against the baseline, failing, beyond a threshold) in the
 * terminal, the report banner (links to the probe rows), report.json and
 * JUnit; rules at level warn are reported and never fail the round. Rounds
 * are scored from hand-written outputs, as outputs of any tool are.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import type { Report } from "../src/format/report.js";
import { createAjv } from "../src/util/ajv.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const at = (...parts: string[]) => path.join(dir, ...parts);
const read = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

/** 14 probes: q01…q14, each answered right or wrong. */
const IDS = Array.from({ length: 14 }, (_, i) => `q${String(i + 1).padStart(2, "0")}`);
const SUITE = `suite: triage\ndefaults:\n  language: en\n  category: open_qa\n  checks: [contains]\nprobes:\n${IDS.map((id) => `  - {id: ${id}, prompt: "Say ${id}.", expected: ["${id}"]}`).join("\n")}\n`;
const outputs = (right: (id: string) => boolean) => IDS.map((id) => JSON.stringify({ suite: "triage", id, output: right(id) ? `It is ${id}.` : "I do not know." }) + "\n").join("");

async function score(name: string, right: (id: string) => boolean): Promise<void> {
  writeFileSync(at(`${name}.jsonl`), outputs(right));
  const result = await runCli(["score", "--outputs", at(`${name}.jsonl`), "--suite", at("triage.yaml"), "--out", at(name)]);
  expect(result.code, result.stderr).toBe(0);
}

beforeAll(async () => {
  writeFileSync(at("triage.yaml"), SUITE);
  // The candidate gets q01 and q02 right: 12 probes regress.
  await Promise.all([score("base", () => true), score("cand", (id) => id === "q01" || id === "q02"), score("one-off", (id) => id !== "q07")]);
  writeFileSync(
    at("policy.yaml"),
    "name: triage gate\nrules:\n  - max_regressions: 1\n  - min_pass_rate: 0.9\n  - max_regressions: 0\n    level: warn\n    name: any regression\n",
  );
  writeFileSync(at("warn-only.yaml"), "rules:\n  - max_regressions: 0\n    level: warn\n    name: any regression\n  - min_pass_rate: 0.5\n");
});

describe("a failed gate names its probes", () => {
  let stdout = "";
  beforeAll(async () => {
    const result = await runCli(["gate", at("cand"), "--policy", at("policy.yaml"), "--baseline", at("base"), "--out", at("gated"), "--junit", at("gated.xml")]);
    expect(result.code, result.stderr).toBe(1);
    stdout = result.stdout;
  });

  it("in report.json: the regressed probes of max_regressions, the failing ones of min_pass_rate, the first ten of each and the total", () => {
    const report = read<Report>(at("gated", "report.json"));
    const validate = createAjv().compile(REPORT_SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const [regressions, passRate, warning] = report.gate!.rules;
    expect(regressions).toMatchObject({ status: "fail", level: "fail", probes: { about: "regressed", total: 12 } });
    expect(regressions!.probes!.listed.map((probe) => probe.id)).toEqual(IDS.slice(2, 12));
    expect(regressions!.probes!.listed[0]).toEqual({ suite: "triage", id: "q03", reason: expect.stringMatching(/^contains: /), value: null });
    expect(passRate).toMatchObject({ status: "fail", probes: { about: "failing", total: 12 } });
    expect(warning).toMatchObject({ rule: "any regression", status: "warn", level: "warn", probes: { about: "regressed", total: 12 } });
    expect(report.gate!.counts).toEqual({ rules: 3, passed: 0, failed: 2, skipped: 0, warned: 1 });
  });

  it("on the terminal: each probe under its rule, the rest counted, the warning marked as one", () => {
    expect(stdout).toContain("GATE FAIL: 2 of 3 rule checks failed, 1 warning (triage gate vs baseline");
    const lines = stdout.split("\n");
    const rule = lines.findIndex((line) => line.includes("✘ max_regressions (policy line 3)"));
    expect(lines.slice(rule + 1, rule + 3)).toEqual(["      regressed (12)", expect.stringMatching(/^ {6}› triage › q03 {2}contains: /)]);
    expect(lines[rule + 12]).toBe("      … and 2 more (see the report)");
    expect(stdout).toMatch(/! warning: any regression \(policy line 5\): 12 probes flipped from pass to fail/);
  });

  it("in the report banner: links to the probe rows, which carry the ids they point at", () => {
    const page = readFileSync(at("gated", "report.html"), "utf8");
    const banner = page.slice(page.indexOf('id="verdict"'), page.indexOf("</div>", page.indexOf('class="warnings"')));
    expect(banner).toContain('<a href="#probe-triage~2f~q03"');
    expect(banner).toContain("regressed (12): ");
    expect(banner).toContain(" and 2 more");
    expect(banner).toMatch(/<ul class="warnings"><li>warning: any regression/);
    expect(page).toContain('<tr class="row" id="probe-triage~2f~q03"');
    for (const id of IDS) expect(page).toContain(`id="probe-triage~2f~${id}"`);
  });

  it("in JUnit: the failure message names the probes; the warning is a passing testcase with the warning as a property and output", () => {
    const xml = readFileSync(at("gated.xml"), "utf8");
    expect(xml).toContain(
      '<failure message="12 probes flipped from pass to fail (0 fixed) of 14 shared; at most 1 allowed; regressed (12): triage/q03, triage/q04, triage/q05, triage/q06, triage/q07, triage/q08, triage/q09, triage/q10, triage/q11, triage/q12 and 2 more" type="max_regressions">',
    );
    const warning = xml.slice(xml.indexOf('name="any regression (policy line 5)"'), xml.indexOf("</testcase>", xml.indexOf('name="any regression (policy line 5)"')));
    expect(warning).toContain('<property name="level" value="warn"/>');
    expect(warning).toContain("<system-out>WARNING (level: warn, does not fail the round): 12 probes flipped");
    expect(warning).not.toContain("<failure");
    expect(xml).toMatch(/<testsuite name="gate" tests="3" failures="2"/);
  });
});

describe("gate rules at level warn", () => {
  it("never fail the round: exit 0, PASS, the warning shown everywhere", async () => {
    const result = await runCli(["gate", at("one-off"), "--policy", at("warn-only.yaml"), "--baseline", at("base"), "--out", at("warned"), "--junit", at("warned.xml")]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain("GATE PASS: 1/2 rule checks hold, 1 warning");
    expect(result.stdout).toMatch(/! warning: any regression \(policy line 2\): 1 probes flipped from pass to fail/);
    expect(result.stdout).toContain("      › triage › q07");
    const report = read<Report>(at("warned", "report.json"));
    expect(report.gate).toMatchObject({ pass: true, counts: { rules: 2, passed: 1, failed: 0, skipped: 0, warned: 1 } });
    const page = readFileSync(at("warned", "report.html"), "utf8");
    expect(page).toContain('data-verdict="pass"');
    expect(page).toContain("1 warning (level warn: not failing the round)");
    expect(page).toContain('<a href="#probe-triage~2f~q07"');
    const xml = readFileSync(at("warned.xml"), "utf8");
    expect(xml).toMatch(/<testsuite name="gate" tests="2" failures="0"/);
  });

  it("take only fail or warn", async () => {
    writeFileSync(at("bad-level.yaml"), "rules:\n  - min_pass_rate: 0.5\n    level: warning\n");
    const result = await runCli(["gate", at("cand"), "--policy", at("bad-level.yaml"), "--out", at("bad")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad-level\.yaml:3:12: rules\[0\]\.level: must be one of "fail", "warn"/);
  });
});

describe("against a baseline, every probe carries its change", () => {
  let stdout = "";
  beforeAll(async () => {
    // Suite v2: q14's prompt edited, q15 new. The candidate gets q03 and q07 wrong; the baseline (one-off) had q07 wrong.
    const v2 = SUITE.replace('{id: q14, prompt: "Say q14."', '{id: q14, prompt: "Please say q14."') + '  - {id: q15, prompt: "Say q15.", expected: ["q15"]}\n';
    writeFileSync(at("triage-v2.yaml"), v2);
    writeFileSync(at("v2.jsonl"), [...IDS, "q15"].map((id) => JSON.stringify({ suite: "triage", id, output: id === "q03" || id === "q07" ? "No idea." : `It is ${id}.` }) + "\n").join(""));
    const scored = await runCli(["score", "--outputs", at("v2.jsonl"), "--suite", at("triage-v2.yaml"), "--out", at("v2")]);
    expect(scored.code, scored.stderr).toBe(0);
    const result = await runCli(["gate", at("v2"), "--policy", at("warn-only.yaml"), "--baseline", at("one-off"), "--out", at("v2-gated"), "--junit", at("v2.xml")]);
    expect(result.code, result.stderr).toBe(0);
    stdout = result.stdout;
  });

  it("in report.json: regressed, still failing, still passing, edited, new", () => {
    const report = read<Report>(at("v2-gated", "report.json"));
    const change = Object.fromEntries(report.probes.map((probe) => [probe.id, probe.change]));
    expect(change).toMatchObject({ q01: "still_passing", q03: "regressed", q07: "still_failing", q14: "edited", q15: "added" });
    expect(createAjv().compile(REPORT_SCHEMA)(report)).toBe(true);
  });

  it("in JUnit: a property on every testcase, and a failure's message starts with it", () => {
    const xml = readFileSync(at("v2.xml"), "utf8");
    const testcase = (id: string) => xml.slice(xml.indexOf(`name="${id}"`), xml.indexOf("</testcase>", xml.indexOf(`name="${id}"`)));
    expect(testcase("q03")).toContain('<property name="change" value="regressed"/>');
    expect(testcase("q03")).toMatch(/<failure message="regressed: contains: /);
    expect(testcase("q07")).toMatch(/<failure message="still failing: contains: /);
    expect(testcase("q15")).toContain('<property name="change" value="new"/>');
    expect(testcase("q01")).toContain('<property name="change" value="still passing"/>');
  });

  it("on the terminal: the failures counted by change, regressions first", () => {
    expect(stdout).toContain("failed (2): 1 regressed, 1 still failing");
    const lines = stdout.split("\n");
    const first = lines.findIndex((line) => line.startsWith("failed (2)"));
    expect(lines[first + 1]).toMatch(/^ {2}✘ triage › q03 \[regressed\] {2}contains: /);
    expect(lines[first + 2]).toMatch(/^ {2}✘ triage › q07 \[still failing\] {2}contains: /);
  });

  it("in the page: the probe's detail says its change", () => {
    const page = readFileSync(at("v2-gated", "report.html"), "utf8");
    expect(page).toMatch(/against the baseline<\/dt><dd>regressed/);
  });
});
