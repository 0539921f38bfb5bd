/**
 * End to end through the real CLI: real node-llama-cpp generation on the
 * generated fixture model, real files, real exit codes.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync, truncateSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOutputs } from "../src/format/outputs-file.js";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import type { Report } from "../src/format/report.js";
import { createAjv } from "../src/util/ajv.js";
import { packagePath } from "../src/util/paths.js";
import { sha256 } from "../src/util/json.js";
import { FIXTURE_MODEL, runCli, tempDir } from "./helpers.js";

const SMOKE = packagePath("test", "suites", "smoke.yaml");
const dir = tempDir();
const validateReport = createAjv().compile(REPORT_SCHEMA);

function readReport(out: string): Report {
  return JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
}

describe("bonsai-eval run", () => {
  it("runs a suite on the fixture model and writes outputs, report.json and report.html", async () => {
    const out = path.join(dir, "first");
    const result = await runCli(["run", "--suite", SMOKE, "--out", out]);
    expect(result.stderr).toContain("fixture model");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\d+\/6 probes passed/);

    const { lines } = readOutputs(path.join(out, "outputs.jsonl"));
    expect(lines.map((line) => line.id).sort()).toEqual(["beijing", "capital", "english", "fuji", "hostile", "wonton"]);
    for (const line of lines) {
      expect(["eog", "max_tokens", "stop_string"]).toContain(line.stop_reason);
      expect(line.output_tokens).toBeLessThanOrEqual(48);
      expect(line.prompt_tokens).toBeGreaterThan(0);
      expect(line.rendered_prompt).toContain(line.id === "fuji" ? "日本で一番高い山はどこ？" : "");
      expect(line.output.endsWith("\uFFFD")).toBe(false);
    }

    const report = readReport(out);
    expect(validateReport(report), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
    expect(report.manifest).toMatchObject({ kind: "run", complete: true });
    expect(report.manifest.model).toMatchObject({ is_fixture: true, sha256: sha256(readFileSync(FIXTURE_MODEL)) });
    expect(report.manifest.model!.metadata.architecture).toBe("llama");
    expect(report.manifest.model!.metadata.chat_template).toBeTruthy();
    expect(report.manifest.hardware).toMatchObject({ gpu: false, threads: 1, model_gpu_layers: 0, vram_used_bytes: null });
    // --gpu auto on a machine without a GPU says so, in the terminal and the report.
    expect(report.manifest.hardware!.gpu_note).toContain("no usable GPU");
    expect(result.stderr).toContain("--gpu auto found no usable GPU");
    expect(report.manifest.hardware!.contexts).toEqual([
      { requested_sequences: 4, sequences: 4, context_size: report.manifest.generation!.context_size, estimated_vram_bytes: null, retries: [] },
    ]);
    expect(report.manifest.generation).toMatchObject({ decoding: "greedy", repeat_penalty: "off", parallel: 4 });
    expect(report.manifest.runtime!.node_llama_cpp).toBe("3.22.1");
    expect(report.manifest.suites).toEqual([expect.objectContaining({ name: "smoke", probe_count: 6, sha256: sha256(readFileSync(SMOKE)) })]);
    expect(report.summary.total).toBe(6);
    expect(report.summary.by_language).toHaveProperty("zh");
    expect(report.probes.find((probe) => probe.id === "capital")!.checks.map((check) => check.type)).toEqual(["contains", "not_contains"]);

    const html = readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toContain("Content-Security-Policy");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it("is deterministic, whatever the number of parallel sequences", async () => {
    const one = path.join(dir, "p1");
    const four = path.join(dir, "p4");
    expect((await runCli(["run", "--suite", SMOKE, "--out", one, "--parallel", "1", "--quiet", "--no-cache"])).code).toBe(0);
    expect((await runCli(["run", "--suite", SMOKE, "--out", four, "--parallel", "4", "--quiet", "--no-cache"])).code).toBe(0);
    const outputs = (out: string) =>
      readOutputs(path.join(out, "outputs.jsonl"))
        .lines.map((line) => ({ id: line.id, output: line.output, tokens: line.output_tokens, stop: line.stop_reason }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(outputs(four)).toEqual(outputs(one));
  });

  it("sends the prompt as-is after BOS with --template raw", async () => {
    const out = path.join(dir, "raw");
    expect((await runCli(["run", "--suite", SMOKE, "--out", out, "--template", "raw", "--quiet"])).code).toBe(0);
    const fuji = readOutputs(path.join(out, "outputs.jsonl")).lines.find((line) => line.id === "fuji")!;
    expect(fuji.rendered_prompt).toMatch(/^<s> ?日本で一番高い山はどこ？$/);
    expect(readReport(out).manifest.generation!.templates).toEqual([{ name: "raw", source: null }]);
  });

  it("uses a named template, e.g. Phi-2's Instruct/Output form", async () => {
    const out = path.join(dir, "phi2");
    expect((await runCli(["run", "--suite", SMOKE, "--out", out, "--template", "phi2", "--max-tokens", "4", "--quiet"])).code).toBe(0);
    const fuji = readOutputs(path.join(out, "outputs.jsonl")).lines.find((line) => line.id === "fuji")!;
    expect(fuji.rendered_prompt).toMatch(/Instruct: 日本で一番高い山はどこ？\nOutput:$/);
    expect(fuji.output_tokens).toBeLessThanOrEqual(4);
  });

  it("rejects a missing, non-GGUF or truncated model with exit 2 before writing anything", async () => {
    const notGguf = path.join(dir, "not-a-model.gguf");
    writeFileSync(notGguf, "this is not a model");
    const truncated = path.join(dir, "truncated.gguf");
    copyFileSync(FIXTURE_MODEL, truncated);
    truncateSync(truncated, Math.floor(statSync(FIXTURE_MODEL).size / 2));
    for (const [model, message] of [
      [path.join(dir, "missing.gguf"), "model file not found"],
      [notGguf, "not a GGUF file"],
      [truncated, "truncated GGUF file"],
    ] as const) {
      const out = path.join(dir, `never-${path.basename(model)}`);
      const result = await runCli(["run", "--model", model, "--suite", SMOKE, "--out", out]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining(`${model}: ${message}`)]);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("rejects a bad suite with exit 2 naming the line, and writes nothing", async () => {
    const suite = path.join(dir, "broken.yaml");
    writeFileSync(suite, "probes:\n  - id: a\n    prompt: x\n    language: ja\n    category: open_qa\n    checks: [contain]\n");
    const out = path.join(dir, "never-suite");
    const result = await runCli(["run", "--suite", suite, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${suite}:6:14: probes[0].checks[0]: unknown check type "contain"`);
    expect(existsSync(out)).toBe(false);
  });

  it("rejects bad flags with exit 2", async () => {
    expect(await runCli(["run", "--parallel", "zero"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--parallel must be an integer") });
    expect(await runCli(["run", "--gpu", "tpu"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--gpu must be one of auto, cuda, cpu") });
    expect(await runCli(["frobnicate"])).toMatchObject({ code: 2 });
  });

  it("refuses to write into a directory another live run holds, and takes over a dead run's lock", async () => {
    const out = path.join(dir, "locked");
    mkdirSync(out);
    writeFileSync(path.join(out, ".lock"), String(process.pid)); // this test process: alive
    const refused = await runCli(["run", "--suite", SMOKE, "--out", out, "--quiet"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`another bonsai-eval run (pid ${process.pid}) is writing into this directory`);
    expect(existsSync(path.join(out, "outputs.jsonl"))).toBe(false);

    writeFileSync(path.join(out, ".lock"), "2147483646"); // no such process
    expect((await runCli(["run", "--suite", SMOKE, "--out", out, "--quiet"])).code).toBe(0);
    expect(existsSync(path.join(out, ".lock"))).toBe(false);
    expect(readOutputs(path.join(out, "outputs.jsonl")).lines).toHaveLength(6);
  });
});
