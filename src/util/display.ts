/** How numbers and text are shortened for people, the same in every page and in the checks' views. */

/** A score: integers as they are, small numbers to 4 places, large to 2. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 10 ? value.toFixed(2) : value.toFixed(4);
}

/** Cuts text to `length` code points with an ellipsis. */
export function truncate(text: string, length: number): string {
  const chars = Array.from(text);
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join("")}…`;
}
