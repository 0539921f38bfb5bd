/**
 * Judge checks on outputs of another probe version, through the CLI on the
 * fixture model: a resumed `run --allow-stale` keeps the stale output, scores
 * it and judges it on the probe as it is now (the probe marked stale); `score
 * --allow-stale` re-scores that verdict; without --allow-stale the probe is
 * stale and not judged (score) or generated again and judged (run).
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readJudgements } from "../src/format/judgements.js";
import type { Report, ReportProbe } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-judge-stale-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const read = (out: string) => JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
const probeOf = (report: Report, id: string) => report.probes.find((probe) => probe.id === id)!;
const judgeOf = (probe: ReportProbe) => probe.checks.find((check) => check.type === "judge")!;

function suite(haikuPrompt: string): string {
  return `suite: judged-stale
defaults: {language: ja, category: creative, max_tokens: 8}
probes:
  - id: haiku
    prompt: ${haikuPrompt}
    checks: [{type: judge, rubric: "A short haiku about spring, in Japanese."}]
  - id: fuji
    prompt: 日本で一番高い山はどこ？
    expected: [富士山]
    checks: [contains, {type: judge, rubric: "Correct and concise."}]
`;
}

const v1 = at("v1.yaml");
const v2 = at("v2.yaml");
const first = at("first");

beforeAll(async () => {
  writeFileSync(v1, suite("春の俳句を一つ書いてください。"));
  writeFileSync(v2, suite("春の俳句を一つ、季語を入れて書いてください。"));
  const result = await runCli(["run", "--suite", v1, "--out", first, "--judge-model", "self", "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
}, 120_000);

describe("judge checks on stale outputs", () => {
  it("run --allow-stale on resume judges the kept stale output on the probe as it is now; score --allow-stale reads that verdict", async () => {
    const allowed = at("allowed");
    cpSync(first, allowed, { recursive: true });
    const v1Haiku = [...readJudgements(path.join(first, "judgements.jsonl")).values()].find((line) => line.id === "haiku")!;

    const result = await runCli(["run", "--suite", v2, "--out", allowed, "--judge-model", "self", "--allow-stale"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("0 to generate");
    expect(result.stderr).toContain("judging 1 output(s) (1 generated for another version of their probe, kept by --allow-stale: judged on the probe as it is now)");

    const report = read(allowed);
    const haiku = probeOf(report, "haiku");
    expect(haiku.output_version).toBe("stale");
    expect(haiku.output).toBe(probeOf(read(first), "haiku").output);
    const verdict = judgeOf(haiku);
    expect(verdict.details.crashed).toBeUndefined();
    expect(verdict.details.reason).toMatch(/^judge: \d\/5 \(pass from 3\): /);
    expect(report.manifest.judge).toMatchObject({ judged: 1, kept: 1 });
    // The question asked is the edited prompt, with the answer generated for the earlier one.
    const recorded = [...readJudgements(path.join(allowed, "judgements.jsonl")).values()].find((line) => line.id === "haiku")!;
    expect(recorded.request_sha256).not.toBe(v1Haiku.request_sha256);

    const rescored = at("allowed-score");
    const scored = await runCli(["score", "--outputs", path.join(allowed, "outputs.jsonl"), "--suite", v2, "--out", rescored, "--allow-stale"]);
    expect(scored.code, scored.stderr).toBe(0);
    const again = probeOf(read(rescored), "haiku");
    expect(again.output_version).toBe("stale");
    expect(judgeOf(again)).toEqual(verdict);

    // Without --allow-stale the stale probe is not scored, so there is nothing to judge.
    const strict = at("strict-score");
    expect((await runCli(["score", "--outputs", path.join(allowed, "outputs.jsonl"), "--suite", v2, "--out", strict])).code).toBe(0);
    expect(probeOf(read(strict), "haiku")).toMatchObject({ status: "stale", pass: null, checks: [] });
  }, 120_000);

  it("a resumed run without --allow-stale generates the stale output again and judges the new one", async () => {
    const regenerated = at("regenerated");
    cpSync(first, regenerated, { recursive: true });
    const result = await runCli(["run", "--suite", v2, "--out", regenerated, "--judge-model", "self"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("1 to generate");
    expect(result.stderr).toMatch(/judging 1 output\(s\) with the evaluated model/);
    const haiku = probeOf(read(regenerated), "haiku");
    expect(haiku.output_version).toBe("current");
    expect(judgeOf(haiku).details.reason).toMatch(/^judge: \d\/5 /);
  }, 120_000);
});

describe("pairwise against a baseline whose output was stale", () => {
  const pairs = (edited: boolean) => `suite: pairs-stale
defaults: {language: ja, category: brainstorming, max_tokens: 4}
probes:
  - {id: spring, prompt: ${edited ? "春の楽しみ方を三つ挙げてください。" : "春の楽しみ方を挙げてください。"}, checks: [{type: judge, mode: pairwise, rubric: "More useful Japanese wins."}]}
  - {id: autumn, prompt: 秋の楽しみ方を挙げてください。, checks: [{type: judge, mode: pairwise, rubric: "More useful Japanese wins."}]}
`;

  it("is not compared with where the baseline's output answered another version of the probe: that probe counts as without_baseline", async () => {
    writeFileSync(at("pairs-v1.yaml"), pairs(false));
    writeFileSync(at("pairs-v2.yaml"), pairs(true));
    expect((await runCli(["run", "--suite", at("pairs-v1.yaml"), "--out", at("pairs-v1"), "--quiet"])).code).toBe(0);
    // The baseline round: v1's outputs scored against v2 with --allow-stale, so "spring" carries v2's hash and a v1 answer.
    const base = at("pairs-base");
    expect((await runCli(["score", "--outputs", path.join(at("pairs-v1"), "outputs.jsonl"), "--suite", at("pairs-v2.yaml"), "--out", base, "--allow-stale"])).code).toBe(0);
    expect(probeOf(read(base), "spring").output_version).toBe("stale");

    const candidate = at("pairs-candidate");
    const result = await runCli(["run", "--suite", at("pairs-v2.yaml"), "--out", candidate, "--judge-model", "self", "--baseline", base]);
    expect(result.code, result.stderr).toBe(0);
    expect(read(candidate).manifest.judge).toMatchObject({ judged: 1, without_baseline: 1 });
    expect([...readJudgements(path.join(candidate, "judgements.jsonl")).values()].map((line) => line.id)).toEqual(["autumn"]);
  }, 120_000);
});
