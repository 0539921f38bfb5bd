import type { CheckHighlight } from "../format/diff.js";
import { html, type SafeHtml } from "../util/html.js";

/** A highlight with, optionally, its place in the nesting: 0 outermost. */
export type RankedHighlight = CheckHighlight & { rank?: number };

/**
 * The output as HTML with the checks' highlights marked. Offsets are code
 * points. Overlapping ranges nest instead of hiding each other: the text is
 * split where any range starts or ends, and each piece sits in one <mark> per
 * range that covers it, the longest outermost (a loop inside a drifted segment
 * is a repetition mark inside a language mark; the page draws the inner one as
 * an underline over the outer one's background). `limit` keeps the first
 * `limit` code points (the start of the output, for a table cell) and adds "…".
 * Ranges with a `rank` nest by it instead (lower outermost), for a piece of a
 * text whose ranges were cut to it: their cut lengths no longer say which one
 * is longer in the whole text.
 */
export function highlightOutput(output: string, highlights: readonly RankedHighlight[], limit = Infinity): SafeHtml {
  const all = Array.from(output);
  const chars = all.length > limit ? all.slice(0, limit) : all;
  const more = all.length > chars.length ? "…" : "";
  const ranges = highlights
    .map((highlight, index) => {
      const start = Math.max(0, Math.min(chars.length, highlight.start));
      return { ...highlight, start, end: Math.max(start, Math.min(chars.length, highlight.end)), index };
    })
    .filter((range) => range.end > range.start)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || b.end - b.start - (a.end - a.start) || a.index - b.index);
  if (ranges.length === 0) return html`${chars.join("")}${more}`;
  const covering: number[][] = chars.map(() => []);
  ranges.forEach((range, order) => {
    for (let i = range.start; i < range.end; i++) covering[i]!.push(order);
  });
  const pieces: SafeHtml[] = [];
  let i = 0;
  while (i < chars.length) {
    const key = covering[i]!.join(",");
    let j = i + 1;
    while (j < chars.length && covering[j]!.join(",") === key) j++;
    let piece = html`${chars.slice(i, j).join("")}`;
    const layers = covering[i]!.map((order) => ranges[order]!);
    for (const range of [...layers].reverse()) piece = html`<mark title="${`${range.check}: ${range.label}`}" class="hl-${range.check}">${piece}</mark>`;
    pieces.push(piece);
    i = j;
  }
  return html`${pieces}${more}`;
}
