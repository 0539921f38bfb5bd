import type { Highlight } from "../format/check-result.js";
import { html, type SafeHtml } from "../util/html.js";

/**
 * The output as HTML with the checks' highlights marked. Offsets are
 * code points; overlapping ranges are split so every character sits in at most
 * one <mark>, labelled with every check that pointed at it.
 */
export function highlightOutput(output: string, highlights: Array<Highlight & { check: string }>): SafeHtml {
  const chars = Array.from(output);
  if (highlights.length === 0) return html`${output}`;
  const labels: string[][] = chars.map(() => []);
  for (const { start, end, label, check } of highlights) {
    const from = Math.max(0, Math.min(chars.length, start));
    const to = Math.max(from, Math.min(chars.length, end));
    for (let i = from; i < to; i++) labels[i]!.push(`${check}: ${label}`);
  }
  const runs: SafeHtml[] = [];
  let i = 0;
  while (i < chars.length) {
    const key = labels[i]!.join("; ");
    let j = i + 1;
    while (j < chars.length && labels[j]!.join("; ") === key) j++;
    const text = chars.slice(i, j).join("");
    runs.push(key === "" ? html`${text}` : html`<mark title="${key}" class="hl-${labels[i]![0]!.split(":")[0]}">${text}</mark>`);
    i = j;
  }
  return html`${runs}`;
}
