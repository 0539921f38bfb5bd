/** Sharded runs merge into the unsharded report; the generation cache skips unchanged probes and distrusts damaged entries. */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOutputs } from "../src/format/outputs-file.js";
import { inShard, parseShard, shardOf } from "../src/pipeline/shard.js";
import type { Report } from "../src/format/report.js";
import { longSuite, runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const suite = path.join(dir, "long.yaml");
writeFileSync(suite, longSuite(12, 24));
const report = (out: string) => JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
/** A report's probes without what legitimately differs between runs (timings). */
const probesOf = (r: Report) => r.probes.map(({ time_ms: _time, ...rest }) => rest);

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true }).map((name) => path.join(folder, String(name))).filter((file) => statSync(file).isFile());
}

describe("sharding", () => {
  it("assigns probes by a hash of suite and id, stable when probes are added", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `probe-${i}`);
    const before = ids.slice(0, 100).map((id) => shardOf("s", id, 4));
    expect(ids.slice(0, 100).map((id) => shardOf("s", id, 4))).toEqual(before);
    const counts = [1, 2, 3, 4].map((index) => ids.filter((id) => inShard({ suite: "s", id }, { index, count: 4 })).length);
    expect(counts.reduce((a, b) => a + b)).toBe(200);
    for (const count of counts) expect(count).toBeGreaterThan(30);
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(() => parseShard("0/4")).toThrow(/i\/n/);
    expect(() => parseShard("5/4")).toThrow(/i\/n/);
  });

  it("two shards merged give the same probes and outputs as one run", async () => {
    const whole = path.join(dir, "whole");
    const shards = [1, 2].map((index) => path.join(dir, `shard-${index}`));
    const merged = path.join(dir, "merged");
    expect((await runCli(["run", "--suite", suite, "--out", whole, "--quiet", "--no-cache"])).code).toBe(0);
    for (const [i, out] of shards.entries()) {
      const result = await runCli(["run", "--suite", suite, "--out", out, "--shard", `${i + 1}/2`, "--quiet", "--no-cache"]);
      expect(result.code, result.stderr).toBe(0);
      expect(report(out).manifest.shard).toEqual({ index: i + 1, count: 2 });
    }
    const sizes = shards.map((out) => report(out).probes.length);
    expect(sizes[0]! + sizes[1]!).toBe(12);
    expect(Math.min(...sizes)).toBeGreaterThan(0);

    const result = await runCli(["merge", ...shards, "--out", merged]);
    expect(result.code, result.stderr).toBe(0);
    const joined = report(merged);
    expect(joined.manifest).toMatchObject({ kind: "merge", complete: true, shard: null });
    expect(probesOf(joined)).toEqual(probesOf(report(whole)));
    expect(joined.summary).toEqual(report(whole).summary);

    const incomplete = path.join(dir, "half");
    expect((await runCli(["merge", shards[0]!, "--out", incomplete])).code).toBe(0);
    expect(report(incomplete).manifest.complete).toBe(false);
    expect((await runCli(["merge", whole, path.join(dir, "nowhere"), "--out", path.join(dir, "never")])).code).toBe(2);
  });
});

describe("generation cache", () => {
  it("regenerates only edited probes, and regenerates damaged entries instead of trusting them", async () => {
    const cache = path.join(dir, "cache");
    const first = path.join(dir, "cached-1");
    expect((await runCli(["run", "--suite", suite, "--out", first, "--cache", cache, "--quiet"])).code).toBe(0);
    expect(report(first).manifest.cache).toMatchObject({ hits: 0, misses: 12, damaged: 0 });

    const edited = path.join(dir, "edited.yaml");
    writeFileSync(edited, readFileSync(suite, "utf8").replace("第3問", "第3問(改)"));
    const second = path.join(dir, "cached-2");
    expect((await runCli(["run", "--suite", edited, "--out", second, "--cache", cache, "--quiet"])).code).toBe(0);
    expect(report(second).manifest.cache).toMatchObject({ hits: 11, misses: 1 });
    const lines = readOutputs(path.join(second, "outputs.jsonl")).lines;
    expect(lines.filter((line) => !line.cached).map((line) => line.id)).toEqual(["p3"]);
    const before = new Map(readOutputs(path.join(first, "outputs.jsonl")).lines.map((line) => [line.id, line.output]));
    for (const line of lines.filter((each) => each.cached)) expect(line.output).toBe(before.get(line.id));

    const entries = filesUnder(cache);
    writeFileSync(entries[0]!, "{ not json");
    const tampered = JSON.parse(readFileSync(entries[1]!, "utf8"));
    tampered.result.output = "tampered";
    writeFileSync(entries[1]!, JSON.stringify(tampered));
    const third = path.join(dir, "cached-3");
    expect((await runCli(["run", "--suite", suite, "--out", third, "--cache", cache, "--quiet"])).code).toBe(0);
    expect(report(third).manifest.cache).toMatchObject({ hits: 10, misses: 2, damaged: 2 });
    const outputs = readOutputs(path.join(third, "outputs.jsonl")).lines;
    expect(outputs.some((line) => line.output === "tampered")).toBe(false);
    expect(new Map(outputs.map((line) => [line.id, line.output]))).toEqual(before);
  });
});
