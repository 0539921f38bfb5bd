/** The katakana check's details as report.json holds them, and their view in report.html. */
import type { CheckDetails, DetailsView, Tone } from "./types.js";

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
export function morae(count: number): string {
  return `${count} mora${count === 1 ? "" : "e"}`;
}

/** report.html: the expected form beside what the model wrote, then the case, distance and the katakana words found. */
export function katakanaView(details: KatakanaDetails): DetailsView {
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
