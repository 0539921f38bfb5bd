import { defineCheck } from "./define.js";
import type { CheckDetails, DetailsView, Highlight, WithDefaults } from "./types.js";
import { analyzeDrift, driftLanguageOf, type DriftLanguage } from "../lang/drift.js";
import type { Probe } from "../format/suite.js";
import { segmenterRelease } from "../lang/services.js";
import { HAN_WORD_FREQUENCIES_RELEASE } from "../lang/han-word-frequencies.js";
import { formatScore } from "../util/display.js";

export interface LanguageParams {
  /** Expected language code(s) — not answers. Defaults to the probe's `language`. */
  expected?: string | string[];
  /** Largest accepted share (0–1) of letters outside the expected languages. Default 0.1. */
  max_drift?: number;
  /** Terms to ignore (product names, proper nouns), matched case-insensitively after NFKC. */
  allow?: string | string[];
}

/**
 * 2: Han evidence from the character standards, short sentences judged as sentences (I left. is drift).
 * 3: a terse kana-less line is Chinese only when it carries Chinese grammar no Japanese word explains.
 * 4: with ja or zh expected, a kana-less line is Chinese when kuromoji cannot read it as a Japanese
 *    compound or jieba has a word where IPADIC has only single characters.
 * 5: jieba reads Traditional and Japanese forms in their Simplified ones (OpenCC); a Japanese
 *    compound with a word jieba's dictionary counts under once per million words, or cuts into
 *    words of its own (非常/口), or one mixing Traditional and Simplified forms (電池残量), is
 *    Japanese; a number with its counter (何時) is one Japanese word.
 * 6: a kana-less line with a word one language writes a hundred times as often as the other
 *    (wordfreq's lists: 料金 明天) is that language's.
 * 7: a unigram word model of each language (wordfreq's lists) decided kana-less lines it found a hundred
 *    times likelier as Japanese, with a Zipf point given to every Japanese word; Han numerals were no
 *    jieba word IPADIC lacks, nor counted in a run's length.
 * 8: the unigram odds were the words' frequencies alone, and numerals a number only before a counter.
 * 9: the unigram models are gone (7's point on every word was a prior toward Japanese, 全体起立。 failing
 *    under zh; the frequencies alone called bare Japanese names Japanese, 大阪。 川端康成。, and decided
 *    few lines); what stays of 7 and 8: a number in Han numerals before its counter is one Japanese word
 *    (十/八/時), not a jieba word IPADIC lacks.
 * 10: so is a number with its ordinal prefix and its counter (第/三/回, 第/一/章).
 * 11: what a sentence in the expected language mentions is not drift: a name, title or quotation it
 *    goes on after (404 Not Found は…, KGI（Key Goal Indicator）は…, 「I'd like…」は…), not running text
 *    it starts or ends with, nor a quotation standing as a sentence after one (drift-terms.ts); kana
 *    inside a quotation or bracket say nothing of the Han outside it unless with Chinese grammar.
 * 12: file paths and identifiers written without code marks are masked (/etc/hosts, editor.formatOnSave,
 *    -i); Latin runs between 、 are items each (Led、Built); a title in brackets is mentioned in a sentence
 *    it outweighs (《教父》（The Godfather）); a quotation followed by a particle is no sentence of its own.
 * 13: an example sentence glossed by an arrow is mentioned (The exam was a piece of cake. → 考试很简单。);
 *    two Chinese function words outweigh one Japanese-only character in a kana-less sentence (河原町在…);
 *    Hangul in a quotation make no Hanja of the Han outside it (“아이고”是韩语…); only brackets stand alone.
 */
const VERSION = 13;
/**
 * 0.1: terms (AI, Python, 富士山 in English text) are not counted at all, so
 * what remains is prose in the wrong language. A tenth tolerates a short quoted
 * phrase in a long answer, while any drifted sentence in a typical 100–300
 * character answer fails it (Latin letters weigh 2–3× per word, so a drifted
 * English sentence is rarely under 20%).
 */
export const DEFAULT_MAX_DRIFT = 0.1;
const MAX_LISTED = 50;
const MAX_TEXT = 120;

function list(value: string | string[] | undefined): string[] | undefined {
  return value === undefined ? undefined : typeof value === "string" ? [value] : value;
}

/** A drifted stretch of the output, as details list it. */
export interface DriftedSegment {
  start: number;
  end: number;
  language: DriftLanguage;
  letters: number;
  text: string;
  evidence: string;
}

export interface LanguageDetails extends CheckDetails {
  expected: DriftLanguage[];
  max_drift?: number;
  letters: Partial<Record<DriftLanguage, number>>;
  total_letters: number;
  drift_letters: number;
  drifted: DriftedSegment[];
  /** How many segments drifted, when more than are listed. */
  drifted_total?: number;
}

/** The languages judged against: the spec's, or the probe's. */
function expectedLanguages(params: LanguageParams, probe: Probe): DriftLanguage[] {
  return [...new Set((list(params.expected) ?? [probe.language]).map(driftLanguageOf))];
}

/**
 * Whether telling Japanese from Chinese can change the verdict: only when one
 * of them is expected. Then kuromoji and jieba's dictionary read kana-less Han
 * sentences (the dictionary loads on the first such sentence: services.ts);
 * otherwise Han text drifts whichever of the two it is.
 */
function readsJapaneseAgainstChinese(expected: readonly DriftLanguage[]): boolean {
  return expected.includes("ja") || expected.includes("zh");
}

/** The segmenters that decide verdicts when they read (sacreBLEU's ja-mecab signature names MeCab and its dictionary). */
function segmentersField(expected: readonly DriftLanguage[]): string {
  return readsJapaneseAgainstChinese(expected)
    ? `|seg:${segmenterRelease("kuromoji")},${segmenterRelease("jieba-dictionary")},${HAN_WORD_FREQUENCIES_RELEASE}`
    : "";
}

/** report.html: what was expected, the letters by language, and the drifted segments. */
function languageView(details: LanguageDetails): DetailsView {
  const letters = Object.entries(details.letters ?? {});
  const total = details.total_letters;
  const view: DetailsView = [
    {
      kind: "facts",
      rows: [
        ["expected", Array.isArray(details.expected) ? details.expected.join(" + ") : String(details.expected ?? "—")],
        ["letters", letters.map(([label, count]) => `${label} ${count}`).join(", ") || "—"],
        ["drifted", total ? `${details.drift_letters ?? 0} of ${total} letters (max ${formatScore(details.max_drift ?? 0)} share)` : "—"],
      ],
    },
  ];
  const drifted = details.drifted ?? [];
  if (drifted.length > 0) {
    view.push({
      kind: "table",
      columns: [{ label: "chars", numeric: true }, { label: "language" }, { label: "letters", numeric: true }, { label: "drifted segment" }],
      rows: drifted.map((segment) => [`${segment.start}–${segment.end}`, segment.language, String(segment.letters), segment.text]),
      ...(details.drifted_total ? { more: `… ${details.drifted_total - drifted.length} more segments` } : {}),
    });
  }
  return view;
}

function percent(share: number): string {
  const value = share * 100;
  return `${value > 0 && value < 1 ? value.toFixed(1) : Math.round(value)}%`;
}

/**
 * Segment-level language drift (src/lang/drift.ts): score = share of letters
 * outside the expected language(s), 0–1, lower is better.
 */
export const language = defineCheck<LanguageParams, LanguageDetails, WithDefaults<LanguageParams, "max_drift">>({
  type: "language",
  better: "lower",
  unit: "0–1",
  note: "share of letters in the wrong language, 0–1",
  view: languageView,
  signature: (params, { probe }) => {
    const expected = expectedLanguages(params, probe);
    return `language|expected:${expected.join("+")}|max_drift:${params.max_drift}|unit:letters${segmentersField(expected)}|version:${VERSION}`;
  },
  summary: "share of letters outside the expected language(s), by sentence and script run; tells Japanese from Chinese",
  paramsSchema: {
    type: "object",
    properties: {
      expected: {
        description: "Expected language code(s), e.g. ja or [ja, en]; defaults to the probe's language. Latin-script languages are not told apart.",
        oneOf: [
          { type: "string", pattern: "^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$" },
          { type: "array", items: { type: "string", pattern: "^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$" }, minItems: 1 },
        ],
      },
      max_drift: { type: "number", minimum: 0, maximum: 1, default: DEFAULT_MAX_DRIFT },
      allow: {
        description: "Terms to ignore wherever they occur (product names…).",
        oneOf: [
          { type: "string", minLength: 1 },
          { type: "array", items: { type: "string", minLength: 1 } },
        ],
      },
    },
    additionalProperties: false,
  },
  services(params, probe) {
    return readsJapaneseAgainstChinese(expectedLanguages(params, probe)) ? ["ja", "zh-dictionary"] : [];
  },
  run({ params, probe, output, services }) {
    const maxDrift = params.max_drift;
    const expected = expectedLanguages(params, probe);
    const analysis = analyzeDrift(output, {
      expected,
      allow: list(params.allow) ?? [],
      ...(readsJapaneseAgainstChinese(expected) ? { dictionaries: services } : {}),
    });
    const expectedLabels = analysis.expected.join("+");
    const chars = Array.from(output);
    const drifted = analysis.segments.filter((segment) => segment.drift);
    const driftedDetails = drifted.slice(0, MAX_LISTED).map((segment) => {
      const text = chars.slice(segment.start, segment.end);
      return {
        start: segment.start,
        end: segment.end,
        language: segment.language,
        letters: segment.letters,
        text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT).join("")}…` : text.join(""),
        evidence: segment.evidence,
      };
    });
    const highlights: Highlight[] = drifted
      .slice(0, MAX_LISTED)
      .map((segment) => ({ start: segment.start, end: segment.end, label: `drift: ${segment.language}` }));
    const letters = Object.fromEntries(
      Object.entries(analysis.letters).filter(([, count]) => count > 0),
    ) as Partial<Record<DriftLanguage, number>>;

    const pass = analysis.share <= maxDrift;
    let reason: string;
    if (analysis.totalLetters === 0) {
      reason = analysis.notes[0] ?? "no letters to judge";
    } else if (drifted.length === 0) {
      reason = `no drift: all ${analysis.totalLetters} letters are ${expectedLabels} or terms`;
    } else {
      const byLanguage = new Map<DriftLanguage, number>();
      for (const segment of drifted) byLanguage.set(segment.language, (byLanguage.get(segment.language) ?? 0) + segment.letters);
      const parts = [...byLanguage].map(([label, count]) => `${label} ${count}`).join(", ");
      const first = driftedDetails[0]!;
      const sample = first.text.length > 40 ? `${Array.from(first.text).slice(0, 40).join("")}…` : first.text;
      reason =
        `${percent(analysis.share)} of letters outside ${expectedLabels} (max ${percent(maxDrift)}): ` +
        `${parts} letters in ${drifted.length} segment${drifted.length === 1 ? "" : "s"}, first at ${first.start}: "${sample}"`;
    }

    return {
      // Not measurable without letters: null, but nothing drifted, so it passes.
      score: analysis.totalLetters === 0 ? null : Math.round(analysis.share * 10_000) / 10_000,
      pass,
      details: {
        reason,
        expected: analysis.expected,
        max_drift: maxDrift,
        letters,
        total_letters: analysis.totalLetters,
        drift_letters: analysis.driftLetters,
        drifted: driftedDetails,
        ...(drifted.length > MAX_LISTED ? { drifted_total: drifted.length } : {}),
        removed: Object.fromEntries(Object.entries(analysis.removed).filter(([, count]) => count > 0)),
        ...(analysis.notes.length > 0 ? { notes: analysis.notes } : {}),
        highlights,
      },
    };
  },
});
