/**
 * Drift step 2: sentences end at 。！？!? (full or half width, after NFKC), a
 * newline, or a period followed by a space (not "1. ", not "vs. apt"); each
 * splits into letter runs of one script (scripts.ts). Kana ⇒ ja, Hangul ⇒ ko,
 * Latin ⇒ en (any Latin-script language), other letters ⇒ other; Han runs are
 * left for the Han evidence step. Each run knows the quotation or bracket it
 * sits in (drift-quotes.ts): what is quoted is another utterance, so kana
 * inside one say nothing of the Han outside it; and a sentence that ends
 * inside a quotation is part of the one around it (its host), for what that
 * one mentions (drift-terms.ts).
 */
import type { DriftLanguage } from "./drift-language.js";
import type { Masked } from "./drift-mask.js";
import { quotationsOf } from "./drift-quotes.js";
import { isInherited, isKanaScript, isLetterScript, scriptRuns, type Script } from "./scripts.js";

export interface Run {
  script: Script;
  start: number;
  end: number;
  letters: number;
  label: DriftLanguage | null;
  evidence: string;
  /** Characters of a Han run that JIS X 0208 lacks altogether (CHINESE_FORMS). */
  chineseForms: number;
  /** The quotation or bracket it sits in (the innermost), numbered from 1 across the answer; 0 outside all of them. */
  quote: number;
  /** That quotation stands as a sentence of its own (drift-quotes.ts). */
  standalone: boolean;
  /** Japanese by the standards by one character only (drift-han-evidence.ts). */
  japaneseByOne?: boolean;
  /** A Han run of a sentence with kana, none of them in its quotation or out of quotes with it (drift-han-evidence.ts). */
  apartFromKana?: boolean;
}

export interface Sentence {
  start: number;
  end: number;
  runs: Run[];
  hasKana: boolean;
  hasHangul: boolean;
  /** Ends with sentence punctuation (。！？.!?), before any closing quotes or brackets. */
  finished: boolean;
  /** ja / zh when the sentence's own Han or kana decided it. */
  cjk: "ja" | "zh" | null;
  /** The first sentence of the one it is part of: sentences ending inside a quotation go on in the next. */
  host: number;
}

const SENTENCE_ENDS = new Set(["。", "!", "?", "\n", "\r"]);
const FINISHING_PUNCTUATION = new Set(["。", "!", "?", "."]);
const CLOSING = /[\s\p{Pe}\p{Pf}"']/u;

export function segmentSentences({ chars, masked }: Masked): Sentence[] {
  const { at: quoteAt, standalone } = quotationsOf(chars, masked);
  let host = 0;
  return sentenceRanges(chars).map(([from, to], index) => {
    // A sentence that ends inside a quotation (「大丈夫ですか？」就是…) goes on in the next one.
    if (index > 0 && quoteAt[from - 1] === 0) host = index;
    const view = chars.slice(from, to).map((char, k) => (masked[from + k] ? " " : char));
    const runs: Run[] = [];
    for (const run of scriptRuns(view)) {
      if (!isLetterScript(run.script)) continue;
      let letters = 0;
      for (let k = run.start; k < run.end; k++) if (!isInherited(view[k]!)) letters++;
      const [label, evidence] = initialLabel(run.script);
      runs.push({ script: run.script, start: from + run.start, end: from + run.end, letters, label, evidence, chineseForms: 0, quote: quoteAt[from + run.start]!, standalone: standalone.has(quoteAt[from + run.start]!) });
    }
    let last = to - 1;
    while (last >= from && CLOSING.test(chars[last]!) && !FINISHING_PUNCTUATION.has(chars[last]!)) last--;
    return {
      start: from,
      end: to,
      runs,
      hasKana: runs.some((run) => isKanaScript(run.script)),
      hasHangul: runs.some((run) => run.script === "hangul"),
      finished: last >= from && FINISHING_PUNCTUATION.has(chars[last]!),
      cjk: null,
      host,
    };
  });
}

/** [start, end) code point ranges of sentences, each ending after its terminator. */
function sentenceRanges(chars: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    const next = chars[index + 1];
    // A period ends a sentence before a space, unless it follows a digit (a list number "1. "),
    // a lowercase word follows (an abbreviation: "apt vs. aptitude", "e.g. this") or an arrow
    // leads to what it says in another language (The exam was a piece of cake. → 考试很简单。).
    const period =
      char === "." &&
      (next === undefined || /\s/u.test(next)) &&
      !/\d/u.test(chars[index - 1] ?? "") &&
      !/^\s+(?:\p{Ll}|→|⇒|->)/u.test(chars.slice(index + 1, index + 8).join(""));
    if (SENTENCE_ENDS.has(char) || period) {
      ranges.push([start, index + 1]);
      start = index + 1;
    }
  }
  if (start < chars.length) ranges.push([start, chars.length]);
  return ranges;
}

function initialLabel(script: Script): [DriftLanguage | null, string] {
  switch (script) {
    case "hiragana":
    case "katakana":
      return ["ja", "kana"];
    case "hangul":
      return ["ko", "Hangul"];
    case "latin":
      return ["en", "Latin script"];
    case "han":
      return [null, ""];
    default:
      return ["other", "other script"];
  }
}
