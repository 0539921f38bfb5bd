/**
 * Pairwise judging with `--baseline last-accepted`, through the CLI on the
 * fixture model: the round the judge compares with is chosen once, before the
 * model loads, by the settings and suites the run will record, and a gate
 * against last-accepted compares with that same round — never the newest
 * accepted round for one and the newest compatible one for the other.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readJudgements } from "../src/format/judgements.js";
import type { Report } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-judge-baseline-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const read = (out: string) => JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
const store = at("history.sqlite");
const suite = at("pairs.yaml");
const policy = at("policy.yaml");

beforeAll(async () => {
  writeFileSync(
    suite,
    `suite: pairs
defaults: {language: ja, category: brainstorming}
probes:
  - {id: spring, prompt: 春の楽しみ方を挙げてください。, checks: [{type: judge, mode: pairwise, rubric: "More useful Japanese wins."}]}
  - {id: autumn, prompt: 秋の楽しみ方を挙げてください。, checks: [{type: judge, mode: pairwise, rubric: "More useful Japanese wins."}]}
`,
  );
  writeFileSync(policy, "rules:\n  - min_win_rate: 0\n");
  // Two accepted rounds: the older at the token budget the candidate uses, the newer (accepted last) at another.
  for (const [label, maxTokens] of [["older", "4"], ["newer", "6"]] as const) {
    const result = await runCli(["run", "--suite", suite, "--out", at(label), "--max-tokens", maxTokens, "--label", label, "--history", store, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    expect((await runCli(["history", "accept", label, "--history", store])).code).toBe(0);
  }
}, 120_000);

describe("pairwise judging against last-accepted", () => {
  it("the judge and the gate compare with the same round: the newest accepted one compatible with the run, said on stderr and in the report", async () => {
    const out = at("candidate");
    const result = await runCli([
      "run", "--suite", suite, "--out", out, "--max-tokens", "4", "--label", "candidate",
      "--judge-model", "self", "--gate", policy, "--baseline", "last-accepted", "--history", store,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/baseline: last accepted round "older" .*; passed over newer \(settings differ: max_tokens_override 6 → 4\); pairwise judge checks compare with it/);
    expect(result.stderr).toContain("baseline: the gate compares with the round pairwise judging compared with (history.sqlite#older)");

    const report = read(out);
    expect(report.manifest.judge).toMatchObject({ judged: 2, without_baseline: 0, baseline: "history.sqlite#older" });
    expect(report.gate!.baseline).toMatchObject({ path: "history.sqlite#older", label: "older" });
    expect(report.gate!.rules[0]!.message).toMatch(/^win rate against the baseline .*; judged against history\.sqlite#older$/);
    const older = new Map(read(at("older")).probes.map((probe) => [probe.id, probe.output]));
    for (const line of readJudgements(path.join(out, "judgements.jsonl")).values()) {
      expect(line.baseline).toEqual({ output: older.get(line.id), report: "history.sqlite#older" });
    }
  }, 120_000);

  it("an ungated pairwise run takes the compatible round too; none compatible is exit 2 before the model loads", async () => {
    const ungated = at("ungated");
    const result = await runCli(["run", "--suite", suite, "--out", ungated, "--max-tokens", "6", "--judge-model", "self", "--baseline", "last-accepted", "--history", store]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/baseline: last accepted round "newer" .*; pairwise judge checks compare with it/);
    expect(read(ungated).manifest.judge).toMatchObject({ baseline: "history.sqlite#newer" });

    const none = at("none");
    const refused = await runCli(["run", "--suite", suite, "--out", none, "--max-tokens", "8", "--judge-model", "self", "--baseline", "last-accepted", "--history", store]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain("--baseline last-accepted: no accepted round is compatible (newer: settings differ: max_tokens_override 6 → 8; older: settings differ: max_tokens_override 4 → 8)");
    expect(existsSync(none)).toBe(false);
  }, 120_000);
});
