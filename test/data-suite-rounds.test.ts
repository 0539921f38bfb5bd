/**
 * Dataset versions through the CLI: score and run record each data file's
 * sha256, record count and selection in the manifest; the diff of two rounds
 * on two dataset versions tells records added and edited (per category) apart
 * from the model's fixes and regressions.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CheckRegistry } from "../src/checks/registry.js";
import type { Diff } from "../src/format/diff.js";
import type { Report } from "../src/format/report.js";
import type { Probe } from "../src/format/suite.js";
import { loadSuite } from "../src/suite/load.js";
import { packagePath } from "../src/util/paths.js";
import { sha256 } from "../src/util/json.js";
import { markdownText } from "../src/util/untrusted-text.js";
import { runCli, tempDir } from "./helpers.js";

const registry = new CheckRegistry();
const V1 = packagePath("fixtures", "data-suites", "v1", "sft-heldout.yaml");
const V2 = packagePath("fixtures", "data-suites", "v2", "sft-heldout.yaml");
const dir = tempDir();

/** Outputs: every probe answers its expected answer (its prompt for open-ended ones), except where `answers` says otherwise. */
function outputsFile(name: string, suite: string, answers: Record<string, string>): string {
  const probes = loadSuite(suite, { registry }).probes;
  const output = (probe: Probe) => answers[probe.prompt] ?? probe.expected[0] ?? probe.prompt;
  const file = path.join(dir, `${name}.jsonl`);
  writeFileSync(file, probes.map((probe) => JSON.stringify({ suite: probe.suite, id: probe.id, output: output(probe) })).join("\n") + "\n");
  return file;
}

async function score(name: string, suite: string, answers: Record<string, string>): Promise<string> {
  const out = path.join(dir, name);
  const result = await runCli(["score", "--outputs", outputsFile(name, suite, answers), "--suite", suite, "--out", out]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return out;
}

async function diff(base: string, candidate: string): Promise<{ diff: Diff; stdout: string; markdown: string; page: string }> {
  const out = path.join(dir, `diff-${path.basename(base)}-${path.basename(candidate)}`);
  const result = await runCli(["diff", base, candidate, "--out", out, "--resamples", "200"]);
  expect(result.code).toBe(0);
  return {
    diff: JSON.parse(readFileSync(path.join(out, "diff.json"), "utf8")) as Diff,
    stdout: result.stdout,
    markdown: readFileSync(path.join(out, "diff.md"), "utf8"),
    page: readFileSync(path.join(out, "diff.html"), "utf8"),
  };
}

const FUJI = "日本で一番高い山はどこですか？";
const CAPITAL = "日本の首都はどこですか？";
// Round 1 misses the mountain; round 2 knows it but forgets the capital.
const ROUND1 = { [FUJI]: "エベレストです。" };
const ROUND2 = { [CAPITAL]: "大阪です。" };

describe("data-backed suites across dataset versions", () => {
  it("the manifest records the data file's sha256, record count and selection", async () => {
    const out = await score("round1-v1", V1, ROUND1);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    const data = report.manifest.suites[0]!.data!;
    const bytes = readFileSync(packagePath("fixtures", "data-suites", "sft-v1.jsonl"));
    expect(data).toMatchObject({ format: "jsonl", mapping: "alpaca", sha256: sha256(bytes), records: 13, selected: 11 });
    expect(data.selection).toEqual({ where: { split: "heldout" }, sample: null, seed: 0, stratified: false, limit: null });
    expect(report.manifest.suites[0]!.probe_count).toBe(11);
    const fuji = report.probes.find((probe) => probe.prompt === FUJI)!;
    expect(fuji.status).toBe("fail");
    expect(report.summary.by_category.translation!.total).toBe(1);
  });

  it("a new round on the new version's slice: records added and edited per category, apart from fixes and regressions", async () => {
    const round1 = await score("round1-v1", V1, ROUND1);
    const round2 = await score("round2-v2", V2, ROUND2);
    const { diff: result, stdout, markdown, page } = await diff(round1, round2);
    expect(result.counts).toMatchObject({ fixed: 1, regressed: 1, added: 3, edited: 1, removed: 0 });
    expect(result.dataset_changes.summary).toEqual(["brainstorming: 1 record edited", "open_qa: 1 record added", "translation: 2 records added"]);
    expect(result.dataset_changes.by_category.translation).toEqual({ added: 2, removed: 0, edited: 0 });
    expect(result.dataset_changes.data).toEqual([
      expect.objectContaining({ suite: "sft-heldout", same_file: false, same_selection: false, base: expect.objectContaining({ records: 13, selected: 11 }), candidate: expect.objectContaining({ records: 16, selected: 14 }) }),
    ]);
    // The fix and the regression are on probes both versions share unchanged (the rewritten reasoning is not an edit).
    const changed = result.probes.filter((probe) => probe.change === "fixed" || probe.change === "regressed").map((probe) => [probe.change, probe.base!.prompt]);
    expect(changed).toEqual([["fixed", FUJI], ["regressed", CAPITAL]]);
    expect(stdout).toContain("dataset changes: brainstorming: 1 record edited; open_qa: 1 record added; translation: 2 records added");
    expect(markdown).toContain(`**Dataset changes** (not compared)\n\n${result.dataset_changes.summary.map((line) => `- ${markdownText(line)}`).join("\n")}\n`);
    expect(markdown).toContain("- open\\_qa\\: 1 record added");
    expect(page).toContain('<section id="dataset-changes"><h2>Dataset changes (not compared)</h2><ul><li>brainstorming: 1 record edited</li><li>open_qa: 1 record added</li><li>translation: 2 records added</li></ul></section>');
  });

  it("the same round on both slices shows the dataset's effect alone; two rounds on one slice the model's alone", async () => {
    const round2OnV1 = await score("round2-v1", V1, ROUND2);
    const round2OnV2 = await score("round2-v2", V2, ROUND2);
    const datasetOnly = (await diff(round2OnV1, round2OnV2)).diff;
    expect(datasetOnly.counts).toMatchObject({ fixed: 0, regressed: 0, added: 3, edited: 1, output_changed: 0 });
    expect(datasetOnly.dataset_changes.overall).toEqual({ added: 3, removed: 0, edited: 1 });

    const { diff: modelOnly, page } = await diff(await score("round1-v1", V1, ROUND1), round2OnV1);
    expect(page).not.toContain('id="dataset-changes"');
    expect(modelOnly.counts).toMatchObject({ fixed: 1, regressed: 1, added: 0, edited: 0 });
    expect(modelOnly.dataset_changes.summary).toEqual([]);
    expect(modelOnly.dataset_changes.data[0]).toMatchObject({ same_file: true, same_selection: true });
  });

  it("run (on the fixture model, no --model) on a tiny slice of a data file", async () => {
    const suite = path.join(dir, "slice.yaml");
    writeFileSync(suite, `suite: slice\ndefaults: {language: ja, max_tokens: 4}\ndata:\n  file: ${packagePath("fixtures", "data-suites", "sft-v2.jsonl")}\n  mapping: alpaca\n  select: {where: {category: translation}, limit: 2}\n`);
    const out = path.join(dir, "run-slice");
    const result = await runCli(["run", "--suite", suite, "--out", out, "--quiet"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    expect(report.manifest.suites[0]!.data).toMatchObject({ records: 16, selected: 2, selection: { where: { category: "translation" }, limit: 2 } });
    expect(report.probes.map((probe) => probe.category)).toEqual(["translation", "translation"]);
    expect(report.probes.every((probe) => probe.output !== null)).toBe(true);
  });

  it("merge refuses shards whose data file changed since they ran", async () => {
    const data = path.join(dir, "merge-data.jsonl");
    writeFileSync(data, readFileSync(packagePath("fixtures", "data-suites", "sft-v1.jsonl")));
    const suite = path.join(dir, "merge.yaml");
    writeFileSync(suite, `suite: merge-slice\ndefaults: {language: ja, max_tokens: 2}\ndata: {file: merge-data.jsonl, mapping: alpaca, select: {limit: 4}}\n`);
    const shards = ["1/2", "2/2"].map((shard) => path.join(dir, `merge-shard-${shard[0]}`));
    for (const [index, out] of shards.entries()) {
      const result = await runCli(["run", "--suite", suite, "--out", out, "--shard", `${index + 1}/2`, "--quiet"]);
      expect(result.stderr).toBe("");
    }
    writeFileSync(data, readFileSync(packagePath("fixtures", "data-suites", "sft-v2.jsonl")));
    const result = await runCli(["merge", ...shards, "--out", path.join(dir, "merged")]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`bonsai-eval: ${data}: data file changed since the shard runs; pass --suite with a suite of the version they used`);
  });
});
