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

/** `new RegExp(pattern, flags).exec(input)`, or a RegexTimeoutError past `limitMs`. */
export function execBounded(pattern: string, flags: string, input: string, limitMs = REGEX_TIME_LIMIT_MS): BoundedMatch | null {
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
