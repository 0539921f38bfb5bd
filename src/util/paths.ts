import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The package root (the folder with package.json), from src/ under vitest or dist/ when built. */
export const PACKAGE_ROOT: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("bonsai-eval: cannot find the package root");
    dir = parent;
  }
  return dir;
})();

export function packagePath(...segments: string[]): string {
  return path.join(PACKAGE_ROOT, ...segments);
}
