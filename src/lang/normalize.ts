/**
 * The normalization every string-matching check shares: NFKC (full-width
 * Latin and digits to ASCII, half-width katakana to full-width), case folded,
 * whitespace runs collapsed, and surrounding whitespace, brackets, quotes and
 * sentence punctuation (ASCII, Japanese and Chinese) trimmed.
 *
 * Normalization runs per code point so that every normalized character maps
 * back to an offset in the original text, which is what report highlights use.
 */
export interface NormalizeOptions {
  caseSensitive?: boolean;
  /** NFKC (and case folding) only: keep every whitespace character and the edges. */
  keepLayout?: boolean;
}

export interface NormalizedText {
  text: string;
  /** For each UTF-16 unit of `text`, the code point offset in the original it came from. */
  origin: number[];
  /** Code point length of the original. */
  originalLength: number;
}

/**
 * What is trimmed from both ends: whitespace, brackets and quotes, and sentence
 * punctuation (ASCII, Japanese, Chinese). Not symbols or other marks, which can
 * be part of an answer: "C++", "C#", "<br>", "100%", "$5".
 */
const EDGE = String.raw`[\s\p{Ps}\p{Pe}\p{Pi}\p{Pf}.,!?:;'"。、，．！？：；…‥・]`;
const LEADING_EDGE = new RegExp(`^${EDGE}+`, "u");
const TRAILING_EDGE = new RegExp(`${EDGE}+$`, "u");

export function normalizeForMatch(input: string, options: NormalizeOptions = {}): NormalizedText {
  let text = "";
  const origin: number[] = [];
  let index = 0;
  let lastWasSpace = true;
  for (const char of input) {
    let folded = char.normalize("NFKC");
    if (!options.caseSensitive) folded = folded.toLowerCase();
    if (!options.keepLayout && /^\s+$/u.test(folded)) {
      if (!lastWasSpace) {
        text += " ";
        origin.push(index);
      }
      lastWasSpace = true;
    } else {
      for (let unit = 0; unit < folded.length; unit++) origin.push(index);
      text += folded;
      lastWasSpace = false;
    }
    index++;
  }
  if (options.keepLayout) return { text, origin, originalLength: index };
  // Trim the edges (whitespace, brackets, quotes, sentence punctuation; not symbols) keeping the origin map aligned.
  const leading = LEADING_EDGE.exec(text)?.[0].length ?? 0;
  const trailing = TRAILING_EDGE.exec(text.slice(leading))?.[0].length ?? 0;
  const end = text.length - trailing;
  return { text: text.slice(leading, end), origin: origin.slice(leading, end), originalLength: index };
}

/** Normalized form of an expected value (no offsets needed). */
export function normalizeValue(value: string, options: NormalizeOptions = {}): string {
  return normalizeForMatch(value, options).text;
}

/**
 * Why a value to match is unusable, or null: one that normalizes to nothing
 * ("。", "「」", "  ") is never found in an output, and a forbidden one never
 * forbids anything.
 */
export function emptyValueProblem(what: string, value: string, consequence = "it can never match"): string | null {
  if (normalizeValue(value) !== "") return null;
  return `${what} ${JSON.stringify(value)} is empty after normalization (whitespace, brackets, quotes and sentence punctuation are trimmed), so ${consequence}`;
}

/** Code point range in the original text of a match at [start, end) in normalized text. */
export function originalRange(normalized: NormalizedText, start: number, end: number): { start: number; end: number } {
  const first = normalized.origin[start] ?? normalized.originalLength;
  const last = normalized.origin[end - 1];
  return { start: first, end: last === undefined ? first : last + 1 };
}
