/** How the repetition check's details read: report.html's facts, and the highlights of a loop's copies. */
import type { CheckDetails, DetailsView, Highlight } from "./types.js";
import { formatScore, truncate } from "../util/display.js";
import type { Loop } from "../lang/repetition.js";

/** Copies highlighted one by one; the rest of a loop is one highlight. */
export const MAX_COPY_HIGHLIGHTS = 20;

export interface RepetitionDetails extends CheckDetails {
  n?: number;
  seq_rep?: number | null;
  compression_ratio?: number | null;
  window_compression_ratio?: number | null;
  longest_repeat?: { text: string; length: number; copies: number; share: number | null } | null;
  /** The loop's unit, its length and copies (null / 0 without a loop). */
  unit?: string | null;
  unit_length?: number | null;
  count?: number;
  partial?: number;
  loop_at?: "end" | "middle" | null;
  runaway?: boolean;
}

/** report.html: the repeated unit and its copies, the longest repeat, seq-rep and the compression ratios. */
export function repetitionView(details: RepetitionDetails): DetailsView {
  const rows: Array<[string, string]> = [];
  if (details.unit !== null && details.unit !== undefined) {
    rows.push(["repeated unit", `“${truncate(String(details.unit), 120)}”`]);
    rows.push(["copies", `${String(details.count)} × ${String(details.unit_length)} chars${details.partial ? " + a partial copy" : ""}${details.loop_at ? `, at the ${details.loop_at}` : ""}`]);
  }
  const longest = details.longest_repeat;
  if (longest && longest.text !== undefined) rows.push(["longest repeat", `“${truncate(longest.text, 80)}” (${longest.length} chars × ${longest.copies})`]);
  if (details.seq_rep !== undefined) rows.push([`seq-rep-${String(details.n ?? 4)}`, formatScore(details.seq_rep)]);
  if (details.window_compression_ratio !== undefined) {
    rows.push(["compression ratio (worst window / whole)", `${formatScore(details.window_compression_ratio)} / ${formatScore(details.compression_ratio)}`]);
  }
  if (details.runaway) rows.push(["runaway", "generation hit max_tokens while looping"]);
  return rows.length > 0 ? [{ kind: "facts", rows }] : [];
}

export function loopHighlights(loop: Loop): Highlight[] {
  const highlights: Highlight[] = [];
  const copyStart = (copy: number): number => loop.copyStarts?.[copy] ?? loop.start + copy * loop.unitLength;
  const shown = Math.min(loop.count, MAX_COPY_HIGHLIGHTS);
  for (let copy = 0; copy < shown; copy++) {
    highlights.push({ start: copyStart(copy), end: copyStart(copy + 1), label: `loop copy ${copy + 1}/${loop.count}` });
  }
  const restStart = copyStart(shown);
  const copiesEnd = copyStart(loop.count);
  if (restStart < copiesEnd) highlights.push({ start: restStart, end: copiesEnd, label: `loop copies ${shown + 1}–${loop.count}/${loop.count}` });
  if (loop.partial > 0) highlights.push({ start: copiesEnd, end: loop.end, label: "loop partial copy" });
  return highlights;
}
