/**
 * Text files read strictly: bytes that are not UTF-8 are an error naming the
 * line, never U+FFFD silently put in their place. The text is exactly the
 * bytes decoded: a byte order mark stays (U+FEFF) for the reader to skip, so a
 * hash of the text is a hash of the file. Lines end in \n, \r\n or a lone \r.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes UTF-8; invalid bytes throw an InputError naming `file`, the line and the column that hold them. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    const bad = locateBadBytes(bytes);
    throw new InputError(`not valid UTF-8 (${bad.detail}); save the file as UTF-8`, { file, line: bad.line, column: bad.column });
  }
}

/** The text, or null when the bytes are not valid UTF-8. */
export function decodeUtf8OrNull(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/** A file's bytes; `what` names it in the read error ("cannot read suite: ENOENT"). */
export function readFileBytes(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read ${what}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file });
  }
}

/** Reads a UTF-8 text file; `what` names it in the read error ("cannot read suite: ENOENT"). */
export function readTextFile(file: string, what: string): string {
  return decodeUtf8(readFileBytes(file, what), file);
}

/** Byte ranges of each line, split at \n, \r\n and \r (neither byte occurs inside a multi-byte UTF-8 sequence). */
function lineRanges(bytes: Uint8Array): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let at = 0; at < bytes.length; at++) {
    if (bytes[at] !== 0x0a && bytes[at] !== 0x0d) continue;
    ranges.push([start, at]);
    if (bytes[at] === 0x0d && bytes[at + 1] === 0x0a) at++;
    start = at + 1;
  }
  ranges.push([start, bytes.length]);
  return ranges;
}

/** Where decoding fails: the first line that does not decode, then the byte within it. */
function locateBadBytes(bytes: Uint8Array): { line?: number; column?: number; detail: string } {
  for (const [index, [start, end]] of lineRanges(bytes).entries()) {
    try {
      strict.decode(bytes.subarray(start, end));
      continue;
    } catch {
      // this line: find the byte, one at a time
    }
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    let characters = 0;
    let sequenceStart = start; // the first byte of the character being decoded, named in the message
    for (let at = start; at < end; at++) {
      let decoded: string;
      try {
        decoded = decoder.decode(bytes.subarray(at, at + 1), { stream: true });
      } catch {
        return { line: index + 1, column: characters + 1, detail: `byte 0x${bytes[sequenceStart]!.toString(16).padStart(2, "0")}` };
      }
      if (decoded !== "") {
        characters += [...decoded].length;
        sequenceStart = at + 1;
      }
    }
    return { line: index + 1, column: characters + 1, detail: "a character cut at the end of the line" };
  }
  return { detail: "a character cut at the end of the file" };
}
