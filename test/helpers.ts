import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect } from "vitest";
import { DEFAULT_FIXTURE_MODEL_PATH } from "../src/fixture/tiny-model.js";
import { InputErrors } from "../src/errors.js";
import { DEFAULT_GENERATION, type Probe } from "../src/format/suite.js";
import { packagePath } from "../src/util/paths.js";

export const FIXTURE_MODEL = DEFAULT_FIXTURE_MODEL_PATH;

/** A generation cache private to this test process, so no test reads another's (or the user's) cache. */
const TEST_CACHE = mkdtempSync(path.join(os.tmpdir(), "bonsai-cache-"));
afterAll(() => rmSync(TEST_CACHE, { recursive: true, force: true }));
export const BIN = packagePath("bin", "bonsai-eval.js");

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(prefix = "bonsai-test-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes each text to a new numbered file in a fresh temporary folder: `name-1.yaml`, `name-2.yaml`… */
export function fileWriter(name: string, extension = "yaml"): (text: string) => string {
  const dir = tempDir();
  let counter = 0;
  return (text) => {
    const file = path.join(dir, `${name}-${++counter}.${extension}`);
    writeFileSync(file, text);
    return file;
  };
}

/** The one-line messages `load` throws for a file, as the CLI prints them, the path shown as `placeholder`; [] when it loads. */
export function loadProblems(file: string, load: (file: string) => unknown, placeholder: string): string[] {
  try {
    load(file);
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((each) => each.toLine().replace(file, placeholder));
    throw error;
  }
  return [];
}

/** A resolved probe for check tests. */
export function makeProbe(overrides: Partial<Probe> = {}): Probe {
  return {
    suite: "test",
    id: "probe",
    type: "generate",
    prompt: "prompt",
    choices: [],
    answer: null,
    target_delimiter: null,
    text: null,
    category: "open_qa",
    language: "ja",
    expected: [],
    checks: [],
    generation: { ...DEFAULT_GENERATION },
    tags: [],
    hash: "0".repeat(64),
    source: { file: "test.yaml", line: 1 },
    ...overrides,
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `bonsai-eval` bin (built dist/) in a child process. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; onStdout?: (chunk: string) => void; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? packagePath(),
      env: { ...process.env, NO_COLOR: "1", BONSAI_CACHE: TEST_CACHE, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(chunk.toString());
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    options.onSpawn?.(child);
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The CLI, which may exit 1 (a failing probe or gate) but nothing else: any other exit fails the test with its stderr. */
export async function runCliScoring(args: string[]): Promise<void> {
  const result = await runCli(args);
  expect([0, 1], `${args.join(" ")}\n${result.stderr}`).toContain(result.code);
}

/** Runs a node script as a fresh run, not a worker of this one: Vitest's own variables are left out. */
export function runFreshNode(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && name !== "NODE_ENV"));
    const child = spawn(process.execPath, args, {
      cwd: packagePath(),
      env: { ...inherited, NO_COLOR: "1", BONSAI_CACHE: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** `vitest run ARGS` in checkpoint mode (BONSAI_MODEL… in env), as a fresh run. */
export const checkpointVitest = (args: string[], env: Record<string, string>) => runFreshNode([packagePath("node_modules", "vitest", "vitest.mjs"), "run", ...args], env);

/** Polls until `condition` holds. */
export async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A suite of `count` probes that generate up to `maxTokens` each. */
export function longSuite(count: number, maxTokens: number): string {
  const probes = Array.from({ length: count }, (_, i) => `  - id: p${i}\n    prompt: "第${i}問: 日本について長く説明してください。 Tell me a long story number ${i}."\n`);
  return `suite: long\ndefaults:\n  language: ja\n  category: creative\n  max_tokens: ${maxTokens}\n  checks: [{type: regex, pattern: "."}]\nprobes:\n${probes.join("")}`;
}
