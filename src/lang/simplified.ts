/**
 * Han text in the forms Simplified Chinese writes, for jieba's dictionary,
 * which is Simplified: Traditional and Japanese forms are converted by OpenCC
 * (opencc-js): Traditional → Simplified first (網路 → 网路, 衛生紙 → 卫生纸),
 * then, for a character still outside GB2312, Japanese shinjitai → Traditional
 * → Simplified (駅 → 驿, 広 → 广). OpenCC's Japanese route alone takes 衛 to
 * the older 衞, which it then leaves unconverted; run over Simplified text it
 * rewrites characters Simplified Chinese writes (研 → 硏, 概 → 槪, 欠 → 缺).
 *
 * The conversion keeps one character for one, so a word found in it is the
 * same stretch of the original: when OpenCC's phrase tables change the length
 * of a text, each character is converted on its own instead.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inGb2312 } from "./han-sets.js";

type OpenCC = { Converter(options: { from: string; to: string }): (text: string) => string };

const require = createRequire(import.meta.url);
let toSimplified: ((text: string) => string) | null = null;
let toTraditional: ((text: string) => string) | null = null;

/** Loaded on first use (~25 ms): only kana-less Han sentences need it. */
function converter(): (text: string) => string {
  if (!toSimplified) {
    const { Converter } = require("opencc-js/t2cn") as OpenCC;
    const traditional = Converter({ from: "t", to: "cn" });
    const japanese = Converter({ from: "jp", to: "cn" });
    toSimplified = (text) =>
      Array.from(traditional(text))
        .map((char) => (inGb2312(char) ? char : japanese(char)))
        .join("");
  }
  return toSimplified;
}

/** Each character converted on its own where a conversion changed the length. */
function oneForOne(text: string, convert: (text: string) => string): string {
  const chars = Array.from(text);
  const whole = convert(text);
  if (Array.from(whole).length === chars.length) return whole;
  return chars
    .map((char) => {
      const one = convert(char);
      return Array.from(one).length === 1 ? one : char;
    })
    .join("");
}

/** Recent conversions: the drift evidence converts the same short runs and words again and again (~10 µs each). */
const recentSimplified = new Map<string, string>();
const RECENT = 4096;
const traditionalByChar = new Map<string, string>();

/** The text with each Han character in its Simplified form, as many code points as the original. */
export function simplifiedForms(text: string): string {
  let simplified = recentSimplified.get(text);
  if (simplified === undefined) {
    simplified = oneForOne(text, converter());
    recentSimplified.set(text, simplified);
    if (recentSimplified.size > RECENT) recentSimplified.delete(recentSimplified.keys().next().value!);
  }
  return simplified;
}

/** A Simplified (or Japanese) character's Traditional form, as OpenCC writes it (会 → 會, 内 → 內); the character itself when it has none. */
export function traditionalForm(char: string): string {
  let traditional = traditionalByChar.get(char);
  if (traditional === undefined) {
    toTraditional ??= (require("opencc-js/cn2t") as OpenCC).Converter({ from: "cn", to: "t" });
    traditional = oneForOne(char, toTraditional);
    traditionalByChar.set(char, traditional);
  }
  return traditional;
}

let release: string | null = null;

/** The converter's release, as a signature names it (read once: every language check's signature asks). */
export function simplifiedFormsRelease(): string {
  if (release === null) {
    // The package exports no package.json: it is two folders above the entry point (dist/umd/t2cn.js).
    const manifest = path.join(path.dirname(require.resolve("opencc-js/t2cn")), "..", "..", "package.json");
    release = `opencc-js@${(JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version}:t2cn+jp2cn`;
  }
  return release;
}
