/**
 * BLEU tokenizers with sacreBLEU 2.x semantics (`sacrebleu/tokenizers/`), one
 * function each, plus `ja-kuromoji`, which takes its segmentation from the
 * caller (the check passes kuromoji surfaces from the language services).
 *
 * A tokenizer returns the tokenized line: tokens joined by single spaces, the
 * way sacreBLEU's tokenizers do; `tokenList` splits it back into tokens.
 */
import { isChinese, isJapanese, isKorean } from "../lang/words.js";
import { codePoints } from "../lang/scripts.js";
import { pySplit, pyStrip } from "./text.js";

export const BUILTIN_TOKENIZERS = ["13a", "zh", "char", "none", "intl"] as const;
export type BuiltinTokenizerName = (typeof BUILTIN_TOKENIZERS)[number];

/**
 * Every tokenizer name a BLEU check accepts. `ja-kuromoji` is kuromoji with
 * IPADIC: the dictionary MeCab's `ja-mecab` uses, but not the same segmenter,
 * so its scores are labelled with their own name and never as `ja-mecab`.
 */
export const TOKENIZER_NAMES = [...BUILTIN_TOKENIZERS, "ja-kuromoji"] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export interface Tokenizer {
  /** What the signature shows after `tok:`. */
  readonly name: TokenizerName;
  /** The tokenized line, tokens joined by single spaces. */
  tokenize(line: string): string;
}

/** Splits a tokenized line into tokens (Python `str.split()`). */
export function tokenList(tokenized: string): string[] {
  return pySplit(tokenized);
}

// mteval-v13a's language-dependent rules (sacreBLEU's TokenizerRegexp), shared by 13a and zh.
// Symbols: { | } ~  [ \ ] ^ _ `  space ! " # $ % &  ( ) * +  : ; < = > ? @  /
const SYMBOLS = /([{-~\[-`\x20-&(-+:-@\/])/gu;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/gu;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/gu;
const DASH_AFTER_DIGIT = /([0-9])(-)/gu;

function regexpPostTokenize(line: string): string {
  const spaced = line
    .replace(SYMBOLS, " $1 ")
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, "$1 $2 ")
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, " $1 $2")
    .replace(DASH_AFTER_DIGIT, "$1 $2 ");
  return pySplit(spaced).join(" ");
}

/** `13a`: mteval-v13a, sacreBLEU's default. */
export function tokenize13a(line: string): string {
  let text = line.replaceAll("<skipped>", "").replaceAll("-\n", "").replaceAll("\n", " ");
  if (text.includes("&")) {
    text = text.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  }
  return regexpPostTokenize(` ${text} `);
}

/**
 * The code point ranges sacreBLEU's `zh` tokenizer treats as Chinese, as they
 * behave in Python. Two of its ranges are written `'\u20000'`–`'\u2a6d6'` and
 * `'\u2f800'`–`'\u2fa1d'`, meant as Extension B and the Compatibility
 * Supplement; Python reads `\u2000` + `0`, so the comparisons really cover
 * U+2001–U+2A6D (general punctuation such as “ ” … —, arrows, maths symbols,
 * box drawing) and U+2F81–U+2FA1, and no astral character (𠮷, emoji) is ever
 * split off. We keep that behaviour: it is what sacreBLEU's zh scores mean.
 */
const ZH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fa5], // CJK Unified Ideographs
  [0x9fa6, 0x9fbb], // CJK Unified Ideographs (4.1)
  [0xf900, 0xfa2d], // CJK Compatibility Ideographs
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], // written '\u20000'..'\u2a6d6' (see above)
  [0x2f81, 0x2fa1], // written '\u2f800'..'\u2fa1d' (see above)
  [0xff00, 0xffef], // full-width ASCII and punctuation, half-width kana, Hangul
  [0x2e80, 0x2eff], // CJK Radicals Supplement
  [0x3000, 0x303f], // CJK symbols and punctuation
  [0x31c0, 0x31ef], // CJK strokes
  [0x2f00, 0x2fdf], // Kangxi Radicals
  [0x2ff0, 0x2fff], // ideographic description characters
  [0x3100, 0x312f], // Bopomofo
  [0x31a0, 0x31bf], // Bopomofo Extended
  [0xfe10, 0xfe1f], // vertical forms
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0x2600, 0x26ff], // miscellaneous symbols
  [0x2700, 0x27bf], // dingbats
  [0x3200, 0x32ff], // enclosed CJK letters and months
  [0x3300, 0x33ff], // CJK compatibility
];

export function isSacrebleuChineseChar(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return ZH_RANGES.some(([start, end]) => code >= start && code <= end);
}

/**
 * `zh`: spaces around every character in the ranges above, then the 13a
 * regular expressions (sacreBLEU applies its TokenizerRegexp here, without
 * 13a's entity unescaping and padding). Hiragana and katakana are not split.
 */
export function tokenizeZh(line: string): string {
  let spaced = "";
  for (const char of codePoints(pyStrip(line))) {
    spaced += isSacrebleuChineseChar(char) ? ` ${char} ` : char;
  }
  return regexpPostTokenize(spaced);
}

/** `char`: every code point a token (whitespace falls away when the line is split). */
export function tokenizeChar(line: string): string {
  return codePoints(line).join(" ");
}

/** `none`: the line as it is; tokens are its whitespace-separated words. */
export function tokenizeNone(line: string): string {
  return line;
}

// mteval-v14's international tokenization.
const PUNCT_AFTER_NON_NUMBER = /(\P{N})(\p{P})/gu;
const PUNCT_BEFORE_NON_NUMBER = /(\p{P})(\P{N})/gu;
const SYMBOL = /(\p{S})/gu;

/** `intl`: Unicode punctuation split off unless between digits, every symbol split off. */
export function tokenizeIntl(line: string): string {
  const spaced = line
    .replace(PUNCT_AFTER_NON_NUMBER, "$1 $2 ")
    .replace(PUNCT_BEFORE_NON_NUMBER, " $1 $2")
    .replace(SYMBOL, " $1 ");
  return pySplit(spaced).join(" ");
}

const BUILTIN: Record<BuiltinTokenizerName, (line: string) => string> = {
  "13a": tokenize13a,
  zh: tokenizeZh,
  char: tokenizeChar,
  none: tokenizeNone,
  intl: tokenizeIntl,
};

/**
 * `ja-kuromoji`: the words a Japanese segmenter gives for the stripped line
 * (the check passes kuromoji surfaces). Whitespace inside a word splits it.
 */
export function kuromojiTokenizer(segment: (text: string) => string[]): Tokenizer {
  return {
    name: "ja-kuromoji",
    tokenize: (line) => segment(pyStrip(line)).flatMap(pySplit).join(" "),
  };
}

export interface TokenizerOptions {
  /** Word segmentation for `ja-kuromoji`, e.g. `(t) => services.japanese(t).map((w) => w.surface)`. */
  japanese?: (text: string) => string[];
}

/**
 * The tokenizer a target language gets by default, as sacreBLEU chooses by
 * `trg_lang`: ja → ja-kuromoji (where sacreBLEU has ja-mecab), zh → zh,
 * ko → char (sacreBLEU's ko-mecab has no counterpart here), else 13a.
 */
export function tokenizerForLanguage(language: string): TokenizerName {
  if (isJapanese(language)) return "ja-kuromoji";
  if (isChinese(language)) return "zh";
  if (isKorean(language)) return "char";
  return "13a";
}

/** A tokenizer by name; `ja-kuromoji` needs `options.japanese`. */
export function getTokenizer(name: TokenizerName, options: TokenizerOptions = {}): Tokenizer {
  if (name === "ja-kuromoji") {
    if (!options.japanese) throw new Error("tokenizer ja-kuromoji needs a Japanese segmenter (options.japanese)");
    return kuromojiTokenizer(options.japanese);
  }
  const tokenize = BUILTIN[name];
  if (!tokenize) throw new Error(`unknown tokenizer "${String(name)}"`);
  return { name, tokenize };
}
