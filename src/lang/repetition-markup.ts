/**
 * Markup in a repeated unit: tags (<strong>, </b>, <br/>) are nothing a reader
 * reads, so a unit whose letters all lie inside tags is markup repeated
 * (</strong></strong></strong>: nested tags stuttering), to be judged as a rule
 * or a table border is, not as a loop of words.
 */

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const SLASH = 0x2f;
/** Longest tag looked for, in code points (attributes included). */
const LONGEST_TAG = 200;

const isAsciiLetter = (point: number): boolean => (point >= 0x41 && point <= 0x5a) || (point >= 0x61 && point <= 0x7a);

/**
 * The text with every HTML or XML tag (`<name …>`, `</name>`, `<name/>`, on
 * one line) written as spaces, code point for code point, so offsets stay;
 * the text itself when it has none.
 */
export function withoutTags(text: Int32Array): Int32Array {
  let masked: Int32Array | null = null;
  for (let start = 0; start < text.length; start++) {
    if (text[start] !== LESS_THAN) continue;
    const name = text[start + 1] === SLASH ? start + 2 : start + 1;
    if (!isAsciiLetter(text[name] ?? 0)) continue;
    let end = name + 1;
    while (end < text.length && end - start < LONGEST_TAG && text[end] !== GREATER_THAN && text[end] !== LESS_THAN && text[end] !== 0x0a) end++;
    if (text[end] !== GREATER_THAN) continue;
    masked ??= text.slice();
    masked.fill(0x20, start, end + 1);
    start = end;
  }
  return masked ?? text;
}
