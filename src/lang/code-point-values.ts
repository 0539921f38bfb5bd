/** Code points as numbers: what the repetition measures count and index in; the numbers their digits write. */

/** Code points of a string as numbers (`scripts.ts`' `codePoints` gives them as strings). */
export function codePointValues(text: string): Int32Array {
  const points = new Int32Array(text.length);
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const point = text.codePointAt(index) as number;
    points[count++] = point;
    if (point > 0xffff) index++;
  }
  return points.subarray(0, count);
}

/** The text of code points [start, end). */
export function fromCodePoints(points: Int32Array, start = 0, end = points.length): string {
  let text = "";
  // Chunked to stay clear of the argument-count limit of String.fromCodePoint.
  for (let at = start; at < end; at += 4096) {
    text += String.fromCodePoint(...points.subarray(at, Math.min(end, at + 4096)));
  }
  return text;
}

const DECIMAL_DIGIT = /\p{Nd}/u;
const isDecimalDigit = (point: number): boolean => point >= 0 && point <= 0x10ffff && DECIMAL_DIGIT.test(String.fromCodePoint(point));

/**
 * The value 0–9 of a decimal digit of any script (ASCII 3, full-width ３,
 * Arabic-Indic ٣, Devanagari ३), or -1 when the code point is not one.
 * Unicode encodes every script's decimal digits as a run 0…9 in order (runs
 * may abut, as the five of the mathematical digits do), so a digit's value is
 * its distance from the start of its run of digits, modulo 10.
 */
export function digitValue(point: number): number {
  if (point >= 0x30 && point <= 0x39) return point - 0x30;
  if (point < 0x80 || !isDecimalDigit(point)) return -1;
  let first = point;
  while (isDecimalDigit(first - 1)) first--;
  return (point - first) % 10;
}

/** The numbers written in text[start, end): each run of decimal digits (any script's) by its exact value. */
export function numbersIn(points: Int32Array, start = 0, end = points.length): bigint[] {
  const numbers: bigint[] = [];
  let value: bigint | null = null;
  for (let at = start; at < end; at++) {
    const digit = digitValue(points[at] as number);
    if (digit >= 0) {
      value = (value ?? 0n) * 10n + BigInt(digit);
    } else if (value !== null) {
      numbers.push(value);
      value = null;
    }
  }
  if (value !== null) numbers.push(value);
  return numbers;
}
