import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getLlama,
  LlamaLogLevel,
  readGgufFileInfo,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { BENCH_MODEL_SPEC } from "../bench/bench-model.js";
import { float32ToFloat16Bits, GgufWriter } from "../src/fixture/gguf-writer.js";
import { ensureGeneratedModel } from "../src/fixture/model-cache.js";
import { packagePath } from "../src/util/paths.js";
import { buildFixtureModel, DEFAULT_FIXTURE_MODEL_PATH, ensureFixtureModel, FIXTURE_MODEL_NAME } from "../src/fixture/tiny-model.js";
import { FIXTURE_CHAT_TEMPLATE } from "../src/fixture/vocabulary.js";

/**
 * The fixture's sha256. Outputs and reports of the fixture depend on these exact
 * bytes: a change to the model must be deliberate, and update this.
 */
const FIXTURE_SHA256 = "61bf380c361196e51dccdcb9e3a9f02ac30a6ee916de563f4a3b8102bc9ea249";
/** The bench model's sha256 (bench/bench-model.ts): the figures in the README's Benchmarks were measured on these bytes. */
const BENCH_MODEL_SHA256 = "8df63df2dd0b2978b01455cb273065d1032114bcfb5e1c397d18969ae3dc9170";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "bonsai-fixture-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("GgufWriter", () => {
  it("writes metadata of every supported type and aligned tensors that node-llama-cpp reads back", async () => {
    const bytes = new GgufWriter()
      .setString("general.architecture", "llama")
      .setString("test.text", "日本語 😀")
      .setUint8("test.u8", 255)
      .setUint32("test.u32", 4_000_000_000)
      .setInt32("test.i32", -7)
      .setUint64("test.u64", 2n ** 40n)
      .setFloat32("test.f32", 0.5)
      .setBool("test.flag", true)
      .setStringArray("test.strings", ["a", "ワンタン", ""])
      .setFloat32Array("test.floats", [1.5, -2])
      .setInt32Array("test.ints", [3, -4])
      .addTensor("a.weight", [3], new Float32Array([1, 2, 3]))
      .addTensor("b.weight", [2, 2], new Float32Array([1, 2, 3, 4]), "F16")
      .toBuffer();
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("GGUF");
    expect(bytes.readUInt32LE(4)).toBe(3);

    const file = path.join(scratch, "writer.gguf");
    await writeFile(file, bytes);
    const info = await readGgufFileInfo(file);
    const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(metadata.test).toEqual({
      text: "日本語 😀",
      u8: 255,
      u32: 4_000_000_000,
      i32: -7,
      u64: 2n ** 40n,
      f32: 0.5,
      flag: true,
      strings: ["a", "ワンタン", ""],
      floats: [1.5, -2],
      ints: [3, -4],
    });
    expect(metadata.general?.alignment).toBe(32);
    expect(info.tensorInfo?.map(({ name, dimensions, offset }) => ({ name, dimensions, offset: Number(offset) }))).toEqual([
      { name: "a.weight", dimensions: [3], offset: 0 },
      { name: "b.weight", dimensions: [2, 2], offset: 32 },
    ]);
    // The data section starts on a 32-byte boundary and ends padded: the last tensor
    // (4 halves = 8 bytes at offset 32) fills up to 64 bytes of data.
    expect(bytes.length % 32).toBe(0);
    const dataStart = bytes.length - 64;
    expect(bytes.readFloatLE(dataStart + 8)).toBe(3);
    expect(bytes.readUInt16LE(dataStart + 32 + 6)).toBe(0x4400); // 4 in half precision
  });

  it("rounds to half precision like IEEE 754 (nearest, ties to even)", () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // rounds up to infinity
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // tie rounds to even (zero)
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  });

  it("refuses what a GGUF reader would misread", () => {
    expect(() => new GgufWriter().addTensor("t", [2, 2], new Float32Array(3))).toThrow(/need 4 values/);
    expect(() => new GgufWriter().addTensor("t", [1], new Float32Array(1)).addTensor("t", [1], new Float32Array(1))).toThrow(/duplicate/);
    expect(() => new GgufWriter().setUint32("k", -1)).toThrow(RangeError);
    expect(() => new GgufWriter().setUint32("general.alignment", 64)).toThrow(/constructor/);
    expect(() => new GgufWriter({ alignment: 24 })).toThrow(/power of two/);
  });
});

describe("fixture model file", () => {
  it("is byte-for-byte the same on every build, and small", () => {
    const first = buildFixtureModel();
    const second = buildFixtureModel();
    expect(first.equals(second)).toBe(true);
    expect(first.length).toBeLessThan(2 * 1024 * 1024);
    expect(createHash("sha256").update(first).digest("hex")).toBe(FIXTURE_SHA256);
  });

  it("is written atomically and only when missing or different", async () => {
    const target = path.join(scratch, "nested", "tiny.gguf");
    expect(await ensureFixtureModel(target)).toBe(target);
    expect((await readFile(target)).equals(buildFixtureModel())).toBe(true);

    const before = await stat(target);
    await ensureFixtureModel(target);
    expect((await stat(target)).ino).toBe(before.ino); // up to date: left alone

    await writeFile(target, "not a model");
    await ensureFixtureModel(target);
    expect((await readFile(target)).equals(buildFixtureModel())).toBe(true);
  });

  it("describes itself as a llama model with a ChatML template", async () => {
    const info = await readGgufFileInfo(await ensureFixtureModel(path.join(scratch, "info.gguf")));
    expect(info.metadata.general.architecture).toBe("llama");
    expect(info.metadata.general.name).toBe(FIXTURE_MODEL_NAME);
    expect(info.metadata.tokenizer.chat_template).toBe(FIXTURE_CHAT_TEMPLATE);
    expect(info.metadata.tokenizer.ggml.model).toBe("llama");
    expect(info.architectureMetadata).toMatchObject({
      context_length: 4096,
      embedding_length: 64,
      block_count: 2,
      feed_forward_length: 128,
      attention: { head_count: 4, head_count_kv: 2 },
    });
  });
});

describe("bench model", () => {
  it("is the fixture's generator at a larger size, written like the fixture", async () => {
    const target = path.join(scratch, "bench.gguf");
    expect(await ensureGeneratedModel(BENCH_MODEL_SPEC, target)).toBe(target);
    const bytes = await readFile(target);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(BENCH_MODEL_SHA256);
    const info = await readGgufFileInfo(target);
    expect(info.metadata.general.name).toBe(BENCH_MODEL_SPEC.name);
    expect(info.architectureMetadata).toMatchObject({ embedding_length: 384, block_count: 8 });
    // Same vocabulary and template as the fixture: the bench prompts tokenize alike.
    const fixture = await readGgufFileInfo(await ensureFixtureModel(path.join(scratch, "vocab.gguf")));
    expect(info.metadata.tokenizer).toEqual(fixture.metadata.tokenizer);
  });

  it("is known to bench/ only: no module in src/ imports bench/ or names the bench model", async () => {
    const source = packagePath("src");
    const files = (await readdir(source, { recursive: true })).filter((file) => file.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(source, file), "utf8");
      if (/from "(\.\.\/)+bench\//.test(text) || /bench-bonsai|BENCH_HYPERPARAMETERS|MODEL_PRESETS/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});

describe("fixture model in node-llama-cpp (CPU)", () => {
  const MAX_TOKENS = 64;
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;
  let sequence: LlamaContextSequence;

  beforeAll(async () => {
    const modelPath = await ensureFixtureModel();
    expect(modelPath).toBe(DEFAULT_FIXTURE_MODEL_PATH);
    llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath });
    // One thread: on a small CPU machine more threads busy-spin and are far slower.
    context = await model.createContext({ contextSize: 512, threads: 1 });
    sequence = context.getSequence();
  });

  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
  });

  /**
   * Greedy generation from BOS + prompt with our own token limit. At the sequence
   * level no repeat penalty applies unless one is passed (the option takes an object,
   * not `false`), so the loop sees the model's raw preferences.
   */
  async function generate(prompt: string): Promise<{ tokens: Token[]; text: string; stop: "eog" | "maxTokens" }> {
    await sequence.clearHistory();
    const input = [model.tokens.bos as Token, ...model.tokenize(prompt)];
    const tokens: Token[] = [];
    for await (const token of sequence.evaluate(input, { temperature: 0, yieldEogToken: true })) {
      if (model.isEogToken(token)) return { tokens, text: model.detokenize(tokens), stop: "eog" };
      tokens.push(token);
      if (tokens.length >= MAX_TOKENS) break;
    }
    return { tokens, text: model.detokenize(tokens), stop: "maxTokens" };
  }

  it("tokenizes any text and detokenizes it back unchanged", () => {
    const texts = [
      "「日本で一番高い山は？」 富士山 wonton ワンタン 我们 😀 𠮷",
      "The highest mountain in Japan is Mount Fuji.",
      "Translate into Japanese: wonton",
      "我们今天去北京大学。",
      "tabs\tand\nnewlines, ünïcödé",
    ];
    for (const text of texts) expect(model.detokenize(model.tokenize(text))).toBe(text);
  });

  it("has whole-word pieces and falls back to bytes for the rest", () => {
    const pieces = (text: string) => model.tokenize(text).map((token) => model.detokenize([token]));
    // Each token detokenized alone, so its leading "▁" does not show.
    expect(pieces("富士山 ワンタン 我们")).toEqual(expect.arrayContaining(["富士山", "ワンタン", "我们"]));
    expect(pieces("The highest mountain")).toEqual(["The", "highest", "mountain"]);
    expect(model.tokenize("😀").length).toBeGreaterThanOrEqual(4); // four byte tokens
  });

  it("treats <|im_end|>, the ChatML end of turn, as end of generation", () => {
    const [imEnd] = model.tokenize("<|im_end|>", true);
    expect(imEnd).toBeDefined();
    expect(model.isEogToken(imEnd as Token)).toBe(true);
  });

  it("generates deterministic, mostly readable text; some prompts stop by end-of-generation, some run to the limit", async () => {
    const prompts = ["日本で一番高い山は？", "The capital of Japan is", "こんにちは", "What is the highest mountain?", "北京是中国的首都。"];
    const first = [];
    for (const prompt of prompts) first.push(await generate(prompt));
    const second = [];
    for (const prompt of prompts) second.push(await generate(prompt));
    expect(second).toEqual(first);

    for (const { tokens, text } of first) {
      expect(tokens.length).toBeGreaterThan(0);
      const chars = Array.from(text);
      const replacement = chars.filter((char) => char === "\uFFFD").length;
      expect(replacement / chars.length).toBeLessThan(0.05);
    }
    const stops = first.map(({ stop }) => stop);
    expect(stops).toContain("eog");
    expect(stops).toContain("maxTokens");
  });
});
