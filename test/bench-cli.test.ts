/**
 * The bench scripts' command lines, as `npm run bench`, `bench:score` and
 * `check:gpu` start them (node on the compiled dist/bench/): flags parsed by
 * node:util parseArgs, `--help` printing the usage, and a bad flag or value one
 * line on stderr with exit 2, before any model is fetched or anything written.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packagePath } from "../src/util/paths.js";
import { tempDir } from "./helpers.js";

const dir = tempDir("bonsai-bench-cli-");
const script = (name: string) => packagePath("dist", "bench", "bench", `${name}.js`);

beforeAll(() => {
  // Type errors are npm test's first step (tsc --noEmit); here only the emitted scripts matter.
  try {
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.bench.json"], { cwd: packagePath(), stdio: "pipe" });
  } catch {
    // tsc emits despite type errors
  }
  for (const name of ["throughput", "score", "check-gpu", "lang-cold-start", "likelihood"]) expect(existsSync(script(name)), name).toBe(true);
}, 180_000);

function runScript(name: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script(name), ...args], { cwd: packagePath(), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

function expectUsageError(result: { code: number | null; stdout: string; stderr: string }, command: string, text: string): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`${command}: `);
  expect(lines[0]).toContain(text);
  expect(lines[0]).toContain(`(see ${command} -- --help)`);
}

describe("npm run bench", () => {
  it("rejects an unknown flag, a bad choice and a bad list in one line each, exit 2, writing nothing", async () => {
    const out = path.join(dir, "throughput.json");
    expectUsageError(await runScript("throughput", ["--frobnicate", "--out", out]), "npm run bench", "Unknown option '--frobnicate'");
    expectUsageError(await runScript("throughput", ["--gpu", "metal", "--out", out]), "npm run bench", '--gpu must be one of auto, cpu, cuda, got "metal"');
    expectUsageError(await runScript("throughput", ["--parallel", "1,two", "--out", out]), "npm run bench", '--parallel takes integers from 1 to 256');
    // Checked before the model is resolved: `real` would otherwise be fetched first.
    expectUsageError(await runScript("throughput", ["--model", "real", "--prompts", "0", "--out", out]), "npm run bench", '--prompts must be an integer from 1');
    expectUsageError(await runScript("throughput", ["--max-tokens", "--out", out]), "npm run bench", "--max-tokens");
    expect(existsSync(out)).toBe(false);
  });

  it("prints its usage for --help, with every flag the README's Benchmarks section uses", async () => {
    const result = await runScript("throughput", ["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run bench -- \[options\]/);
    const readme = readFileSync(packagePath("README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Benchmarks"), readme.indexOf("\n## ", readme.indexOf("## Benchmarks") + 1));
    const flags = new Set([...section.matchAll(/^npm run bench -- (.*)$/gm)].flatMap((match) => match[1]!.match(/--[a-z-]+/g) ?? []));
    expect(flags.size).toBeGreaterThanOrEqual(5);
    for (const flag of flags) expect(result.stdout, flag).toMatch(new RegExp(`^  ${flag} `, "m"));
  });
});

describe("npm run bench:score", () => {
  it("rejects a bad flag or value in one line, exit 2, and prints its usage for -h", async () => {
    const out = path.join(dir, "score.json");
    expectUsageError(await runScript("score", ["--count", "many", "--out", out]), "npm run bench:score", '--count must be an integer from 1 to 1000000, got "many"');
    expectUsageError(await runScript("score", ["--seconds"]), "npm run bench:score", "Option '--seconds <value>' argument missing");
    expectUsageError(await runScript("score", ["extra"]), "npm run bench:score", "Unexpected argument 'extra'");
    expect(existsSync(out)).toBe(false);
    const help = await runScript("score", ["-h"]);
    expect(help.code).toBe(0);
    for (const flag of ["--count", "--seconds", "--cold-runs", "--seed", "--out"]) expect(help.stdout).toContain(`  ${flag} `);
  });
});

describe("npm run check:gpu", () => {
  it("rejects a flag without its value in one line, exit 2, before probing for a GPU", async () => {
    expectUsageError(await runScript("check-gpu", ["--model"]), "npm run check:gpu", "Option '--model <value>' argument missing");
    expectUsageError(await runScript("check-gpu", ["--gpu", "cuda"]), "npm run check:gpu", "Unknown option '--gpu'");
  });
});

describe("the benches' child processes", () => {
  it("refuse arguments they cannot use in one line, exit 2", async () => {
    const cold = await runScript("lang-cold-start", ["ja,ko"]);
    expect(cold.code).toBe(2);
    expect(cold.stderr.trim()).toBe("node dist/bench/bench/lang-cold-start.js: unknown service ko; known: ja, zh (see node dist/bench/bench/lang-cold-start.js --help)");
    const likelihood = await runScript("likelihood", []);
    expect(likelihood.code).toBe(2);
    expect(likelihood.stderr.trim().split("\n")).toHaveLength(1);
    expect(likelihood.stderr).toContain("takes one argument, the spec as JSON");
  });
});
