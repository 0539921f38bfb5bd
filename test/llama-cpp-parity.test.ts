/**
 * Token-for-token parity with llama.cpp's own greedy generation: llama.cpp's
 * examples/simple/simple.cpp, taken from the source bundle node-llama-cpp ships
 * and compiled against the same prebuilt libllama, against `run --template raw`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readOutputs } from "../src/format/outputs-file.js";
import { packagePath } from "../src/util/paths.js";
import { FIXTURE_MODEL, runCli, tempDir } from "./helpers.js";
import { buildLlamaCppTool, LLAMA_BIN_DIR, llamaCppChatRender, llamaCppSource, type ChatMessage } from "./llama-cpp-build.js";

const dir = tempDir("bonsai-parity-");

const PROMPTS = ["富士山", "日本で一番高い山はどこ？", "The capital of Japan is", "中国的首都是哪里？", "こんにちは"];
const MAX_TOKENS = 64;
let simple = "";
let chatTemplate = "";

beforeAll(() => {
  const source = llamaCppSource(dir);
  simple = buildLlamaCppTool(dir, path.join(source, "examples", "simple", "simple.cpp"), "llama-simple", ["-include", packagePath("test", "reference", "one-thread.h")]);
  chatTemplate = buildLlamaCppTool(dir, packagePath("test", "reference", "chat-template.cpp"), "chat-template");
}, 120_000);

/** What llama.cpp's simple example prints: the prompt's pieces, then each generated piece, as raw bytes, then one newline. */
function llamaCppGreedy(prompt: string): string {
  // ggml finds its CPU backend modules in the working directory.
  const bytes = execFileSync(simple, ["-m", FIXTURE_MODEL, "-n", String(MAX_TOKENS), prompt], { cwd: LLAMA_BIN_DIR, stdio: ["ignore", "pipe", "pipe"] });
  const text = bytes.toString("utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1);
}

describe("parity with llama.cpp's own greedy generation", () => {
  it("generates the same text for raw prompts, token for token", async () => {
    expect(existsSync(simple)).toBe(true);
    const suite = path.join(dir, "parity.yaml");
    writeFileSync(
      suite,
      `suite: parity\ndefaults: {language: ja, category: creative, max_tokens: ${MAX_TOKENS}, checks: [{type: regex, pattern: "."}]}\nprobes:\n` +
        PROMPTS.map((prompt, i) => `  - {id: p${i}, prompt: ${JSON.stringify(prompt)}}\n`).join(""),
    );
    const out = path.join(dir, "run");
    const result = await runCli(["run", "--suite", suite, "--out", out, "--template", "raw", "--quiet", "--no-cache"]);
    expect(result.code, result.stderr).toBe(0);
    const lines = readOutputs(path.join(out, "outputs.jsonl")).lines;
    let stoppedByEog = 0;
    let spaceFirst = 0;
    for (const [i, prompt] of PROMPTS.entries()) {
      const line = lines.find((each) => each.id === `p${i}`)!;
      const reference = llamaCppGreedy(prompt);
      // simple.cpp prints the rendered prompt (BOS and SPM's leading space included) before the generation.
      expect(reference.startsWith(line.rendered_prompt!), `prompt ${i}: ${reference}`).toBe(true);
      let generated = reference.slice(line.rendered_prompt!.length);
      if (line.trimmed_replacement_char) generated = generated.replace(/\uFFFD+$/u, "");
      // The exact continuation, untrimmed: an SPM model's first piece after a prompt keeps its space ("▁he" → " he").
      expect(line.output).toBe(generated);
      if (line.stop_reason === "eog") stoppedByEog++;
      if (line.output.startsWith(" ")) spaceFirst++;
    }
    expect(stoppedByEog).toBeGreaterThan(0);
    // The fixture's byte-fallback SPM vocabulary does continue with word-start pieces: the case is covered.
    expect(spaceFirst).toBeGreaterThan(0);
  });

  it("renders the named chat templates as llama.cpp's built-in ones do: trimmed messages, Gemma's system prompt in the user turn", async () => {
    // chatml is left out: llama.cpp adds BOS when the vocabulary asks for it (the fixture's does), Qwen's does not.
    const templates = ["gemma", "llama3", "phi3"];
    const conversations: Array<{ id: string; system?: string; prompt: string }> = [
      { id: "plain", prompt: "日本で一番高い山はどこ？" },
      { id: "system", system: "日本語で簡潔に答えてください。", prompt: "富士山の高さは？" },
      { id: "padded", system: "  Answer in one word.\n", prompt: "What is the capital of Japan?\n" },
    ];
    const suite = path.join(dir, "templates.yaml");
    writeFileSync(
      suite,
      `suite: templates\ndefaults: {language: ja, category: open_qa, max_tokens: 1, checks: [{type: regex, pattern: "."}]}\nprobes:\n` +
        conversations.map(({ id, system, prompt }) => `  - {id: ${id}, prompt: ${JSON.stringify(prompt)}${system ? `, system: ${JSON.stringify(system)}` : ""}}\n`).join(""),
    );
    for (const template of templates) {
      const out = path.join(dir, `template-${template}`);
      const result = await runCli(["run", "--suite", suite, "--out", out, "--template", template, "--quiet", "--no-cache"]);
      expect(result.code, result.stderr).toBe(0);
      const lines = readOutputs(path.join(out, "outputs.jsonl")).lines;
      const reference = llamaCppChatRender(
        chatTemplate,
        FIXTURE_MODEL,
        template,
        conversations.map(({ system, prompt }): ChatMessage[] => [...(system ? [{ role: "system" as const, content: system }] : []), { role: "user", content: prompt }]),
      );
      conversations.forEach(({ id }, i) => {
        const line = lines.find((each) => each.id === id)!;
        expect(line.rendered_prompt, `${template} ${id}`).toBe(reference[i]!.text);
        expect(line.prompt_tokens, `${template} ${id}`).toBe(reference[i]!.tokens);
      });
    }
  });
});
