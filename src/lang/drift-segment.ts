/**
 * Drift step 2: sentences end at 。！？!? (full or half width, after NFKC), a
 * newline, or a period followed by a space (not "1. ", not "vs. apt"); each
 * splits into letter runs of one script (scripts.ts). Kana ⇒ ja, Hangul ⇒ ko,
 * Latin ⇒ en (any Latin-script language), other letters ⇒ other; Han runs are
 * left for the Han evidence step. Each run knows the quotation or bracket it
 * sits in (「ありがとう」, （だいじょうぶ）, “谢谢”): what is quoted is another
 * utterance, so kana inside one say nothing of the Han outside it.
 */
import type { DriftLanguage } from "./drift-language.js";
import type { Masked } from "./drift-mask.js";
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
  /** The quotation or bracket of its sentence it sits in (the innermost), numbered from 1; 0 outside all of them. */
  quote: number;
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
}

const SENTENCE_ENDS = new Set(["。", "!", "?", "\n", "\r"]);
/** Quotation marks and brackets as they read after NFKC (（ is (, ［ is [), each opening with its closing one. */
const QUOTE_PAIRS = new Map([
  ["「", "」"], ["『", "』"], ["“", "”"], ["(", ")"], ["[", "]"], ["【", "】"], ["《", "》"], ["〈", "〉"], ["〔", "〕"],
]);
/** A straight double quote opens and closes alike; so does a single one, unless it is an apostrophe (between Latin letters or after one: don't, users'). */
const STRAIGHT_QUOTE = '"';
const STRAIGHT_SINGLE = "'";
const LATIN_LETTER = /\p{Script=Latin}/u;
const FINISHING_PUNCTUATION = new Set(["。", "!", "?", "."]);
const CLOSING = /[\s\p{Pe}\p{Pf}"']/u;

export function segmentSentences({ chars, masked }: Masked): Sentence[] {
  return sentenceRanges(chars).map(([from, to]) => {
    const view = chars.slice(from, to).map((char, k) => (masked[from + k] ? " " : char));
    const quoteAt = quotesOf(view);
    const runs: Run[] = [];
    for (const run of scriptRuns(view)) {
      if (!isLetterScript(run.script)) continue;
      let letters = 0;
      for (let k = run.start; k < run.end; k++) if (!isInherited(view[k]!)) letters++;
      const [label, evidence] = initialLabel(run.script);
      runs.push({ script: run.script, start: from + run.start, end: from + run.end, letters, label, evidence, chineseForms: 0, quote: quoteAt[run.start]! });
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
    };
  });
}

/**
 * For each character of a sentence, the quotation or bracket it sits in (the
 * innermost, numbered from 1 in order of opening), or 0. A closing mark
 * without its opening one is ignored; one left open runs to the sentence's end.
 */
function quotesOf(view: readonly string[]): number[] {
  const at: number[] = new Array(view.length).fill(0);
  const open: Array<{ id: number; closing: string }> = [];
  let opened = 0;
  view.forEach((char, k) => {
    const inner = open[open.length - 1];
    const quoteMark = char === STRAIGHT_QUOTE || (char === STRAIGHT_SINGLE && !LATIN_LETTER.test(view[k - 1] ?? "") && !LATIN_LETTER.test(view[k + 1] ?? ""));
    if (inner && char === inner.closing && (char !== STRAIGHT_SINGLE || quoteMark)) {
      open.pop();
    } else if (quoteMark || QUOTE_PAIRS.has(char)) {
      open.push({ id: ++opened, closing: QUOTE_PAIRS.get(char) ?? char });
    }
    at[k] = open[open.length - 1]?.id ?? 0;
  });
  return at;
}

/**
 * Quotation marks and brackets inside which 。？！ and a period end the quoted
 * sentence, not the one around it (「大丈夫ですか？」就是…, （I agree that … / I think …）。);
 * a line break ends both.
 */
const INNER_SENTENCE_MARKS = new Map([["「", "」"], ["『", "』"], ["“", "”"], ["(", ")"], ["【", "】"]]);

/** [start, end) code point ranges of sentences, each ending after its terminator. */
function sentenceRanges(chars: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  const quotes: string[] = [];
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    const next = chars[index + 1];
    if (char === "\n" || char === "\r") quotes.length = 0;
    else if (char === quotes[quotes.length - 1]) quotes.pop();
    else if (INNER_SENTENCE_MARKS.has(char)) quotes.push(INNER_SENTENCE_MARKS.get(char)!);
    if (quotes.length > 0 && char !== "\n" && char !== "\r") continue;
    // A period ends a sentence before a space, unless it follows a digit (a list number "1. ") or
    // a lowercase word follows (an abbreviation: "apt vs. aptitude", "e.g. this").
    const period =
      char === "." &&
      (next === undefined || /\s/u.test(next)) &&
      !/\d/u.test(chars[index - 1] ?? "") &&
      !/^\s+\p{Ll}/u.test(chars.slice(index + 1, index + 8).join(""));
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
