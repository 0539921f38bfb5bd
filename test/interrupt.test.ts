/**
 * A run killed midway keeps exactly its finished probes; `score` reports on
 * them; rerunning into the same directory completes without regenerating them.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { readOutputs } from "../src/format/outputs-file.js";
import type { Report } from "../src/format/report.js";
import { longSuite, runCli, tempDir, waitFor } from "./helpers.js";

const dir = tempDir();
const PROBES = 40;
const suite = path.join(dir, "long.yaml");
writeFileSync(suite, longSuite(PROBES, 200));

function finishedLines(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, "utf8").split("\n").filter((line) => line.trim() !== "").length;
}

describe("interrupted runs", () => {
  it("SIGKILL leaves a valid outputs.jsonl of finished probes; score reads it; a rerun resumes", async () => {
    const out = path.join(dir, "killed");
    const outputs = path.join(out, "outputs.jsonl");
    let child: ChildProcess | undefined;
    const running = runCli(["run", "--suite", suite, "--out", out, "--parallel", "1", "--quiet", "--no-cache"], { onSpawn: (c) => (child = c) });
    await waitFor(() => finishedLines(outputs) >= 3);
    child!.kill("SIGKILL");
    const killed = await running;
    expect(killed.signal).toBe("SIGKILL");

    const { lines, truncatedTail } = readOutputs(outputs);
    expect(truncatedTail).toBe(false);
    const finished = lines.length;
    expect(finished).toBeGreaterThanOrEqual(3);
    expect(finished).toBeLessThan(PROBES);
    expect(new Set(lines.map((line) => line.id)).size).toBe(finished);
    expect(existsSync(path.join(out, "report.json"))).toBe(false);

    const scored = path.join(dir, "scored");
    const score = await runCli(["score", "--outputs", outputs, "--suite", suite, "--out", scored]);
    expect(score.code, score.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(scored, "report.json"), "utf8")) as Report;
    expect(report.summary).toMatchObject({ total: PROBES, missing: PROBES - finished });
    expect(report.problems.missing_outputs).toHaveLength(PROBES - finished);

    const resumed = await runCli(["run", "--suite", suite, "--out", out, "--parallel", "1", "--no-cache"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming: ${finished} probe(s) already finished in ${out}, ${PROBES - finished} to generate`);
    const after = readOutputs(outputs).lines;
    expect(after).toHaveLength(PROBES);
    expect(new Set(after.map((line) => line.id)).size).toBe(PROBES);
    // The finished probes were kept as they were, not generated again.
    expect(after.slice(0, finished).map(({ line: _, ...rest }) => rest)).toEqual(lines.map(({ line: _, ...rest }) => rest));
    const final = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    expect(final.manifest.complete).toBe(true);
    expect(final.summary.missing).toBe(0);
  });

  it("SIGINT writes a report marked incomplete and exits 130", async () => {
    const out = path.join(dir, "interrupted");
    const outputs = path.join(out, "outputs.jsonl");
    let child: ChildProcess | undefined;
    const running = runCli(["run", "--suite", suite, "--out", out, "--parallel", "1", "--quiet", "--no-cache"], { onSpawn: (c) => (child = c) });
    await waitFor(() => finishedLines(outputs) >= 2);
    child!.kill("SIGINT");
    const result = await running;
    expect(result.code).toBe(130);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    expect(report.manifest.complete).toBe(false);
    expect(report.summary.missing).toBeGreaterThan(0);
    expect(report.summary.missing).toBe(PROBES - readOutputs(outputs).lines.length);
    expect(result.stdout).toContain("INCOMPLETE");
  });

  it("refuses to resume into a directory holding another model's outputs", async () => {
    const out = path.join(dir, "other-model");
    expect((await runCli(["run", "--suite", suite, "--out", out, "--max-tokens", "2", "--quiet"])).code).toBe(0);
    const result = await runCli(["run", "--suite", suite, "--out", out, "--max-tokens", "3", "--quiet"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("holds outputs from another model or other run settings");
  });
});
