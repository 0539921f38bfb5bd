/**
 * Why node-llama-cpp found no usable llama.cpp binary. getLlama tests each
 * prebuilt binary in a child process and keeps the loader's error to itself
 * (`NoBinaryFoundError` says only that none loaded). This loads the prebuilt
 * binary the same way, in a child process so a broken library cannot take the
 * run down, and returns what failed to load and why, naming the
 * LD_LIBRARY_PATH folders whose llama.cpp libraries shadow the package's own.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/** node-llama-cpp's prebuilt binary packages for this platform: the CPU one, or the CUDA one. */
function prebuiltPackages(cuda: boolean): string[] {
  const { platform, arch } = process;
  if (platform === "linux") return cuda ? [`@node-llama-cpp/linux-${arch}-cuda`] : [`@node-llama-cpp/linux-${arch === "arm" ? "armv7l" : arch}`];
  if (platform === "win32") return cuda ? [`@node-llama-cpp/win-${arch}-cuda`] : [`@node-llama-cpp/win-${arch}`];
  if (platform === "darwin") return [arch === "arm64" ? "@node-llama-cpp/mac-arm64-metal" : "@node-llama-cpp/mac-x64"];
  return [];
}

async function addonPaths(packageName: string): Promise<string[]> {
  let binsDir: string;
  try {
    const module = (await import(packageName)) as { getBinsDir(): { binsDir: string } };
    binsDir = module.getBinsDir().binsDir;
  } catch {
    return [];
  }
  return readdirSync(binsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(binsDir, entry.name, "llama-addon.node"))
    .filter((file) => existsSync(file));
}

/**
 * Loads the addon and initialises its backends the way node-llama-cpp's binary
 * test does. For CUDA, a binary that loads but finds no CUDA backend is asked
 * why: the dynamic linker's error for its libggml-cuda (a missing libcudart or
 * libcuda), or that the backend loads and sees no device.
 */
const LOAD_SCRIPT = `
const path = require("node:path");
const [addon, wanted] = process.argv.slice(1);
const binding = require(addon);
binding.loadBackends();
if (binding.getGpuType() == null || binding.getGpuType() === false) binding.loadBackends(path.dirname(addon));
Promise.resolve(binding.init()).then(() => {
  if (wanted !== "cuda" || binding.getGpuType() === "cuda") process.exit(0);
  try {
    process.dlopen({ exports: {} }, path.join(path.dirname(addon), "libggml-cuda.so"));
  } catch (error) {
    if (!/self-register/.test(error.message)) { console.error("Error: its CUDA backend does not load: " + error.message); process.exit(1); }
  }
  console.error("Error: its CUDA backend loads but finds no CUDA device");
  process.exit(1);
}, (error) => { console.error("Error: " + error.message); process.exit(1); });
`;

/** The loader's error for one addon, or null when it loads (and, for CUDA, finds CUDA). */
function loadError(addon: string, cuda: boolean): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", LOAD_SCRIPT, addon, cuda ? "cuda" : "cpu"], { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => resolve(error.message));
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(null);
      const lines = stderr.split("\n").map((line) => line.trim());
      const reason = lines.find((line) => /^Error: /.test(line))?.slice("Error: ".length) ?? lines.find((line) => /error/i.test(line));
      resolve(reason ?? (signal ? `the process loading it was killed by ${signal}` : `the process loading it exited with code ${code}`));
    });
  });
}

/** LD_LIBRARY_PATH folders holding libllama / libggml libraries, which the dynamic linker prefers to the package's own. */
function shadowingLibraries(): string[] {
  const variable = process.platform === "darwin" ? "DYLD_LIBRARY_PATH" : process.platform === "win32" ? null : "LD_LIBRARY_PATH";
  if (!variable) return [];
  const found: string[] = [];
  for (const dir of (process.env[variable] ?? "").split(path.delimiter).filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => /^lib(llama|ggml)/.test(name));
    } catch {
      continue;
    }
    if (names.length > 0) found.push(`${variable} folder ${dir} holds ${names.sort().join(", ")}`);
  }
  return found;
}

/**
 * One line saying which prebuilt llama.cpp binary failed to load and why, with
 * the shadowing libraries if any; `fallback` (node-llama-cpp's own message)
 * when the binary loads on its own here.
 */
export async function explainBinaryLoadFailure(cuda: boolean, fallback: string): Promise<string> {
  const reasons: string[] = [];
  for (const packageName of prebuiltPackages(cuda)) {
    const addons = await addonPaths(packageName);
    if (addons.length === 0) reasons.push(`${packageName} is not installed (run npm ci)`);
    for (const addon of addons) {
      const error = await loadError(addon, cuda);
      if (error) reasons.push(`${packageName} (${path.basename(path.dirname(addon))}) failed to load: ${error.replace(addon, path.basename(addon))}`);
    }
  }
  if (reasons.length === 0) {
    return fallback === "NoBinaryFoundError" ? "node-llama-cpp found no prebuilt binary that passes its load test on this machine (NoBinaryFoundError)" : fallback;
  }
  const shadows = shadowingLibraries();
  return [...reasons, ...shadows.map((shadow) => `${shadow}, which the dynamic linker loads instead of the package's own`)].join("; ");
}
