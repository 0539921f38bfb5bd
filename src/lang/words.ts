/**
 * Unicode-aware word splitting for text without a dedicated segmenter:
 * runs of letters/marks/numbers (apostrophes and hyphens inside a word kept),
 * every other non-space symbol its own token. Han, kana and Hangul characters
 * that reach here (no segmenter loaded) become one token per character.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;

export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (CJK_CHAR.test(word)) {
      // Split CJK characters apart but keep Latin/digit runs inside the match together.
      for (const piece of word.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+/gu) ?? []) {
        words.push(piece);
      }
    } else {
      words.push(word);
    }
  }
  return words;
}
