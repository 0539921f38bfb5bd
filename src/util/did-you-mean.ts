/**
 * "did you mean" suggestions for a mistyped name: the closest known name by
 * Damerau-Levenshtein distance (adjacent swaps count as one edit, so
 * `promt` → `prompt` and `paralel` → `parallel` are one or two edits), within
 * a cap that grows with the name's length so short names are not matched to
 * unrelated ones.
 */

/** Edit distance with adjacent transpositions (optimal string alignment), by code point; stops early past `cap`. */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > cap) return cap + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) value = Math.min(value, beforePrevious[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > cap) return cap + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[t.length]!;
}

/** How far a name of this length may be from a suggestion: 1 edit up to 4 characters, 2 up to 8, then 3. */
function distanceCap(name: string): number {
  const length = Array.from(name).length;
  return length <= 4 ? 1 : length <= 8 ? 2 : 3;
}

/** The known name closest to `name` within the cap (ties: the first in `known`), or null. Case is ignored. */
export function closestName(name: string, known: Iterable<string>): string | null {
  const cap = distanceCap(name);
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = cap + 1;
  for (const candidate of known) {
    if (candidate === name) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), cap);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "prompt"?` for a message's end, or "" when nothing is close. */
export function didYouMean(name: string, known: Iterable<string>, quote = true): string {
  const suggestion = closestName(name, known);
  if (suggestion === null) return "";
  return `; did you mean ${quote ? JSON.stringify(suggestion) : suggestion}?`;
}
