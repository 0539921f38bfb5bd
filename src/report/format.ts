/** Number formatting shared by the pages, the markdown and the terminal, so all say the same thing the same way. */
import { formatScore as score, truncate } from "../util/display.js";

/** score: integers as they are, small numbers to 4 places, large to 2; truncate: to a length in code points. Shared with the checks' views. */
export { score, truncate };

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? "—" : `${(rate * 100).toFixed(1)}%`;
}

/** A pass-rate difference in percentage points: "+8.3 pts", "−2.0 pts", "±0.0 pts". */
export function points(delta: number | null | undefined): string {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return "—";
  const value = Math.abs(delta * 100).toFixed(1);
  return `${delta > 0 && value !== "0.0" ? "+" : delta < 0 && value !== "0.0" ? "−" : "±"}${value} pts`;
}

export function signedScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const text = score(Math.abs(value));
  return `${value > 0 ? "+" : value < 0 ? "−" : "±"}${text}`;
}

/** p-values to 3 significant digits; tiny ones as "< 0.0001". */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "—";
  if (p >= 1) return "1";
  if (p < 0.0001) return "< 0.0001";
  return p.toPrecision(3).replace(/\.?0+$/, "");
}

export function interval(low: number | null | undefined, high: number | null | undefined, format: (value: number) => string): string {
  if (low === null || low === undefined || high === null || high === undefined || !Number.isFinite(low) || !Number.isFinite(high)) return "—";
  return `[${format(low)}, ${format(high)}]`;
}

/** Rate as signed points without the unit, for intervals: "−8.3", "+2.0". */
export function pointsBare(delta: number): string {
  const value = Math.abs(delta * 100).toFixed(1);
  return `${delta > 0 && value !== "0.0" ? "+" : delta < 0 && value !== "0.0" ? "−" : ""}${value}`;
}

export function oneLine(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, " ").trim(), max);
}
