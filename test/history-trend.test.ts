/**
 * `history trend` through the CLI on a real store: four rounds over two
 * dataset versions give pass rates per round, the dataset change marked on
 * the axis, paired steps only on probes both rounds share unchanged, the
 * probe that broke and the round it broke at, the flaky one; the page keeps
 * the report's CSP and escapes what the reports say.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-history-trend-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const store = at("history.sqlite");
const EXPECTED: Record<string, string> = { fuji: "富士山", tokyo: "東京", paris: "パリ", biwa: "琵琶湖", kyoto: "京都府" };
const HOSTILE = "<img src=x onerror=alert(1)>";

function suite(ids: string[], biwaPrompt: string): string {
  return `suite: rounds\ndefaults: {language: ja, category: open_qa, max_tokens: 8, checks: [contains]}\nprobes:\n${ids
    .map((id) => `  - {id: ${id}, prompt: "${id === "biwa" ? biwaPrompt : `${id}?`}", expected: [${EXPECTED[id]}]}`)
    .join("\n")}\n`;
}

async function round(name: string, suiteFile: string, ids: string[], right: string[]): Promise<void> {
  writeFileSync(at(`${name}.jsonl`), ids.map((id) => JSON.stringify({ suite: "rounds", id, output: right.includes(id) ? EXPECTED[id] : "いいえ" }) + "\n").join(""));
  const scored = await runCli(["score", "--outputs", at(`${name}.jsonl`), "--suite", suiteFile, "--out", at(name)]);
  expect(scored.code, scored.stderr).toBe(0);
}

beforeAll(async () => {
  const v1 = ["fuji", "tokyo", "paris", "biwa"];
  const v2 = [...v1, "kyoto"];
  writeFileSync(at("v1.yaml"), suite(v1, "一番大きい湖は？"));
  // Dataset v2: biwa's prompt edited, kyoto added.
  writeFileSync(at("v2.yaml"), suite(v2, "日本で一番大きい湖は何ですか？"));
  await Promise.all([
    round("r1", at("v1.yaml"), v1, ["fuji", "tokyo"]),
    round("r2", at("v1.yaml"), v1, ["tokyo", "paris"]),
    round("r3", at("v1.yaml"), v1, ["fuji", "paris"]),
    round("r4", at("v2.yaml"), v2, ["fuji", "paris", "biwa"]),
  ]);
  // A category as a report may carry it: text, never markup, on the page.
  const file = at("r4", "report.json");
  const report = JSON.parse(readFileSync(file, "utf8")) as Report;
  report.probes.find((probe) => probe.id === "kyoto")!.category = HOSTILE;
  writeFileSync(file, JSON.stringify(report));
  for (const name of ["r1", "r2", "r3", "r4"]) {
    const added = await runCli(["history", "add", at(name), "--label", name, "--history", store]);
    expect(added.code, added.stderr).toBe(0);
  }
}, 120_000);

describe("history trend", () => {
  it("writes trend.md with pass rates per round, the dataset change, the broken and the flaky probe", async () => {
    const result = await runCli(["history", "trend", "--out", at("trend"), "--history", store]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("trend of 4 rounds (of 4)");
    const md = readFileSync(at("trend", "trend.md"), "utf8");
    expect(md).toContain("| group | r1 | r2 | r3 | r4 ◆ | last step (95% CI) |");
    // r4: 3 of 5; its step pairs fuji, tokyo and paris only (biwa edited, kyoto added), none flipped.
    expect(md).toContain("| **overall** | 50.0% | 50.0% | 50.0% | 60.0% | ±0.0 pts [0.0, 0.0], p 1: no significant change |");
    expect(md).toContain("**Dataset versions:** r4 (rounds changed; 1 probe edited)");
    // tokyo: P P F F, broke at r3; fuji: P F P P, two flips; biwa: F F F | P is an edit, not a flip.
    expect(md).toContain("**Broken** (failing now, passing before): 1 — `rounds/tokyo` at r3");
    expect(md).toContain("**Flaky** (flipping back and forth): 1 — `rounds/fuji` 2 flips");
  });

  it("writes a self-contained trend.html with the report's CSP, escaping what the reports say", async () => {
    const html = readFileSync(at("trend", "trend.html"), "utf8");
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[^&]+&#39;; script-src &#39;sha256-[^&]+&#39;;/);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+\s*=/i);
    expect(html).toContain("broke at r3");
    expect(html).toContain("◆ dataset changed");
  });

  it("keeps only the newest rounds with --last N", async () => {
    const result = await runCli(["history", "trend", "--last", "2", "--out", at("last2"), "--history", store]);
    expect(result.stdout, result.stderr).toContain("trend of 2 rounds (of 4)");
    expect(readFileSync(at("last2", "trend.md"), "utf8")).toContain("| group | r3 | r4 ◆ |");
  });
});
