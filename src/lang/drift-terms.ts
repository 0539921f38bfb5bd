/**
 * Drift steps 4 and 5: consecutive runs of one label in a sentence form a
 * segment; then terms are marked, which do not count as drift:
 * - a Latin segment of one or two words in a sentence that is mainly CJK (CJK
 *   letters ≥ Latin words: AIとは…, Pythonで…), or on a line of its own next
 *   to a CJK line or in a list a CJK line introduces;
 * - a CJK segment of up to four letters in English prose (Mount Fuji (富士山) is…);
 * - a whole answer of one or two Latin words (a name: iPhone);
 * - a stretch in another language that a sentence in an expected language
 *   mentions, in a sentence written mainly in the expected language: a stretch
 *   the sentence goes on after (404 Not Found は…, KGI（Key Goal Indicator）は…,
 *   ありがとう (arigatō) means…), and anything in quotation marks or brackets
 *   the sentence goes on after or has some of it before (“ありがとう”就是谢谢的意思,
 *   …を書く（I agree that …）。).
 *   Names, titles, quoted words, glosses and formulas sit inside a sentence;
 *   a switch of language ends one (…です。Thanks! / …です and it is big.).
 *   Han or kana of another CJK language unquoted inside a sentence are no
 *   mention but a leak (これは简单です。).
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
  /** Every run of it sits in a quotation or bracket of its sentence. */
  quoted: boolean;
}

const CJK_LABELS = new Set<DriftLanguage>(["ja", "zh", "ko"]);
/** A bullet or a number at the start of a line: - * • ・ · 1. 1) (a) */
const LIST_ITEM = /^\s*(?:[-*•・·‣◦]|\d+[.)]|\(?[a-z\d]\))\s*/u;

/** Step 4: consecutive runs of one label within a sentence. */
export function segmentsOf(sentences: readonly Sentence[], chars: readonly string[]): Segment[][] {
  return sentences.map((sentence, index) => {
    const segments: Segment[] = [];
    let previousLatinEnd = -1;
    for (const run of sentence.runs) {
      const label = run.label!;
      let current = segments[segments.length - 1];
      if (current && current.label === label) {
        current.end = run.end;
        current.letters += run.letters;
        current.quoted &&= run.quote > 0;
        if (!current.evidence.includes(run.evidence)) current.evidence.push(run.evidence);
      } else {
        current = { sentence: index, start: run.start, end: run.end, label, letters: run.letters, words: 0, evidence: [run.evidence], term: false, quoted: run.quote > 0 };
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
    markMentions(bySentence[sentenceIndex]!, expected);
  });
  return notes;
}

/** A segment's weight in its sentence: Latin in words, CJK in letters (one kanji or kana carries about one English word). */
const weight = (segment: Segment): number => (segment.label === "en" ? segment.words : segment.letters);

/**
 * The segments in other languages that a sentence written mainly in an
 * expected language mentions (markTerms): the sentence goes on in an expected
 * language after it, or it is quoted or bracketed after some of it.
 */
function markMentions(segments: readonly Segment[], expected: readonly DriftLanguage[]): void {
  const isExpected = (segment: Segment): boolean => expected.includes(segment.label);
  let own = 0;
  let foreign = 0;
  for (const segment of segments) {
    if (isExpected(segment)) own += weight(segment);
    else if (!segment.term) foreign += weight(segment);
  }
  if (own === 0 || own < foreign) return;
  segments.forEach((segment, index) => {
    if (segment.term || isExpected(segment)) return;
    const goesOn = segments.slice(index + 1).some(isExpected);
    const quotedInside = segment.quoted && (goesOn || segments.slice(0, index).some(isExpected));
    const leak = CJK_LABELS.has(segment.label) && segments.some((other) => isExpected(other) && CJK_LABELS.has(other.label));
    if (!quotedInside && !(goesOn && !leak)) return;
    segment.term = true;
    segment.evidence.push(`mentioned inside a sentence in ${expected.filter((label) => segments.some((s) => s.label === label)).join("+")} (a name, title, quotation or gloss)`);
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
