/**
 * Inline SVG charts: horizontal pass-rate bars and score histograms. Plain SVG
 * with presentation attributes (no style attributes, no script), written with
 * the escaping `html` template; they scale with the page and print.
 */
import { html, type SafeHtml } from "../util/html.js";
import { nearestRank } from "../compare/stats.js";
import { percent, score as formatScore } from "./format.js";

export interface BarItem {
  label: string;
  /** 0–1 */
  rate: number;
  /** e.g. "12/15" */
  note: string;
}

const COLORS = { good: "#1a7f37", mid: "#bf8700", bad: "#cf222e", track: "#eaeef2", bar: "#0969da" };

function rateColor(rate: number): string {
  return rate >= 0.8 ? COLORS.good : rate >= 0.5 ? COLORS.mid : COLORS.bad;
}

/** Pass rate per group as horizontal bars, one row each. */
export function passRateChart(title: string, items: readonly BarItem[]): SafeHtml {
  if (items.length === 0) return html``;
  const labelWidth = Math.min(200, 16 + Math.max(...items.map((item) => Array.from(item.label).length)) * 7);
  const barWidth = 260;
  const rowHeight = 22;
  const width = labelWidth + barWidth + 110;
  const height = items.length * rowHeight + 8;
  const rows = items.map((item, i) => {
    const y = 4 + i * rowHeight;
    const w = Math.max(0, Math.min(1, item.rate)) * barWidth;
    return html`<g><title>${`${item.label}: ${percent(item.rate)} (${item.note})`}</title><text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${
      item.label.length > 28 ? `${item.label.slice(0, 27)}…` : item.label
    }</text><rect x="${labelWidth}" y="${y + 3}" width="${barWidth}" height="14" rx="3" fill="${COLORS.track}"/><rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="14" rx="3" fill="${rateColor(
      item.rate,
    )}"/><text x="${labelWidth + barWidth + 8}" y="${y + 14}">${percent(item.rate)}</text><text class="muted" x="${labelWidth + barWidth + 56}" y="${y + 14}">${item.note}</text></g>`;
  });
  return html`<figure class="chart"><figcaption><b>${title}</b></figcaption><svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${title}">${rows}</svg></figure>`;
}

export interface Distribution {
  count: number;
  mean: number;
  median: number;
  p90: number;
  p95: number;
  max: number;
  min: number;
}

export function describe(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    median: nearestRank(sorted, 0.5),
    p90: nearestRank(sorted, 0.9),
    p95: nearestRank(sorted, 0.95),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** Bins: ten of 0.1 for 0–1 scores, one per integer for small integer ranges, else up to 20 equal bins. */
function bins(values: readonly number[]): Array<{ from: number; to: number; label: string; count: number }> {
  const min = Math.min(...values);
  const max = Math.max(...values);
  let edges: number[];
  let integer = false;
  if (min >= 0 && max <= 1) {
    edges = Array.from({ length: 11 }, (_, i) => i / 10);
  } else if (values.every(Number.isInteger) && max - min <= 20) {
    integer = true;
    edges = Array.from({ length: max - min + 2 }, (_, i) => min + i);
  } else {
    const count = Math.min(20, Math.max(5, Math.ceil(Math.sqrt(values.length))));
    const step = (max - min) / count || 1;
    edges = Array.from({ length: count + 1 }, (_, i) => min + i * step);
  }
  const result = edges.slice(0, -1).map((from, i) => ({
    from,
    to: edges[i + 1]!,
    label: integer ? String(from) : `${formatScore(Number(from.toFixed(3)))}–${formatScore(Number(edges[i + 1]!.toFixed(3)))}`,
    count: 0,
  }));
  for (const value of values) {
    let index = result.findIndex((bin) => value >= bin.from && value < bin.to);
    if (index < 0) index = result.length - 1; // the top edge belongs to the last bin
    result[index]!.count++;
  }
  return result;
}

/** A histogram of one check's scores, with its summary statistics in the caption. */
export function histogram(title: string, values: readonly number[], note = ""): SafeHtml {
  const stats = describe(values);
  if (!stats) return html``;
  const data = bins(values);
  const peak = Math.max(...data.map((bin) => bin.count));
  const plotHeight = 90;
  const barWidth = Math.max(10, Math.min(28, Math.floor(300 / data.length)));
  const width = data.length * (barWidth + 2) + 40;
  const height = plotHeight + 36;
  const bars = data.map((bin, i) => {
    const h = peak === 0 ? 0 : (bin.count / peak) * plotHeight;
    const x = 30 + i * (barWidth + 2);
    return html`<g><title>${`${bin.label}: ${bin.count}`}</title><rect x="${x}" y="${(10 + plotHeight - h).toFixed(1)}" width="${barWidth}" height="${h.toFixed(1)}" fill="${COLORS.bar}"/>${
      bin.count > 0 ? html`<text x="${x + barWidth / 2}" y="${(6 + plotHeight - h).toFixed(1)}" text-anchor="middle" class="muted">${bin.count}</text>` : null
    }</g>`;
  });
  const first = data[0]!;
  const last = data[data.length - 1]!;
  const axis = html`<line x1="28" y1="${10 + plotHeight}" x2="${width - 8}" y2="${10 + plotHeight}" stroke="#8c959f"/><text x="30" y="${plotHeight + 26}" class="muted">${formatScore(
    first.from,
  )}</text><text x="${width - 10}" y="${plotHeight + 26}" text-anchor="end" class="muted">${formatScore(last.to)}</text>`;
  const caption = `n ${stats.count} · mean ${formatScore(stats.mean)} · median ${formatScore(stats.median)} · p95 ${formatScore(stats.p95)} · max ${formatScore(stats.max)}`;
  return html`<figure class="chart"><figcaption><b>${title}</b> <span class="muted">${note}</span><br><span class="muted">${caption}</span></figcaption><svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${`${title}: ${caption}`}">${bars}${axis}</svg></figure>`;
}
