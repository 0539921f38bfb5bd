/**
 * Word tokens by language: the one decision of which word tokenizer a
 * language gets (kuromoji for Japanese, jieba for Chinese, the Unicode word
 * split otherwise), and the Unicode word split itself.
 */
/** The word segmenters a process may load: kuromoji for Japanese ("ja"), jieba for Chinese ("zh"). */
export type ServiceName = "ja" | "zh";

export function isJapanese(language: string): boolean {
  return language === "ja" || language.startsWith("ja-");
}

export function isChinese(language: string): boolean {
  return language === "zh" || language.startsWith("zh-");
}

export function isKorean(language: string): boolean {
  return language === "ko" || language.startsWith("ko-");
}

export interface WordTokenizer {
  /** As a signature names it (token_f1's `tok:`). */
  name: "ja-kuromoji" | "zh-jieba" | "unicode-words";
  /** The segmenter alone, as repetition's signature and length's details name it. */
  segmenter: "kuromoji" | "jieba" | "unicode";
  /** The language service it needs loaded; null for the Unicode split. */
  service: ServiceName | null;
}

export const WORD_TOKENIZERS = {
  kuromoji: { name: "ja-kuromoji", segmenter: "kuromoji", service: "ja" },
  jieba: { name: "zh-jieba", segmenter: "jieba", service: "zh" },
  unicode: { name: "unicode-words", segmenter: "unicode", service: null },
} as const satisfies Record<WordTokenizer["segmenter"], WordTokenizer>;

/**
 * The word tokenizer for a language. With `loaded` (the services a process
 * has), the Unicode split stands in when the language's segmenter is not
 * loaded, which is what `LanguageServices.words` then does.
 */
export function wordTokenizerFor(language: string, loaded?: ReadonlySet<ServiceName>): WordTokenizer {
  const wanted = isJapanese(language) ? WORD_TOKENIZERS.kuromoji : isChinese(language) ? WORD_TOKENIZERS.jieba : WORD_TOKENIZERS.unicode;
  return wanted.service === null || loaded === undefined || loaded.has(wanted.service) ? wanted : WORD_TOKENIZERS.unicode;
}

/**
 * Unicode-aware word splitting for text without a dedicated segmenter:
 * runs of letters/marks/numbers (apostrophes and hyphens inside a word kept),
 * every other non-space symbol its own token. Han, kana and Hangul characters
 * that reach here (no segmenter loaded) become one token per character.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;
/** CJK characters one by one, and the Latin/digit runs between them whole. */
const CJK_PIECE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+/gu;

export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (CJK_CHAR.test(word)) for (const piece of word.matchAll(CJK_PIECE)) words.push(piece[0]);
    else words.push(word);
  }
  return words;
}
