import { execBounded } from "../util/bounded-regex.js";
import { defineCheck } from "./define.js";

export interface RegexParams {
  pattern: string;
  /** JavaScript RegExp flags; `u` is always added. */
  flags?: string;
}

function flagsOf(params: RegexParams): string {
  const flags = new Set([...(params.flags ?? ""), "u"]);
  flags.delete("g");
  flags.delete("y");
  return [...flags].join("");
}

/**
 * Passes when the raw output (NFKC-normalized) matches a regular expression.
 * Score 1 or 0. The match runs with a time limit: a pattern that backtracks
 * past it is a check error that says so, not a hung run.
 */
export const regex = defineCheck<RegexParams>({
  type: "regex",
  better: "higher",
  unit: "0/1",
  note: "1 when the output matches the pattern",
  summary: "the output (NFKC) matches a regular expression",
  paramsSchema: {
    type: "object",
    properties: {
      pattern: { type: "string", minLength: 1 },
      flags: { type: "string", pattern: "^[imsuvdgy]*$" },
    },
    required: ["pattern"],
    additionalProperties: false,
  },
  validate(params) {
    try {
      new RegExp(params.pattern, flagsOf(params));
      return null;
    } catch (error) {
      return `invalid regular expression: ${(error as Error).message}`;
    }
  },
  run({ params, output }) {
    const text = output.normalize("NFKC");
    const match = execBounded(params.pattern, flagsOf(params), text);
    if (!match) return { score: 0, pass: false, details: { reason: `no match for /${params.pattern}/` } };
    // Offsets in code points; NFKC may shift them slightly for width-folded text.
    const start = Array.from(text.slice(0, match.index)).length;
    const end = start + Array.from(match.text).length;
    return {
      score: 1,
      pass: true,
      details: { reason: `matched "${match.text}"`, matched: match.text, highlights: [{ start, end, label: "match" }] },
    };
  },
});
