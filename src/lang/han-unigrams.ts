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
 * IPADIC cuts them, finer than jieba's Chinese ones (初期化 is 初期 + 化, 最終回
 * 最終 + 回), so the same line takes more Japanese words than Chinese ones, each
 * a factor below one. Each Japanese word is given JAPANESE_WORD_ALLOWANCE to
 * even that out, measured on the corpora of test/drift-corpus.test.ts.
 */
import { CHINESE_HAN_UNIGRAMS, JAPANESE_HAN_UNIGRAMS } from "./data/han-unigrams.js";
import { simplifiedForms } from "./simplified.js";

/** Zipf points given to each Japanese word of a cut (a factor of ten): MeCab's words are finer than jieba's. */
export const JAPANESE_WORD_ALLOWANCE = 1;
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
  /** log10 of the cut's probability, allowances included. */
  score: number;
  words: string[];
}

/** The most likely cut of `chars` into the words of one list (log10 probabilities, `allowance` added to each word). */
function bestCut(chars: readonly string[], words: Unigrams, allowance: number): Cut {
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
      const next = score[start]! + zipf - 9 + allowance;
      if (next > score[start + size]!) {
        score[start + size] = next;
        from[start + size] = start;
      }
    }
  }
  const cut: string[] = [];
  for (let end = n; end > 0; end = from[end]!) cut.unshift(chars.slice(from[end]!, end).join(""));
  return { score: score[n]!, words: cut };
}

/**
 * log10 of how many times likelier `text` (Han characters only) is as
 * Japanese than as Chinese, with the cuts that say so: 今日暇 cuts as 今日/暇
 * in both, and Chinese writes 暇 a hundred times less often.
 */
export function japaneseOdds(text: string): { odds: number; ja: Cut; zh: Cut } {
  const { ja: japanese, zh: chinese } = unigrams();
  const ja = bestCut(Array.from(text), japanese, JAPANESE_WORD_ALLOWANCE);
  const zh = bestCut(Array.from(simplifiedForms(text)), chinese, 0);
  return { odds: ja.score - zh.score, ja, zh };
}
