/**
 * Katakana words in text, normalized for comparison, and the distance between
 * an expected katakana form and what a model wrote.
 *
 * Normalization (always): NFKC (half-width ｶﾞｲﾗｲｺﾞ → ガイライゴ), a separate
 * voicing mark composed onto its kana (ｶﾞ, カ゛ → ガ), and dash-like characters
 * (- ‐ ‑ – — ― − ─ 〜 ～ ~ ｰ) that follow katakana read as ー.
 *
 * Lenient folding (optional), for spellings that real usage accepts side by
 * side: ヴァ ヴィ ヴ ヴェ ヴォ (and ヷ ヸ ヹ ヺ) → バ ビ ブ ベ ボ; ウィ → ウイ (one
 * canonical form, the one newspapers use: ウイスキー, ゴールデンウイーク); the
 * middle dot ・ dropped; a word-final ー dropped (コンピューター = コンピュータ).
 *
 * Distances count morae, not characters: a kana with its small ァィゥェォャュョヮ
 * is one unit, so ウォントン vs ワンタン is 2 (ウォ→ワ, ト→タ) and ヴァ vs バ is 1.
 * ッ, ン and ー are morae of their own. The distance itself is fast-levenshtein's,
 * over a one-character-per-mora encoding.
 */
import levenshtein from "fast-levenshtein";
import { codePoints, isProlongedSoundMark, isVoicingMark, scriptOf } from "./scripts.js";

/** One character of a normalized katakana word and the original code points it came from. */
export interface KanaUnit {
  char: string;
  /** Code point offsets into the original text, end exclusive. */
  start: number;
  end: number;
}

/** A katakana word found in text: normalized units plus where it is in the original. */
export interface KatakanaWord {
  /** Normalized (not folded) katakana. */
  text: string;
  /** The original characters, as written. */
  raw: string;
  start: number;
  end: number;
  units: KanaUnit[];
}

/** Characters read as ー when they directly follow katakana. */
const DASH_LIKE = new Set(["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\u2500", "\u301C", "\uFF5E", "~", "\uFF0D"]);
const MIDDLE_DOTS = new Set(["\u30FB", "\uFF65"]);
const COMBINING_DAKUTEN = "\u3099";
const COMBINING_HANDAKUTEN = "\u309A";
/** Small kana that join the preceding kana into one mora. */
const SMALL_GLIDES = new Set(["ァ", "ィ", "ゥ", "ェ", "ォ", "ャ", "ュ", "ョ", "ヮ"]);

function isKatakanaLetter(char: string): boolean {
  return scriptOf(char) === "katakana" && !isProlongedSoundMark(char) && !isVoicingMark(char);
}

function combiningMarkOf(char: string): string | null {
  if (char === "\u3099" || char === "\u309B" || char === "\uFF9E") return COMBINING_DAKUTEN;
  if (char === "\u309A" || char === "\u309C" || char === "\uFF9F") return COMBINING_HANDAKUTEN;
  return null;
}

/**
 * Normalizes the code points of one katakana word (as cut by `katakanaWords`)
 * into units that remember their original offsets. `offset` is the code point
 * index of `chars[0]` in the original text.
 */
function normalizeWordChars(chars: readonly string[], offset: number): KanaUnit[] {
  const units: KanaUnit[] = [];
  chars.forEach((char, index) => {
    const at = offset + index;
    const mark = combiningMarkOf(char);
    if (mark) {
      const previous = units[units.length - 1];
      const composed = previous ? (previous.char + mark).normalize("NFC") : "";
      if (previous && codePoints(composed).length === 1) {
        previous.char = composed;
        previous.end = at + 1;
      } else if (previous) {
        previous.end = at + 1; // a mark that composes with nothing: dropped, its place kept
      }
      return;
    }
    if (isProlongedSoundMark(char) || DASH_LIKE.has(char)) {
      units.push({ char: "ー", start: at, end: at + 1 });
      return;
    }
    if (MIDDLE_DOTS.has(char)) {
      units.push({ char: "・", start: at, end: at + 1 });
      return;
    }
    for (const piece of codePoints(char.normalize("NFKC"))) units.push({ char: piece, start: at, end: at + 1 });
  });
  return units;
}

/**
 * The katakana words of a text, in order: runs that start with a katakana
 * letter and continue through katakana, ー and dash-likes, voicing marks, and a
 * middle dot between two katakana letters (ワシントン・ポスト is one word).
 */
export function katakanaWords(text: string): KatakanaWord[] {
  const chars = codePoints(text);
  const words: KatakanaWord[] = [];
  let index = 0;
  while (index < chars.length) {
    if (!isKatakanaLetter(chars[index]!)) {
      index++;
      continue;
    }
    const start = index;
    index++;
    while (index < chars.length) {
      const char = chars[index]!;
      if (isKatakanaLetter(char) || isProlongedSoundMark(char) || isVoicingMark(char) || DASH_LIKE.has(char)) {
        index++;
      } else if (MIDDLE_DOTS.has(char) && index + 1 < chars.length && isKatakanaLetter(chars[index + 1]!)) {
        index++;
      } else {
        break;
      }
    }
    const wordChars = chars.slice(start, index);
    const units = normalizeWordChars(wordChars, start);
    words.push({ text: units.map((unit) => unit.char).join(""), raw: wordChars.join(""), start, end: index, units });
  }
  return words;
}

/** ぁ-ゖ → ァ-ヶ, ゝゞ → ヽヾ; everything else unchanged. */
export function hiraganaToKatakana(text: string): string {
  let result = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    result += (code >= 0x3041 && code <= 0x3096) || code === 0x309d || code === 0x309e ? String.fromCodePoint(code + 0x60) : char;
  }
  return result;
}

const LENIENT_RULES: ReadonlyArray<readonly [string, string]> = [
  ["ヴァ", "バ"], ["ヴィ", "ビ"], ["ヴェ", "ベ"], ["ヴォ", "ボ"], ["ヴュ", "ビュ"], ["ヴ", "ブ"],
  ["ヷ", "バ"], ["ヸ", "ビ"], ["ヹ", "ベ"], ["ヺ", "ボ"],
  ["ウィ", "ウイ"],
  ["・", ""],
];

/**
 * Applies the lenient folding to normalized units, keeping offsets: a folded
 * unit spans the original characters of everything it replaced.
 */
export function foldLenient(units: readonly KanaUnit[]): KanaUnit[] {
  const folded: KanaUnit[] = [];
  let index = 0;
  while (index < units.length) {
    const rule = LENIENT_RULES.find(([from]) => codePoints(from).every((char, k) => units[index + k]?.char === char));
    if (!rule) {
      folded.push({ ...units[index]! });
      index++;
      continue;
    }
    const [from, to] = rule;
    const width = codePoints(from).length;
    const start = units[index]!.start;
    const end = units[index + width - 1]!.end;
    for (const char of codePoints(to)) folded.push({ char, start, end });
    index += width;
  }
  while (folded.length > 0 && folded[folded.length - 1]!.char === "ー") folded.pop();
  return folded;
}

/** A mora: one kana (with its small glide), ッ, ン or ー, with original offsets. */
export interface Mora {
  text: string;
  start: number;
  end: number;
}

export function toMorae(units: readonly KanaUnit[]): Mora[] {
  const morae: Mora[] = [];
  for (const unit of units) {
    const previous = morae[morae.length - 1];
    if (previous && SMALL_GLIDES.has(unit.char) && previous.text !== "ー" && !SMALL_GLIDES.has(previous.text.slice(-1))) {
      previous.text += unit.char;
      previous.end = Math.max(previous.end, unit.end);
    } else {
      morae.push({ text: unit.char, start: unit.start, end: unit.end });
    }
  }
  return morae;
}

/**
 * Encodes morae as one UTF-16 unit each (Private Use Area), so that an
 * ordinary string edit distance counts morae. One encoder per comparison set.
 */
export class MoraEncoder {
  private readonly codes = new Map<string, string>();

  encode(morae: readonly Mora[]): string {
    let encoded = "";
    for (const mora of morae) {
      let code = this.codes.get(mora.text);
      if (code === undefined) {
        // 6,400 code points in the BMP Private Use Area; katakana has a few hundred morae.
        code = String.fromCharCode(0xe000 + (this.codes.size % 0x1900));
        this.codes.set(mora.text, code);
      }
      encoded += code;
    }
    return encoded;
  }
}

/** Where an expected form matches one word: the whole word, or a stretch of it. */
export interface WordMatch {
  distance: number;
  /** Index range of morae in the word, end exclusive. */
  from: number;
  to: number;
  /** True when the range is a stretch of a longer word, not the whole word. */
  partial: boolean;
}

/** The whole word and, when it is closer, the closest stretch of it. */
export interface WordMatches {
  whole: WordMatch;
  /** The closest stretch when it is closer than the whole word; null otherwise. */
  part: WordMatch | null;
}

export interface MatchOptions {
  /**
   * Let a match end just before a ー of the word (コンピュータ inside
   * コンピューター). Off in strict mode, where the long vowel is part of the word.
   */
  allowCutBeforeLongVowel: boolean;
}

/**
 * The share of a word's morae that may differ from it: a quarter. A distance
 * of 1 changes half of ピザ (ピアノ, ピサ are other words) but one mora in
 * seven of フリーダイヤル (フリーダイアル is the same word). Measured on the
 * katakana nouns of IPADIC (fixtures/katakana/): another word sharing the
 * first kana is 1 mora away for 10% of 2-mora words, 3.5% of 3-mora words,
 * 0.4% of 4-mora words and fewer beyond. The check lets spelling-variant
 * edits (src/lang/katakana-variants.ts) past this share: ギブス is ギプス.
 */
const TOLERATED_SHARE = 1 / 4;

/**
 * The largest distance accepted for an expected form of `morae` morae:
 * `maxDistance`, but never more than a quarter of the form (0 for forms of up
 * to 3 morae, 1 for 4–7, 2 for 8–11…).
 */
export function toleratedDistance(morae: number, maxDistance: number): number {
  return Math.min(maxDistance, Math.floor(morae * TOLERATED_SHARE));
}

/**
 * Distances between an expected form and a word: the whole word, and the
 * closest stretch of it (ワンタン inside ワンタンメン, ウォントン inside
 * ウォントンスープ). A stretch is only evidence when it is exact — a part of
 * ピアノ is 1 mora from ピザ, which says nothing — so stretches are searched
 * for the exact form and, for the report, for the closest one with lengths
 * within |expected| ± ⌈|expected| / 2⌉ morae. A stretch never starts on a ー.
 */
export function matchInWord(
  expected: readonly Mora[],
  word: readonly Mora[],
  encoder: MoraEncoder,
  options: MatchOptions,
): WordMatches {
  const target = encoder.encode(expected);
  const encodedWord = encoder.encode(word);
  const whole: WordMatch = { distance: levenshtein.get(target, encodedWord), from: 0, to: word.length, partial: false };
  if (whole.distance === 0 || word.length === 0 || target.length === 0) return { whole, part: null };
  let part: WordMatch | null = null;
  const bound = (): number => part?.distance ?? whole.distance;
  const slack = Math.max(1, Math.ceil(target.length / 2));
  const shortest = Math.max(1, target.length - slack);
  const longest = Math.min(word.length, target.length + slack);
  for (let from = 0; from < word.length; from++) {
    if (word[from]!.text === "ー") continue;
    for (let length = shortest; length <= longest && from + length <= word.length; length++) {
      const to = from + length;
      if (from === 0 && to === word.length) continue;
      if (!options.allowCutBeforeLongVowel && to < word.length && word[to]!.text === "ー") continue;
      // A stretch can only be closer if its length is within the best distance of the target's.
      if (Math.abs(length - target.length) >= bound()) continue;
      const distance = levenshtein.get(target, encodedWord.slice(from, to));
      if (distance < bound()) {
        part = { distance, from, to, partial: true };
        if (distance === 0) return { whole, part };
      }
    }
  }
  return { whole, part };
}
