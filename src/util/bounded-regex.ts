/**
 * User-written regular expressions (a `regex` check's pattern, a JSON Schema's
 * `pattern`) run on model output with a time limit. JavaScript's engine
 * backtracks, so `^(\w+\s?)*$` on 62 characters runs for minutes; V8 can
 * interrupt a running match only through a vm script timeout, so matching
 * happens in a vm context of its own, with compiled patterns kept there.
 */
import vm from "node:vm";

/** Long enough for any sane pattern on a 100,000-character output on a busy CPU. */
export const REGEX_TIME_LIMIT_MS = 1000;

export class RegexTimeoutError extends Error {
  constructor(pattern: string, inputLength: number, limitMs: number) {
    super(`regular expression /${pattern.length > 80 ? `${pattern.slice(0, 79)}…` : pattern}/ ran past the ${limitMs} ms limit on ${inputLength} characters (catastrophic backtracking)`);
    this.name = "RegexTimeoutError";
  }
}

interface Sandbox {
  pattern: string;
  flags: string;
  input: string;
}

let sandbox: vm.Context | null = null;
const MATCH = new vm.Script(`(() => {
  const key = flags + "/" + pattern;
  let re = compiled.get(key);
  if (!re) {
    re = new RegExp(pattern, flags);
    compiled.set(key, re);
  }
  re.lastIndex = 0;
  const match = re.exec(input);
  return match === null ? null : [match.index, match[0]];
})()`);

export interface BoundedMatch {
  /** UTF-16 offset of the match in the input. */
  index: number;
  text: string;
}

/**
 * Backtracking steps a pattern can take at most on `length` characters, when
 * its shape bounds them; null when it does not (a quantified group, a
 * backreference: the shapes that backtrack exponentially). With quantifiers
 * only on single atoms (a character, a class, an escape, `.`), each of the q
 * quantifiers chooses among at most length + 1 counts at each of the length + 1
 * start positions, and alternatives outside quantifiers multiply that by a
 * constant: branches × (length + 1)^(q + 1).
 */
export function backtrackingBound(pattern: string, length: number): number | null {
  let quantifiers = 0;
  let branches = 1;
  const groups: number[] = []; // alternatives so far in each open group
  let topAlternatives = 1;
  let afterGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    const closedGroup = afterGroup;
    afterGroup = false;
    if (char === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9k]/.test(next)) return null;
      if (next === "u" && pattern[i + 2] === "{") i = pattern.indexOf("}", i);
      else if (next === "p" || next === "P") i = pattern[i + 2] === "{" ? pattern.indexOf("}", i) : i + 1;
      else i++;
      if (i < 0) return null;
    } else if (char === "[") {
      let depth = 1; // the v flag nests classes
      for (i++; i < pattern.length && depth > 0; i++) {
        if (pattern[i] === "\\") i++;
        else if (pattern[i] === "[") depth++;
        else if (pattern[i] === "]") depth--;
      }
      i--;
    } else if (char === "(") {
      groups.push(1);
    } else if (char === ")") {
      branches *= groups.pop() ?? 1;
      afterGroup = true;
    } else if (char === "|") {
      if (groups.length > 0) groups[groups.length - 1]!++;
      else topAlternatives++;
    } else if (char === "*" || char === "+" || char === "?" || char === "{") {
      if (char === "{" && !/^\{\d+(,\d*)?\}/.test(pattern.slice(i))) continue;
      if (closedGroup) return null;
      if (char === "{") i = pattern.indexOf("}", i);
      if (pattern[i + 1] === "?") i++; // lazy
      quantifiers++;
    }
  }
  return branches * topAlternatives * (length + 1) ** (quantifiers + 1);
}

/** Few enough steps to need no time limit: a few milliseconds of matching at worst. */
const UNBOUNDED_STEPS = 1e6;
const direct = new Map<string, RegExp>();

/** `new RegExp(pattern, flags).exec(input)`, or a RegexTimeoutError past `limitMs`. */
export function execBounded(pattern: string, flags: string, input: string, limitMs = REGEX_TIME_LIMIT_MS): BoundedMatch | null {
  // A vm timeout costs ~130 µs a call (a watchdog thread); a pattern whose shape bounds its work runs directly.
  const bound = backtrackingBound(pattern, input.length);
  if (bound !== null && bound <= UNBOUNDED_STEPS) {
    const key = `${flags}/${pattern}`;
    let re = direct.get(key);
    if (!re) direct.set(key, (re = new RegExp(pattern, flags)));
    re.lastIndex = 0;
    const match = re.exec(input);
    return match === null ? null : { index: match.index, text: match[0] };
  }
  if (!sandbox) {
    sandbox = vm.createContext({ pattern: "", flags: "", input: "" } satisfies Sandbox);
    vm.runInContext("globalThis.compiled = new Map();", sandbox);
  }
  Object.assign(sandbox, { pattern, flags, input } satisfies Sandbox);
  try {
    const match = MATCH.runInContext(sandbox, { timeout: limitMs }) as [number, string] | null;
    return match === null ? null : { index: match[0], text: match[1] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new RegexTimeoutError(pattern, input.length, limitMs);
    throw error;
  } finally {
    sandbox.input = "";
  }
}

/**
 * The regular-expression engine for ajv (`code.regExp`): a JSON Schema's
 * `pattern` keyword tested on model output with the same time limit.
 */
export function boundedRegExpEngine(pattern: string, flags: string): { test(input: string): boolean } {
  new RegExp(pattern, flags); // a bad pattern is rejected when the schema compiles, as ajv's default engine does
  return { test: (input) => execBounded(pattern, flags, input) !== null };
}
boundedRegExpEngine.code = "boundedRegExpEngine";
