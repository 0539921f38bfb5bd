/**
 * Unicode scripts of code points, and text split into runs of one script.
 * Shared by the checks that reason about writing systems (katakana, language
 * drift). Everything here works in code points, never UTF-16 units, so an
 * astral character such as 𠮷 counts as one character and offsets can be used
 * directly as report highlights.
 *
 * Classes:
 * - `hiragana`, `han`, `hangul`, `latin`: the Unicode Script property.
 * - `katakana`: Script=Katakana (full- and half-width) plus the prolonged sound
 *   mark ー U+30FC / ｰ U+FF70 and the voicing marks ゛゜ﾞﾟ, which Unicode puts in
 *   Common. Inside `scriptRuns` these marks continue a preceding hiragana run
 *   (すごーい is one hiragana run).
 * - `digit`: decimal digits of any script (General_Category Nd).
 * - `other`: letters of any other script (Cyrillic, Greek, Thai, Arabic…).
 * - `neutral`: everything that carries no language evidence: spaces,
 *   punctuation, symbols, emoji, and the middle dot ・.
 *
 * Combining marks, variation selectors and joiners (Script=Inherited) take the
 * class of the character they follow.
 */

export type Script = "hiragana" | "katakana" | "han" | "hangul" | "latin" | "digit" | "other" | "neutral";

/** The classes that count as letters (evidence of a language). */
export const LETTER_SCRIPTS: readonly Script[] = ["hiragana", "katakana", "han", "hangul", "latin", "other"];

/** A maximal stretch of one class; offsets are code point indices, end exclusive. */
export interface ScriptRun {
  script: Script;
  start: number;
  end: number;
  text: string;
}

/** ー U+30FC and its half-width form ｰ U+FF70. */
const PROLONGED_SOUND_MARKS = new Set(["\u30FC", "\uFF70"]);
/** Combining and spacing (full- and half-width) dakuten and handakuten. */
const VOICING_MARKS = new Set(["\u3099", "\u309A", "\u309B", "\u309C", "\uFF9E", "\uFF9F"]);

const HIRAGANA = /^\p{Script=Hiragana}$/u;
const KATAKANA = /^\p{Script=Katakana}$/u;
const HAN = /^\p{Script=Han}$/u;
const HANGUL = /^\p{Script=Hangul}$/u;
const LATIN = /^\p{Script=Latin}$/u;
const DIGIT = /^\p{Nd}$/u;
const INHERITED = /^[\p{Script=Inherited}\u200D]$/u;
const OTHER_LETTER = /^[\p{L}\p{M}]$/u;

/** Classification is a chain of regex tests; cache it per code point (texts reuse few characters). */
const cache = new Map<string, Script>();
const CACHE_LIMIT = 1 << 16;

function classify(char: string): Script {
  if (PROLONGED_SOUND_MARKS.has(char) || (VOICING_MARKS.has(char) && char !== "\u3099" && char !== "\u309A")) {
    return "katakana";
  }
  if (HIRAGANA.test(char)) return "hiragana";
  if (KATAKANA.test(char)) return "katakana";
  if (HAN.test(char)) return "han";
  if (HANGUL.test(char)) return "hangul";
  if (LATIN.test(char)) return "latin";
  if (DIGIT.test(char)) return "digit";
  if (INHERITED.test(char)) return "neutral";
  if (OTHER_LETTER.test(char)) return "other";
  return "neutral";
}

/**
 * The class of one code point (a one-code-point string). A combining mark on
 * its own is `neutral`; in `scriptRuns` it joins the character before it.
 */
export function scriptOf(char: string): Script {
  let script = cache.get(char);
  if (script === undefined) {
    script = classify(char);
    if (cache.size < CACHE_LIMIT) cache.set(char, script);
  }
  return script;
}

export function isLetterScript(script: Script): boolean {
  return script !== "digit" && script !== "neutral";
}

export function isKanaScript(script: Script): boolean {
  return script === "hiragana" || script === "katakana";
}

/** Script=Inherited (combining marks, variation selectors) and ZWJ: they belong to the previous character. */
export function isInherited(char: string): boolean {
  return INHERITED.test(char);
}

/** ー or ｰ. */
export function isProlongedSoundMark(char: string): boolean {
  return PROLONGED_SOUND_MARKS.has(char);
}

/** ゛ ゜ ﾞ ﾟ and the combining U+3099 / U+309A. */
export function isVoicingMark(char: string): boolean {
  return VOICING_MARKS.has(char);
}

/** A string's code points, each a string (what every offset here counts, and what iterating a Python `str` gives). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * Splits text (a string, or an array of code points) into maximal runs of one
 * class, covering the whole input. Inherited characters join the run before
 * them; ー and voicing marks after hiragana stay in the hiragana run.
 */
export function scriptRuns(text: string | readonly string[]): ScriptRun[] {
  const chars = typeof text === "string" ? codePoints(text) : text;
  const runs: ScriptRun[] = [];
  let current: { script: Script; start: number; parts: string[] } | null = null;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    let script = scriptOf(char);
    if (current && (isInherited(char) || (current.script === "hiragana" && (isProlongedSoundMark(char) || isVoicingMark(char))))) {
      script = current.script;
    }
    if (current && current.script === script) {
      current.parts.push(char);
      continue;
    }
    if (current) runs.push({ script: current.script, start: current.start, end: index, text: current.parts.join("") });
    current = { script, start: index, parts: [char] };
  }
  if (current) runs.push({ script: current.script, start: current.start, end: chars.length, text: current.parts.join("") });
  return runs;
}

/**
 * Code points per class. Inherited marks are not counted (they are part of the
 * letter before them), so `latin` counts "é" once whether composed or not.
 */
export function countScripts(text: string | readonly string[]): Record<Script, number> {
  const counts: Record<Script, number> = {
    hiragana: 0, katakana: 0, han: 0, hangul: 0, latin: 0, digit: 0, other: 0, neutral: 0,
  };
  const chars = typeof text === "string" ? codePoints(text) : text;
  let previous: Script = "neutral";
  for (const char of chars) {
    if (isInherited(char)) continue;
    let script = scriptOf(char);
    if (previous === "hiragana" && (isProlongedSoundMark(char) || isVoicingMark(char))) script = "hiragana";
    counts[script]++;
    previous = script;
  }
  return counts;
}

/** The letter class with the most code points, or null when there are no letters. */
export function dominantLetterScript(counts: Record<Script, number>): Script | null {
  let best: Script | null = null;
  for (const script of LETTER_SCRIPTS) {
    if (counts[script] > 0 && (best === null || counts[script] > counts[best])) best = script;
  }
  return best;
}
