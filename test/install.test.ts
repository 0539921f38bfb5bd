/**
 * `npm ci` refuses a lockfile that lacks any of node-llama-cpp's optional
 * platform packages. This machine's npm registry has no 3.22.1 build for some
 * platforms (macOS, Windows, riscv64), so `npm install` drops them from the lock;
 * they are listed by hand (os/cpu-restricted, never fetched on linux-x64). If a
 * later `npm install` drops them again, this test says so before CI does.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packagePath } from "../src/util/paths.js";

describe("the lockfile", () => {
  it("lists every optional platform package of node-llama-cpp, so npm ci accepts it", () => {
    const lock = JSON.parse(readFileSync(packagePath("package-lock.json"), "utf8")) as {
      packages: Record<string, { version: string; optionalDependencies?: Record<string, string>; os?: string[]; cpu?: string[] }>;
    };
    const llama = lock.packages["node_modules/node-llama-cpp"]!;
    for (const [name, version] of Object.entries(llama.optionalDependencies ?? {})) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, `${name} is missing from package-lock.json`).toBeDefined();
      expect(entry!.version).toBe(version);
      expect(entry!.os?.length, `${name} must be restricted by os`).toBeGreaterThan(0);
    }
  });
});
