/**
 * run, score, merge and gate add their report to the store with --history
 * (or $BONSAI_HISTORY), and `--baseline last-accepted` (or
 * $BONSAI_BASELINE=last-accepted) gates against the newest accepted round
 * whose settings match, saying which one it took.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-history-baseline-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const store = at("history.sqlite");
const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Report;

const SUITE = `suite: rounds
defaults: {language: ja, category: open_qa, max_tokens: 4, checks: [contains]}
probes:
  - {id: fuji, prompt: "日本で一番高い山はどこ？", expected: [富士山]}
  - {id: tokyo, prompt: "日本の首都はどこですか？", expected: [東京]}
  - {id: paris, prompt: "フランスの首都はどこですか？", expected: [パリ]}
`;
const POLICY = "name: round gate\nrules:\n  - max_regressions: 0\n";

function outputs(name: string, right: string[]): string {
  const expected: Record<string, string> = { fuji: "富士山", tokyo: "東京", paris: "パリ" };
  writeFileSync(at(`${name}.jsonl`), Object.keys(expected).map((id) => JSON.stringify({ suite: "rounds", id, output: right.includes(id) ? expected[id] : "いいえ" }) + "\n").join(""));
  return at(`${name}.jsonl`);
}

beforeAll(() => {
  writeFileSync(at("rounds.yaml"), SUITE);
  writeFileSync(at("policy.yaml"), POLICY);
});

describe("--history and --baseline last-accepted", () => {
  it("score adds its round; gate takes the last accepted round as the baseline and says so", async () => {
    const first = await runCli(["score", "--outputs", outputs("all", ["fuji", "tokyo", "paris"]), "--suite", at("rounds.yaml"), "--out", at("all"), "--history", store]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`history: added round "round-1" to ${store}`);
    // No round accepted yet: last-accepted is bad input, before anything is written.
    const none = await runCli(["gate", at("all"), "--policy", at("policy.yaml"), "--baseline", "last-accepted", "--history", store, "--out", at("never")]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(`bonsai-eval: ${store}: --baseline: --baseline last-accepted: no accepted round in the store (bonsai-eval history accept LABEL)`);
    expect(existsSync(at("never"))).toBe(false);
    expect((await runCli(["history", "accept", "round-1", "--history", store])).code).toBe(0);

    const second = await runCli(["score", "--outputs", outputs("one", ["fuji"]), "--suite", at("rounds.yaml"), "--out", at("one")], { env: { BONSAI_HISTORY: store } });
    expect(second.stderr).toContain('history: added round "round-2"');
    // BONSAI_BASELINE=last-accepted when --baseline is not given; the store from $BONSAI_HISTORY.
    const gated = await runCli(["gate", at("one"), "--policy", at("policy.yaml"), "--out", at("gated")], { env: { BONSAI_BASELINE: "last-accepted", BONSAI_HISTORY: store } });
    expect(gated.code).toBe(1);
    expect(gated.stderr).toMatch(/^baseline: last accepted round "round-1" \(model none, created .*, accepted .*\) from /m);
    const report = read(at("gated", "report.json"));
    expect(report.gate!.baseline!.path).toBe("history.sqlite#round-1");
    expect(report.gate!.rules[0]!.measured).toBe(2);
    // The gate added the gated round, with its verdict.
    expect(gated.stderr).toContain('history: added round "round-3"');
    const list = await runCli(["history", "list", "--history", store]);
    expect(list.stdout).toMatch(/^round-3 .* 33\.3% \(1\/3\)  gate failed$/m);
  });

  it("run passes over an accepted round with other settings, and refuses when none is compatible", async () => {
    const runStore = at("runs.sqlite");
    const base = await runCli(["run", "--suite", at("rounds.yaml"), "--out", at("seed0"), "--quiet", "--no-cache", "--history", runStore]);
    expect(base.code, base.stderr).toBe(0);
    expect(base.stderr).toContain('history: added round "tiny-bonsai');
    const label = /added round "([^"]+)"/.exec(base.stderr)![1]!;
    expect((await runCli(["history", "accept", label, "--history", runStore])).code).toBe(0);

    const other = await runCli(["run", "--suite", at("rounds.yaml"), "--out", at("seed5"), "--quiet", "--no-cache", "--seed", "5", "--gate", at("policy.yaml"), "--baseline", "last-accepted", "--history", runStore]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`--baseline last-accepted: no accepted round is compatible (${label}: settings differ: seed 0 → 5)`);
    // The run's report is written before the baseline is chosen: nothing is lost.
    expect(read(at("seed5", "report.json")).probes).toHaveLength(3);

    const same = await runCli(["run", "--suite", at("rounds.yaml"), "--out", at("seed0-again"), "--quiet", "--no-cache", "--gate", at("policy.yaml"), "--baseline", "last-accepted", "--history", runStore]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toContain(`baseline: last accepted round "${label}"`);
    expect(read(at("seed0-again", "report.json")).gate!.baseline!.path).toBe(`runs.sqlite#${label}`);
  });
});
