/**
 * `npm run check:gpu` and the VRAM budget knob it uses. Without an NVIDIA GPU the
 * check says so in one line and exits 3, having fetched and checked nothing; the
 * budget knob is validated like any other input.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkGpu, NO_GPU_EXIT } from "../bench/check-gpu.js";
import { FIXTURE_MODEL, runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-check-gpu-");

describe("npm run check:gpu", () => {
  it("says in one line that no GPU is present, exits 3 and writes the finding, or checks the GPU when there is one", async () => {
    const lines: string[] = [];
    const result = await checkGpu({ modelPath: FIXTURE_MODEL, outDir: path.join(dir, "out"), log: (line) => lines.push(line) });
    const facts = JSON.parse(readFileSync(result.jsonFile, "utf8")) as { gpu_found: boolean; reason?: string; exit_code: number; checks?: Array<{ name: string }> };
    expect(facts.exit_code).toBe(result.exitCode);
    if (result.exitCode === NO_GPU_EXIT) {
      expect(result.line).toMatch(/^check:gpu: no usable NVIDIA GPU \(CUDA\) on this machine — .*CUDA cannot be used.*\. Nothing was checked; the CUDA path stays unverified\.$/);
      expect(result.line).not.toContain("\n");
      expect(facts.gpu_found).toBe(false);
      expect(facts.reason).toContain("CUDA");
      // Nothing beyond the CUDA probe ran: no model was fetched, no job generated.
      expect(lines).toEqual([]);
    } else {
      expect(facts.gpu_found).toBe(true);
      expect(facts.checks!.map((check) => check.name)).toEqual(expect.arrayContaining(["every layer offloaded", "device named", "small VRAM budget cuts the sequences"]));
    }
  }, 300_000);
});

describe("BONSAI_VRAM_BUDGET_BYTES", () => {
  it("rejects a budget that is not a positive number of bytes in one line, exit 2, before anything is written", async () => {
    const out = path.join(dir, "bad-budget");
    const result = await runCli(["run", "--out", out, "--quiet", "--no-cache"], { env: { ...process.env, BONSAI_VRAM_BUDGET_BYTES: "2GB" } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain('BONSAI_VRAM_BUDGET_BYTES must be a positive number of bytes, got "2GB"');
    expect(existsSync(path.join(out, "outputs.jsonl"))).toBe(false);
  });

  it("is recorded as no budget on a CPU run, where it does not apply", async () => {
    const out = path.join(dir, "cpu-budget");
    const result = await runCli(["run", "--out", out, "--quiet", "--no-cache", "--gpu", "cpu", "--max-tokens", "4"], { env: { ...process.env, BONSAI_VRAM_BUDGET_BYTES: "1000000" } });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as { manifest: { hardware: { gpu: unknown; vram_budget_bytes: unknown } } };
    expect(report.manifest.hardware).toMatchObject({ gpu: false, vram_budget_bytes: null });
  });
});
