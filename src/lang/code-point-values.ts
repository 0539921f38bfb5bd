/** Code points as numbers: what the repetition measures count and index in. */

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
