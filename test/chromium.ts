/**
 * The Chromium the browser tests drive. In order: BONSAI_CHROMIUM when set
 * (and nothing else, so a wrong path is an error, not a silent fallback);
 * Debian's `chromium`; then the Chromium inside the @sparticuz/chromium npm
 * package (Linux x64), so `npm ci && npm test` needs no manual step. That one is
 * brotli-packed: it is unpacked once, by the package itself, into
 * node_modules/.cache/bonsai-chromium/<version>/, and the folder is renamed into
 * place only when complete, so test files unpacking at the same time never
 * see half a binary.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { packagePath } from "../src/util/paths.js";

/** Headless, no sandbox (containers, root), and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface ChromiumCandidate {
  /** What the candidate is, for messages: `Debian chromium (/usr/bin/chromium)`. */
  name: string;
  /** The executable and the environment it needs, or null when this candidate is not on this machine. */
  locate(): Promise<LocatedChromium | null>;
}

export interface LocatedChromium {
  path: string;
  /** Variables to add to the browser's environment (LD_LIBRARY_PATH for the package's own NSS libraries). */
  env: Record<string, string>;
}

export interface FoundChromium extends LocatedChromium {
  name: string;
}

/** A Chromium binary at a fixed path. */
export function installedChromium(file: string, name: string): ChromiumCandidate {
  return { name: `${name} (${file})`, locate: async () => (existsSync(file) ? { path: file, env: {} } : null) };
}

const run = promisify(execFile);

/**
 * The Chromium shipped inside the @sparticuz/chromium package, unpacked under
 * `cacheRoot`. It links to NSS and expat; the package carries those libraries
 * too (for Amazon Linux), and they are used only when the system lacks its own.
 */
export function packagedChromium(cacheRoot = packagePath("node_modules", ".cache", "bonsai-chromium")): ChromiumCandidate {
  return {
    name: "@sparticuz/chromium (npm package)",
    async locate() {
      if (process.platform !== "linux" || process.arch !== "x64") return null;
      let entry: string;
      try {
        entry = createRequire(import.meta.url).resolve("@sparticuz/chromium");
      } catch {
        return null;
      }
      const packageDir = path.resolve(path.dirname(entry), "..", "..");
      const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
      const dir = path.join(cacheRoot, version);
      const binary = path.join(dir, "chromium");
      if (!existsSync(binary)) await unpack(dir);
      const env: Record<string, string> = (await missingLibraries(binary)) ? { LD_LIBRARY_PATH: bundledLibraryPath(dir) } : {};
      return { path: binary, env };
    },
  };
}

/** Where the package's own NSS and expat libraries are unpacked. */
export function bundledLibraryPath(dir: string): string {
  return path.join(dir, "al2023", "lib");
}

async function unpack(dir: string): Promise<void> {
  // The package unpacks into os.tmpdir(); a child process with its own TMPDIR makes that a private
  // folder. AWS_LAMBDA_JS_RUNTIME is how the package is told to unpack its libraries as well.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const script = "const { default: chromium } = await import('@sparticuz/chromium'); process.stdout.write(await chromium.executablePath());";
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    cwd: packagePath(),
    env: { ...process.env, TMPDIR: partial, AWS_LAMBDA_JS_RUNTIME: "nodejs20.x" },
  });
  if (path.resolve(stdout.trim()) !== path.join(partial, "chromium")) throw new Error(`@sparticuz/chromium unpacked to ${stdout.trim()}, not into ${partial}`);
  try {
    renameSync(partial, dir);
  } catch (error) {
    // Another test process finished first; its copy is complete.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(path.join(dir, "chromium"))) throw error;
  }
}

/** True when the dynamic linker cannot find a library the binary needs (`ldd` says "not found"). */
async function missingLibraries(binary: string): Promise<boolean> {
  try {
    const { stdout } = await run("ldd", [binary]);
    return /=> not found/.test(stdout);
  } catch {
    return false;
  }
}

export function defaultChromiumCandidates(env: NodeJS.ProcessEnv = process.env): ChromiumCandidate[] {
  if (env.BONSAI_CHROMIUM) return [installedChromium(env.BONSAI_CHROMIUM, "BONSAI_CHROMIUM")];
  return [installedChromium("/usr/bin/chromium", "Debian chromium"), packagedChromium()];
}

/** The first candidate present on this machine; an error listing every one tried when none is. */
export async function findChromium(candidates: ChromiumCandidate[] = defaultChromiumCandidates()): Promise<FoundChromium> {
  for (const candidate of candidates) {
    const found = await candidate.locate();
    if (found) return { ...found, name: candidate.name };
  }
  throw new Error(
    `no Chromium for the browser tests: tried ${candidates.map((candidate) => candidate.name).join(", ")}. ` +
      "Run `npm ci` (it installs @sparticuz/chromium, for Linux x64), `apt-get install chromium`, or set BONSAI_CHROMIUM to a Chromium binary.",
  );
}
