/**
 * Segment-level language drift: which stretches of an answer are written in a
 * language other than the expected one(s), and what share of the letters they
 * are. Needs no dictionary or model, so it is fast on any length of output.
 * One function per step:
 *
 * 1. mask — NFKC with offsets (the mapping normalize.ts shares with the string
 *    checks); code blocks, inline code, URLs, e-mail addresses, numbers (with a
 *    short unit: 3776m, 10GB, 5G; the ideographic zero 〇) and allow-listed
 *    terms are masked: they carry no language.
 * 2. segmentSentences — sentences end at 。！？!? (full or half width), a
 *    newline, or a period followed by a space (not "1. ", not "vs. apt"); each splits into
 *    script runs (scripts.ts). Kana ⇒ ja, Hangul ⇒ ko, Latin ⇒ en (any
 *    Latin-script language), other letters ⇒ other.
 * 3. labelHan — Han runs, shared by Japanese and Chinese, are decided by, in order:
 *    a. the character standards (han-sets.ts): characters only Japanese writes
 *       (in JIS X 0208 and not in GB2312 or Big5, or common only in Japan)
 *       against characters only Chinese writes, whichever are more;
 *    b. kana in the same sentence ⇒ ja (unless the run has two or more
 *       characters JIS X 0208 lacks); Hangul without kana ⇒ ko (Hanja,
 *       whatever the standards say); otherwise another decided Han run of
 *       the same sentence;
 *    c. a run of eight or more Han characters in a sentence without kana ⇒
 *       zh: Japanese kanji compounds stop at about seven;
 *    d. the nearest sentence decided by a–c (before or after);
 *    e. a finished sentence (。！？.!?) of three or more Han characters and no
 *       kana ⇒ zh: Japanese writes kana in any sentence (particles,
 *       okurigana, the copula), so without kana it is only names and terms,
 *       while this is how every Chinese sentence looks;
 *    f. the expected language when it is exactly one of ja / zh; else zh.
 * 4. segmentsOf — consecutive runs of one label in a sentence form a segment.
 * 5. markTerms — terms do not count as drift: a Latin segment of one or two
 *    words in a sentence that is mainly CJK (CJK letters ≥ Latin words: AIとは…,
 *    Pythonで…), or on a line of its own next to a CJK line or in a list a CJK
 *    line introduces; a CJK segment of up to four letters in English prose
 *    (Mount Fuji (富士山) is…); and a whole answer of one or two Latin words
 *    (a name: iPhone). A line or answer written as a sentence (I left. /
 *    Goodbye! / Who ran?) is a sentence in that language, not a term.
 * 6. tally — drift = letters of non-term segments outside the expected labels,
 *    over all letters. Latin needs several letters for what Japanese or
 *    Chinese write in one character, so the same passage weighs ~2–3× more in Latin.
 */
import { normalizeForMatch } from "./normalize.js";
import { CHINESE_FORMS, hanSideOf } from "./han-sets.js";
import { isInherited, isKanaScript, isLetterScript, scriptRuns, type Script } from "./scripts.js";

export { CHINESE_ONLY, JAPANESE_ONLY } from "./han-sets.js";

export type DriftLanguage = "ja" | "zh" | "ko" | "en" | "other";
export const DRIFT_LANGUAGES: readonly DriftLanguage[] = ["ja", "zh", "ko", "en", "other"];

/** Languages written in Latin script: the `en` label stands for all of them. */
const LATIN_SCRIPT_LANGUAGES = new Set([
  "en", "fr", "de", "es", "it", "pt", "nl", "sv", "no", "nb", "nn", "da", "fi", "is", "pl", "cs", "sk", "sl", "hr", "bs",
  "hu", "ro", "tr", "az", "id", "ms", "vi", "tl", "fil", "sw", "ca", "eu", "gl", "et", "lv", "lt", "sq", "mt", "ga",
  "cy", "af", "eo", "la", "uz",
]);

/** The label a language code is judged by: ja, zh, ko, en (any Latin-script language) or other. */
export function driftLanguageOf(code: string): DriftLanguage {
  const primary = code.split(/[-_]/)[0]!.toLowerCase();
  if (primary === "ja") return "ja";
  if (primary === "zh" || primary === "cmn" || primary === "yue") return "zh";
  if (primary === "ko") return "ko";
  if (LATIN_SCRIPT_LANGUAGES.has(primary)) return "en";
  return "other";
}

export type MaskKind = "code_block" | "inline_code" | "url" | "email" | "allowed" | "number";
const MASK_KINDS: readonly MaskKind[] = ["code_block", "inline_code", "url", "email", "allowed", "number"];

const URL_CHARS = "[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]+";
const MASK_PATTERNS: ReadonlyArray<readonly [MaskKind, RegExp]> = [
  // A fence left open (an answer cut by the token limit) runs to the end.
  ["code_block", /(```|~~~)[\s\S]*?(?:\1|(?![\s\S]))/g],
  ["inline_code", /`[^`\n]+`/g],
  ["url", new RegExp(`\\b(?:https?|ftp)://${URL_CHARS}|\\bwww\\.${URL_CHARS}`, "gi")],
  ["email", /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g],
];
// 〇 is a digit in both languages (二〇二〇年) though only JIS X 0208 lists it among the ideographs.
const NUMBER_PATTERN = /\d+(?:[.,:/]\d+)*(?:%|[A-Za-z]{1,3}(?![A-Za-z]))?|〇+/g;

export interface DriftOptions {
  /** Expected language codes (ja, zh-CN, en…). */
  expected: readonly string[];
  /** Terms to ignore wherever they occur (product names…); matched after NFKC, case-insensitively. */
  allow?: readonly string[];
}

export interface DriftSegment {
  /** Code point offsets into the original text, end exclusive. */
  start: number;
  end: number;
  language: DriftLanguage;
  letters: number;
  /** Outside the expected languages and not a term. */
  drift: boolean;
  /** A short foreign stretch inside text of another language (AI, Python, 富士山 in English). */
  term: boolean;
  /** Why the segment got its label. */
  evidence: string;
}

export interface DriftAnalysis {
  expected: DriftLanguage[];
  /** Letters per label after masking. */
  letters: Record<DriftLanguage, number>;
  totalLetters: number;
  driftLetters: number;
  /** driftLetters / totalLetters; 0 when there are no letters. */
  share: number;
  /** Every letter segment, in order. */
  segments: DriftSegment[];
  /** How many spans of each kind were masked. */
  removed: Record<MaskKind, number>;
  /** Remarks on how a short or letterless answer was judged. */
  notes: string[];
}

interface Masked {
  /** NFKC code points. */
  chars: string[];
  /** Original code point index of each normalized code point. */
  origin: number[];
  masked: Uint8Array;
  removed: Record<MaskKind, number>;
}

interface Run {
  script: Script;
  start: number;
  end: number;
  letters: number;
  label: DriftLanguage | null;
  evidence: string;
  /** Characters of a Han run that JIS X 0208 lacks altogether (CHINESE_FORMS). */
  chineseForms: number;
}

interface Sentence {
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

interface Segment {
  sentence: number;
  start: number;
  end: number;
  label: DriftLanguage;
  letters: number;
  /** Latin words (don't, e-mail count once). */
  words: number;
  evidence: string[];
  term: boolean;
}

const lowerPerCodePoint = (text: string): string =>
  Array.from(text, (char) => {
    const lower = char.toLowerCase();
    return lower.length === char.length ? lower : char;
  }).join("");

/** Step 1: NFKC code points with their original offsets, and what carries no language masked. */
function mask(text: string, allow: readonly string[]): Masked {
  const normalized = normalizeForMatch(text, { caseSensitive: true, keepLayout: true });
  const chars: string[] = [];
  const origin: number[] = [];
  // UTF-16 index → code point index, for regex matches.
  const unitToPoint = new Int32Array(normalized.text.length + 1);
  let unit = 0;
  for (const char of normalized.text) {
    for (let k = 0; k < char.length; k++) unitToPoint[unit + k] = chars.length;
    origin.push(normalized.origin[unit]!);
    chars.push(char);
    unit += char.length;
  }
  unitToPoint[unit] = chars.length;

  const masked = new Uint8Array(chars.length);
  const removed = Object.fromEntries(MASK_KINDS.map((kind) => [kind, 0])) as Record<MaskKind, number>;
  const joined = normalized.text;
  const maskUnits = (kind: MaskKind, fromUnit: number, toUnit: number): void => {
    const from = unitToPoint[fromUnit]!;
    const to = unitToPoint[toUnit]!;
    if (from >= to || masked[from]) return;
    masked.fill(1, from, to);
    removed[kind]++;
  };
  const applyPattern = (kind: MaskKind, pattern: RegExp): void => {
    for (const match of joined.matchAll(pattern)) maskUnits(kind, match.index, match.index + match[0].length);
  };
  for (const [kind, pattern] of MASK_PATTERNS) applyPattern(kind, pattern);

  // Allow-listed terms: case-insensitive; a term with Latin letters must not sit inside a longer Latin word.
  const haystack = lowerPerCodePoint(joined);
  const wordChar = /[\p{Script=Latin}\p{Nd}]/u;
  for (const term of allow) {
    const needle = lowerPerCodePoint(term.normalize("NFKC"));
    if (needle.trim() === "") continue;
    const bounded = /\p{Script=Latin}/u.test(needle);
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      const from = unitToPoint[at]!;
      const to = unitToPoint[at + needle.length]!;
      if (bounded && ((from > 0 && wordChar.test(chars[from - 1]!)) || (to < chars.length && wordChar.test(chars[to]!)))) continue;
      maskUnits("allowed", at, at + needle.length);
    }
  }
  applyPattern("number", NUMBER_PATTERN);
  return { chars, origin, masked, removed };
}

const SENTENCE_ENDS = new Set(["。", "!", "?", "\n", "\r"]);
const FINISHING_PUNCTUATION = new Set(["。", "!", "?", "."]);
const CLOSING = /[\s\p{Pe}\p{Pf}"']/u;

/** [start, end) code point ranges of sentences, each ending after its terminator. */
function sentenceRanges(chars: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    const next = chars[index + 1];
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

/** Step 2: sentences, each split into letter runs; every run but Han is labelled by its script. */
function segmentSentences({ chars, masked }: Masked): Sentence[] {
  return sentenceRanges(chars).map(([from, to]) => {
    const view = chars.slice(from, to).map((char, k) => (masked[from + k] ? " " : char));
    const runs: Run[] = [];
    for (const run of scriptRuns(view)) {
      if (!isLetterScript(run.script)) continue;
      let letters = 0;
      for (let k = run.start; k < run.end; k++) if (!isInherited(view[k]!)) letters++;
      const [label, evidence] = initialLabel(run.script);
      runs.push({ script: run.script, start: from + run.start, end: from + run.end, letters, label, evidence, chineseForms: 0 });
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

const unique = (list: readonly string[]): string => [...new Set(list)].slice(0, 8).join("");

/** 3a: the characters only one side's standards have. */
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
  }
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

/**
 * Han characters that make a finished kana-less sentence with no decided
 * neighbour Chinese rather than a Japanese name or term. Next to Japanese
 * sentences such a sentence is read as Japanese (結論：富士山。). In Debian's
 * message catalogs, finished kana-less sentences of three or more Han
 * characters none of which tells the languages apart are 7 of 5,442 Japanese
 * sentences (準備完了。) and 891 of 11,215 Chinese ones; two-character ones
 * add 19 Japanese (完了。 失敗。) against 156 Chinese.
 */
const MIN_HAN_IN_SENTENCE = 3;
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

/** 3b–c: evidence inside one sentence. */
function sentenceEvidence(sentence: Sentence): void {
  const han = sentence.runs.filter((run) => run.script === "han");
  if (sentence.hasKana) {
    for (const run of han) {
      if (run.label === "zh" && run.chineseForms < MIN_CHINESE_FORMS_WITH_KANA) [run.label, run.evidence] = [null, ""];
    }
  } else if (sentence.hasHangul) {
    // Hanja are traditional forms, which the standards would call Chinese.
    for (const run of han) [run.label, run.evidence] = ["ko", "Hangul in the same sentence (Hanja)"];
  }
  const pending = han.filter((run) => run.label === null);
  if (pending.length > 0) {
    const longestRun = han.reduce((longest, run) => Math.max(longest, run.letters), 0);
    if (sentence.hasKana) {
      for (const run of pending) [run.label, run.evidence] = ["ja", "kana in the same sentence"];
    } else if (pending.length < han.length) {
      spreadWithinSentence(han);
    } else if (longestRun >= MIN_HAN_RUN_IN_LINE) {
      const evidence = `a run of ${longestRun} Han characters without kana (longer than Japanese compounds)`;
      for (const run of pending) [run.label, run.evidence] = ["zh", evidence];
    }
  }
  let ja = 0;
  let zh = 0;
  for (const run of sentence.runs) {
    if (run.label === "ja") ja += run.letters;
    if (run.label === "zh") zh += run.letters;
  }
  sentence.cjk = ja === 0 && zh === 0 ? null : ja >= zh ? "ja" : "zh";
}

/**
 * 3d–f: Han runs no sentence-level evidence decided: the nearest decided
 * sentence; then, for a finished sentence of several Han characters, Chinese;
 * then the expected language.
 */
function contextEvidence(sentences: Sentence[], expected: readonly DriftLanguage[]): void {
  const previous: Array<number | null> = [];
  let last: number | null = null;
  sentences.forEach((sentence, index) => {
    previous.push(last);
    if (sentence.cjk) last = index;
  });
  const following: Array<number | null> = new Array(sentences.length).fill(null);
  last = null;
  for (let index = sentences.length - 1; index >= 0; index--) {
    following[index] = last;
    if (sentences[index]!.cjk) last = index;
  }
  const ja = expected.includes("ja");
  const zh = expected.includes("zh");
  const fallback: [DriftLanguage, string] =
    ja && !zh
      ? ["ja", "Han only, no distinguishing characters: judged by the expected language"]
      : zh && !ja
        ? ["zh", "Han only, no distinguishing characters: judged by the expected language"]
        : ["zh", "Han only, no kana or distinguishing characters"];

  sentences.forEach((sentence, index) => {
    const pending = sentence.runs.filter((run) => run.label === null);
    if (pending.length === 0) return;
    const before = previous[index] ?? null;
    const after = following[index] ?? null;
    let source: number | null = before ?? after;
    if (before !== null && after !== null) source = index - before <= after - index ? before : after;
    const hanLetters = sentence.runs.reduce((sum, run) => sum + (run.script === "han" ? run.letters : 0), 0);
    let label = fallback;
    if (source !== null) {
      label = [sentences[source]!.cjk!, `neighbouring ${sentences[source]!.cjk} sentence`];
    } else if (sentence.finished && !sentence.hasKana && hanLetters >= MIN_HAN_IN_SENTENCE) {
      label = ["zh", `a sentence of ${hanLetters} Han characters without kana (a Japanese sentence carries kana)`];
    }
    for (const run of pending) [run.label, run.evidence] = label;
  });
}

/** Step 3: a label for every Han run. */
function labelHan(sentences: Sentence[], chars: readonly string[], expected: readonly DriftLanguage[]): void {
  for (const sentence of sentences) {
    for (const run of sentence.runs) if (run.script === "han") standardsEvidence(chars, run);
    sentenceEvidence(sentence);
  }
  contextEvidence(sentences, expected);
}

/** Step 4: consecutive runs of one label within a sentence. */
function segmentsOf(sentences: readonly Sentence[], chars: readonly string[]): Segment[][] {
  return sentences.map((sentence, index) => {
    const segments: Segment[] = [];
    let previousLatinEnd = -1;
    for (const run of sentence.runs) {
      const label = run.label!;
      let current = segments[segments.length - 1];
      if (current && current.label === label) {
        current.end = run.end;
        current.letters += run.letters;
        if (!current.evidence.includes(run.evidence)) current.evidence.push(run.evidence);
      } else {
        current = { sentence: index, start: run.start, end: run.end, label, letters: run.letters, words: 0, evidence: [run.evidence], term: false };
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

const CJK_LABELS = new Set<DriftLanguage>(["ja", "zh", "ko"]);

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

/** A bullet or a number at the start of a line: - * • ・ · 1. 1) (a) */
const LIST_ITEM = /^\s*(?:[-*•・·‣◦]|\d+[.)]|\(?[a-z\d]\))\s*/u;

/** Step 5: marks the segments that are terms; returns notes on how a short answer was read. */
function markTerms(
  bySentence: readonly Segment[][],
  sentences: readonly Sentence[],
  chars: readonly string[],
  expected: readonly DriftLanguage[],
): string[] {
  const nonEmpty = bySentence.map((segments, index) => (segments.length > 0 ? index : -1)).filter((index) => index >= 0);
  const sentenceWeights = bySentence.map(weights);
  const mainlyCjk = (index: number): boolean => {
    const { cjkLetters, latinWords } = sentenceWeights[index]!;
    return cjkLetters > 0 && cjkLetters >= latinWords;
  };
  // A sentence (I left. / Who ran?) is never a term line, however short.
  const shortLatinLine = (index: number): boolean => {
    const { cjkLetters, latinWords } = sentenceWeights[index]!;
    return (
      cjkLetters === 0 && latinWords <= 2 && !sentences[index]!.finished && bySentence[index]!.every((segment) => segment.label === "en")
    );
  };
  const listItem = (index: number): boolean => LIST_ITEM.test(chars.slice(sentences[index]!.start, sentences[index]!.start + 8).join(""));
  const segmentCount = nonEmpty.reduce((sum, index) => sum + bySentence[index]!.length, 0);
  const notes: string[] = [];
  nonEmpty.forEach((sentenceIndex, position) => {
    const { cjkLetters, latinWords } = sentenceWeights[sentenceIndex]!;
    // A line of one or two Latin words next to a CJK line, or in a list a CJK line introduces.
    let latinLineInCjk = false;
    if (shortLatinLine(sentenceIndex)) {
      const neighbours = [nonEmpty[position - 1], nonEmpty[position + 1]].filter((i): i is number => i !== undefined);
      latinLineInCjk = neighbours.some(mainlyCjk);
      if (!latinLineInCjk && listItem(sentenceIndex)) {
        let k = position - 1;
        while (k >= 0 && shortLatinLine(nonEmpty[k]!) && listItem(nonEmpty[k]!)) k--;
        latinLineInCjk = k >= 0 && mainlyCjk(nonEmpty[k]!);
      }
    }
    for (const segment of bySentence[sentenceIndex]!) {
      if (segment.label === "en" && segment.words <= 2) {
        if (mainlyCjk(sentenceIndex) || latinLineInCjk) {
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
  return notes;
}

/** Step 6: letters per label, the drifted share, and segments in original offsets. */
function tally(
  text: string,
  { origin, removed }: Masked,
  all: readonly Segment[],
  expected: DriftLanguage[],
  notes: string[],
): DriftAnalysis {
  const letters = Object.fromEntries(DRIFT_LANGUAGES.map((label) => [label, 0])) as Record<DriftLanguage, number>;
  let totalLetters = 0;
  let driftLetters = 0;
  const segments: DriftSegment[] = all.map((segment) => {
    const drift = !segment.term && !expected.includes(segment.label);
    letters[segment.label] += segment.letters;
    totalLetters += segment.letters;
    if (drift) driftLetters += segment.letters;
    return {
      start: origin[segment.start]!,
      end: origin[segment.end - 1]! + 1,
      language: segment.label,
      letters: segment.letters,
      drift,
      term: segment.term,
      evidence: segment.evidence.join("; "),
    };
  });

  if (totalLetters === 0) {
    notes.push(
      text.trim() === ""
        ? "empty output: no letters, nothing can drift"
        : "no letters after removing numbers, code, URLs and allowed terms: nothing can drift",
    );
  } else if (all.length === 1 && all[0]!.evidence.some((e) => e.includes("judged by the expected language"))) {
    notes.push(
      `short answer in Han characters only: Japanese and Chinese share them, so it is read as the expected language (${all[0]!.label})`,
    );
  }

  return {
    expected,
    letters,
    totalLetters,
    driftLetters,
    share: totalLetters === 0 ? 0 : driftLetters / totalLetters,
    segments,
    removed,
    notes,
  };
}

export function analyzeDrift(text: string, options: DriftOptions): DriftAnalysis {
  const expected = [...new Set(options.expected.map(driftLanguageOf))];
  const masked = mask(text, options.allow ?? []);
  const sentences = segmentSentences(masked);
  labelHan(sentences, masked.chars, expected);
  const bySentence = segmentsOf(sentences, masked.chars);
  const notes = markTerms(bySentence, sentences, masked.chars, expected);
  return tally(text, masked, bySentence.flat(), expected, notes);
}
