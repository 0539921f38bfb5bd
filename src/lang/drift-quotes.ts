/**
 * Drift step 2, quotations and brackets: what an answer quotes or brackets
 * (「ありがとう」, （だいじょうぶ）, “谢谢”, "Hello") is another utterance, which the
 * sentence around it mentions. A mark opens only when its closing mark comes
 * later on the same line, so an emoticon :( or a stray 「 opens nothing; a
 * closing mark closes the innermost open one it belongs to, and whatever was
 * opened inside it; a line break closes all.
 */

/** Quotation marks and brackets as they read after NFKC (（ is (, ［ is [), each opening with its closing one. */
const PAIRS = new Map([
  ["「", "」"], ["『", "』"], ["“", "”"], ["‘", "’"], ["(", ")"], ["[", "]"], ["【", "】"], ["《", "》"], ["〈", "〉"], ["〔", "〕"],
]);
const CLOSERS = new Set(PAIRS.values());
/** Straight quotes open and close alike. */
const STRAIGHT = new Set(['"', "'"]);
/** What makes a single quote or ’ an apostrophe, not a quotation mark (apostrophe()). */
const WORD_CHAR = /[\p{Script=Latin}\p{Nd}]/u;
const LINE_BREAK = new Set(["\n", "\r"]);

/** Sentence ends: a bracket holding a whole sentence between two is no mention but a sentence of its own. */
const SENTENCE_END = /[。.!?]/u;
/** A particle after the closing mark ties a quotation to the sentence it opens (「The test was a piece of cake.」なら…). */
const HIRAGANA = /\p{Script=Hiragana}/u;

export interface Quotations {
  /** For each code point, the quotation or bracket it sits in (the innermost, numbered from 1 in order of opening), or 0. */
  at: Int32Array;
  /**
   * The brackets that stand as sentences of their own: one that opens after
   * a sentence's end and closes after another, not followed by a particle,
   * as a translation after each sentence does (…です。（It is the highest
   * mountain in Japan.）大晦日には…). Quotation marks quote (…。“The exam was
   * a piece of cake.”意思是…).
   */
  standalone: Set<number>;
}

/**
 * The quotations and brackets of an answer. Masked code points (code, URLs,
 * numbers) open and close nothing, but tell an apostrophe.
 */
export function quotationsOf(chars: readonly string[], masked: Uint8Array): Quotations {
  const isMark = (k: number): boolean => {
    const char = chars[k]!;
    if (masked[k] || !(PAIRS.has(char) || CLOSERS.has(char) || STRAIGHT.has(char))) return false;
    return !((char === "'" || char === "’") && apostrophe(chars, k));
  };
  const closesLater = closingFinder(chars, isMark);
  const at = new Int32Array(chars.length);
  const standalone = new Set<number>();
  const open: Array<{ id: number; closing: string; from: number }> = [];
  let opened = 0;
  for (let k = 0; k < chars.length; k++) {
    const char = chars[k]!;
    if (LINE_BREAK.has(char)) {
      open.length = 0;
    } else if (isMark(k)) {
      const depth = open.findLastIndex((entry) => entry.closing === char);
      const closing = PAIRS.get(char) ?? (STRAIGHT.has(char) ? char : null);
      if (depth >= 0) {
        const quote = open[depth]!;
        const aside = chars[quote.from] === "(" && !HIRAGANA.test(chars[k + 1] ?? "");
        if (aside && sentenceEndBefore(chars, quote.from) && sentenceEndBefore(chars, k)) standalone.add(quote.id);
        open.length = depth;
      } else if (closing !== null && closesLater(k, closing)) {
        open.push({ id: ++opened, closing, from: k });
      }
    }
    at[k] = open[open.length - 1]?.id ?? 0;
  }
  return { at, standalone };
}

/** Whether the last code point before k on its line that is no space or closing mark is a sentence end. */
function sentenceEndBefore(chars: readonly string[], k: number): boolean {
  let j = k - 1;
  while (j >= 0 && /[\s\p{Pe}\p{Pf}"']/u.test(chars[j]!) && !LINE_BREAK.has(chars[j]!)) j--;
  return j >= 0 && SENTENCE_END.test(chars[j]!);
}

/** A single quote between letters or digits (don't), after a lowercase word (users' files) or before a digit ('90s). */
function apostrophe(chars: readonly string[], k: number): boolean {
  const [previous, next] = [chars[k - 1] ?? "", chars[k + 1] ?? ""];
  const before = WORD_CHAR.test(previous);
  return (before && WORD_CHAR.test(next)) || (/\p{Ll}/u.test(previous) && (next === "" || /\s/u.test(next))) || (!before && /\p{Nd}/u.test(next));
}

/** Whether a closing mark follows position k on its line: the marks' positions by character, searched by bisection. */
function closingFinder(chars: readonly string[], isMark: (k: number) => boolean): (k: number, closing: string) => boolean {
  const positions = new Map<string, number[]>();
  const lineEnd = new Int32Array(chars.length + 1).fill(chars.length);
  for (let k = chars.length - 1; k >= 0; k--) lineEnd[k] = LINE_BREAK.has(chars[k]!) ? k : lineEnd[k + 1]!;
  chars.forEach((char, k) => {
    if ((CLOSERS.has(char) || STRAIGHT.has(char)) && isMark(k)) {
      const list = positions.get(char) ?? [];
      list.push(k);
      positions.set(char, list);
    }
  });
  return (k, closing) => {
    const list = positions.get(closing);
    if (!list) return false;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle]! <= k) low = middle + 1;
      else high = middle;
    }
    return low < list.length && list[low]! < lineEnd[k]!;
  };
}
