/**
 * Segment-level language drift: which stretches of an answer are written in a
 * language other than the expected one(s), and what share of the letters they
 * are. Needs no model, and consults the word segmenters only for kana-less
 * Han sentences, so it is fast on any length of output.
 * One function per step, each in its own module:
 *
 * 1. mask (drift-mask.ts) — NFKC with offsets; code, URLs, e-mail addresses,
 *    numbers and allow-listed terms are masked: they carry no language.
 * 2. segmentSentences (drift-segment.ts) — sentences, each split into script
 *    runs. Kana ⇒ ja, Hangul ⇒ ko, Latin ⇒ en (any Latin-script language),
 *    other letters ⇒ other.
 * 3. labelHan (drift-han-evidence.ts) — Han runs, shared by Japanese and
 *    Chinese, are decided by the character standards, the sentence, its
 *    neighbours, and what a kana-less sentence means in each language (to
 *    kuromoji and jieba, when the caller passes them: drift-dictionaries.ts).
 * 4. segmentsOf (drift-terms.ts) — consecutive runs of one label in a sentence form a segment.
 * 5. markTerms (drift-terms.ts) — terms do not count as drift: a short Latin
 *    word in CJK text (AIとは…), a short CJK term in English prose, a whole
 *    answer that is one name (iPhone); a whole sentence is never a term.
 * 6. tally — drift = letters of non-term segments outside the expected labels,
 *    over all letters. Latin needs several letters for what Japanese or
 *    Chinese write in one character, so the same passage weighs ~2–3× more in Latin.
 */
import { DRIFT_LANGUAGES, driftLanguageOf, type DriftLanguage } from "./drift-language.js";
import type { DriftDictionaries } from "./drift-dictionaries.js";
import { labelHan } from "./drift-han-evidence.js";
import { mask, type Masked, type MaskKind } from "./drift-mask.js";
import { segmentSentences } from "./drift-segment.js";
import { markTerms, segmentsOf, type Segment } from "./drift-terms.js";

export { CHINESE_ONLY, JAPANESE_ONLY } from "./han-sets.js";
export { DRIFT_LANGUAGES, driftLanguageOf, type DriftLanguage } from "./drift-language.js";
export type { MaskKind } from "./drift-mask.js";

export interface DriftOptions {
  /** Expected language codes (ja, zh-CN, en…). */
  expected: readonly string[];
  /** Terms to ignore wherever they occur (product names…); matched after NFKC, case-insensitively. */
  allow?: readonly string[];
  /**
   * kuromoji and jieba, for what a kana-less Han sentence means in each
   * language (drift-dictionaries.ts). Without them a list of Japanese words
   * derived from IPADIC stands in (drift-grammar.ts), which reads fewer terse
   * Chinese sentences as Chinese.
   */
  dictionaries?: DriftDictionaries;
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

export function analyzeDrift(text: string, options: DriftOptions): DriftAnalysis {
  const expected = [...new Set(options.expected.map(driftLanguageOf))];
  const masked = mask(text, options.allow ?? []);
  const sentences = segmentSentences(masked);
  labelHan(sentences, masked.chars, expected, options.dictionaries ?? null);
  const bySentence = segmentsOf(sentences, masked.chars);
  const notes = markTerms(bySentence, sentences, masked.chars, expected);
  return tally(text, masked, bySentence.flat(), expected, notes);
}

/** Step 6: letters per label, the drifted share, and segments in original offsets. */
function tally(text: string, { origin, removed }: Masked, all: readonly Segment[], expected: DriftLanguage[], notes: string[]): DriftAnalysis {
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
  const note = shortAnswerNote(text, totalLetters, all);
  return {
    expected,
    letters,
    totalLetters,
    driftLetters,
    share: totalLetters === 0 ? 0 : driftLetters / totalLetters,
    segments,
    removed,
    notes: note ? [...notes, note] : notes,
  };
}

/** How an answer with no letters, or one Han-only segment read by the expected language, was judged. */
function shortAnswerNote(text: string, totalLetters: number, all: readonly Segment[]): string | null {
  if (totalLetters === 0) {
    return text.trim() === ""
      ? "empty output: no letters, nothing can drift"
      : "no letters after removing numbers, code, URLs and allowed terms: nothing can drift";
  }
  if (all.length === 1 && all[0]!.evidence.some((e) => e.includes("judged by the expected language"))) {
    return `short answer in Han characters only: Japanese and Chinese share them, so it is read as the expected language (${all[0]!.label})`;
  }
  return null;
}
