/**
 * The language check's services and signature: what it declares (kuromoji,
 * and jieba's dictionary as a lazy service), what the loader does with that
 * declaration, and the segmenters' releases in the signature.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { language } from "../src/checks/language.js";
import { BUILTIN_CHECKS } from "../src/checks/builtins.js";
import { CheckRegistry } from "../src/checks/registry.js";
import { defineCheck } from "../src/checks/define.js";
import { LanguageServiceError, loadLanguageServices } from "../src/lang/services.js";
import { requiredServices, runChecks } from "../src/scoring/score-outputs.js";
import type { Probe, Suite } from "../src/format/suite.js";
import { makeProbe } from "./helpers.js";
import { scoreCheck } from "./check-harness.js";

function probe(languageCode: string, overrides: Partial<Probe> = {}): Probe {
  return makeProbe({ suite: `${languageCode}-open-qa`, id: "fuji", prompt: "日本で一番高い山はどこ？", language: languageCode, expected: ["富士山"], ...overrides });
}

const require = createRequire(import.meta.url);
const versionOf = (name: string) => (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
// opencc-js exports no package.json: it is two folders above its entry point.
const openccVersion = (JSON.parse(readFileSync(path.join(path.dirname(require.resolve("opencc-js/t2cn")), "..", "..", "package.json"), "utf8")) as { version: string }).version;
const SEG = `|seg:kuromoji@${versionOf("kuromoji")}+ipadic,nodejieba@${versionOf("nodejieba")}-hmm0+opencc-js@${openccVersion}:t2cn+jp2cn,wordfreq@3.1.1`;

const rssMB = () => process.memoryUsage().rss / 2 ** 20;

describe("language check: declared services", () => {
  it("is registered and declares kuromoji and jieba's dictionary only when ja or zh is expected", () => {
    expect(BUILTIN_CHECKS.map((definition) => definition.type)).toContain("language");
    // Was ["ja"], with jieba loaded by the check itself on its first kana-less Han sentence.
    expect(language.services!({}, probe("ja"))).toEqual(["ja", "zh-dictionary"]);
    expect(language.services!({}, probe("zh-TW"))).toEqual(["ja", "zh-dictionary"]);
    expect(language.services!({ expected: ["en", "ko"] }, probe("ja"))).toEqual([]);
    expect(language.services!({}, probe("en"))).toEqual([]);
  });

  it("the loader holds jieba's dictionary until its first call, and reads kana-less Han lines with it", async () => {
    // Load costs printed, not asserted (a shared machine): before this change the check declared ["ja"] and loaded jieba itself.
    let rss = rssMB();
    let start = performance.now();
    const services = await loadLanguageServices(language.services!({}, probe("ja")));
    console.log(`language services at start (kuromoji + jieba checked loadable): ${(performance.now() - start).toFixed(0)} ms, +${(rssMB() - rss).toFixed(0)} MB RSS`);
    expect([...services.loaded]).toEqual(["ja", "zh-dictionary"]);
    rss = rssMB();
    start = performance.now();
    expect(services.chineseDictionaryWords("今天星期一。")).toEqual(["今天", "星期一", "。"]);
    console.log(`jieba's dictionary on its first call: ${(performance.now() - start).toFixed(0)} ms, +${(rssMB() - rss).toFixed(0)} MB RSS`);
    const result = scoreCheck({ type: "language" }, { output: "今天星期一。" }, services, { probe: probe("ja") });
    expect(result.pass).toBe(false);
  });

  it("a service not declared throws instead of loading inside a check", async () => {
    // Before, chineseDictionaryWords loaded jieba silently whatever was declared.
    const services = await loadLanguageServices(["ja"]);
    expect(() => services.chineseDictionaryWords("今天")).toThrow('language service "zh-dictionary" was not loaded');
    expect(() => services.chinese("今天")).toThrow('language service "zh" was not loaded');
  });

  it("the loader knows which checks declared each service, to name them when one fails to load", () => {
    const registry = new CheckRegistry();
    const suite = { name: "ja-open-qa", probes: [probe("ja", { checks: [{ type: "language" }, { type: "repetition" }] })] } as unknown as Suite;
    const requests = requiredServices([suite], registry);
    expect(requests.get("zh-dictionary")).toEqual(["language"]);
    expect(requests.get("ja")).toEqual(expect.arrayContaining(["language"]));
    const error = new LanguageServiceError("zh-dictionary", requests.get("zh-dictionary")!, new Error("ENOENT: jieba.dict.utf8"));
    expect(error.message).toBe(
      'language service "zh-dictionary" (nodejieba\'s dictionary, declared by the language check) failed to load: ENOENT: jieba.dict.utf8',
    );
  });

  it("a service failing on its first call fails scoring as a service error, not as the check's crash", async () => {
    const registry = new CheckRegistry();
    registry.register(
      defineCheck({
        type: "needs-dictionary",
        better: "higher",
        unit: "0/1",
        note: "fails its lazy service's load",
        summary: "a check whose lazy service fails to load on its first call",
        paramsSchema: { type: "object", additionalProperties: false },
        services: () => ["zh-dictionary"],
        run: () => {
          throw new LanguageServiceError("zh-dictionary", ["needs-dictionary"], new Error("dictionary unreadable"));
        },
      }),
    );
    const services = await loadLanguageServices(["zh-dictionary"]);
    const scored = makeProbe({ checks: [{ type: "needs-dictionary" }] });
    expect(() => runChecks(scored, { id: scored.id, output: "今天" } as never, registry, services)).toThrow(LanguageServiceError);
  });
});

describe("language check: signature", () => {
  it("names the segmenters' releases when ja or zh is expected, and not otherwise", async () => {
    const services = await loadLanguageServices(language.services!({}, probe("ja")));
    const none = await loadLanguageServices([]);
    const signature = (languageCode: string, expected?: string[]) =>
      scoreCheck({ type: "language", ...(expected ? { expected } : {}) }, { output: "日本語です。" }, languageCode === "ja" || languageCode === "zh" ? services : none, {
        probe: probe(languageCode),
      }).details.signature;
    expect(signature("ja", ["ja", "en"])).toBe(`language|expected:ja+en|max_drift:0.1|unit:letters${SEG}|version:13`);
    expect(signature("zh")).toBe(`language|expected:zh|max_drift:0.1|unit:letters${SEG}|version:13`);
    expect(signature("ko")).toBe("language|expected:ko|max_drift:0.1|unit:letters|version:13");
    expect(signature("en")).toBe("language|expected:en|max_drift:0.1|unit:letters|version:13");
    expect(signature("ja", ["ko", "en"])).toBe("language|expected:ko+en|max_drift:0.1|unit:letters|version:13");
  });
});
