/** `bonsai-eval score`: outputs from any tool, scored against suites without a model. */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import { createAjv } from "../src/util/ajv.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const suite = path.join(dir, "knowledge.yaml");
writeFileSync(
  suite,
  `suite: knowledge
defaults: {language: ja, category: open_qa, checks: [contains]}
probes:
  - {id: fuji, prompt: 日本で一番高い山はどこ？, expected: [富士山]}
  - {id: tokyo, prompt: 日本の首都はどこですか？, expected: [東京]}
  - {id: paris, prompt: フランスの首都はどこですか？, expected: [パリ]}
`,
);

function outputs(lines: object[]): string {
  const file = path.join(dir, `outputs-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join("\n") + "\n");
  return file;
}

describe("bonsai-eval score", () => {
  it("scores another tool's outputs, listing unknown outputs and probes without output", async () => {
    const file = outputs([
      { suite: "knowledge", id: "fuji", output: "日本で一番高い山は富士山です。" },
      { suite: "knowledge", id: "tokyo", output: "大阪です。", stop_reason: "eog", output_tokens: 4 },
      { suite: "knowledge", id: "everest", output: "エベレスト" },
    ]);
    const out = path.join(dir, "scored");
    const result = await runCli(["score", "--outputs", file, "--suite", suite, "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("1/3 probes passed");
    expect(result.stdout).toContain("1 output line(s) match no probe");
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    expect(createAjv().validate(REPORT_SCHEMA, report)).toBe(true);
    expect(report.manifest).toMatchObject({ kind: "score", model: null, complete: true });
    expect(report.problems.unknown_outputs).toEqual([{ suite: "knowledge", id: "everest", line: 3 }]);
    expect(report.problems.missing_outputs).toEqual([{ suite: "knowledge", id: "paris" }]);
    expect(report.probes.map((probe) => [probe.id, probe.status])).toEqual([
      ["fuji", "pass"],
      ["tokyo", "fail"],
      ["paris", "missing"],
    ]);
    expect(report.summary).toMatchObject({ total: 3, passed: 1, failed: 2, missing: 1 });
    expect(readFileSync(path.join(out, "report.html"), "utf8")).toContain("1 output line(s) match no probe");
  });

  it("uses the last of several outputs for a probe and says so", async () => {
    const file = outputs([
      { suite: "knowledge", id: "fuji", output: "知りません" },
      { suite: "knowledge", id: "fuji", output: "富士山" },
    ]);
    const out = path.join(dir, "dupes");
    expect((await runCli(["score", "--outputs", file, "--suite", suite, "--out", out])).code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    expect(report.problems.duplicate_outputs).toEqual([{ suite: "knowledge", id: "fuji", lines: [1, 2] }]);
    expect(report.probes[0]!.pass).toBe(true);
  });

  it("exits 2 naming the line and field of a bad outputs line, writing nothing", async () => {
    const file = outputs([{ suite: "knowledge", id: "fuji", output: "富士山" }, { suite: "knowledge", output: "x" }]);
    const out = path.join(dir, "never");
    const result = await runCli(["score", "--outputs", file, "--suite", suite, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`bonsai-eval: ${file}:2: id: missing required key "id"`);
    expect(() => readFileSync(path.join(out, "report.json"))).toThrow();
    expect((await runCli(["score", "--suite", suite])).stderr).toContain("--outputs FILE is required");
  });

  it("runs user-defined checks loaded from a module", async () => {
    const module = path.join(dir, "polite.mjs");
    writeFileSync(
      module,
      `export default {
  type: "polite",
  summary: "the answer ends in です or ます",
  paramsSchema: { type: "object", properties: {}, additionalProperties: false },
  run({ output }) {
    const pass = /(です|ます)[。！]?$/.test(output.trim());
    return { type: "polite", score: pass ? 1 : 0, pass, details: { reason: pass ? "polite ending" : "plain ending" } };
  },
};
`,
    );
    const politeSuite = path.join(dir, "polite.yaml");
    writeFileSync(politeSuite, `suite: polite\ndefaults: {language: ja, category: creative, checks: [polite]}\nprobes:\n  - {id: a, prompt: 挨拶して}\n  - {id: b, prompt: 挨拶して}\n`);
    const file = outputs([{ suite: "polite", id: "a", output: "こんにちは。よろしくお願いします。" }, { suite: "polite", id: "b", output: "やあ" }]);
    const out = path.join(dir, "polite");
    expect((await runCli(["validate", politeSuite])).code).toBe(2);
    const result = await runCli(["score", "--outputs", file, "--suite", politeSuite, "--out", out, "--checks", module]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    expect(report.probes.map((probe) => [probe.id, probe.checks[0]!.details.reason])).toEqual([
      ["a", "polite ending"],
      ["b", "plain ending"],
    ]);
  });
});
