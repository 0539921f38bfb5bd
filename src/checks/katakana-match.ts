/**
 * The katakana check's matching: the expected forms read as katakana, and the
 * katakana word (or stretch of one) of the output closest to one of them.
 */
import type { LanguageServices } from "../lang/services.js";
import type { Probe } from "../format/suite.js";
import { expectedValues } from "./expected.js";
import {
  type KanaUnit,
  type KatakanaWord,
  type WordMatch,
  MoraEncoder,
  foldLenient,
  hiraganaToKatakana,
  katakanaWords,
  matchInWord,
  toMorae,
} from "../lang/katakana.js";
import { alignMorae } from "../lang/katakana-variants.js";

const HAN = /\p{Script=Han}/u;
const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

export interface ExpectedForm {
  /** As written in the spec. */
  alias: string;
  /** Normalized katakana compared against (the reading, for kanji). */
  katakana: string;
  units: KanaUnit[];
  /** True when the form was kanji and was read with kuromoji. */
  byReading: boolean;
}

export interface Candidate {
  form: ExpectedForm;
  word: KatakanaWord;
  distance: number;
  /** Morae of the expected form as compared (folded in lenient mode). */
  morae: number;
  /** The largest distance accepted for this form unless every edit is a spelling variant: max_distance, at most a quarter of its morae. */
  tolerance: number;
  /** True when the match is a stretch of a longer word. */
  partial: boolean;
  /** Whole word within max_distance and the tolerance, or a stretch that is exact. */
  accepted: boolean;
  /** The morae compared: the expected form's and the matched word's (or stretch's). */
  expectedMorae: string[];
  writtenMorae: string[];
  start: number;
  end: number;
}

/** Aliases this check can use: anything with kana or kanji (an English alias such as "wonton" is skipped). */
export function usableAliases(params: { expected?: unknown }, probe: Probe): string[] {
  return expectedValues(params, probe).filter((alias) => JAPANESE.test(alias.normalize("NFKC")));
}

export function needsReading(alias: string): boolean {
  return HAN.test(alias.normalize("NFKC"));
}

export function expectedForms(aliases: readonly string[], services: LanguageServices): ExpectedForm[] {
  const forms: ExpectedForm[] = [];
  for (const alias of aliases) {
    const text = alias.normalize("NFKC");
    const byReading = needsReading(alias);
    const kana = byReading
      ? services
          .japanese(text)
          .map((token) => token.reading ?? hiraganaToKatakana(token.surface))
          .join("")
      : hiraganaToKatakana(text);
    const units = katakanaWords(kana).flatMap((word) => word.units);
    if (units.length > 0) forms.push({ alias, katakana: units.map((unit) => unit.char).join(""), units, byReading });
  }
  return forms;
}

export interface Tolerance {
  /** Morae of the form the tolerance is measured on: the folded one in lenient mode (a final ー is optional there). */
  morae: number;
  tolerance: number;
  maxDistance: number;
  /** Whether spelling-variant edits go beyond the tolerance (lenient mode). */
  variants: boolean;
}

/**
 * Whether a whole word at `distance` from the form is accepted: within the
 * tolerance, or, in lenient mode, within max_distance by spelling-variant
 * edits alone (ギブス for ギプス on a 3-mora word).
 */
function acceptsWhole(expected: readonly string[], written: readonly string[], distance: number, rule: Tolerance): boolean {
  if (distance <= rule.tolerance) return true;
  if (!rule.variants || distance > rule.maxDistance) return false;
  const alignment = alignMorae(expected, written, 0);
  return alignment !== null && alignment.distance <= rule.maxDistance;
}

/** Whether `a` beats `b`: accepted before rejected, then the smaller distance (ties keep `b`, the earlier). */
export function better(a: Candidate, b: Candidate | null): boolean {
  if (!b) return true;
  if (a.accepted !== b.accepted) return a.accepted;
  return a.distance < b.distance;
}

/** Best candidate over every expected form and katakana word; earliest wins ties. */
export function closest(
  forms: readonly ExpectedForm[],
  words: readonly KatakanaWord[],
  lenient: boolean,
  toleranceOf: (form: ExpectedForm) => Tolerance,
): Candidate | null {
  const encoder = new MoraEncoder();
  let best: Candidate | null = null;
  for (const form of forms) {
    const expected = toMorae(lenient ? foldLenient(form.units) : form.units);
    const expectedMorae = expected.map((mora) => mora.text);
    const rule = toleranceOf(form);
    // Long outputs are mostly the same words again (loops): match each distinct word once.
    const seen = new Map<string, Array<{ match: WordMatch; accepted: boolean }>>();
    for (const word of words) {
      const morae = toMorae(lenient ? foldLenient(word.units) : word.units);
      if (morae.length === 0) continue;
      const writtenMorae = morae.map((mora) => mora.text);
      const key = writtenMorae.join("\u0000");
      let judged = seen.get(key);
      if (!judged) {
        const { whole, part } = matchInWord(expected, morae, encoder, { allowCutBeforeLongVowel: lenient });
        judged = [{ match: whole, accepted: acceptsWhole(expectedMorae, writtenMorae, whole.distance, rule) }];
        if (part) judged.push({ match: part, accepted: part.distance === 0 });
        seen.set(key, judged);
      }
      for (const { match, accepted } of judged) {
        const written = writtenMorae.slice(match.from, match.to);
        // A lenient match ends where the long vowel it ignored ends: highlight コンピューター, not コンピュータ.
        let to = match.to;
        while (to < morae.length && morae[to]!.text === "ー") to++;
        const end = to === morae.length ? word.end : morae[to - 1]!.end;
        const candidate: Candidate = {
          form,
          word,
          distance: match.distance,
          morae: rule.morae,
          tolerance: rule.tolerance,
          partial: match.partial,
          accepted,
          expectedMorae,
          writtenMorae: written,
          start: morae[match.from]!.start,
          end,
        };
        if (better(candidate, best)) best = candidate;
      }
    }
  }
  return best;
}
