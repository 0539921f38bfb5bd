/**
 * What a kana-less Han run means to a Japanese and a Chinese word segmenter:
 * kuromoji (IPADIC) and jieba (its dictionary, HMM off), as the language
 * services load them. Japanese writes its grammar in kana, so a kana-less
 * Japanese line is a compound of Sino-Japanese words, and kuromoji reads it
 * as dictionary nouns joined by prefixes and suffixes (送信/完了, 再/起動/中,
 * 一期一会). A Chinese sentence read by kuromoji falls apart into pieces no
 * kana-less Japanese line is made of:
 *
 * - a word IPADIC lacks, which kuromoji makes up from character classes (慢 請 暫);
 * - a bare one-kanji verb or adjective (去 走 吃 坐 多): Japanese verbs and
 *   adjectives end in kana (行く 多い), so without kana they are not Japanese;
 * - a one-kanji proper noun (加 進 響 as IPADIC lists them: fragments of names);
 * - one kanji read twice in a row as two words (謝/謝): Japanese writes a
 *   repeated kanji with 々 (人々 時々), Chinese doubles it (谢谢 看看 慢慢);
 * - a Chinese function character (drift-grammar.ts) standing on its own: not
 *   a prefix before a word (再/起動, 不/合格; not before a word of function
 *   characters only, 他/不在) or a suffix closing the run after one (確定/的),
 *   which is how Japanese writes them (他/去 学校/了: 了 is free; the
 *   character-pair list read 校了 as a Japanese word);
 * - a jieba word that kuromoji can only cut into single characters (今天 →
 *   今/天, 星期一 → 星/期/一, 一下 → 一/下): a word of the Chinese dictionary
 *   where the Japanese one has none. A jieba word across kuromoji's words
 *   (一会 in 一期一会, 再起 in 再/起動) says nothing, nor does a number with
 *   its counter, its ordinal prefix or both, or its numerals before a counter
 *   (何/時, 十/八 of 十八時, 第/一, 第/三/回: one Japanese word).
 *
 * The other way, a line kuromoji reads as a Japanese compound is Japanese
 * when one of its words is one jieba's dictionary lacks (完了 入力 本日 受付:
 * jieba reads the same characters one by one; 非常口: jieba reads 非常/口) or
 * counts under once per million words (本当 休憩). jieba reads Traditional
 * and Japanese forms in their Simplified ones (simplified.ts: 無料 is 无料,
 * which it lacks; 失敗 is 失败, which it has), so a word is judged only when
 * its Simplified forms are GB2312 characters, which a Simplified dictionary
 * may write. Nor for a word of Chinese function characters only (不在),
 * which Chinese writes as two words.
 */
import type { JapaneseToken, LanguageServices } from "./services.js";
import { CHINESE_FUNCTION_CHARACTERS } from "./drift-grammar.js";
import { inGb2312 } from "./han-sets.js";
import { simplifiedForms } from "./simplified.js";
import { leaningWord } from "./han-word-frequencies.js";

/** The two segmenters the evidence needs (kuromoji, jieba): the language services "ja" and "zh". */
export type DriftDictionaries = Pick<LanguageServices, "japanese" | "chineseDictionaryWords" | "chineseWordsPerMillion">;

const length = (text: string): number => Array.from(text).length;
/** A word of Chinese function characters only (不在): two words in Chinese, so no Japanese evidence either way. */
const functionCharactersOnly = (word: string): boolean => Array.from(word).every((char) => CHINESE_FUNCTION_CHARACTERS.has(char));
const isWord = (token: JapaneseToken | undefined): boolean => token !== undefined && token.pos === "名詞" && token.posDetail !== "接尾";

/**
 * The readings of a kana-less Han run that only Chinese explains, each as
 * "character or word: why"; empty when kuromoji reads it as a Japanese compound.
 */
export function chineseReadings(run: string, dictionaries: DriftDictionaries): string[] {
  const tokens = dictionaries.japanese(run);
  const readings = tokens.flatMap((_, index) => tokenReading(tokens, index) ?? []).map((reading) => reading.text);
  return [...readings, ...wordsJapaneseSplits(run, tokens, dictionaries)];
}

/**
 * The readings of a Han run that are Chinese grammar — a free function
 * character, one kanji twice, a bare one-kanji verb or adjective — and not
 * words or names IPADIC lacks or cuts (檸檬, 翔, 今天): what tells Chinese Han
 * beside Japanese kana, where a reading in brackets (檸檬（れもん）) is Japanese.
 */
export function chineseGrammar(run: string, dictionaries: DriftDictionaries, { functionWordsOnly = false } = {}): string[] {
  const tokens = dictionaries.japanese(run);
  const kinds = functionWordsOnly ? ["function"] : ["function", "twice", "verb"];
  return tokens
    .flatMap((_, index) => tokenReading(tokens, index) ?? [])
    .filter((reading) => kinds.includes(reading.kind))
    .map((reading) => reading.text);
}

/** What one of kuromoji's tokens of a Han run reads as that only Chinese explains, as "character: why"; null when nothing. */
function tokenReading(tokens: readonly JapaneseToken[], index: number): { text: string; kind: "unknown" | "function" | "twice" | "verb" | "name" } | null {
  const token = tokens[index]!;
  const { surface } = token;
  if (!token.known) return { text: `${surface}: not in IPADIC`, kind: "unknown" };
  if (length(surface) !== 1) return null;
  if (CHINESE_FUNCTION_CHARACTERS.has(surface)) {
    const next = tokens[index + 1];
    const prefix = token.pos === "接頭詞" && isWord(next) && length(next!.surface) >= 2 && !functionCharactersOnly(next!.surface);
    const suffix = token.posDetail === "接尾" && index === tokens.length - 1 && isWord(tokens[index - 1]);
    return prefix || suffix ? null : { text: `${surface}: a function word of its own`, kind: "function" };
  }
  if (index > 0 && tokens[index - 1]!.surface === surface) return { text: `${surface}${surface}: one kanji twice`, kind: "twice" };
  if (token.pos === "動詞" || token.pos === "形容詞") return { text: `${surface}: a verb or adjective without kana`, kind: "verb" };
  if (token.posDetail === "固有名詞") return { text: `${surface}: a one-kanji piece of a name`, kind: "name" };
  return null;
}

/**
 * jieba's words that kuromoji cuts into single characters, as "word: …". A
 * word that is a number to kuromoji (numberWords: 何時 what hour, 三人, 十八
 * of 十八時, 第一, 第一章) is one Japanese word; one reaching past it is not (第二天).
 */
function wordsJapaneseSplits(run: string, tokens: readonly JapaneseToken[], dictionaries: DriftDictionaries): string[] {
  const singleAt = singleCharacterPositions(tokens.map((token) => token.surface));
  const isNumber = numberWords(tokens);
  const boundaries = new Set<number>([0]);
  let at = 0;
  for (const token of tokens) {
    at += length(token.surface);
    boundaries.add(at);
  }
  const found: string[] = [];
  at = 0;
  for (const word of dictionaries.chineseDictionaryWords(run)) {
    const size = length(word);
    let split = size >= 2 && boundaries.has(at) && boundaries.has(at + size) && !isNumber(at, size);
    for (let k = at; split && k < at + size; k++) split = singleAt.has(k);
    if (split) found.push(`${word}: a jieba word IPADIC has no word for`);
    at += size;
  }
  return found;
}

/** A stretch of numeral tokens kuromoji reads (十/八), with the counter after it (時) or the number prefix before it (第), in code points. */
interface NumberStretch {
  from: number;
  to: number;
  /** End of the counter after the numerals, or null when none follows. */
  counterEnd: number | null;
  /** Start of the number prefix before them, or null. */
  prefixStart: number | null;
}

/**
 * Which words of a run are numbers to kuromoji, IPADIC listing every Han
 * numeral apart: a number with its counter after it (十/八/時, 何/時, 二/十/五/日),
 * the numerals of such a number on their own (十八 of 十八時), and a number
 * with its prefix before it, with or without its counter (第/一, 第/一/章).
 * Numerals with no counter are not (千万 of 千万注意, an adverb; 一五一十, an
 * idiom), nor is a word reaching past the number (第二天: 天 is no counter).
 * So 第一次 is a number too, as Japanese writes it (第一次産業), though
 * Chinese writes it for "the first time".
 */
function numberWords(tokens: readonly JapaneseToken[]): (at: number, size: number) => boolean {
  const stretches: NumberStretch[] = [];
  const starts: number[] = [];
  let at = 0;
  for (const token of tokens) {
    starts.push(at);
    at += length(token.surface);
  }
  starts.push(at);
  for (let first = 0; first < tokens.length; first++) {
    if (tokens[first]!.posDetail !== "数" || tokens[first - 1]?.posDetail === "数") continue;
    let end = first + 1;
    while (tokens[end]?.posDetail === "数") end++;
    const counter = tokens[end];
    const prefix = tokens[first - 1];
    stretches.push({
      from: starts[first]!,
      to: starts[end]!,
      counterEnd: counter?.posDetail === "接尾" && counter.posDetail2 === "助数詞" ? starts[end + 1]! : null,
      prefixStart: prefix?.pos === "接頭詞" && prefix.posDetail === "数接続" ? starts[first - 1]! : null,
    });
  }
  return (start, size) =>
    stretches.some(
      ({ from, to, counterEnd, prefixStart }) =>
        (counterEnd !== null && ((start === from && start + size === counterEnd) || (start >= from && start + size <= to))) ||
        (prefixStart !== null && start === prefixStart && (start + size === to || (counterEnd !== null && start + size === counterEnd))),
    );
}

/**
 * Below this many uses per million words (Zipf 3, the usual line between low-
 * and high-frequency words), jieba's dictionary says Chinese rarely writes a
 * word: 本当 (0.7), 休憩 (0.8), 休业 (0.05), against 注意 (164) 准备 (270).
 */
const RARE_IN_CHINESE_PER_MILLION = 1;

/**
 * The words of a kana-less Han run that only Japanese has, each as "word" or
 * "word (n per million in jieba)": IPADIC words of two or more characters
 * (GB2312 ones in their Simplified forms), not all function characters, that
 * jieba's dictionary lacks (its reading of the run cuts the word into two or
 * more words of its own; 件名 inside jieba's 文件名 is not one) or reads as
 * the same word but rarely counts. Meant for a run chineseReadings found nothing in.
 */
export function japaneseOnlyWords(run: string, dictionaries: DriftDictionaries): string[] {
  const jiebaWords = wordsAt(dictionaries.chineseDictionaryWords(run));
  const found: string[] = [];
  let at = 0;
  for (const { surface } of dictionaries.japanese(run)) {
    const chars = Array.from(surface);
    const candidate = chars.length >= 2 && Array.from(simplifiedForms(surface)).every(inGb2312) && !functionCharactersOnly(surface);
    if (candidate && cutInside(jiebaWords, at, chars.length)) {
      found.push(surface);
    } else if (candidate && jiebaWords.get(at) === surface) {
      const perMillion = dictionaries.chineseWordsPerMillion(surface);
      if (perMillion < RARE_IN_CHINESE_PER_MILLION) found.push(`${surface} (${perMillion.toFixed(2)} per million in jieba)`);
    }
    at += chars.length;
  }
  return found;
}

/**
 * The words of a kana-less Han run that one language writes far more often
 * than the other (han-word-frequencies.ts: once per million words or more
 * against under that, a hundred times as often), and the line's lean: the
 * summed Zipf margins, positive for Japanese. A Japanese word counts however
 * jieba cuts around it (料金 in 料金表, which jieba reads 料/金表); a Chinese
 * word only where kuromoji reads the same word (明天, 系統), since Japanese
 * lists cut its compounds finer (注意事項 is two words in Japanese, one jieba
 * word). Meant for a run neither chineseReadings nor japaneseOnlyWords decided.
 */
export function leaningWords(run: string, dictionaries: DriftDictionaries): { ja: string[]; zh: string[]; lean: number } {
  const jiebaWords = wordsAt(dictionaries.chineseDictionaryWords(run));
  const found = { ja: [] as string[], zh: [] as string[], lean: 0 };
  let at = 0;
  for (const token of dictionaries.japanese(run)) {
    const { surface } = token;
    const size = length(surface);
    const word = token.known && size >= 2 && !functionCharactersOnly(surface) ? leaningWord(surface) : null;
    if (word && (word.language === "ja" || jiebaWords.get(at) === surface)) {
      found[word.language].push(`${surface} (Zipf ja ${word.ja}, zh ${word.zh})`);
      found.lean += word.ja - word.zh;
    }
    at += size;
  }
  return found;
}

/** Whether a segmentation cuts the stretch [at, at + size) into two or more words of its own (none across its ends). */
function cutInside(wordsByStart: ReadonlyMap<number, string>, at: number, size: number): boolean {
  let words = 0;
  for (let k = at; k < at + size; words++) {
    const word = wordsByStart.get(k);
    if (word === undefined) return false;
    k += length(word);
    if (k > at + size) return false;
  }
  return words >= 2;
}

/** The words of a segmentation by the offset (in code points) each starts at. */
function wordsAt(words: readonly string[]): Map<number, string> {
  const byStart = new Map<number, string>();
  let at = 0;
  for (const word of words) {
    byStart.set(at, word);
    at += length(word);
  }
  return byStart;
}

/** Offsets (in code points) of the one-character words of a segmentation. */
function singleCharacterPositions(words: readonly string[]): Set<number> {
  const singles = new Set<number>();
  let at = 0;
  for (const word of words) {
    const size = length(word);
    if (size === 1) singles.add(at);
    at += size;
  }
  return singles;
}
