/**
 * The closing `tests: N passed, N failed` line of test/summary-reporter.ts,
 * checked on small vitest projects run in a child process: a file that fails
 * in beforeAll or at import counts as failed, never as skipped.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../src/util/paths.js";
import { tempDir } from "./helpers.js";

const root = tempDir("bonsai-summary-");

/** Writes `files` into a fresh project that uses the repo's reporter, runs vitest on it, and returns its exit code and closing line. */
async function runVitest(files: Record<string, string>): Promise<{ code: number | null; summary: string | undefined; stdout: string }> {
  const dir = mkdtempSync(path.join(root, "project-"));
  symlinkSync(packagePath("node_modules"), path.join(dir, "node_modules"));
  writeFileSync(
    path.join(dir, "vitest.config.mjs"),
    `export default { test: { include: ["*.test.mjs"], reporters: ["default", ${JSON.stringify(packagePath("test", "summary-reporter.ts"))}] } };\n`,
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  // The child is its own vitest run, not a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [packagePath("node_modules", "vitest", "vitest.mjs"), "run"], { cwd: dir, env: { ...env, NO_COLOR: "1" } });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, summary: stdout.split("\n").filter((line) => line.startsWith("tests: ")).at(-1), stdout }));
  });
}

const PASSING = `import { expect, it } from "vitest";
it("adds", () => expect(1 + 1).toBe(2));
it.skip("is skipped on purpose", () => {});
`;

describe("the closing summary line", () => {
  it("counts the tests of a file whose beforeAll throws as failed, and vitest exits 1", async () => {
    const result = await runVitest({
      "passing.test.mjs": PASSING,
      "setup-fails.test.mjs": `import { beforeAll, expect, it } from "vitest";
beforeAll(() => { throw new Error("the fixture could not be built"); });
it("first", () => expect(true).toBe(true));
it("second", () => expect(true).toBe(true));
`,
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.summary).toBe("tests: 1 passed, 2 failed, 1 skipped");
  });

  it("counts a file that fails at import, a describe block whose beforeAll throws and a throwing afterAll", async () => {
    const result = await runVitest({
      "passing.test.mjs": PASSING,
      "import-fails.test.mjs": `import { it } from "vitest";\nthrow new Error("cannot import");\nit("never collected", () => {});\n`,
      "block-fails.test.mjs": `import { beforeAll, describe, expect, it } from "vitest";
describe("block", () => {
  beforeAll(() => { throw new Error("block setup"); });
  it("inside", () => expect(true).toBe(true));
});
it("outside", () => expect(true).toBe(true));
`,
      "teardown-fails.test.mjs": `import { afterAll, expect, it } from "vitest";
afterAll(() => { throw new Error("teardown"); });
it("runs", () => expect(true).toBe(true));
`,
    });
    expect(result.code, result.stdout).toBe(1);
    // passed: adds, outside, runs; failed: the import, inside, the teardown; skipped: the it.skip
    expect(result.summary).toBe("tests: 3 passed, 3 failed, 1 skipped");
  });

  it("counts an error vitest could not pin on a test (thrown after the test ended)", async () => {
    const result = await runVitest({
      "late-error.test.mjs": `import { expect, it } from "vitest";
it("starts a timer", () => { setTimeout(() => { throw new Error("thrown later"); }, 1); });
it("waits", async () => { await new Promise((resolve) => setTimeout(resolve, 50)); expect(true).toBe(true); });
`,
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.summary).toBe("tests: 2 passed, 1 failed");
  });

  it("says 0 failed when vitest passes", async () => {
    const result = await runVitest({ "passing.test.mjs": PASSING });
    expect(result.code, result.stdout).toBe(0);
    expect(result.summary).toBe("tests: 1 passed, 0 failed, 1 skipped");
  });
});
