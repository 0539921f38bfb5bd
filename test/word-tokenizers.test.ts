/**
 * One decision of which word tokenizer a language gets: every check that
 * tokenizes words (token_f1, length in words, repetition) names the one that
 * `wordTokenizerFor` chooses, and BLEU's default is sacreBLEU's by language.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CheckRegistry } from "../src/checks/registry.js";
import type { CheckResult } from "../src/format/check-result.js";
import { loadLanguageServices, servicesForLanguage } from "../src/lang/services.js";
import { wordTokenizerFor } from "../src/lang/words.js";
import { tokenizerForLanguage } from "../src/metrics/tokenizers.js";
import { scoreOutputsFile } from "../src/pipeline/score.js";
import { tempDir } from "./helpers.js";

const dir = tempDir();
const PROBES: Array<{ id: string; language: string; output: string; expected: string }> = [
  { id: "ja", language: "ja", output: "富士山は日本で一番高い山です。", expected: "日本で一番高い山は富士山です。" },
  { id: "ja-jp", language: "ja-JP", output: "東京は日本の首都です。", expected: "日本の首都は東京です。" },
  { id: "zh-tw", language: "zh-TW", output: "北京是中国的首都。", expected: "中国的首都是北京。" },
  { id: "en", language: "en", output: "Tokyo is the capital of Japan.", expected: "The capital of Japan is Tokyo." },
  { id: "ko", language: "ko", output: "서울은 한국의 수도입니다.", expected: "한국의 수도는 서울입니다." },
];

async function scoredChecks(): Promise<Map<string, CheckResult[]>> {
  const suite = path.join(dir, "words.yaml");
  writeFileSync(
    suite,
    `suite: words
defaults:
  category: translation
  checks: [token_f1, bleu, repetition, {type: length, unit: words, max_length: 100}]
probes:
${PROBES.map((probe) => `  - {id: ${probe.id}, language: ${probe.language}, prompt: "translate", expected: ["${probe.expected}"]}`).join("\n")}
`,
  );
  const outputs = path.join(dir, "outputs.jsonl");
  writeFileSync(outputs, PROBES.map((probe) => JSON.stringify({ suite: "words", id: probe.id, output: probe.output })).join("\n") + "\n");
  const report = await scoreOutputsFile({ outputsFile: outputs, suitePaths: [suite], outDir: path.join(dir, "scored"), registry: new CheckRegistry() });
  return new Map(report.probes.map((probe) => [probe.id, probe.checks]));
}

describe("the word tokenizer of a language", () => {
  it("is kuromoji for Japanese, jieba for Chinese and the Unicode split otherwise, language subtags included", () => {
    expect(PROBES.map((probe) => [probe.language, wordTokenizerFor(probe.language).name])).toEqual([
      ["ja", "ja-kuromoji"],
      ["ja-JP", "ja-kuromoji"],
      ["zh-TW", "zh-jieba"],
      ["en", "unicode-words"],
      ["ko", "unicode-words"],
    ]);
    expect(PROBES.map((probe) => servicesForLanguage(probe.language))).toEqual([["ja"], ["ja"], ["zh"], [], []]);
    expect(PROBES.map((probe) => tokenizerForLanguage(probe.language))).toEqual(["ja-kuromoji", "ja-kuromoji", "zh", "13a", "char"]);
  });

  it("falls back to the Unicode split when the language's segmenter is not loaded, and words() does the same", async () => {
    const services = await loadLanguageServices([]);
    expect(services.wordTokenizer("ja").name).toBe("unicode-words");
    expect(wordTokenizerFor("ja", new Set(["zh"])).name).toBe("unicode-words");
    expect(wordTokenizerFor("ja", new Set(["ja"])).name).toBe("ja-kuromoji");
    expect(services.words("富士山です", "ja")).toEqual(["富", "士", "山", "で", "す"]);
  });

  it("is the one every word-tokenizing check of a scored suite names", async () => {
    const checks = await scoredChecks();
    for (const probe of PROBES) {
      const tokenizer = wordTokenizerFor(probe.language);
      const of = (type: string) => checks.get(probe.id)!.find((check) => check.type === type)!;
      expect(of("token_f1").details.signature, probe.language).toContain(`|tok:${tokenizer.name}|`);
      expect(of("length").details.counted_by, probe.language).toBe(`${tokenizer.segmenter} words`);
      expect(of("repetition").details.signature, probe.language).toContain(`|tok:${tokenizer.segmenter}|`);
      expect(of("bleu").details.signature, probe.language).toContain(`|tok:${tokenizerForLanguage(probe.language)}|`);
    }
  });
});
