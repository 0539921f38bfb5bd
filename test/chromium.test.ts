/**
 * Finding a Chromium for the browser tests on a machine without Debian's
 * chromium: the candidates are the same as by default, with the Debian path
 * pointing at a file that does not exist, so the npm package's Chromium is
 * unpacked and driven, and a page's Japanese and Chinese text reads back intact.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { bundledLibraryPath, CHROMIUM_ARGS, defaultChromiumCandidates, findChromium, installedChromium, packagedChromium, type FoundChromium } from "./chromium.js";
import { tempDir } from "./helpers.js";

const dir = tempDir("bonsai-chromium-");
const NO_DEBIAN_CHROMIUM = path.join(dir, "usr", "bin", "chromium");

/** Opens a page with Japanese and Chinese text in the browser and reads the text back. */
async function readsCjk(found: FoundChromium): Promise<Array<string | null>> {
  const page = path.join(dir, "page.html");
  writeFileSync(page, `<!doctype html><meta charset="utf-8"><p id="ja">日本で一番高い山は富士山です。</p><p id="zh">中国的首都是北京。</p>`);
  const browser = await chromium.launch({ executablePath: found.path, env: { ...process.env, ...found.env }, headless: true, args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(page).href);
    return [await tab.locator("#ja").textContent(), await tab.locator("#zh").textContent()];
  } finally {
    await browser.close();
  }
}

describe("finding Chromium", () => {
  // The package's Chromium is a Linux x64 binary.
  it.runIf(process.platform === "linux" && process.arch === "x64")("falls back to the @sparticuz/chromium package when Debian's chromium is absent, and drives it", async () => {
    const found = await findChromium([installedChromium(NO_DEBIAN_CHROMIUM, "Debian chromium"), packagedChromium(path.join(dir, "cache"))]);
    expect(found.name).toBe("@sparticuz/chromium (npm package)");
    expect(found.path).toMatch(/\/cache\/\d+\.\d+\.\d+\/chromium$/);

    // The system's NSS and expat when it has them; the package's own otherwise (a slim image).
    const libraries = bundledLibraryPath(path.dirname(found.path));
    const systemLdd = execFileSync("ldd", [found.path]).toString();
    expect(found.env).toEqual(systemLdd.includes("not found") ? { LD_LIBRARY_PATH: libraries } : {});
    const TEXTS = ["日本で一番高い山は富士山です。", "中国的首都是北京。"];
    await expect(readsCjk(found)).resolves.toEqual(TEXTS);

    // The package's own libraries resolve, and the browser runs on them.
    const bundledLdd = execFileSync("ldd", [found.path], { env: { ...process.env, LD_LIBRARY_PATH: libraries } }).toString();
    expect(bundledLdd).toContain(`libnss3.so => ${path.join(libraries, "libnss3.so")}`);
    expect(bundledLdd).not.toContain("not found");
    await expect(readsCjk({ ...found, env: { LD_LIBRARY_PATH: libraries } })).resolves.toEqual(TEXTS);

    // Unpacked once: a second look finds the same binary without unpacking again.
    await expect(packagedChromium(path.join(dir, "cache")).locate()).resolves.toEqual({ path: found.path, env: found.env });
  }, 120_000);

  it("prefers Debian's chromium when it is there", async () => {
    const debian = path.join(dir, "chromium-present");
    writeFileSync(debian, "");
    const found = await findChromium([installedChromium(debian, "Debian chromium"), packagedChromium(path.join(dir, "unused"))]);
    expect(found).toEqual({ path: debian, env: {}, name: `Debian chromium (${debian})` });
  });

  it("uses only BONSAI_CHROMIUM when it is set, and says what it tried when that is missing", async () => {
    const missing = path.join(dir, "no-such-chromium");
    const candidates = defaultChromiumCandidates({ BONSAI_CHROMIUM: missing });
    expect(candidates.map((candidate) => candidate.name)).toEqual([`BONSAI_CHROMIUM (${missing})`]);
    await expect(findChromium(candidates)).rejects.toThrow(`no Chromium for the browser tests: tried BONSAI_CHROMIUM (${missing}).`);
  });
});
