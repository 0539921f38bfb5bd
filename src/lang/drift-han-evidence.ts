/**
 * Drift step 3: a label for every Han run. Japanese and Chinese share Han
 * characters, so a run is decided by, in order:
 *  a. the character standards (han-sets.ts): characters only Japanese writes
 *     (in JIS X 0208 and not in GB2312 or Big5, or common only in Japan)
 *     against characters only Chinese writes, whichever are more; in a
 *     sentence without kana, one Japanese-only character more yields to two
 *     different Chinese function words (河原町在…: a Japanese name in Chinese);
 *  b. kana in the same sentence ⇒ ja (unless the run has two or more
 *     characters JIS X 0208 lacks); Hangul without kana ⇒ ko (Hanja, whatever
 *     the standards say; Hangul in a quotation only for the Han inside it);
 *     otherwise another decided Han run of the sentence.
 *     Kana inside a quotation or bracket are another utterance's: Han outside
 *     them (and the other way round) with Chinese grammar is Chinese
 *     (“ありがとう”就是谢谢的意思), else it goes by its neighbours (e, f), and a
 *     Chinese form there (这个很好吃（おいしい）) does not yield to them;
 *  c. a run of eight or more Han characters in a sentence without kana ⇒ zh:
 *     Japanese kanji compounds stop at about seven (unless, with the word
 *     segmenters, kuromoji reads a run of up to sixteen as one compound);
 *  d. a finished sentence (。！？.!?) without kana that only Chinese reads
 *     ⇒ zh. Japanese writes its grammar in kana, so its kana-less lines are
 *     noun compounds (準備完了。 署名不能。). With the word segmenters at hand
 *     (drift-dictionaries.ts): a piece kuromoji cannot read as part of a
 *     Japanese compound (a free function character, a bare one-kanji verb, a
 *     word IPADIC lacks) or a jieba word kuromoji can only cut into single
 *     characters (今天 星期一); and the other way, a compound with a word
 *     jieba's dictionary lacks or rarely counts (完了 本日 本当) ⇒ ja. Without
 *     them: a function character (我 是 了 的…) that is no morpheme of a
 *     two-character Japanese word (drift-grammar.ts). Then, either way, a
 *     Traditional form beside a Simplified one (電池残量: 電 is not in GB2312,
 *     残 not in Big5), which only Japanese writes together ⇒ ja. What this
 *     leaves goes to e and f;
 *  e. the nearest sentence decided by a–c (before or after): 結論：富士山。
 *     among Japanese sentences is Japanese; with none, and the segmenters at
 *     hand, a word of the sentence that one language writes a hundred times
 *     as often as the other, by wordfreq's lists (料金 ⇒ ja, 明天 ⇒ zh:
 *     han-word-frequencies.ts), weaker evidence than a neighbour (a formal
 *     kana-less line, 憲法公布。, among Japanese sentences is Japanese);
 *  f. the expected language when it is exactly one of ja / zh; else zh.
 */
import type { DriftLanguage } from "./drift-language.js";
import type { Run, Sentence } from "./drift-segment.js";
import { isKanaScript } from "./scripts.js";
import { chineseGrammar, chineseReadings, japaneseOnlyWords, leaningWords, type DriftDictionaries } from "./drift-dictionaries.js";
import { chineseFunctionWords } from "./drift-grammar.js";
import { CHINESE_FORMS, hanSideOf, mixedChineseForms } from "./han-sets.js";
import { traditionalForm } from "./simplified.js";

/**
 * Han characters a finished kana-less sentence needs before its grammar says
 * Chinese (好的。 是的。); one character is too little to be grammar. Next to
 * Japanese sentences such a sentence is read as Japanese (結論：富士山。).
 */
const MIN_HAN_IN_SENTENCE = 2;
/**
 * The longest Han run that makes a sentence or line without kana Chinese, whatever its neighbours.
 * Japanese compound names without kana run to about seven characters
 * (浮動小数点例外, 中華人民共和国): in Debian's Japanese message catalogs no
 * kana-less run of eight or more Han characters lacks a Japanese-only one,
 * while the Chinese catalogs have hundreds (目前没有可用的更新).
 */
const MIN_HAN_RUN_IN_LINE = 8;
/**
 * Chinese forms (absent from JIS X 0208) a Han run needs to be Chinese in a
 * sentence with kana. Japanese writes rare kanji (涅槃) and a few outside JIS
 * X 0208 (剝 頰 of the 2010 jōyō list, 鷗 in names), so kanji that are merely
 * rare in Japan never outweigh kana, and one missing form does not either.
 */
const MIN_CHINESE_FORMS_WITH_KANA = 2;

export function labelHan(
  sentences: Sentence[],
  chars: readonly string[],
  expected: readonly DriftLanguage[],
  dictionaries: DriftDictionaries | null,
): void {
  for (const sentence of sentences) {
    for (const run of sentence.runs) if (run.script === "han") standardsEvidence(chars, run);
    sentenceEvidence(sentence, chars, dictionaries);
  }
  contextEvidence(sentences, chars, expected, dictionaries);
}

const unique = (list: readonly string[]): string => [...new Set(list)].slice(0, 8).join("");

/** a: the characters only one side's standards have. */
function standardsEvidence(chars: readonly string[], run: Run): void {
  const ja: string[] = [];
  const zh: string[] = [];
  for (let index = run.start; index < run.end; index++) {
    const side = hanSideOf(chars[index]!);
    if (side === "ja") ja.push(chars[index]!);
    else if (side === "zh") zh.push(chars[index]!);
  }
  run.chineseForms = zh.filter((char) => CHINESE_FORMS.has(char)).length;
  if (zh.length > ja.length) {
    run.label = "zh";
    run.evidence = `Chinese-only characters ${unique(zh)} (GB2312/Big5, not JIS X 0208 or only its level 2)`;
  } else if (ja.length > zh.length) {
    run.label = "ja";
    run.evidence = `Japanese-only characters ${unique(ja)} (JIS X 0208, not GB2312/Big5 or only their level 2)`;
    run.japaneseByOne = ja.length - zh.length === 1;
  }
}

/** Distinct Chinese function words a kana-less sentence needs before they outweigh one Japanese-only character (1個120円、2個50円… has one, many times). */
const MIN_GRAMMAR_OVER_ONE_CHARACTER = 2;

/**
 * a, against grammar: in a sentence without kana, one Japanese-only
 * character more (町 of 河原町, 坂 of 坂本龍馬: Japanese names in Chinese text)
 * yields to Chinese function words in the sentence's Han (在 是 的), two of
 * them at least (一個百円。 有言実行。 have one; 売切。 none, its bare verbs
 * being Japanese shorthand).
 */
function namesInChinese(han: readonly Run[], chars: readonly string[], dictionaries: DriftDictionaries | null): void {
  if (!han.some((run) => run.japaneseByOne)) return;
  const grammar = han.flatMap((run) =>
    dictionaries
      ? chineseGrammar(chars.slice(run.start, run.end).join(""), dictionaries, { functionWordsOnly: true })
      : chineseFunctionWords(chars, run.start, run.end),
  );
  if (new Set(grammar.map((reading) => Array.from(reading)[0])).size < MIN_GRAMMAR_OVER_ONE_CHARACTER) return;
  for (const run of han) {
    if (run.japaneseByOne) [run.label, run.evidence] = ["zh", `Chinese grammar (${grammar.slice(0, 3).join("; ")}) outweighs ${run.evidence}`];
  }
}

/** b–c: evidence inside one sentence. */
function sentenceEvidence(sentence: Sentence, chars: readonly string[], dictionaries: DriftDictionaries | null): void {
  const han = sentence.runs.filter((run) => run.script === "han");
  if (sentence.hasKana) {
    const kanaQuotes = new Set(sentence.runs.filter((run) => isKanaScript(run.script)).map((run) => run.quote));
    for (const run of han) {
      // Kanji rare in Japan yield to kana anywhere in the sentence (薔薇（ばら）); a Chinese form only to kana beside it.
      const yields = run.chineseForms === 0 || kanaQuotes.has(run.quote);
      if (run.label === "zh" && run.chineseForms < MIN_CHINESE_FORMS_WITH_KANA && yields) [run.label, run.evidence] = [null, ""];
    }
    const apart = han.filter((run) => run.label === null && !kanaQuotes.has(run.quote));
    apartFromKana(apart, chars, dictionaries);
    for (const run of apart) if (run.label === null) run.apartFromKana = true;
  } else if (!sentence.hasHangul) {
    namesInChinese(han, chars, dictionaries);
  }
  if (!sentence.hasKana && sentence.hasHangul) {
    // Hanja are traditional forms, which the standards would call Chinese; Hangul in a quotation are the quotation's (“아이고”是韩语…).
    const hangulQuotes = new Set(sentence.runs.filter((run) => run.script === "hangul").map((run) => run.quote));
    for (const run of han) if (hangulQuotes.has(run.quote)) [run.label, run.evidence] = ["ko", "Hangul in the same sentence (Hanja)"];
  }
  const pending = han.filter((run) => run.label === null && !run.apartFromKana);
  if (pending.length > 0) {
    const longestRun = han.reduce((longest, run) => Math.max(longest, run.letters), 0);
    if (sentence.hasKana) {
      for (const run of pending) [run.label, run.evidence] = ["ja", "kana in the same sentence"];
    } else if (pending.length < han.length) {
      spreadWithinSentence(han);
    } else if (longestRun >= MIN_HAN_RUN_IN_LINE && !readsAsJapaneseCompound(han, longestRun, chars, dictionaries)) {
      const evidence = `a run of ${longestRun} Han characters without kana (longer than Japanese compounds)`;
      for (const run of pending) [run.label, run.evidence] = ["zh", evidence];
    }
  }
  // What the sentence itself says, outside what it quotes (a Chinese sentence quoting ありがとう is Chinese to its neighbours).
  const unquoted = sentence.runs.some((run) => run.quote === 0 && (run.label === "ja" || run.label === "zh"));
  let ja = 0;
  let zh = 0;
  for (const run of sentence.runs) {
    if (unquoted && run.quote > 0) continue;
    if (run.label === "ja") ja += run.letters;
    if (run.label === "zh") zh += run.letters;
  }
  sentence.cjk = ja === 0 && zh === 0 ? null : ja >= zh ? "ja" : "zh";
}

/**
 * b, for Han runs of a sentence with kana whose kana all sit in another
 * quotation or bracket (or outside the one they sit in): a run with Chinese
 * grammar (就是, 的意思) is Chinese, and so are the others of them beside it;
 * the rest are left to the sentence's neighbours (e) and the expected
 * language (f). Not words or names IPADIC lacks: a reading in brackets
 * (檸檬（れもん）, 大谷翔平（おおたにしょうへい）) is Japanese.
 */
function apartFromKana(runs: readonly Run[], chars: readonly string[], dictionaries: DriftDictionaries | null): void {
  for (const run of runs) {
    if (run.letters < MIN_HAN_IN_SENTENCE) continue;
    const grammar = dictionaries
      ? chineseGrammar(chars.slice(run.start, run.end).join(""), dictionaries)
      : chineseFunctionWords(chars, run.start, run.end);
    if (grammar.length > 0) [run.label, run.evidence] = ["zh", `Han apart from the quotation its sentence's kana are in, with Chinese grammar (${grammar.slice(0, 3).join("; ")})`];
  }
  if (runs.some((run) => run.label !== null)) spreadWithinSentence(runs);
}

/**
 * c, with the segmenters: kuromoji reads the longest run, if at most twice
 * the length rule's, as one Japanese compound (個人情報保護方針, eight), which
 * may then be Japanese. Longer runs are Chinese by length alone, unread.
 */
function readsAsJapaneseCompound(han: readonly Run[], longestRun: number, chars: readonly string[], dictionaries: DriftDictionaries | null): boolean {
  if (dictionaries === null || longestRun > 2 * MIN_HAN_RUN_IN_LINE) return false;
  const longest = han.find((run) => run.letters === longestRun)!;
  return chineseReadings(chars.slice(longest.start, longest.end).join(""), dictionaries).length === 0;
}

/** The nearest decided Han run of the same sentence for each undecided one, found in one pass each way. */
function spreadWithinSentence(han: readonly Run[]): void {
  const nearestBefore: Array<Run | null> = [];
  let seen: Run | null = null;
  for (const run of han) {
    nearestBefore.push(seen);
    if (run.label !== null) seen = run;
  }
  seen = null;
  for (let k = han.length - 1; k >= 0; k--) {
    const run = han[k]!;
    if (run.label !== null) {
      seen = run;
      continue;
    }
    const before = nearestBefore[k];
    const source = !before ? seen : !seen || run.start - before.end <= seen.start - run.end ? before : seen;
    if (source) [run.label, run.evidence] = [source.label, "decided Han in the same sentence"];
  }
}

/** d–f: Han runs no evidence inside their sentence decided. */
function contextEvidence(
  sentences: Sentence[],
  chars: readonly string[],
  expected: readonly DriftLanguage[],
  dictionaries: DriftDictionaries | null,
): void {
  const neighbour = nearestDecidedSentence(sentences);
  const fallback = expectedFallback(expected);
  sentences.forEach((sentence, index) => {
    const pending = sentence.runs.filter((run) => run.label === null);
    if (pending.length === 0) return;
    const source = neighbour[index] ?? null;
    const hanLetters = sentence.runs.reduce((sum, run) => sum + (run.script === "han" ? run.letters : 0), 0);
    const kanaLessLine = sentence.finished && !sentence.hasKana && hanLetters >= MIN_HAN_IN_SENTENCE;
    const own = kanaLessLine ? kanaLessLineEvidence(pending, chars, dictionaries) : null;
    // Word frequencies are weaker evidence than a decided neighbour: 憲法公布。 between Japanese sentences is Japanese.
    const leaning = own === null && source === null && kanaLessLine && dictionaries ? wordListEvidence(pending, chars, dictionaries) : null;
    let label = fallback;
    if (own !== null || leaning !== null) {
      const [language, why] = (own ?? leaning)!;
      label = [language, `a sentence of ${hanLetters} Han characters without kana ${why}`];
    } else if (source !== null) {
      label = [sentences[source]!.cjk!, `neighbouring ${sentences[source]!.cjk} sentence`];
    }
    for (const run of pending) [run.label, run.evidence] = label;
  });
}

/** d: what a kana-less sentence's undecided runs read as on their own, and why; null when nothing tells. */
function kanaLessLineEvidence(pending: readonly Run[], chars: readonly string[], dictionaries: DriftDictionaries | null): [DriftLanguage, string] | null {
  const texts = pending.map((run) => chars.slice(run.start, run.end).join(""));
  if (dictionaries) {
    const readings = texts.flatMap((text) => chineseReadings(text, dictionaries));
    if (readings.length > 0) return ["zh", `that only Chinese reads (${readings.slice(0, 3).join("; ")})`];
    const words = texts.flatMap((text) => japaneseOnlyWords(text, dictionaries));
    if (words.length > 0) return ["ja", `read as a Japanese compound with words jieba's dictionary lacks or rarely counts (${[...new Set(words)].slice(0, 8).join(" ")})`];
  } else {
    const grammar = pending.flatMap((run) => chineseFunctionWords(chars, run.start, run.end));
    if (grammar.length > 0) return ["zh", `with Chinese function words ${unique(grammar)} (Japanese writes its grammar in kana)`];
  }
  // Read as Chinese by nothing: Traditional and Simplified forms side by side are Japanese's mix.
  const mixed = mixedChineseForms(
    pending.flatMap((run) => chars.slice(run.start, run.end)),
    traditionalForm,
  );
  return mixed ? ["ja", `in Traditional forms (${unique(mixed[0])}) beside Simplified ones (${unique(mixed[1])}), as Japanese mixes them`] : null;
}

/** d, after e: what the words of wordfreq's lists that lean to one language say of a kana-less line; null when none does. */
function wordListEvidence(pending: readonly Run[], chars: readonly string[], dictionaries: DriftDictionaries): [DriftLanguage, string] | null {
  const leaning = pending.map((run) => leaningWords(chars.slice(run.start, run.end).join(""), dictionaries));
  const lean = leaning.reduce((sum, found) => sum + found.lean, 0);
  if (lean === 0) return null;
  const [language, other] = lean > 0 ? (["ja", "Chinese"] as const) : (["zh", "Japanese"] as const);
  const words = leaning.flatMap((found) => found[language]).slice(0, 4).join("; ");
  return [language, `with words ${language === "ja" ? "Japanese" : "Chinese"} writes a hundred times as often as ${other} (${words})`];
}

/** For each sentence, the index of the nearest sentence its own evidence decided (the earlier one on a tie), or null. */
function nearestDecidedSentence(sentences: readonly Sentence[]): Array<number | null> {
  const previous: Array<number | null> = [];
  let last: number | null = null;
  sentences.forEach((sentence, index) => {
    previous.push(last);
    if (sentence.cjk) last = index;
  });
  const nearest: Array<number | null> = new Array(sentences.length).fill(null);
  last = null;
  for (let index = sentences.length - 1; index >= 0; index--) {
    const before = previous[index] ?? null;
    nearest[index] = before === null ? last : last === null || index - before <= last - index ? before : last;
    if (sentences[index]!.cjk) last = index;
  }
  return nearest;
}

/** f: what Han without any other evidence is read as. */
function expectedFallback(expected: readonly DriftLanguage[]): [DriftLanguage, string] {
  const ja = expected.includes("ja");
  const zh = expected.includes("zh");
  if (ja && !zh) return ["ja", "Han only, no distinguishing characters: judged by the expected language"];
  if (zh && !ja) return ["zh", "Han only, no distinguishing characters: judged by the expected language"];
  return ["zh", "Han only, no kana or distinguishing characters"];
}
