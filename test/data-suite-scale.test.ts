/**
 * Data-backed suites are where probe counts grow: loading and validating a
 * suite of 10,000 records stays interactive (under 2 s on the 2-core CI machine).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CheckRegistry } from "../src/checks/registry.js";
import { BUILTIN_CATEGORIES } from "../src/format/suite.js";
import { loadSuite } from "../src/suite/load.js";
import { tempDir } from "./helpers.js";

/** Alpaca-style records across the categories, a tenth of them with an input. */
function writeAlpacaRecords(file: string, count: number): void {
  const lines: string[] = [];
  for (let index = 0; index < count; index++) {
    const category = BUILTIN_CATEGORIES[index % BUILTIN_CATEGORIES.length]!;
    lines.push(
      JSON.stringify({
        instruction: `第${index}問: 日本の都道府県について、${category}の形式で答えてください。`,
        input: index % 10 === 0 ? `補足 ${index}: 東京都、大阪府、北海道。` : "",
        output: `答え${index}`,
        category,
        reasoning: "都道府県の一覧から考える。".repeat(3),
        split: index % 5 === 0 ? "train" : "heldout",
      }),
    );
  }
  writeFileSync(file, lines.join("\n") + "\n");
}

describe("data-backed suites at scale", () => {
  it("loads and validates 10,000 records in under 2 s", () => {
    const dir = tempDir();
    writeAlpacaRecords(path.join(dir, "sft.jsonl"), 10_000);
    const suite = path.join(dir, "sft.yaml");
    writeFileSync(suite, "suite: sft\ndefaults: {language: ja}\ndata: {file: sft.jsonl, mapping: alpaca}\n");
    const registry = new CheckRegistry();
    loadSuite(suite, { registry }); // warm: ajv compiles each check's parameter schema once per process
    const started = performance.now();
    const cpu = process.cpuUsage();
    const loaded = loadSuite(suite, { registry });
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    console.log(`10,000-record suite: load + validation ${cpuMs.toFixed(0)} ms of CPU, ${(performance.now() - started).toFixed(0)} ms wall`);
    expect(loaded.probes).toHaveLength(10_000);
    expect(loaded.data).toMatchObject({ records: 10_000, selected: 10_000 });
    // CPU time, not wall time: the test machine is shared (wall time grows with its load average, not with this code).
    expect(cpuMs).toBeLessThan(2000);
  });
});
