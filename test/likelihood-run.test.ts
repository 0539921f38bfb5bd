/**
 * Choice, perplexity and sampled probes through the real CLI; the likelihoods
 * in outputs.jsonl match a straightforward computation (a fresh sequence per
 * choice, full logits, log-softmax in float64) to 1e-6.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from "node-llama-cpp";
import { readOutputs } from "../src/format/outputs-file.js";
import type { OutputLine } from "../src/format/outputs.js";
import type { Report } from "../src/format/report.js";
import { FIXTURE_MODEL, runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const suite = path.join(dir, "likelihood.yaml");
writeFileSync(
  suite,
  `suite: lk
defaults: {language: ja, category: open_qa, template: raw}
probes:
  - id: mountain
    type: choice
    prompt: "質問: 日本で一番高い山はどれですか？\\n答え:"
    choices: [富士山, 北岳, 奥穂高岳, 槍ヶ岳, 立山]
    answer: 0
  - id: capital
    type: choice
    prompt: "質問: 日本の首都はどこですか？\\n答え:"
    choices: [大阪, 京都, 東京, 名古屋, 札幌]
    answer: 3
  - id: prose
    type: perplexity
    text: 富士山は日本で一番高い山です。東京から見えることもあります。
  - id: toys
    type: choice
    language: en
    prompt: "She liked to play with her"
    choices: [toys, taxes]
    answer: 0
  - id: toys-glued
    type: choice
    language: en
    target_delimiter: ""
    prompt: "She liked to play with her"
    choices: [toys, taxes]
    answer: 0
  - id: toys-chat
    type: choice
    language: en
    template: chatml
    prompt: "What did she like to play with?"
    choices: [toys, taxes]
    answer: 0
  - id: sampled
    prompt: "第1問: 日本について長く説明してください。"
    temperature: 1.5
    samples: 4
    max_tokens: 24
    checks: [{type: regex, pattern: "."}]
`,
);

let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let sequence: LlamaContextSequence;
let lines: OutputLine[];
let report: Report;

beforeAll(async () => {
  const out = path.join(dir, "run");
  const result = await runCli(["run", "--suite", suite, "--out", out, "--quiet", "--no-cache", "--parallel", "1"]);
  expect(result.code, result.stderr).toBe(0);
  lines = readOutputs(path.join(out, "outputs.jsonl")).lines;
  report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
  llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: LlamaLogLevel.error });
  model = await llama.loadModel({ modelPath: FIXTURE_MODEL, gpuLayers: 0 });
  // The run's context shape (one sequence: see the test of parallel runs below).
  context = await model.createContext({ sequences: 1, contextSize: report.manifest.generation!.context_size, threads: 1 });
  sequence = context.getSequence();
}, 120_000);
afterAll(async () => {
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
});

/** log softmax(logits)[token] in float64. */
function logSoftmax(logits: Map<Token, number>, token: Token): number {
  const values = [...logits.values()];
  const max = Math.max(...values);
  return logits.get(token)! - max - Math.log(values.reduce((acc, value) => acc + Math.exp(value - max), 0));
}

/**
 * The straightforward computation: an empty sequence, the question evaluated,
 * then the continuation; every next-token distribution read in full and
 * normalized in float64; log-probabilities summed.
 */
async function straightforward(question: Token[], continuation: Token[]): Promise<number> {
  await sequence.clearHistory();
  const first = await sequence.controlledEvaluate(question.map((token, i) => (i === question.length - 1 ? [token, { generateNext: { logits: true } }] : token)));
  let total = logSoftmax(first.at(-1)!.next.logits!, continuation[0]!);
  if (continuation.length > 1) {
    const rest = await sequence.controlledEvaluate(continuation.slice(0, -1).map((token) => [token, { generateNext: { logits: true } }]));
    for (let i = 1; i < continuation.length; i++) total += logSoftmax(rest[i - 1]!.next.logits!, continuation[i]!);
  }
  return total;
}

/** Σ log p of tokens[1..] from one pass over the whole text, as a perplexity evaluation reads it. */
async function straightforwardText(tokens: Token[]): Promise<number> {
  await sequence.clearHistory();
  const outputs = await sequence.controlledEvaluate(tokens.map((token, i) => (i < tokens.length - 1 ? [token, { generateNext: { logits: true } }] : token)));
  let total = 0;
  for (let i = 1; i < tokens.length; i++) total += logSoftmax(outputs[i - 1]!.next.logits!, tokens[i]!);
  return total;
}

describe("likelihood-scored and sampled probes", () => {
  it("scores every choice as the straightforward computation does, and reports all three normalizations", async () => {
    const line = lines.find((each) => each.id === "mountain")!;
    expect(line.likelihood?.kind).toBe("choice");
    const question = [model.tokens.bos!, ...model.tokenize("質問: 日本で一番高い山はどれですか？\n答え:", true)];
    const choices = ["富士山", "北岳", "奥穂高岳", "槍ヶ岳", "立山"];
    for (const [i, text] of choices.entries()) {
      const continuation = model.tokenize(text, false, "trimLeadingSpace");
      const reference = await straightforward(question, continuation);
      const scored = line.likelihood!.kind === "choice" ? line.likelihood!.choices[i]! : null;
      expect(scored).toMatchObject({ tokens: continuation.length, chars: Array.from(text).length, bytes: Buffer.byteLength(text) });
      expect(Math.abs(scored!.logprob - reference)).toBeLessThan(1e-6);
    }
    const probe = report.probes.find((each) => each.id === "mountain")!;
    const check = probe.checks[0]!;
    expect(check.type).toBe("choice");
    expect(check.details).toMatchObject({ normalization: "per_char", answer: 0, target_delimiter: "" });
    expect(Object.keys(check.details.predictions as object).sort()).toEqual(["per_char", "per_token", "raw"]);
    // The capital probe's answer index points at 名古屋 on purpose: whatever the model picks, the check must follow `answer`.
    const capital = report.probes.find((each) => each.id === "capital")!;
    expect(capital.checks[0]!.pass).toBe((capital.checks[0]!.details.predictions as Record<string, number>).per_char === 3);
    expect(report.summary.choice_accuracy).toMatchObject({ probes: 5 });
  });

  it("joins an English choice to its prompt with a space, as the model would read the sentence (lm-evaluation-harness's target_delimiter)", async () => {
    const question = [model.tokens.bos!, ...model.tokenize("She liked to play with her", true)];
    const spaced = (text: string) => model.tokenize(` ${text}`, false, "trimLeadingSpace");
    const glued = (text: string) => model.tokenize(text, false, "trimLeadingSpace");
    // SPM marks the word start: " toys" and "toys" are different token sequences.
    expect(spaced("toys")).not.toEqual(glued("toys"));
    const cases = [
      { id: "toys", tokens: spaced, delimiter: " " },
      { id: "toys-glued", tokens: glued, delimiter: "" },
    ];
    for (const { id, tokens, delimiter } of cases) {
      const line = lines.find((each) => each.id === id)!;
      if (line.likelihood?.kind !== "choice") throw new Error(`${id}: no choice likelihood`);
      expect(line.likelihood.target_delimiter).toBe(delimiter);
      for (const [i, text] of ["toys", "taxes"].entries()) {
        const continuation = tokens(text);
        expect(line.likelihood.choices[i]).toMatchObject({ tokens: continuation.length, chars: text.length });
        expect(Math.abs(line.likelihood.choices[i]!.logprob - (await straightforward(question, continuation)))).toBeLessThan(1e-6);
      }
      const check = report.probes.find((each) => each.id === id)!.checks[0]!;
      expect(check.details.target_delimiter).toBe(delimiter);
    }
    // After a chat template's opened model turn (ending in a newline) the choice starts the answer: no delimiter.
    const chat = lines.find((each) => each.id === "toys-chat")!;
    expect(chat.rendered_prompt!.endsWith("assistant\n")).toBe(true);
    expect(chat.likelihood).toMatchObject({ kind: "choice", target_delimiter: "" });
  });

  it("takes target_delimiter from the suite's defaults, and refuses it on a probe that has no choices", async () => {
    const defaulted = path.join(dir, "delimiter-default.yaml");
    writeFileSync(
      defaulted,
      `suite: dd\ndefaults: {language: en, category: open_qa, template: raw, target_delimiter: "_"}\nprobes:\n` +
        `  - {id: c, type: choice, prompt: "She liked to play with her", choices: [toys, taxes], answer: 0}\n`,
    );
    const out = path.join(dir, "delimiter-default");
    expect((await runCli(["run", "--suite", defaulted, "--out", out, "--quiet", "--no-cache"])).code).toBe(0);
    expect(readOutputs(path.join(out, "outputs.jsonl")).lines[0]!.likelihood).toMatchObject({ kind: "choice", target_delimiter: "_" });

    const wrong = path.join(dir, "delimiter-wrong.yaml");
    writeFileSync(
      wrong,
      `suite: dw\ndefaults: {language: en, category: open_qa}\nprobes:\n  - id: g\n    prompt: "Hello"\n    target_delimiter: " "\n    checks: [{type: regex, pattern: "."}]\n`,
    );
    const result = await runCli(["validate", wrong]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/delimiter-wrong\.yaml:6:\d+.*target_delimiter belongs to choice probes/);
  });

  it("agrees across parallel sequences to float32 precision (batching changes the last bits of llama.cpp's logits)", async () => {
    const out = path.join(dir, "parallel");
    expect((await runCli(["run", "--suite", suite, "--out", out, "--quiet", "--no-cache", "--parallel", "4"])).code).toBe(0);
    const parallel = readOutputs(path.join(out, "outputs.jsonl")).lines;
    for (const id of ["mountain", "capital"]) {
      const one = lines.find((each) => each.id === id)!.likelihood!;
      const four = parallel.find((each) => each.id === id)!.likelihood!;
      if (one.kind !== "choice" || four.kind !== "choice") throw new Error("expected choice likelihoods");
      four.choices.forEach((choice, i) => {
        const reference = one.choices[i]!.logprob;
        expect(Math.abs(choice.logprob - reference)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(reference)));
      });
    }
  });

  it("measures perplexity and bits per character of held-out text", async () => {
    const line = lines.find((each) => each.id === "prose")!;
    const text = "富士山は日本で一番高い山です。東京から見えることもあります。";
    const tokens = [model.tokens.bos!, ...model.tokenize(text, false)];
    expect(line.likelihood).toMatchObject({ kind: "perplexity", tokens: tokens.length - 1, chars: Array.from(text).length, bytes: Buffer.byteLength(text), windows: 1 });
    const reference = await straightforwardText(tokens);
    expect(line.likelihood!.kind === "perplexity" && Math.abs(line.likelihood!.logprob - reference)).toBeLessThan(1e-6);
    const check = report.probes.find((each) => each.id === "prose")!.checks[0]!;
    expect(check.score).toBeCloseTo(-reference / Math.LN2 / Array.from(text).length, 9);
    expect(check.details.perplexity).toBeCloseTo(Math.exp(-reference / (tokens.length - 1)), 6);
    expect(report.summary.perplexity).toMatchObject([{ language: "ja", texts: 1, tokens: tokens.length - 1 }]);
  });

  it("generates every sample with its own seed, and reports pass@k and agreement", async () => {
    const samples = lines.filter((each) => each.id === "sampled").sort((a, b) => a.sample! - b.sample!);
    expect(samples.map((each) => each.sample)).toEqual([0, 1, 2, 3]);
    expect(new Set(samples.map((each) => each.output)).size).toBeGreaterThan(1);
    const probe = report.probes.find((each) => each.id === "sampled")!;
    expect(probe.samples).toMatchObject({ count: 4, expected: 4 });
    expect(probe.samples!.outputs.map((each) => each.output)).toEqual(samples.map((each) => each.output));
    expect(probe.samples!.agreement).toBeLessThan(1);
    expect(report.summary.sampling).toMatchObject({ probes: 1 });
    expect(report.manifest.generation!.decoding).toBe("sampled");

    // Seeded: a second run gives the same samples.
    const again = path.join(dir, "again");
    expect((await runCli(["run", "--suite", suite, "--out", again, "--quiet", "--no-cache"])).code).toBe(0);
    const repeat = readOutputs(path.join(again, "outputs.jsonl")).lines.filter((each) => each.id === "sampled").sort((a, b) => a.sample! - b.sample!);
    expect(repeat.map((each) => each.output)).toEqual(samples.map((each) => each.output));
  });
});
