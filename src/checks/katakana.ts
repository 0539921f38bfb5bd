import { defineCheck } from "./define.js";
import type { CheckDetails, CheckOutcome, DetailsView, Highlight, Tone, WithDefaults } from "./types.js";
import type { LanguageServices } from "../lang/services.js";
import type { Probe } from "../format/suite.js";
import { EXPECTED_SCHEMA, expectedValues } from "./expected.js";
import { normalizeForMatch, normalizeValue, originalRange } from "../lang/normalize.js";
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
  toleratedDistance,
} from "../lang/katakana.js";
import { type Alignment, type MoraEdit, alignMorae } from "../lang/katakana-variants.js";
import { countScripts, dominantLetterScript, type Script } from "../lang/scripts.js";

export interface KatakanaParams {
  /** The katakana form(s) to look for; kanji or hiragana are compared by reading. Defaults to the probe's `expected`. */
  expected?: string | string[];
  /** Largest accepted distance in morae, for the whole word: at most a quarter of the expected form's morae, unless every edit is a spelling variant (ギブス for ギプス). Default 0. */
  max_distance?: number;
  /** `lenient` (default) also accepts the usual spelling variants; `strict` only normalizes encoding. */
  mode?: "strict" | "lenient";
}

type FilledKatakanaParams = WithDefaults<KatakanaParams, "max_distance" | "mode">;

/** exact | variant (accepted, not identical) | wrong_transliteration | no_katakana */
export type KatakanaCase = "exact" | "variant" | "wrong_transliteration" | "no_katakana";

export interface KatakanaDetails extends CheckDetails {
  case: KatakanaCase;
  mode: "strict" | "lenient";
  max_distance: number;
  /** The expected form that matched best (as written), and the katakana it was compared as. */
  expected?: string;
  expected_katakana?: string | string[];
  /** What the output wrote: the closest run, the word it is in, and every katakana word (first 20). */
  matched?: string;
  word?: string;
  katakana_words?: string[];
  distance?: number;
  /** no_katakana: the script the output is mostly in. */
  dominant_script?: string | null;
}

/** "1 mora", "2 morae". */
function morae(count: number): string {
  return `${count} mora${count === 1 ? "" : "e"}`;
}

/** report.html: the expected form beside what the model wrote, then the case, distance and the katakana words found. */
function katakanaView(details: KatakanaDetails): DetailsView {
  const expectedKatakana = Array.isArray(details.expected_katakana) ? details.expected_katakana.join(" / ") : details.expected_katakana;
  const expected = details.expected;
  const caseName = details.case ?? "";
  const tone: Tone = caseName === "wrong_transliteration" ? "bad" : caseName === "no_katakana" ? "warn" : "good";
  const rows: Array<[string, string]> = [["case", caseName.replace(/_/g, " ")]];
  if (typeof details.distance === "number") rows.push(["distance", morae(details.distance)]);
  if (details.mode !== undefined) rows.push(["mode", `${String(details.mode)}, max distance ${String(details.max_distance ?? 0)}`]);
  if (details.dominant_script) rows.push(["output is mostly", String(details.dominant_script)]);
  const words = details.katakana_words ?? [];
  if (words.length > 0) rows.push(["katakana words in the output", words.map(String).join("、")]);
  return [
    {
      kind: "compare",
      expected: {
        label: "expected",
        text: expected ?? expectedKatakana ?? "—",
        ...(expected && expectedKatakana && expectedKatakana !== expected ? { note: `read as ${expectedKatakana}` } : {}),
      },
      found: {
        label: caseName === "no_katakana" ? "model wrote no katakana" : "closest in the output",
        text: details.matched ?? "—",
        tone,
        ...(details.word && details.word !== details.matched ? { note: `in the word ${details.word}` } : {}),
      },
    },
    { kind: "facts", rows },
  ];
}

/** 3: spelling-variant edits (ー, ッ, ティ/チ…) pass a short word within max_distance beyond the quarter-of-morae cap. */
const VERSION = 3;
const HAN = /\p{Script=Han}/u;
const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

interface ExpectedForm {
  /** As written in the spec. */
  alias: string;
  /** Normalized katakana compared against (the reading, for kanji). */
  katakana: string;
  units: KanaUnit[];
  /** True when the form was kanji and was read with kuromoji. */
  byReading: boolean;
}

interface Candidate {
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
function usableAliases(params: KatakanaParams, probe: Probe): string[] {
  return expectedValues(params, probe).filter((alias) => JAPANESE.test(alias.normalize("NFKC")));
}

function needsReading(alias: string): boolean {
  return HAN.test(alias.normalize("NFKC"));
}

function expectedForms(aliases: readonly string[], services: LanguageServices): ExpectedForm[] {
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

function sliceCodePoints(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join("");
}

interface Tolerance {
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
function better(a: Candidate, b: Candidate | null): boolean {
  if (!b) return true;
  if (a.accepted !== b.accepted) return a.accepted;
  return a.distance < b.distance;
}

/** Best candidate over every expected form and katakana word; earliest wins ties. */
function closest(
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

/** ヤ → ア, ッ left out, ー added. */
function describeEdit(edit: MoraEdit): string {
  if (edit.expected === "") return `${edit.written} added`;
  if (edit.written === "") return `${edit.expected} left out`;
  return `${edit.expected} → ${edit.written}`;
}

/** The variant edits of an alignment, each with its kind: "voicing: プ → ブ". */
function variantEdits(alignment: Alignment): string {
  return alignment.edits
    .filter((edit) => edit.variant !== null)
    .map((edit) => `${edit.variant}: ${describeEdit(edit)}`)
    .join(", ");
}

const SCRIPT_NAMES: Record<Script, string> = {
  latin: "Latin script (English or romaji)",
  han: "kanji",
  hiragana: "hiragana",
  katakana: "katakana",
  hangul: "Hangul",
  other: "another script",
  digit: "digits",
  neutral: "symbols",
};

/**
 * The katakana the model wrote for a word, against the established form:
 * score = distance in morae (lower is better; null when the output has no
 * katakana). A whole katakana word passes within `max_distance` and at most a
 * quarter of the expected form's morae, or, in lenient mode, within
 * `max_distance` when every edit is a spelling variant (ギブス for ギプス); a
 * stretch of a longer word passes only when exact or an accepted spelling. See
 * src/lang/katakana.ts for the normalization, the folding and the tolerance,
 * and src/lang/katakana-variants.ts for the variant edits.
 */
export const katakana = defineCheck<KatakanaParams, KatakanaDetails, FilledKatakanaParams>({
  type: "katakana",
  better: "lower",
  unit: "morae",
  note: "distance in morae",
  view: katakanaView,
  signature: (params) => `katakana|mode:${params.mode}|max_distance:${params.max_distance}|tolerance:quarter+variants|unit:mora|version:${VERSION}`,
  summary: "the output writes the expected word in its established katakana form (distance in morae)",
  needsExpected: true,
  paramsSchema: {
    type: "object",
    properties: {
      expected: {
        ...EXPECTED_SCHEMA,
        description: "Katakana form(s) to find; kanji or hiragana are compared by their reading. Defaults to the probe's `expected`.",
      },
      max_distance: {
        type: "integer",
        minimum: 0,
        default: 0,
        description:
          "Largest accepted distance in morae: at most a quarter of the expected form (0 up to 3 morae, 1 for 4–7, 2 for 8–11), unless every edit is a spelling variant (ー, ッ, ティ/チ, ファ/ハ, ヤ/ア after i, small kana, voicing after ッ…; lenient mode).",
      },
      mode: {
        enum: ["strict", "lenient"],
        default: "lenient",
        description: "lenient also accepts ヴァ/バ, ウィ/ウイ, a final ー and ・ as optional.",
      },
    },
    additionalProperties: false,
  },
  services(params, probe) {
    return usableAliases(params, probe).some(needsReading) ? ["ja"] : [];
  },
  validate(params, probe) {
    if (usableAliases(params, probe).length === 0) {
      const given = expectedValues(params, probe);
      return `katakana needs an expected form in katakana, hiragana or kanji; got ${given.length === 0 ? "none" : given.map((v) => `"${v}"`).join(", ")}`;
    }
    return null;
  },
  run({ params, probe, output, services }): CheckOutcome<KatakanaDetails> {
    const { max_distance: maxDistance, mode } = params;
    const aliases = usableAliases(params, probe);
    const forms = expectedForms(aliases, services);
    const result = (caseName: KatakanaCase, score: number | null, pass: boolean, reason: string, extra: Record<string, unknown> = {}): CheckOutcome<KatakanaDetails> => ({
      score,
      pass,
      details: { reason, case: caseName, mode, max_distance: maxDistance, ...extra },
    });

    if (forms.length === 0) {
      return result("no_katakana", null, false, `no expected form could be read as katakana (${aliases.map((a) => `"${a}"`).join(", ") || "none given"})`);
    }

    // An expected word in kanji that the output writes as is: that is the word itself.
    const haystack = normalizeForMatch(output, { caseSensitive: true });
    for (const form of forms.filter((f) => f.byReading)) {
      const needle = normalizeValue(form.alias, { caseSensitive: true });
      const at = needle === "" ? -1 : haystack.text.indexOf(needle);
      if (at >= 0) {
        const range = originalRange(haystack, at, at + needle.length);
        return result("exact", 0, true, `found "${form.alias}" as written`, {
          distance: 0,
          expected: form.alias,
          expected_katakana: form.katakana,
          matched: form.alias,
          highlights: [{ ...range, label: "expected" }],
        });
      }
    }

    const words = katakanaWords(output);
    const expectedInfo = { expected_katakana: forms.map((form) => form.katakana) };
    if (words.length === 0) {
      // Hiragana is the particles of any Japanese answer: the content script is what tells how it was answered.
      const counts = countScripts(output);
      const content = { ...counts, hiragana: 0 };
      const dominant = dominantLetterScript(content) ?? (counts.hiragana > 0 ? "hiragana" : null);
      const reason = output.trim() === ""
        ? "no katakana: the output is empty"
        : dominant === null
          ? "no katakana: the output has no letters"
          : `no katakana: the output is mostly ${SCRIPT_NAMES[dominant]}`;
      const letters = Object.fromEntries(Object.entries(counts).filter(([script, n]) => n > 0 && script !== "neutral"));
      return result("no_katakana", null, false, reason, { dominant_script: dominant, scripts: letters, ...expectedInfo });
    }

    const variants = mode === "lenient";
    const toleranceOf = (form: ExpectedForm): Tolerance => {
      const morae = toMorae(variants ? foldLenient(form.units) : form.units).length;
      return { morae, tolerance: toleratedDistance(morae, maxDistance), maxDistance, variants };
    };
    const strict = closest(forms, words, false, toleranceOf);
    const lenient = mode === "lenient" ? closest(forms, words, true, toleranceOf) : null;
    if (!strict) return result("no_katakana", null, false, "no katakana word could be compared", expectedInfo);
    const best = lenient && better(lenient, strict) ? lenient : strict;
    const matched = sliceCodePoints(output, best.start, best.end);
    const common = {
      distance: best.distance,
      tolerance: best.tolerance,
      partial: best.partial,
      expected: best.form.alias,
      expected_katakana: best.form.katakana,
      matched,
      word: best.word.raw,
      katakana_words: words.slice(0, 20).map((word) => word.text),
    };
    const highlight = (label: string): Highlight[] => [{ start: best.start, end: best.end, label }];
    const reading = best.form.byReading ? ` (read ${best.form.katakana})` : "";

    if (strict.distance === 0) {
      return result("exact", 0, true, `found "${matched}" for "${best.form.alias}"${reading}`, { ...common, highlights: highlight("expected") });
    }
    if (best.distance === 0) {
      return result("variant", 0, true, `found "${matched}", an accepted spelling of "${best.form.alias}"${reading}`, {
        ...common,
        folded: true,
        highlights: highlight("variant"),
      });
    }
    if (best.accepted) {
      // An accepted whole word is within the tolerance, or is so by variants alone.
      const alignment = (variants ? alignMorae(best.expectedMorae, best.writtenMorae, 0) : null) ?? alignMorae(best.expectedMorae, best.writtenMorae, Infinity, variants)!;
      const named = variantEdits(alignment);
      const reason = alignment.others === 0
        ? `found "${matched}", a variant of "${best.form.alias}"${reading} (${named}), ${morae(best.distance)} from it (max_distance ${maxDistance})`
        : `found "${matched}", ${morae(best.distance)} from "${best.form.alias}"${reading}, within the ${best.tolerance} tolerated on a ${morae(best.morae)} word (max_distance ${maxDistance})` +
          (named === "" ? "" : `; spelling variants among its edits: ${named}`);
      return result("variant", best.distance, true, reason, {
        ...common,
        folded: best === lenient,
        edits: alignment.edits,
        highlights: highlight("variant"),
      });
    }
    // Say why a distance within max_distance still fails.
    const alignment = best.distance > maxDistance || best.partial ? null : alignMorae(best.expectedMorae, best.writtenMorae, Infinity, variants);
    const others = alignment ? alignment.edits.filter((edit) => edit.variant === null) : [];
    const why = best.distance > maxDistance
      ? ""
      : best.partial
        ? `; it is only part of "${best.word.raw}", and a part of a longer word counts only when exact or an accepted spelling`
        : `; a ${morae(best.morae)} word tolerates ${best.tolerance} (max_distance ${maxDistance}, at most a quarter of its morae)` +
          (variants && others.length > 0
            ? ` unless every edit is a spelling variant, and ${others.map(describeEdit).join(", ")} ${others.length === 1 ? "is not one" : "are not"}`
            : "");
    return result(
      "wrong_transliteration",
      best.distance,
      false,
      `closest katakana "${matched}" is ${morae(best.distance)} from "${best.form.alias}"${reading}${why}`,
      { ...common, ...(alignment ? { edits: alignment.edits } : {}), highlights: highlight("wrong katakana") },
    );
  },
});
