/**
 * What a check shows of its details in report.html, as data: a check's
 * renderer (its `view`) returns blocks, and src/report/check-details.ts draws
 * any of them, escaped. Checks never write HTML.
 */

/** How a found value reads against what was expected. */
export type Tone = "good" | "bad" | "warn" | "neutral";

/** One side of a comparison: a caption, the value in large type, and an optional line under it. */
export interface ViewSide {
  label: string;
  text: string;
  note?: string;
}

export type ViewBlock =
  /** Expected against found, side by side; the found side is coloured by its tone. */
  | { kind: "compare"; expected: ViewSide; found: ViewSide & { tone: Tone } }
  /** Label → value rows. */
  | { kind: "facts"; rows: Array<[string, string]> }
  /** A table of segments of the output (drifted sentences, loop copies…), with a line for what was left out. */
  | { kind: "table"; columns: Array<{ label: string; numeric?: boolean }>; rows: string[][]; more?: string }
  /** A line of muted text. */
  | { kind: "note"; text: string };

export type DetailsView = ViewBlock[];
