/**
 * Drift steps 4 and 5: consecutive runs of one label in a sentence form a
 * segment; then terms are marked, which do not count as drift:
 * - a Latin segment of one or two words in a sentence that is mainly CJK (CJK
 *   letters ≥ Latin words: AIとは…, Pythonで…), or on a line of its own next
 *   to a CJK line or in a list a CJK line introduces;
 * - a CJK segment of up to four letters in English prose (Mount Fuji (富士山) is…);
 * - a whole answer of one or two Latin words (a name: Python);
 * - what a sentence in an expected language mentions (markMentions): names,
 *   titles, quoted words, glosses and formulas sit inside a sentence (404 Not
 *   Found は…, “ありがとう”就是谢谢的意思, …を書く（I agree that …）。), while a
 *   switch of language starts or ends one (Sure, here is the answer: 富士山は…
 *   / …です。Thanks! / …です and it is big.), and Han or kana of another CJK
 *   language unquoted inside a CJK sentence are a leak (これは简单です。).
 * A line or answer written as a sentence (I left. / Goodbye! / Who ran?) is a
 * sentence in that language, not a term.
 */
import type { DriftLanguage } from "./drift-language.js";
import type { Sentence } from "./drift-segment.js";

export interface Segment {
  sentence: number;
  start: number;
  end: number;
  label: DriftLanguage;
  letters: number;
  /** Latin words (don't, e-mail count once). */
  words: number;
  evidence: string[];
  term: boolean;
  /** Every run of it sits in a quotation or bracket of its sentence, none standing as a sentence of its own. */
  quoted: boolean;
}

const CJK_LABELS = new Set<DriftLanguage>(["ja", "zh", "ko"]);
/** A bullet or a number at the start of a line: - * • ・ · 1. 1) (a) */
const LIST_ITEM = /^\s*(?:[-*•・·‣◦]|\d+[.)]|\(?[a-z\d]\))\s*/u;

/** CJK punctuation (as NFKC leaves it) between two Latin runs: they are items of a CJK sentence (Led、Built、Reduced), not one phrase. */
const CJK_PUNCTUATION = /[、「」『』【】〔〕〈〉《》]/u;

/** Step 4: consecutive runs of one label within a sentence (Latin ones not across CJK punctuation). */
export function segmentsOf(sentences: readonly Sentence[], chars: readonly string[]): Segment[][] {
  return sentences.map((sentence, index) => {
    const segments: Segment[] = [];
    let previousLatinEnd = -1;
    for (const run of sentence.runs) {
      const label = run.label!;
      let current = segments[segments.length - 1];
      const apart = current !== undefined && run.script === "latin" && CJK_PUNCTUATION.test(chars.slice(current.end, run.start).join(""));
      if (current && current.label === label && !apart) {
        current.end = run.end;
        current.letters += run.letters;
        current.quoted &&= run.quote > 0 && !run.standalone;
        if (!current.evidence.includes(run.evidence)) current.evidence.push(run.evidence);
      } else {
        current = { sentence: index, start: run.start, end: run.end, label, letters: run.letters, words: 0, evidence: [run.evidence], term: false, quoted: run.quote > 0 && !run.standalone };
        segments.push(current);
        previousLatinEnd = -1;
      }
      if (run.script === "latin") {
        const joined = previousLatinEnd >= 0 && run.start === previousLatinEnd + 1 && /['’-]/u.test(chars[previousLatinEnd]!);
        if (!joined) current.words++;
        previousLatinEnd = run.end;
      }
    }
    return segments;
  });
}

/**
 * Whether a sentence is mainly CJK. Compares CJK letters with Latin words, not
 * letters: one kanji or kana carries about as much as one English word.
 */
function weights(segments: readonly Segment[]): { cjkLetters: number; latinWords: number } {
  let cjkLetters = 0;
  let latinWords = 0;
  for (const segment of segments) {
    if (CJK_LABELS.has(segment.label)) cjkLetters += segment.letters;
    if (segment.label === "en") latinWords += segment.words;
  }
  return { cjkLetters, latinWords };
}

/** Step 5: marks the segments that are terms; returns notes on how a short answer was read. */
export function markTerms(
  bySentence: readonly Segment[][],
  sentences: readonly Sentence[],
  chars: readonly string[],
  expected: readonly DriftLanguage[],
): string[] {
  const lines = termLines(bySentence, sentences, chars);
  const segmentCount = lines.nonEmpty.reduce((sum, index) => sum + bySentence[index]!.length, 0);
  const notes: string[] = [];
  lines.nonEmpty.forEach((sentenceIndex, position) => {
    const { cjkLetters, latinWords } = lines.weights[sentenceIndex]!;
    const latinLineInCjk = lines.latinLineInCjk(position);
    for (const segment of bySentence[sentenceIndex]!) {
      if (segment.label === "en" && segment.words <= 2) {
        if (lines.mainlyCjk(sentenceIndex) || latinLineInCjk) {
          segment.term = true;
          segment.evidence.push("short Latin term in CJK text");
        } else if (segmentCount === 1 && !expected.includes("en") && !sentences[sentenceIndex]!.finished) {
          segment.term = true;
          segment.evidence.push("one- or two-word answer in Latin script (a name or term)");
          notes.push("short answer: one or two Latin-script words are read as a name or term, not as drift");
        }
      } else if (CJK_LABELS.has(segment.label) && segment.letters <= 4 && latinWords >= 3 && latinWords > cjkLetters) {
        segment.term = true;
        segment.evidence.push("short CJK term in English text");
      }
    }
  });
  // Mentions are judged across the sentences a quotation holds together (「大丈夫ですか？」就是…).
  const hosts = new Map<number, Segment[]>();
  sentences.forEach((sentence, index) => {
    const segments = hosts.get(sentence.host) ?? [];
    segments.push(...bySentence[index]!);
    hosts.set(sentence.host, segments);
  });
  for (const segments of hosts.values()) markMentions(segments, chars, expected);
  return notes;
}

/** A segment's weight in its sentence: Latin in words, CJK in letters (one kanji or kana carries about one English word). */
const weight = (segment: Segment): number => (segment.label === "en" ? segment.words : segment.letters);

/** Latin words a stretch needs before it can be running text rather than a name or a phrase (I agree that … / I think …). */
const MIN_RUNNING_WORDS = 6;

/**
 * Whether a Latin stretch reads as running text, not a name or a title: six
 * words or more, most of them lowercase (It is the highest mountain in Japan,
 * against Internal Server Error or What I Talk About When I Talk About Running).
 */
function runningText(segment: Segment, chars: readonly string[]): boolean {
  if (segment.label !== "en" || segment.words < MIN_RUNNING_WORDS) return false;
  const words = chars.slice(segment.start, segment.end).join("").match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [];
  return words.filter((word) => /^\p{Ll}/u.test(word)).length * 2 >= words.length;
}

/** Whether an arrow follows a stretch, leading to what it says (I hope it doesn't rain tomorrow. → 明日雨が降らないといいな。). */
function glossed(segment: Segment, chars: readonly string[]): boolean {
  return /^[\s.!?,]*(?:→|⇒|->)/u.test(chars.slice(segment.end, segment.end + 8).join(""));
}

/** The most letters a CJK word mentioned unquoted in Latin text has (中華人民共和国, ありがとう): more is a clause. */
const MAX_UNQUOTED_CJK_MENTION = 8;

/** Whether a CJK stretch is one script's word (ありがとう, 富士山, 안녕하세요), not a clause that mixes kana and kanji (東京は日本の首都です). */
function oneScriptWord(segment: Segment, chars: readonly string[]): boolean {
  const text = chars.slice(segment.start, segment.end).join("");
  const scripts = [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, /\p{Script=Han}/u, /\p{Script=Hangul}/u].filter((script) => script.test(text));
  return scripts.length === 1;
}

/**
 * The segments in other languages that a sentence mentions, across the
 * sentences it spans when one ends inside a quotation. In a sentence written
 * mainly in an expected language (its weight at least the others'): Latin the
 * sentence goes on after, or quoted after some of it — but running text only
 * quoted, or glossed by an arrow, and gone on after: bare it is a switch of language (The tallest
 * mountain in Japan is Mount Fuji, 富士山は…), bracketed at the sentence's end
 * a translation appended to it (…山です（It is the highest mountain in
 * Japan）。); another CJK language only quoted; in Latin text, unquoted, a
 * word of one script the sentence goes on after. In one written mainly in
 * another language, only a name or title in brackets (《教父》（The Godfather）).
 */
function markMentions(segments: readonly Segment[], chars: readonly string[], expected: readonly DriftLanguage[]): void {
  const isExpected = (segment: Segment): boolean => expected.includes(segment.label);
  let own = 0;
  let foreign = 0;
  for (const segment of segments) {
    if (isExpected(segment)) own += weight(segment);
    else if (!segment.term) foreign += weight(segment);
  }
  if (own === 0) return;
  // A sentence written mainly in another language mentions nothing but names and titles in brackets (《教父》（The Godfather）).
  const mainly = own >= foreign;
  const lastExpected = segments.findLastIndex(isExpected);
  const firstExpected = segments.findIndex(isExpected);
  const cjkExpected = segments.some((other) => isExpected(other) && CJK_LABELS.has(other.label));
  const languages = expected.filter((label) => segments.some((segment) => segment.label === label)).join("+");
  segments.forEach((segment, index) => {
    if (segment.term || isExpected(segment)) return;
    const goesOn = index < lastExpected;
    const after = firstExpected < index;
    let mentioned: boolean;
    if (!mainly) {
      mentioned = segment.label === "en" && segment.quoted && (goesOn || after) && !runningText(segment, chars);
    } else if (CJK_LABELS.has(segment.label)) {
      mentioned = segment.quoted ? goesOn || after : !cjkExpected && goesOn && segment.letters <= MAX_UNQUOTED_CJK_MENTION && oneScriptWord(segment, chars);
    } else {
      mentioned = runningText(segment, chars) ? (segment.quoted || glossed(segment, chars)) && goesOn : goesOn || (segment.quoted && after);
    }
    if (!mentioned) return;
    segment.term = true;
    segment.evidence.push(`mentioned inside a sentence in ${languages} (a name, title, quotation or gloss)`);
  });
}

/** What step 5 asks of each sentence: its weights, whether it is mainly CJK, and whether a short Latin line sits among CJK lines. */
function termLines(bySentence: readonly Segment[][], sentences: readonly Sentence[], chars: readonly string[]) {
  const nonEmpty = bySentence.map((segments, index) => (segments.length > 0 ? index : -1)).filter((index) => index >= 0);
  const sentenceWeights = bySentence.map(weights);
  const mainlyCjk = (index: number): boolean => {
    const { cjkLetters, latinWords } = sentenceWeights[index]!;
    return cjkLetters > 0 && cjkLetters >= latinWords;
  };
  // A sentence (I left. / Who ran?) is never a term line, however short.
  const shortLatinLine = (index: number): boolean => {
    const { cjkLetters, latinWords } = sentenceWeights[index]!;
    return cjkLetters === 0 && latinWords <= 2 && !sentences[index]!.finished && bySentence[index]!.every((segment) => segment.label === "en");
  };
  const listItem = (index: number): boolean => LIST_ITEM.test(chars.slice(sentences[index]!.start, sentences[index]!.start + 8).join(""));
  /** A line of one or two Latin words next to a CJK line, or in a list a CJK line introduces. */
  const latinLineInCjk = (position: number): boolean => {
    const sentenceIndex = nonEmpty[position]!;
    if (!shortLatinLine(sentenceIndex)) return false;
    const neighbours = [nonEmpty[position - 1], nonEmpty[position + 1]].filter((i): i is number => i !== undefined);
    if (neighbours.some(mainlyCjk)) return true;
    if (!listItem(sentenceIndex)) return false;
    let k = position - 1;
    while (k >= 0 && shortLatinLine(nonEmpty[k]!) && listItem(nonEmpty[k]!)) k--;
    return k >= 0 && mainlyCjk(nonEmpty[k]!);
  };
  return { nonEmpty, weights: sentenceWeights, mainlyCjk, latinLineInCjk };
}
