/**
 * What a kana-less run of Han characters means in each language. Japanese
 * writes its grammar in kana (particles, okurigana, the copula), so a Japanese
 * line without kana is Sino-Japanese nouns (準備完了, 署名不能, 確定的); in
 * Chinese the grammar itself is Han characters: pronouns, the copula, negation,
 * particles, modal verbs, prepositions, adverbs and measure words. Those
 * function characters also occur in Japanese, but only as a morpheme of a
 * Sino-Japanese word (完了, 不能, 目的, 我慢, 現在) or as an affix on a compound
 * (不-, 再-, -的, -都). A function character that is neither is a Chinese word.
 *
 * The Japanese words come from IPADIC, the dictionary kuromoji ships
 * (data/japanese-function-words.ts, derived by drift-grammar-generate.ts).
 */
import { JAPANESE_AFFIXES, JAPANESE_WORDS } from "./data/japanese-function-words.js";

/** Chinese function characters by class, Simplified and Traditional forms. */
const FUNCTION_CHARACTER_CLASSES = {
  pronouns: "我你您他她它们們咱这這那哪谁誰什么麼怎其此",
  copulaExistenceNegation: "是有在没沒不别別",
  particles: "的了着著过過吗嗎呢吧啊呀嘛",
  modalVerbs: "要想会會能该該",
  prepositions: "把被给給让讓从從对對跟向为為于於和与與",
  adverbs: "很好挺也都就还還又再才只太更最已刚剛",
  conjunctions: "或而但且因如",
  measureWords: "个個些",
} as const;

export const CHINESE_FUNCTION_CHARACTERS: ReadonlySet<string> = new Set(
  Object.values(FUNCTION_CHARACTER_CLASSES).flatMap((chars) => Array.from(chars)),
);

const japaneseWords = new Set(JAPANESE_WORDS.split(" "));
const prefixes = new Set(Array.from(JAPANESE_AFFIXES.prefixes));
const suffixes = new Set(Array.from(JAPANESE_AFFIXES.suffixes));
/** A Japanese affix attaches to a compound: two or more characters. */
const COMPOUND = 2;

/**
 * The function characters of chars[start, end) (one Han run) that no Japanese
 * reading explains: not part of a two-character Japanese word with a
 * neighbour, and not a Japanese prefix opening the run before a compound
 * (再起動) or a suffix closing it after one (確定的).
 */
export function chineseFunctionWords(chars: readonly string[], start: number, end: number): string[] {
  const free: string[] = [];
  for (let index = start; index < end; index++) {
    const char = chars[index]!;
    if (!CHINESE_FUNCTION_CHARACTERS.has(char)) continue;
    const withPrevious = index > start && japaneseWords.has(chars[index - 1]! + char);
    const withNext = index + 1 < end && japaneseWords.has(char + chars[index + 1]!);
    const prefix = prefixes.has(char) && index === start && end - (index + 1) >= COMPOUND;
    const suffix = suffixes.has(char) && index === end - 1 && index - start >= COMPOUND;
    if (!withPrevious && !withNext && !prefix && !suffix) free.push(char);
  }
  return free;
}
