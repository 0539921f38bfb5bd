/**
 * Issue 10, points 5 and 6 through the real CLI: a suite and recorded outputs
 * in, `bonsai-eval score`, and what report.json says about each probe.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report, ReportProbe } from "../src/format/report.js";
import { packagePath } from "../src/util/paths.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const at = (...parts: string[]) => path.join(dir, ...parts);

/** A real, non-looping Japanese answer of Gemma 3 270M that compresses 3.3× as UTF-8 bytes. */
const GEMMA_CLEAN = readFileSync(packagePath("fixtures", "repetition", "gemma-3-270m.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { id: string; text: string })
  .find((row) => row.id === "gemma-ja-04-sampled-s0-r1")!.text;

const PLACES = ["近所の公園", "図書館", "美術館", "映画館", "駅前のカフェ", "古い神社", "海辺の町", "山の温泉", "市場", "博物館", "川沿いの道", "動物園"];

/** [id, check, output] */
const PROBES: Array<[string, string, string]> = [
  ["pizza-on-piano", "{type: katakana, expected: ピザ, max_distance: 1}", "ピアノです。"],
  ["pizza-short-other", "{type: katakana, expected: ピザ, max_distance: 1}", "ピサの斜塔です。"],
  ["pizza", "{type: katakana, expected: ピザ, max_distance: 1}", "ピザです。"],
  ["freedial", "{type: katakana, expected: フリーダイヤル, max_distance: 1}", "フリーダイアルにお電話ください。"],
  ["freedial-half-width", "{type: katakana, expected: フリーダイヤル, max_distance: 1}", "ﾌﾘｰﾀﾞｲｱﾙにお電話ください。"],
  ["wonton-noodles", "{type: katakana, expected: ワンタン, max_distance: 1}", "ワンタンメンが好きです。"],
  ["gips-variant", "{type: katakana, expected: ギプス, max_distance: 1}", "ギブスで固定しました。"],
  ["gips-variant-exact-only", "{type: katakana, expected: ギプス}", "ギブスで固定しました。"],
  ["herb-for-harp", "{type: katakana, expected: ハープ, max_distance: 1}", "ハーブを弾きます。"],
  ["ja-clean-answer", "repetition", GEMMA_CLEAN],
  ["ja-list", "repetition", `おすすめの場所です。\n${PLACES.map((place) => `・${place}に行ってみるのもおすすめです。`).join("\n")}`],
  ["ja-numbered-loop", "repetition", Array.from({ length: 20 }, (_, i) => `${i + 1}. 東京は日本の首都です。`).join("\n")],
];

let report: Report;
const probe = (id: string): ReportProbe => report.probes.find((entry) => entry.id === id)!;

beforeAll(async () => {
  const suite = [
    "suite: issue10-ja",
    "defaults: {language: ja, category: open_qa}",
    "probes:",
    ...PROBES.map(([id, check]) => `  - {id: ${id}, prompt: "…", checks: [${check}]}`),
  ].join("\n");
  writeFileSync(at("suite.yaml"), `${suite}\n`);
  writeFileSync(at("outputs.jsonl"), PROBES.map(([id, , output]) => `${JSON.stringify({ suite: "issue10-ja", id, output })}\n`).join(""));
  const result = await runCli(["score", "--outputs", at("outputs.jsonl"), "--suite", at("suite.yaml"), "--out", at("report")]);
  expect(result.code, result.stderr).toBe(0);
  report = JSON.parse(readFileSync(at("report", "report.json"), "utf8")) as Report;
});

describe("score: katakana tolerance scales with the word", () => {
  it("a 2-mora word is not found in another word or in a word one mora off", () => {
    expect(probe("pizza-on-piano").checks[0]).toMatchObject({ pass: false, details: { case: "wrong_transliteration", partial: true } });
    expect(probe("pizza-short-other").checks[0]).toMatchObject({ pass: false, details: { tolerance: 0 } });
    expect(probe("pizza").checks[0]).toMatchObject({ pass: true, details: { case: "exact" } });
  });

  it("a long word keeps its tolerance, in full- and half-width; an exact part of a longer word counts", () => {
    expect(probe("freedial").checks[0]).toMatchObject({ pass: true, score: 1, details: { case: "variant", tolerance: 1 } });
    expect(probe("freedial-half-width").checks[0]).toMatchObject({ pass: true, score: 1, details: { matched: "ﾌﾘｰﾀﾞｲｱﾙ" } });
    expect(probe("wonton-noodles").checks[0]).toMatchObject({ pass: true, details: { case: "exact" } });
  });
});

describe("score: a short word's spelling variant passes, another word does not", () => {
  it("ギブス for ギプス passes at max_distance 1 and the report says it is a variant, and of which kind", () => {
    const check = probe("gips-variant").checks[0]!;
    expect(check).toMatchObject({ pass: true, score: 1, details: { case: "variant", edits: [{ expected: "プ", written: "ブ", variant: "voicing" }] } });
    expect(check.details.reason).toContain('a variant of "ギプス" (voicing: プ → ブ)');
    // A variant still counts toward the distance.
    expect(probe("gips-variant-exact-only").checks[0]).toMatchObject({ pass: false, score: 1 });
  });

  it("ハーブ for ハープ is another word: voicing of a final mora is not a variant", () => {
    const check = probe("herb-for-harp").checks[0]!;
    expect(check).toMatchObject({ pass: false, score: 1, details: { case: "wrong_transliteration", tolerance: 0 } });
    expect(check.details.reason).toContain("プ → ブ is not one");
  });
});

describe("score: repetition on ordinary Japanese", () => {
  it("a clean answer and a list of parallel items pass; a numbered loop fails", () => {
    expect(probe("ja-clean-answer").checks[0]!.pass).toBe(true);
    expect(probe("ja-list").checks[0]!.pass).toBe(true);
    const loop = probe("ja-numbered-loop").checks[0]!;
    expect(loop.pass).toBe(false);
    expect(loop.details.reason).toContain("differing at most in their numbers and spacing");
  });
});
