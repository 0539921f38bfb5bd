/**
 * A generated output is the exact continuation of the rendered prompt: after a
 * raw prompt the fixture's SPM model continues with a word-start piece, whose
 * space belongs to the output, and stop strings are matched on that same text.
 */
import path from "node:path";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readOutputs } from "../src/format/outputs-file.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-continuation-");

function suite(stop: string[]): string {
  const file = path.join(dir, `stop-${stop.length}.yaml`);
  writeFileSync(
    file,
    `suite: continuation\ndefaults: {language: en, category: creative, max_tokens: 16, template: raw, checks: [{type: regex, pattern: "."}]}\n` +
      `probes:\n  - {id: capital, prompt: "The capital of Japan is", stop: ${JSON.stringify(stop)}}\n`,
  );
  return file;
}

describe("outputs as the model continues the prompt", () => {
  it("keeps the first piece's leading space, and stops on a stop string that starts with it", async () => {
    const free = path.join(dir, "free");
    expect((await runCli(["run", "--suite", suite([]), "--out", free, "--quiet", "--no-cache"])).code).toBe(0);
    const [line] = readOutputs(path.join(free, "outputs.jsonl")).lines;
    expect(line!.output.startsWith(" please")).toBe(true);

    const stopped = path.join(dir, "stopped");
    expect((await runCli(["run", "--suite", suite([" please"]), "--out", stopped, "--quiet", "--no-cache"])).code).toBe(0);
    const [stop] = readOutputs(path.join(stopped, "outputs.jsonl")).lines;
    // Stopped at the first token, not at the next " please" further on.
    expect(stop).toMatchObject({ output: "", stop_reason: "stop_string", stop_string: " please", output_tokens: 1 });
  });
});
