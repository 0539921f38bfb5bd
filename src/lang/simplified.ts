/**
 * Han text in the forms Simplified Chinese writes, for jieba's dictionary,
 * which is Simplified: Traditional and Japanese forms are converted by OpenCC
 * (opencc-js): Traditional → Simplified first (網路 → 网路, 衛生紙 → 卫生纸),
 * then Japanese shinjitai → Traditional → Simplified for the forms only Japan
 * writes (駅 → 驿, 広 → 广). OpenCC's Japanese route alone takes 衛 to the
 * older 衞, which it then leaves unconverted. Without it jieba reads every Traditional
 * or Japanese-form word as single characters, so a Traditional Chinese word
 * looked like one jieba lacks and a Japanese one like one it has not.
 *
 * The conversion keeps one character for one, so a word found in it is the
 * same stretch of the original: when OpenCC's phrase tables change the length
 * of a text, each character is converted on its own instead.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

type OpenCC = { Converter(options: { from: string; to: string }): (text: string) => string };

const require = createRequire(import.meta.url);
let convert: ((text: string) => string) | null = null;

/** Loaded on first use (~25 ms): only kana-less Han sentences need it. */
function converter(): (text: string) => string {
  if (!convert) {
    const { Converter } = require("opencc-js/t2cn") as OpenCC;
    const traditional = Converter({ from: "t", to: "cn" });
    const japanese = Converter({ from: "jp", to: "cn" });
    convert = (text) => japanese(traditional(text));
  }
  return convert;
}

/** The text with each Han character in its Simplified form, as many code points as the original. */
export function simplifiedForms(text: string): string {
  const chars = Array.from(text);
  const whole = converter()(text);
  if (Array.from(whole).length === chars.length) return whole;
  return chars
    .map((char) => {
      const one = converter()(char);
      return Array.from(one).length === 1 ? one : char;
    })
    .join("");
}

/** The converter's release, as a signature names it. */
export function simplifiedFormsRelease(): string {
  // The package exports no package.json: it is two folders above the entry point (dist/umd/t2cn.js).
  const manifest = path.join(path.dirname(require.resolve("opencc-js/t2cn")), "..", "..", "package.json");
  return `opencc-js@${(JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version}:t2cn+jp2cn`;
}
