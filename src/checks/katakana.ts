import { defineCheck } from "./define.js";
import type { CheckOutcome, Highlight, WithDefaults } from "./types.js";
import { EXPECTED_SCHEMA, expectedValues } from "./expected.js";
import { normalizeForMatch, normalizeValue, originalRange } from "../lang/normalize.js";
import { foldLenient, katakanaWords, toMorae, toleratedDistance } from "../lang/katakana.js";
import { type Alignment, type MoraEdit, alignMorae } from "../lang/katakana-variants.js";
import { countScripts, dominantLetterScript, type Script } from "../lang/scripts.js";
import { type ExpectedForm, type Tolerance, better, closest, expectedForms, needsReading, usableAliases } from "./katakana-match.js";
import { type KatakanaCase, type KatakanaDetails, katakanaView, morae } from "./katakana-view.js";

export type { KatakanaCase, KatakanaDetails } from "./katakana-view.js";

export interface KatakanaParams {
  /** The katakana form(s) to look for; kanji or hiragana are compared by reading. Defaults to the probe's `expected`. */
  expected?: string | string[];
  /** Largest accepted distance in morae, for the whole word: at most a quarter of the expected form's morae, unless every edit is a spelling variant (ギブス for ギプス). Default 0. */
  max_distance?: number;
  /** `lenient` (default) also accepts the usual spelling variants; `strict` only normalizes encoding. */
  mode?: "strict" | "lenient";
}

type FilledKatakanaParams = WithDefaults<KatakanaParams, "max_distance" | "mode">;

/**
 * 3: spelling-variant edits (ー, ッ, ティ/チ…) pass a short word within max_distance beyond the quarter-of-morae cap.
 * 4: a small ャ written as ア is a variant too (ギリシア for ギリシャ passes at max_distance 2).
 */
const VERSION = 4;

function sliceCodePoints(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join("");
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
