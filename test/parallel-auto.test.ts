/**
 * `run --parallel auto` on the CPU: a short measured ramp picks the number of
 * sequences, the manifest says which and why, and the ramp leaves no trace in
 * the outputs: the run generates what a fixed setting generates.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOutputs } from "../src/format/outputs-file.js";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import type { Report } from "../src/format/report.js";
import { createAjv } from "../src/util/ajv.js";
import { packagePath } from "../src/util/paths.js";
import { runCli, tempDir } from "./helpers.js";

const SMOKE = packagePath("test", "suites", "smoke.yaml");
const dir = tempDir("bonsai-parallel-auto-");
const readReport = (out: string) => JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
const outputsOf = (out: string) => Object.fromEntries(readOutputs(path.join(out, "outputs.jsonl")).lines.map((line) => [line.id, line.output]));

describe("run --parallel auto", () => {
  it("chooses the sequences from a measured ramp on the CPU and records the ramp and the reason", async () => {
    const auto = path.join(dir, "auto");
    const fixed = path.join(dir, "fixed");
    const autoRun = await runCli(["run", "--suite", SMOKE, "--out", auto, "--parallel", "auto", "--no-cache", "--quiet"]);
    expect(autoRun.code, autoRun.stderr).toBe(0);
    const fixedRun = await runCli(["run", "--suite", SMOKE, "--out", fixed, "--parallel", "2", "--no-cache", "--quiet"]);
    expect(fixedRun.code, fixedRun.stderr).toBe(0);

    const report = readReport(auto);
    expect(createAjv().compile(REPORT_SCHEMA)(report)).toBe(true);
    const choice = report.manifest.generation!.parallel_choice!;
    expect(choice.requested).toBe("auto");
    expect(choice.ramp.map((step) => step.sequences)).toEqual([1, 2, 4, 8].slice(0, choice.ramp.length));
    expect(choice.ramp.length).toBeGreaterThanOrEqual(2);
    for (const step of choice.ramp) {
      expect(step.generated_tokens).toBeGreaterThan(0);
      expect(step.tokens_per_second).toBeGreaterThan(0);
    }
    const fastest = choice.ramp.reduce((a, b) => (b.tokens_per_second > a.tokens_per_second ? b : a));
    expect(choice.sequences).toBe(fastest.sequences);
    expect(report.manifest.generation!.parallel).toBe(choice.sequences);
    expect(choice.reason).toMatch(/^CPU: measured ramp of 16 tokens per sequence/);
    expect(choice.reason).toContain(`${fastest.sequences} generated fastest`);

    // The ramp's generations are not outputs: one line per probe, the same greedy text as a fixed setting.
    expect(readOutputs(path.join(auto, "outputs.jsonl")).lines).toHaveLength(6);
    expect(outputsOf(auto)).toEqual(outputsOf(fixed));
    expect(readReport(fixed).manifest.generation!.parallel_choice).toEqual({ requested: 2, sequences: 2, reason: "--parallel", ramp: [] });
  }, 120_000);

  it("rejects a --parallel that is neither auto nor a number in one line, exit 2", async () => {
    const result = await runCli(["run", "--suite", SMOKE, "--out", path.join(dir, "bad"), "--parallel", "many", "--quiet"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("--parallel");
  });
});
