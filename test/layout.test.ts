/**
 * The data flow runs one way: each folder of src/ imports only folders on a
 * lower floor (and itself). A new import that runs up, or sideways between
 * two rooms of one floor, fails here with the line that made it; so does
 * node-llama-cpp outside src/runner/, where the engine is kept.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../src/util/paths.js";

/** Lowest floor first. A room is a folder of src/, or a file directly in it. */
const FLOORS: readonly string[][] = [
  ["errors.ts", "util"],
  ["lang", "fixture"],
  ["metrics"],
  ["format"],
  ["checks"],
  ["suite"],
  ["runner", "scoring"],
  ["compare"],
  ["history"],
  ["report"],
  ["pipeline"],
  ["cli"],
];
const ENGINE_ROOM = "runner";

const src = packagePath("src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") ? [full] : [];
  });
}

const roomOf = (file: string): string => path.relative(src, file).split(path.sep)[0]!;
const floorOf = (room: string): number => FLOORS.findIndex((floor) => floor.includes(room));

interface Import {
  file: string;
  line: number;
  specifier: string;
}

function importsOf(file: string): Import[] {
  const found: Import[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, index) => {
      for (const match of text.matchAll(/(?:^|\s)(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
        found.push({ file: path.relative(packagePath(), file), line: index + 1, specifier: match[1]! });
      }
    });
  return found;
}

describe("the import graph of src/", () => {
  const files = sourceFiles(src);

  it("puts every room of src/ on a floor", () => {
    const rooms = new Set(files.map(roomOf));
    expect([...rooms].filter((room) => floorOf(room) < 0)).toEqual([]);
  });

  it("runs one way: no folder imports a folder on its own floor or above", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = roomOf(file);
      for (const { file: name, line, specifier } of importsOf(file)) {
        if (!specifier.startsWith(".")) continue;
        const target = path.resolve(path.dirname(file), specifier);
        const to = roomOf(target);
        if (to === from || !target.startsWith(src)) continue;
        if (floorOf(to) >= floorOf(from)) upward.push(`${name}:${line} ${from} imports ${to} (${specifier})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("keeps node-llama-cpp inside src/runner/", () => {
    const outside = files
      .filter((file) => roomOf(file) !== ENGINE_ROOM)
      .flatMap(importsOf)
      .filter(({ specifier }) => specifier === "node-llama-cpp" || specifier.startsWith("node-llama-cpp/"))
      .map(({ file, line }) => `${file}:${line}`);
    expect(outside).toEqual([]);
  });
});
