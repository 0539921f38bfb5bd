/**
 * A shared prompt prefix (a long system prompt) is evaluated once per sequence
 * and kept for the next probe; the outputs are those of probes run alone.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOutputs } from "../src/format/outputs-file.js";
import type { Report } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const SYSTEM = "あなたは日本語で答えるアシスタントです。質問には短く正確に答えてください。わからないときは「回答できません」と答えてください。".repeat(2);
const PROMPTS = ["日本で一番高い山はどこ？", "日本の首都はどこですか？", "中国的首都是哪里？", "Tell me a long story.", "富士山について説明してください。"];

function suite(prompts: string[]): string {
  return `suite: shared\ndefaults: {language: ja, category: open_qa, max_tokens: 24, system: ${JSON.stringify(SYSTEM)}, checks: [{type: regex, pattern: "."}]}\nprobes:\n${prompts
    .map((prompt) => `  - {id: p${PROMPTS.indexOf(prompt)}, prompt: ${JSON.stringify(prompt)}}\n`)
    .join("")}`;
}

describe("shared prompt prefixes", () => {
  it("are kept between probes on a sequence, and change no output", async () => {
    const file = path.join(dir, "all.yaml");
    writeFileSync(file, suite(PROMPTS));
    const out = path.join(dir, "all");
    expect((await runCli(["run", "--suite", file, "--out", out, "--parallel", "1", "--quiet", "--no-cache"])).code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    // Four of five probes start from the previous one's state: the system prompt is not evaluated again.
    expect(report.manifest.generation!.reused_prompt_tokens).toBeGreaterThan(4 * 32);
    const together = new Map(readOutputs(path.join(out, "outputs.jsonl")).lines.map((line) => [line.id, line.output]));

    for (const [i, prompt] of PROMPTS.entries()) {
      const alone = path.join(dir, `alone-${i}`);
      writeFileSync(`${alone}.yaml`, suite([prompt]));
      expect((await runCli(["run", "--suite", `${alone}.yaml`, "--out", alone, "--quiet", "--no-cache"])).code).toBe(0);
      const [line] = readOutputs(path.join(alone, "outputs.jsonl")).lines;
      expect(line!.output, prompt).toBe(together.get(`p${i}`));
    }
  });
});
