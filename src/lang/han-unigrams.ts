/**
 * How much more likely a kana-less Han line is as Japanese than as Chinese,
 * by a unigram word model of each language (src/lang/data/han-unigrams.ts,
 * wordfreq's lists): the line's probability under each is that of its most
 * likely cut into the language's words (Viterbi), Japanese on the text as
 * written, Chinese on its Simplified forms (simplified.ts). A word's
 * probability is its frequency; a character neither list holds as a word is
 * read at Zipf 0 (once in a billion words).
 *
 * The two lists cut differently: the Japanese one is words as MeCab with
 * IPADIC cuts them, finer than jieba's Chinese ones in places (注意事項 is
 * 注意 + 事項 in Japanese, one word in Chinese), and every word of a cut is a
 * factor below one. So when the Japanese cut has more words than the
 * Chinese one, each word more is given a factor of ten
 * (EXTRA_JAPANESE_WORD_ZIPF); where both cut alike, the odds are the words'
 * frequencies alone.
 */
import { CHINESE_HAN_UNIGRAMS, JAPANESE_HAN_UNIGRAMS } from "./data/han-unigrams.js";
import { simplifiedForms } from "./simplified.js";

/** Zipf points given to each word the Japanese cut has more than the Chinese one (a factor of ten): MeCab's words are finer than jieba's. */
const EXTRA_JAPANESE_WORD_ZIPF = 1;
/** Zipf of a character no list holds as a word. */
const UNLISTED_CHARACTER_ZIPF = 0;
/** Longest word tried, in characters (the lists' longest Han words that matter run to about eight). */
const LONGEST_WORD = 8;

type Unigrams = Map<string, number>;
let lists: { ja: Unigrams; zh: Unigrams } | null = null;

function parse(table: string): Unigrams {
  const words: Unigrams = new Map();
  for (const row of table.split("\n")) {
    const tab = row.indexOf("\t");
    words.set(row.slice(0, tab), Number(row.slice(tab + 1)));
  }
  return words;
}

/** Both lists, parsed on first use: only kana-less Han lines ask. */
function unigrams(): { ja: Unigrams; zh: Unigrams } {
  lists ??= { ja: parse(JAPANESE_HAN_UNIGRAMS), zh: parse(CHINESE_HAN_UNIGRAMS) };
  return lists;
}

export interface Cut {
  /** log10 of the cut's probability. */
  score: number;
  words: string[];
}

/** The most likely cut of `chars` into the words of one list (log10 probabilities). */
function bestCut(chars: readonly string[], words: Unigrams): Cut {
  const n = chars.length;
  const score = new Float64Array(n + 1).fill(-Infinity);
  const from = new Int32Array(n + 1);
  score[0] = 0;
  for (let start = 0; start < n; start++) {
    if (score[start] === -Infinity) continue;
    let word = "";
    for (let size = 1; size <= Math.min(LONGEST_WORD, n - start); size++) {
      word += chars[start + size - 1]!;
      const zipf = words.get(word) ?? (size === 1 ? UNLISTED_CHARACTER_ZIPF : undefined);
      if (zipf === undefined) continue;
      const next = score[start]! + zipf - 9;
      if (next > score[start + size]!) {
        score[start + size] = next;
        from[start + size] = start;
      }
    }
  }
  const cut: string[] = [];
  for (let end = n; end > 0; end = from[end]!) cut.push(chars.slice(from[end]!, end).join(""));
  return { score: score[n]!, words: cut.reverse() };
}

/**
 * log10 of how many times likelier `text` (Han characters only) is as
 * Japanese than as Chinese, with the cuts that say so: 今日暇 cuts as 今日/暇
 * in both, and Chinese writes 暇 a hundred times less often.
 */
export function japaneseOdds(text: string): { odds: number; ja: Cut; zh: Cut } {
  const { ja: japanese, zh: chinese } = unigrams();
  const ja = bestCut(Array.from(text), japanese);
  const zh = bestCut(Array.from(simplifiedForms(text)), chinese);
  const extraWords = Math.max(0, ja.words.length - zh.words.length);
  return { odds: ja.score - zh.score + EXTRA_JAPANESE_WORD_ZIPF * extraWords, ja, zh };
}
