import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OutputsWriter, readOutputs } from "../src/format/outputs-file.js";
import { tempDir } from "./helpers.js";

const dir = tempDir();

describe("outputs.jsonl", () => {
  it("appends one line per output and reads them back with line numbers", () => {
    const file = path.join(dir, "a.jsonl");
    const writer = new OutputsWriter(file);
    writer.append({ suite: "s", id: "a", output: "富士山です\n改行も", stop_reason: "eog" });
    writer.append({ suite: "s", id: "b", output: "</script><script>alert(1)</script>" });
    writer.close();
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(3);
    const { lines, truncatedTail } = readOutputs(file);
    expect(truncatedTail).toBe(false);
    expect(lines.map((line) => [line.id, line.line, line.output])).toEqual([
      ["a", 1, "富士山です\n改行も"],
      ["b", 2, "</script><script>alert(1)</script>"],
    ]);
  });

  it("ignores a final line cut by a crash, and says so", () => {
    const file = path.join(dir, "cut.jsonl");
    writeFileSync(file, `{"suite":"s","id":"a","output":"x"}\n{"suite":"s","id":"b","outp`);
    expect(readOutputs(file)).toMatchObject({ truncatedTail: true, lines: [{ id: "a" }] });
  });

  it("names the file, line and field of a bad line", () => {
    const file = path.join(dir, "bad.jsonl");
    writeFileSync(file, `{"suite":"s","id":"a","output":"x"}\n\n{"suite":"s","output":"y"}\n`);
    expect(() => readOutputs(file)).toThrowError('missing required key "id"');
    try {
      readOutputs(file);
    } catch (error) {
      expect((error as { toLine(): string }).toLine()).toBe(`${file}:3: id: missing required key "id"`);
    }
    writeFileSync(file, `{"suite":"s","id":"a","output":"x"}\nnot json\n{"suite":"s","id":"b","output":"y"}\n`);
    expect(() => readOutputs(file)).toThrowError(/invalid JSON/);
    writeFileSync(file, `{"suite":"s","id":"a","output":42}\n`);
    expect(() => readOutputs(file)).toThrowError("must be string");
  });
});
