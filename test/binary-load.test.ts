/**
 * An LD_LIBRARY_PATH that points at another llama.cpp build: the dynamic linker
 * loads its libllama/libggml instead of the ones shipped with node-llama-cpp's
 * prebuilt binary, which then fails to load. `run` says what failed to load
 * and why, and does not blame --gpu. With --gpu cuda on a machine without a
 * usable CUDA, the line names the library that does not load.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { packagePath } from "../src/util/paths.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-binary-");

/** Empty shared libraries under the names of the libraries the CPU prebuilt binary links to. */
function otherLlamaBuild(): { libDir: string; names: string[] } {
  const binDir = packagePath("node_modules", "@node-llama-cpp", "linux-x64", "bins", "linux-x64");
  const names = readdirSync(binDir).filter((name) => /^lib(llama|ggml)[^/]*\.so$/.test(name) && !/ggml-cpu-/.test(name));
  const source = path.join(dir, "other.c");
  writeFileSync(source, "int llama_other_build(void) { return 0; }\n");
  const libDir = path.join(dir, "lib");
  mkdirSync(libDir);
  for (const name of names) execFileSync("gcc", ["-shared", "-fPIC", "-o", path.join(libDir, name), source]);
  return { libDir, names };
}

describe.runIf(process.platform === "linux" && process.arch === "x64")("a llama.cpp binary that fails to load", () => {
  it("names the binary, the loader's error and the LD_LIBRARY_PATH libraries that shadow it", async () => {
    const { libDir, names } = otherLlamaBuild();
    expect(names.length).toBeGreaterThan(0);
    const result = await runCli(["run", "--suite", "suites/en-tasks.yaml", "--out", path.join(dir, "run")], { env: { LD_LIBRARY_PATH: libDir } });
    expect(result.code, result.stderr).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bonsai-eval: cannot load llama\.cpp: @node-llama-cpp\/linux-x64 \(linux-x64\) failed to load: /);
    expect(lines[0]).toContain("undefined symbol");
    expect(lines[0]).toContain(`LD_LIBRARY_PATH folder ${libDir} holds ${[...names].sort().join(", ")}`);
    expect(lines[0]).not.toContain("--gpu");
    expect(lines[0]).not.toContain("no usable llama.cpp binary");
  });

  it("--gpu cuda without a usable CUDA names the library that does not load, or says no device was found", async () => {
    const out = path.join(dir, "cuda");
    const result = await runCli(["run", "--gpu", "cuda", "--suite", "suites/en-tasks.yaml", "--out", out, "--quiet", "--no-cache"]);
    if (result.code === 0) {
      // A machine with CUDA: the run used it.
      const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
      expect(report.manifest.hardware?.gpu).toBe("cuda");
      return;
    }
    expect(result.code, result.stderr).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^bonsai-eval: --gpu: CUDA cannot be used: @node-llama-cpp\/linux-x64-cuda \(linux-x64-cuda\) failed to load: its CUDA backend (does not load: lib[\w.-]+: cannot open shared object file|loads but finds no CUDA device)/,
    );
  });
});
