/**
 * Outputs generated for another version of a probe are never scored silently:
 * `score` on outputs whose probe_hash differs from the suite's probe lists
 * them and gives the probe status stale (no verdict) in report, terminal,
 * JUnit and diff; --allow-stale scores them and marks them; outputs without a
 * hash are scored and marked unverified; a resumed `run` regenerates them, or
 * with --allow-stale keeps and scores them, marked. Through the real CLI.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
const validate = createAjv().compile(REPORT_SCHEMA);

const PROBES: Array<[id: string, prompt: string, expected: string]> = [
  ["fuji", "日本で一番高い山はどこ？", "富士山"],
  ["tokyo", "日本の首都はどこですか？", "東京"],
  ["biwa", "日本で一番大きい湖は何ですか？", "琵琶湖"],
];

function suite(edited: boolean): string {
  const probes = PROBES.map(([id, prompt, expected]) => {
    const text = edited && id === "tokyo" ? "日本の首都はどこですか？一言で答えてください。" : prompt;
    return `  - {id: ${id}, prompt: "${text}", expected: [${expected}]}`;
  });
  return `suite: stale\ndefaults:\n  language: ja\n  category: open_qa\n  checks: [contains]\nprobes:\n${probes.join("\n")}\n`;
}

const jsonl = (lines: object[]) => lines.map((line) => JSON.stringify(line) + "\n").join("");
let v1Hashes: Record<string, string> = {};

/** Round outputs as `run` records them: each line carries the hash of the probe it was generated for. */
function roundOutputs(hashes: Record<string, string>, answer: (id: string, expected: string) => string): string {
  return jsonl(PROBES.map(([id, , expected]) => ({ suite: "stale", id, output: answer(id, expected), probe_hash: hashes[id] })));
}

async function score(outputs: string, suiteFile: string, out: string, ...flags: string[]) {
  const result = await runCli(["score", "--outputs", outputs, "--suite", suiteFile, "--out", out, ...flags]);
  expect(result.code, result.stderr).toBe(0);
  const report = read<Report>(path.join(out, "report.json"));
  expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  return { report, stdout: result.stdout };
}

beforeAll(async () => {
  mkdirSync(at("v1"));
  mkdirSync(at("v2"));
  writeFileSync(at("v1", "stale.yaml"), suite(false));
  writeFileSync(at("v2", "stale.yaml"), suite(true));
  // Outputs of another tool carry no hash; scoring them once gives the probes' hashes.
  writeFileSync(at("no-hash.jsonl"), jsonl(PROBES.map(([id, , expected]) => ({ suite: "stale", id, output: `${expected}です。` }))));
  const { report } = await score(at("no-hash.jsonl"), at("v1", "stale.yaml"), at("no-hash"));
  v1Hashes = Object.fromEntries(report.probes.map((probe) => [probe.id, probe.hash]));
  writeFileSync(at("round1.jsonl"), roundOutputs(v1Hashes, (_id, expected) => `${expected}です。`));
});

describe("outputs of another probe version", () => {
  it("are listed, and the probe is stale (no pass, no fail) in the report, the terminal and JUnit", async () => {
    const { report, stdout } = await score(at("round1.jsonl"), at("v2", "stale.yaml"), at("stale"), "--junit", at("stale.xml"));
    const tokyo = report.probes.find((probe) => probe.id === "tokyo")!;
    expect(tokyo).toMatchObject({ status: "stale", pass: null, output_version: "stale", checks: [], output: "東京です。" });
    expect(tokyo.hash).not.toBe(v1Hashes.tokyo);
    expect(report.probes.filter((probe) => probe.id !== "tokyo").map((probe) => [probe.status, probe.output_version])).toEqual([
      ["pass", "current"],
      ["pass", "current"],
    ]);
    expect(report.problems.stale_outputs).toEqual([{ suite: "stale", id: "tokyo", line: 2, output_hash: v1Hashes.tokyo, probe_hash: tokyo.hash, scored: false }]);
    expect(report.summary).toMatchObject({ total: 3, passed: 2, failed: 0, stale: 1, pass_rate: 1 });
    expect(report.summary.by_suite.stale).toMatchObject({ total: 3, passed: 2, failed: 0, no_verdict: 1, pass_rate: 1 });

    expect(stdout).toContain("2/2 probes passed (100.0%), 1 stale (not scored)");
    expect(stdout).toContain("1 output line(s) were generated for another version of their probe: status stale, not scored (--allow-stale scores them)");
    expect(stdout).toMatch(/~ stale › tokyo\s+line 2/);

    const xml = readFileSync(at("stale.xml"), "utf8");
    expect(xml).toMatch(/<testcase [^>]*name="tokyo"[^>]*>\s*<skipped message="stale: the output was generated for another version of this probe/);
    expect(xml).toContain('failures="0" errors="0" skipped="1"');

    const html = readFileSync(at("stale", "report.html"), "utf8");
    expect(html).toContain("STALE");
    expect(html).toContain("were generated for another version of their probe (probe_hash differs), and were not scored");
  });

  it("--allow-stale scores them anyway and marks them", async () => {
    const { report, stdout } = await score(at("round1.jsonl"), at("v2", "stale.yaml"), at("allowed"), "--allow-stale");
    const tokyo = report.probes.find((probe) => probe.id === "tokyo")!;
    expect(tokyo).toMatchObject({ status: "pass", pass: true, output_version: "stale" });
    expect(tokyo.checks.map((check) => check.type)).toEqual(["contains"]);
    expect(report.problems.stale_outputs).toMatchObject([{ id: "tokyo", scored: true }]);
    expect(report.summary).toMatchObject({ passed: 3, stale: 0 });
    expect(stdout).toContain("scored anyway (--allow-stale), marked stale");
    expect(readFileSync(at("allowed", "report.html"), "utf8")).toContain("scored anyway (--allow-stale)");
  });

  it("outputs without a probe_hash are scored and marked unverified", async () => {
    const report = read<Report>(at("no-hash", "report.json"));
    expect(report.probes.map((probe) => [probe.status, probe.output_version])).toEqual([
      ["pass", "unverified"],
      ["pass", "unverified"],
      ["pass", "unverified"],
    ]);
    expect(report.summary.unverified).toBe(3);
    expect(report.problems.stale_outputs).toEqual([]);
  });

  it("the diff calls a stale probe stale, not an output change on an unchanged probe", async () => {
    // Round 1 (generated for v1) re-scored against v2, and round 2 generated for v2 with a different answer for tokyo.
    const v2 = read<Report>(at("stale", "report.json"));
    const v2Hashes = Object.fromEntries(v2.probes.map((probe) => [probe.id, probe.hash]));
    writeFileSync(at("round2.jsonl"), roundOutputs(v2Hashes, (id, expected) => (id === "tokyo" ? "大阪です。" : `${expected}です。`)));
    await score(at("round2.jsonl"), at("v2", "stale.yaml"), at("round2"));
    const result = await runCli(["diff", at("stale"), at("round2"), "--out", at("diff")]);
    expect(result.code, result.stderr).toBe(0);
    const diff = read<Diff>(at("diff", "diff.json"));
    const tokyo = diff.probes.find((probe) => probe.id === "tokyo")!;
    expect(tokyo.change).toBe("stale");
    expect(tokyo.base).toMatchObject({ status: "stale", output_version: "stale" });
    expect(diff.counts).toMatchObject({ matched: 2, stale: 1, regressed: 0, output_changed: 0 });
    expect(diff.pass.overall.pairs).toBe(2);
    expect(readFileSync(at("diff", "diff.html"), "utf8")).toContain("stale output (not scored)");
    expect(result.stdout).toContain("stale 1 (not compared)");
    expect(readFileSync(at("diff", "diff.md"), "utf8")).toMatch(/Stale outputs \(another version of the probe; not scored, not compared\)[\s\S]*tokyo/);
  });

  it("a resumed run generates them again; with --allow-stale it keeps them, scores them and marks them", async () => {
    const v1Run = at("resume-v1");
    const first = await runCli(["run", "--suite", at("v1", "stale.yaml"), "--out", v1Run, "--quiet", "--no-cache"]);
    expect(first.code, first.stderr).toBe(0);
    const v1Lines = readFileSync(path.join(v1Run, "outputs.jsonl"), "utf8").split("\n").filter(Boolean);
    const v1Tokyo = v1Lines.find((line) => JSON.parse(line).id === "tokyo")!;
    const lines = (out: string) => readFileSync(path.join(out, "outputs.jsonl"), "utf8").split("\n").filter(Boolean);

    const allowed = at("resume-allow-stale");
    cpSync(v1Run, allowed, { recursive: true });
    const kept = await runCli(["run", "--suite", at("v2", "stale.yaml"), "--out", allowed, "--allow-stale", "--no-cache"]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toContain(
      `resuming: 3 probe(s) already finished in ${allowed} (1 generated for another version of their probe, kept by --allow-stale: scored, marked stale), 0 to generate`,
    );
    expect(lines(allowed)).toEqual(v1Lines);
    const report = read<Report>(path.join(allowed, "report.json"));
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const tokyo = report.probes.find((probe) => probe.id === "tokyo")!;
    expect(tokyo).toMatchObject({ output_version: "stale", checks: [{ type: "contains" }] });
    expect(["pass", "fail"]).toContain(tokyo.status);
    expect(report.problems.stale_outputs).toMatchObject([{ id: "tokyo", output_hash: v1Hashes.tokyo, probe_hash: tokyo.hash, scored: true }]);
    expect(report.probes.filter((probe) => probe.id !== "tokyo").every((probe) => probe.output_version === "current")).toBe(true);
    expect(kept.stdout).toContain("scored anyway (--allow-stale), marked stale");

    const regenerated = at("resume-regenerated");
    cpSync(v1Run, regenerated, { recursive: true });
    const rerun = await runCli(["run", "--suite", at("v2", "stale.yaml"), "--out", regenerated, "--no-cache"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(`resuming: 2 probe(s) already finished in ${regenerated}, 1 to generate`);
    expect(lines(regenerated)).not.toContain(v1Tokyo);
    const fresh = read<Report>(path.join(regenerated, "report.json"));
    expect(fresh.probes.map((probe) => probe.output_version)).toEqual(["current", "current", "current"]);
    expect(fresh.problems.stale_outputs).toEqual([]);
    expect(JSON.parse(lines(regenerated).find((line) => JSON.parse(line).id === "tokyo")!).rendered_prompt).toContain("一言で答えてください。");
  });

  it("merge applies the same rule to shard runs scored against an edited suite", async () => {
    const shards = [1, 2].map((index) => at(`shard-${index}`));
    for (const [i, out] of shards.entries()) {
      const result = await runCli(["run", "--suite", at("v1", "stale.yaml"), "--out", out, "--shard", `${i + 1}/2`, "--quiet", "--no-cache"]);
      expect(result.code, result.stderr).toBe(0);
    }
    const merged = await runCli(["merge", ...shards, "--suite", at("v2", "stale.yaml"), "--out", at("merged")]);
    expect(merged.code, merged.stderr).toBe(0);
    const report = read<Report>(at("merged", "report.json"));
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(report.probes.find((probe) => probe.id === "tokyo")).toMatchObject({ status: "stale", pass: null, checks: [] });
    expect(report.problems.stale_outputs).toMatchObject([{ id: "tokyo", output_hash: v1Hashes.tokyo, scored: false }]);
    expect(report.probes.filter((probe) => probe.id !== "tokyo").every((probe) => probe.output_version === "current")).toBe(true);

    const allowed = await runCli(["merge", ...shards, "--suite", at("v2", "stale.yaml"), "--out", at("merged-allowed"), "--allow-stale"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    const scored = read<Report>(at("merged-allowed", "report.json")).probes.find((probe) => probe.id === "tokyo")!;
    expect(scored).toMatchObject({ output_version: "stale", checks: [{ type: "contains" }] });
    expect(["pass", "fail"]).toContain(scored.status);
  });
});
