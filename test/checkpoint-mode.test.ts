/**
 * `BONSAI_MODEL=… npm test`: the checkpoint's probes as Vitest tests, one model
 * load and one batched generation for all of them, and Vitest's --shard.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { packagePath } from "../src/util/paths.js";
import { checkpointVitest, FIXTURE_MODEL, longSuite, runCli, runFreshNode, tempDir } from "./helpers.js";

const dir = tempDir();
const SMOKE = packagePath("test", "suites", "smoke.yaml");

const vitest = checkpointVitest;
/** `npm test` as a user runs it: its script, test/npm-test.mjs. */
const npmTest = (env: Record<string, string>) => runFreshNode([packagePath("test", "npm-test.mjs")], env);

const report = (out: string) => JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;

describe("npm test against a checkpoint", () => {
  it("runs every probe as a test named suite › id, failing with the check and the reason", async () => {
    const out = path.join(dir, "smoke");
    const result = await vitest([], { BONSAI_MODEL: FIXTURE_MODEL, BONSAI_SUITES: SMOKE, BONSAI_OUT: out });
    expect(result.code).toBe(1);
    const written = report(out);
    expect(written.probes).toHaveLength(6);
    for (const probe of written.probes) expect(result.output).toContain(`${probe.suite} › ${probe.id}`);
    const failed = written.probes.find((probe) => !probe.pass)!;
    const reason = failed.checks.find((check) => !check.pass)!.details.reason;
    expect(result.output).toContain(`${failed.checks.find((check) => !check.pass)!.type}: ${reason}`);
    expect(result.output).toMatch(new RegExp(`tests: ${written.summary.passed} passed, ${written.summary.failed} failed`));
  });

  it("reads like a test report: probes by suite, one concise failure each, the gate last, then the report's path, and no type-check", async () => {
    const out = path.join(dir, "report-shape");
    const second = path.join(dir, "second.yaml");
    writeFileSync(second, longSuite(3, 4).replace("suite: long", "suite: second"));
    const policy = path.join(dir, "all-pass.yaml");
    writeFileSync(policy, "rules:\n  - min_pass_rate: 1\n");
    // Every node process the run starts names its script here: tsc must not be one of them.
    const started = path.join(dir, "started.log");
    const logger = path.join(dir, "log-started.mjs");
    writeFileSync(logger, `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(started)}, (process.argv[1] ?? "") + "\\n");\n`);
    const result = await npmTest({
      BONSAI_MODEL: FIXTURE_MODEL,
      BONSAI_SUITES: `${SMOKE},${second}`,
      BONSAI_OUT: out,
      BONSAI_POLICY: policy,
      NODE_OPTIONS: `--import=${pathToFileURL(logger).href}`,
    });
    expect(result.code).toBe(1);
    const scripts = readFileSync(started, "utf8").split("\n");
    expect(scripts.some((script) => script.endsWith("vitest.mjs"))).toBe(true);
    expect(scripts.filter((script) => /typescript/.test(script))).toEqual([]);

    const written = report(out);
    const lines = result.output.split("\n");
    const at = (line: string) => lines.indexOf(line);
    for (const suite of ["smoke", "second"]) {
      const probes = written.probes.filter((probe) => probe.suite === suite);
      const passed = probes.filter((probe) => probe.pass === true).length;
      const header = at(`${suite}: ${passed} passed, ${probes.length - passed} failed`);
      expect(header, result.output).toBeGreaterThanOrEqual(0);
      for (const probe of probes) {
        const line = at(`  ${probe.pass ? "✓" : "✗"} ${suite} › ${probe.id}`);
        expect(line, `${suite} › ${probe.id}`).toBeGreaterThan(header);
        if (probe.pass) continue;
        // The failed checks with their reasons, then the start of the output, indented under the probe.
        const failed = probe.checks.filter((check) => check.pass === false);
        failed.forEach((check, index) => expect(lines[line + 1 + index]).toBe(`      ${check.type}: ${check.details.reason}`));
        expect(lines[line + 1 + failed.length]).toMatch(/^ {6}output: "/);
      }
    }
    expect(at("smoke: " + lines.find((line) => line.startsWith("smoke: "))!.slice(7))).toBeLessThan(lines.findIndex((line) => line.startsWith("second: ")));
    const gate = at("gate: failed");
    expect(gate).toBeGreaterThan(lines.findIndex((line) => line.startsWith("second: ")));
    expect(lines[gate + 1]).toMatch(/^ {2}min_pass_rate \(policy line 2\): /);
    const reportLine = at(`report: ${path.resolve(out, "report.html")}`);
    expect(reportLine).toBeGreaterThan(gate);
    expect(lines.findIndex((line) => line.startsWith("tests: "))).toBeGreaterThan(reportLine);
    // No assertion boilerplate, stack or bucket file in the output.
    expect(result.output).not.toMatch(/AssertionError|expected .* to be|bucket-\d|probe-tests\.ts|❯/);
  });

  it("takes BONSAI_BASELINE=last-accepted as run takes it: the accepted round of $BONSAI_HISTORY is the gate's baseline", async () => {
    const store = path.join(dir, "history.sqlite");
    const shipped = path.join(dir, "shipped");
    const first = await runCli(["run", "--model", FIXTURE_MODEL, "--suite", SMOKE, "--out", shipped, "--label", "round-1", "--history", store, "--quiet"]);
    expect(first.stderr).toContain('history: added round "round-1"');
    expect((await runCli(["history", "accept", "round-1", "--history", store])).code).toBe(0);
    const policy = path.join(dir, "no-regressions.yaml");
    writeFileSync(policy, "rules:\n  - max_regressions: 0\n");
    const out = path.join(dir, "against-accepted");
    const result = await vitest([], { BONSAI_MODEL: FIXTURE_MODEL, BONSAI_SUITES: SMOKE, BONSAI_OUT: out, BONSAI_POLICY: policy, BONSAI_BASELINE: "last-accepted", BONSAI_HISTORY: store });
    expect(result.output).toContain('baseline: last accepted round "round-1"');
    const gated = report(out);
    // The same model and suite as the accepted round: nothing regressed, and every probe carries its change against it.
    expect(gated.gate?.rules.find((rule) => rule.kind === "max_regressions")?.status).toBe("pass");
    expect(gated.probes.every((probe) => probe.change === "still_passing" || probe.change === "still_failing")).toBe(true);
  });

  it("against a baseline, each failure says first whether it is a regression or an old failure", async () => {
    // A baseline round of recorded answers where fuji and capital passed: on the fixture model they regress; wonton failed then and still does.
    const answers = { fuji: "富士山です。", capital: "東京です。", wonton: "ウォントン", beijing: "不知道", english: "Nice weather today.", hostile: "no" };
    const recorded = path.join(dir, "baseline-outputs.jsonl");
    writeFileSync(recorded, Object.entries(answers).map(([id, output]) => JSON.stringify({ suite: "smoke", id, output })).join("\n") + "\n");
    const baseline = path.join(dir, "baseline-round");
    expect((await runCli(["score", "--outputs", recorded, "--suite", SMOKE, "--out", baseline])).code).toBe(0);
    const out = path.join(dir, "against-baseline");
    const policy = path.join(dir, "no-regression.yaml");
    writeFileSync(policy, "rules:\n  - max_regressions: 0\n");
    const result = await vitest([], { BONSAI_MODEL: FIXTURE_MODEL, BONSAI_SUITES: SMOKE, BONSAI_OUT: out, BONSAI_BASELINE: baseline, BONSAI_POLICY: policy });
    expect(result.code, result.output).toBe(1);
    const gated = report(out);
    const lines = result.output.split("\n");
    const firstLineUnder = (id: string) => lines[lines.indexOf(`  ✗ smoke › ${id}`) + 1];
    for (const probe of gated.probes.filter((each) => each.pass === false)) {
      const words = { regressed: "regressed", still_failing: "still failing" }[probe.change as "regressed" | "still_failing"];
      expect(words, `${probe.id}: ${probe.change}`).toBeDefined();
      expect(firstLineUnder(probe.id), probe.id).toBe(`      ${words} against the baseline`);
    }
    expect(gated.probes.find((probe) => probe.id === "fuji")!.change).toBe("regressed");
    expect(gated.probes.find((probe) => probe.id === "wonton")!.change).toBe("still_failing");
    expect(firstLineUnder("fuji")).toBe("      regressed against the baseline");
    expect(firstLineUnder("wonton")).toBe("      still failing against the baseline");
  });

  it("passes when every probe passes", async () => {
    const suite = path.join(dir, "passing.yaml");
    writeFileSync(suite, longSuite(5, 8));
    const result = await vitest([], { BONSAI_MODEL: FIXTURE_MODEL, BONSAI_SUITES: suite, BONSAI_OUT: path.join(dir, "passing") });
    expect(result.output).toContain("tests: 5 passed, 0 failed");
    expect(result.code).toBe(0);
  });

  it("takes BONSAI_PARALLEL=auto as run takes --parallel auto", async () => {
    const suite = path.join(dir, "auto.yaml");
    writeFileSync(suite, longSuite(4, 8));
    const out = path.join(dir, "auto");
    const result = await vitest([], { BONSAI_MODEL: FIXTURE_MODEL, BONSAI_SUITES: suite, BONSAI_OUT: out, BONSAI_PARALLEL: "auto" });
    expect(result.code, result.output).toBe(0);
    expect(report(out).manifest.generation?.parallel_choice).toMatchObject({ requested: "auto" });
  });

  it("splits the probes with Vitest's own --shard", async () => {
    const suite = path.join(dir, "sharded.yaml");
    writeFileSync(suite, longSuite(12, 4));
    const base = path.join(dir, "sharded");
    const ids: string[][] = [];
    for (const index of [1, 2]) {
      const result = await vitest([`--shard=${index}/2`], { BONSAI_MODEL: FIXTURE_MODEL, BONSAI_SUITES: suite, BONSAI_OUT: base });
      expect(result.code, result.output).toBe(0);
      const shard = report(`${base}-shard-${index}-of-2`);
      expect(shard.manifest.shard).toMatchObject({ index, count: 2 });
      ids.push(shard.probes.map((probe) => probe.id));
    }
    expect(ids[0]!.length).toBeGreaterThan(0);
    expect(ids[1]!.length).toBeGreaterThan(0);
    expect([...ids[0]!, ...ids[1]!].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `p${i}`).sort());
  });

  it("reports bad configuration in one line", async () => {
    const result = await vitest([], { BONSAI_MODEL: path.join(dir, "missing.gguf"), BONSAI_SUITES: SMOKE });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`bonsai-eval: ${path.join(dir, "missing.gguf")}: model file not found`);
  });
});
