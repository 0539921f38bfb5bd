/**
 * Python `str` semantics that sacreBLEU relies on, for JavaScript strings:
 * `str.split()` / `str.strip()` whitespace (code points, what iterating a
 * `str` gives, are lang/scripts' `codePoints`).
 *
 * Python's whitespace set (`str.isspace`) is not JavaScript's `\s`: it adds the
 * information separators U+001C–U+001F and NEL U+0085, and leaves out U+FEFF.
 */
const PY_WHITESPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

const SPLIT = new RegExp(`[${PY_WHITESPACE}]+`, "u");
const LEADING = new RegExp(`^[${PY_WHITESPACE}]+`, "u");
const TRAILING = new RegExp(`[${PY_WHITESPACE}]+$`, "u");
const ANY = new RegExp(`[${PY_WHITESPACE}]+`, "gu");

/** `s.split()` in Python: split on runs of whitespace, no empty strings. */
export function pySplit(text: string): string[] {
  return text.split(SPLIT).filter((part) => part !== "");
}

/** `s.strip()` in Python. */
export function pyStrip(text: string): string {
  return text.replace(LEADING, "").replace(TRAILING, "");
}

/** `s.rstrip()` in Python. */
export function pyRstrip(text: string): string {
  return text.replace(TRAILING, "");
}

/** `''.join(s.split())` in Python: every whitespace character removed. */
export function removeWhitespace(text: string): string {
  return text.replace(ANY, "");
}

/** Adds `count` to `key` in a counter map. */
export function increment(counts: Map<string, number>, key: string, count = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + count);
}
