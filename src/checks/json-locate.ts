/**
 * Finding JSON in model output: the whole output, a fenced block, or a
 * balanced {...}/[...] in prose; and, when it does not parse, where and why.
 * JSON.parse decides validity; jsonc-parser's scanner gives the tokens and
 * their exact offsets for the error position (its recursive `visit` overflows
 * the stack near 10,000 levels, so the grammar is an explicit stack here).
 */
import { createScanner, ScanError, SyntaxKind } from "jsonc-parser";

export type JsonWhere = "whole" | "fence" | "embedded";
export type JsonExtract = "whole" | "fenced" | "embedded";

export interface JsonCandidate {
  where: JsonWhere;
  /** A fence whose info string says json. */
  tagged: boolean;
  /** The candidate text and its UTF-16 range in the output. */
  text: string;
  start: number;
  end: number;
}

export interface JsonSyntaxError {
  /** UTF-16 offset in the parsed text. */
  at: number;
  message: string;
}

export type LocatedJson = { candidate: JsonCandidate; value: unknown } | { candidate: JsonCandidate; problem: JsonSyntaxError };

/** Opening brackets tried by `embedded` (each scan is linear, so this bounds the cost). */
const MAX_EMBEDDED_CANDIDATES = 64;

function wholeCandidate(output: string): JsonCandidate {
  const start = output.length - output.replace(/^[\s\uFEFF]+/u, "").length;
  const end = Math.max(start, output.replace(/\s+$/u, "").length);
  return { where: "whole", tagged: false, text: output.slice(start, end), start, end };
}

const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`~]*)[^\n]*\n/gmu;

/** The first ```json fence, else the first untagged fence; its content. Fences pair in order. */
function fenceCandidate(output: string): JsonCandidate | null {
  let untagged: JsonCandidate | null = null;
  for (let from = 0; ; ) {
    FENCE_OPEN.lastIndex = from;
    const match = FENCE_OPEN.exec(output);
    if (!match) break;
    const marker = match[1] as string;
    const info = (match[2] as string).toLowerCase();
    const start = match.index + match[0].length;
    const closing = new RegExp(`^[ \\t]*${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \\t]*$`, "mu");
    const close = closing.exec(output.slice(start));
    // An unclosed fence (output cut by the token limit) runs to the end.
    const end = close ? start + close.index : output.length;
    if (info === "" || info === "json" || info === "jsonc" || info === "json5") {
      const text = output.slice(start, end).replace(/\s+$/u, "");
      const candidate: JsonCandidate = { where: "fence", tagged: info !== "", text, start, end: start + text.length };
      if (info !== "") return candidate;
      untagged ??= candidate;
    }
    if (!close) break;
    from = end + close[0].length;
  }
  return untagged;
}

/** Index one past the bracket closing the one at `start`, or -1; strings respected. */
function balancedEnd(text: string, start: number): number {
  const closers: string[] = [];
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === "{") closers.push("}");
    else if (char === "[") closers.push("]");
    else if (char === "}" || char === "]") {
      if (closers.pop() !== char) return -1;
      if (closers.length === 0) return index + 1;
    }
  }
  return -1;
}

const VALUE_TOKENS = new Set([SyntaxKind.StringLiteral, SyntaxKind.NumericLiteral, SyntaxKind.TrueKeyword, SyntaxKind.FalseKeyword, SyntaxKind.NullKeyword]);

/** Escapes and raw characters of a string body; `fault` is a raw control character or a bad escape. */
const STRING_PARTS = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})|(?<fault>[\u0000-\u001f]|\\[\s\S]?)/gu;

const VALID_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

/** Where and why a string or number token the scanner flagged is wrong. */
function tokenFault(text: string, offset: number, length: number, kind: SyntaxKind): JsonSyntaxError {
  const end = offset + length;
  if (kind === SyntaxKind.NumericLiteral) {
    // The scanner flags "1." and "1e+"; the fault is the character after the longest valid number.
    const at = offset + (VALID_NUMBER.exec(text.slice(offset, end))?.[0].length ?? 0);
    return { at, message: `bad number: unexpected ${describe(text, at)}` };
  }
  for (const part of text.slice(offset + 1, end).matchAll(STRING_PARTS)) {
    const fault = part.groups?.fault;
    if (fault === undefined) continue;
    const at = offset + 1 + part.index;
    if (fault[0] !== "\\") return { at, message: "control character in string (escape it)" };
    if (fault[1] === "u") return { at, message: "bad \\u escape: four hex digits expected" };
    return { at, message: `bad escape ${fault}` };
  }
  // The string ran into a line break or the end of the text.
  return end < text.length ? { at: end, message: "control character in string (escape it)" } : { at: end, message: "unterminated string" };
}

function describe(text: string, index: number): string {
  return index >= text.length ? "end of input" : `"${String.fromCodePoint(text.codePointAt(index) as number)}"`;
}

/**
 * The first syntax error of `text` as JSON (RFC 8259), or null. What is
 * expected next is a state over an explicit stack of open containers, so deep
 * nesting is fine.
 */
export function locateJsonError(text: string): JsonSyntaxError | null {
  const scanner = createScanner(text, false);
  const open: Array<"{" | "["> = [];
  // value: a value must come; first-value: a value or "]"; first-key: a name or "}";
  // key: a name (after ","); colon: ":" after a name; after-value: "," or a closer, or the end.
  let expecting: "value" | "first-value" | "first-key" | "key" | "colon" | "after-value" = "value";
  for (;;) {
    let token = scanner.scan();
    const at = scanner.getTokenOffset();
    if (token === SyntaxKind.Trivia || token === SyntaxKind.LineBreakTrivia) continue;
    // Comments are not JSON: from here on they are an unexpected "/".
    if (token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia) token = SyntaxKind.Unknown;
    const fail = (expected: string): JsonSyntaxError => ({ at, message: `${expected}, found ${describe(text, at)}` });
    const top = open[open.length - 1];
    switch (expecting) {
      case "first-value":
        if (token === SyntaxKind.CloseBracketToken) {
          open.pop();
          expecting = "after-value";
          break;
        }
      // falls through
      case "value":
        if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
          open.push(token === SyntaxKind.OpenBraceToken ? "{" : "[");
          expecting = token === SyntaxKind.OpenBraceToken ? "first-key" : "first-value";
        } else if (VALUE_TOKENS.has(token)) expecting = "after-value";
        else return fail("expected a value");
        break;
      case "first-key":
        if (token === SyntaxKind.CloseBraceToken) {
          open.pop();
          expecting = "after-value";
        } else if (token === SyntaxKind.StringLiteral) expecting = "colon";
        else return fail('expected a property name (string) or "}"');
        break;
      case "key":
        if (token !== SyntaxKind.StringLiteral) return fail('expected a property name (string) after ","');
        expecting = "colon";
        break;
      case "colon":
        if (token !== SyntaxKind.ColonToken) return fail('expected ":" after the property name');
        expecting = "value";
        break;
      case "after-value":
        if (top === undefined) {
          if (token === SyntaxKind.EOF) return null;
          return { at, message: `unexpected ${describe(text, at)} after the JSON value` };
        }
        if (token === SyntaxKind.CommaToken) expecting = top === "{" ? "key" : "value";
        else if (token === (top === "{" ? SyntaxKind.CloseBraceToken : SyntaxKind.CloseBracketToken)) open.pop();
        else return fail(`expected "," or "${top === "{" ? "}" : "]"}"`);
        break;
    }
    // A string or number in its place may still be malformed inside.
    if (scanner.getTokenError() !== ScanError.None && (token === SyntaxKind.StringLiteral || token === SyntaxKind.NumericLiteral)) {
      return tokenFault(text, at, scanner.getTokenLength(), token);
    }
  }
}

function parseCandidate(candidate: JsonCandidate): LocatedJson {
  try {
    return { candidate, value: JSON.parse(candidate.text) };
  } catch (error) {
    return { candidate, problem: locateJsonError(candidate.text) ?? { at: 0, message: (error as Error).message } };
  }
}

/**
 * Finds the JSON per `extract`: the whole output; else a fenced block; else
 * balanced {...}/[...] spans from left to right, the first that parses. A span
 * that does not parse is skipped as a whole (an object inside a broken one is
 * not the answer), and the search stops at a bracket that never closes (the
 * rest of the text is inside it: a JSON value cut by the token limit fails).
 * On failure, the error reported is the one of the candidate the author most
 * likely meant: a json fence, else the whole output when it starts like JSON,
 * else the first balanced span, else the whole output.
 */
export function locateJson(output: string, extract: JsonExtract): LocatedJson {
  const whole = parseCandidate(wholeCandidate(output));
  if ("value" in whole || extract === "whole") return whole;
  const fence = fenceCandidate(output);
  const fenced = fence ? parseCandidate(fence) : null;
  if (fenced && ("value" in fenced || fence?.tagged)) return fenced;
  let firstEmbedded: LocatedJson | null = null;
  if (extract === "embedded") {
    let tried = 0;
    for (let index = 0; index < output.length && tried < MAX_EMBEDDED_CANDIDATES; index++) {
      const char = output[index];
      if (char !== "{" && char !== "[") continue;
      tried++;
      const end = balancedEnd(output, index);
      if (end < 0) break;
      const result = parseCandidate({ where: "embedded", text: output.slice(index, end), start: index, end, tagged: false });
      if ("value" in result) return result;
      firstEmbedded ??= result;
      index = end - 1;
    }
  }
  if (fenced) return fenced;
  if (/^[{[]/.test(whole.candidate.text)) return whole;
  return firstEmbedded ?? whole;
}

/** Code point offset of UTF-16 index `index` in `text`. */
export function codePointOffset(text: string, index: number): number {
  let offset = 0;
  for (let at = 0; at < index && at < text.length; at++) {
    offset++;
    const code = text.charCodeAt(at);
    if (code >= 0xd800 && code <= 0xdbff && at + 1 < index) at++;
  }
  return offset;
}

/** 1-based line and column (code points) of UTF-16 index `index`. */
export function lineColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: Array.from(before.slice(lineStart)).length + 1 };
}
