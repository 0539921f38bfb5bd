import { defineCheck } from "./define.js";
import type { CheckDetails, CheckOutcome, Highlight, WithDefaults } from "./types.js";
import { servicesForLanguage } from "../lang/services.js";

export type LengthUnit = "chars" | "words" | "tokens";

export interface LengthParams {
  /**
   * `chars`: Unicode code points (𠮷 and an emoji are one each); `words`:
   * language-aware words (kuromoji for ja, jieba for zh, Unicode word split
   * otherwise; punctuation tokens count); `tokens`: the evaluated model's own
   * tokenizer. Default `chars`.
   */
  unit?: LengthUnit;
  /** Fewest units allowed (inclusive). */
  min_length?: number;
  /** Most units allowed (inclusive). */
  max_length?: number;
  /**
   * Measure the output without surrounding whitespace. Default true for chars
   * and words; false for tokens, which count what the model generated.
   */
  trim?: boolean;
}

/** Code point offset where each word starts, found in order in the text; null when a word is not found. */
function wordStarts(text: string, words: readonly string[]): number[] | null {
  const starts: number[] = [];
  let at = 0;
  for (const word of words) {
    const found = text.indexOf(word, at);
    if (found < 0) return null;
    starts.push(found);
    at = found + word.length;
  }
  // UTF-16 → code points, in one pass.
  const result: number[] = [];
  let points = 0;
  let unit = 0;
  for (const start of starts) {
    while (unit < start) {
      const code = text.charCodeAt(unit);
      unit += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      points++;
    }
    result.push(points);
  }
  return result;
}

/**
 * Passes when the output's length in `unit` lies within [min_length, max_length].
 * Score: the measured length, in the unit (null when it cannot be measured).
 * `tokens` uses the model's tokenizer when a model is loaded (run); when
 * scoring recorded outputs without one, it falls back to the recorded
 * output_tokens, which only describe the untrimmed output.
 */
export const length = defineCheck<LengthParams, CheckDetails, WithDefaults<LengthParams, "unit">>({
  type: "length",
  better: null,
  unit: "chars, words or tokens (details.score_unit)",
  note: "the output's length in its unit",
  summary: "the output's length in chars (code points), words or model tokens is within min_length..max_length",
  paramsSchema: {
    type: "object",
    properties: {
      unit: { enum: ["chars", "words", "tokens"], default: "chars" },
      min_length: { type: "integer", minimum: 0 },
      max_length: { type: "integer", minimum: 0 },
      trim: { type: "boolean" },
    },
    additionalProperties: false,
  },
  services(params, probe) {
    return params.unit === "words" ? servicesForLanguage(probe.language) : [];
  },
  validate(params) {
    if (params.min_length === undefined && params.max_length === undefined) return "set min_length, max_length or both";
    if (params.min_length !== undefined && params.max_length !== undefined && params.min_length > params.max_length) {
      return `min_length ${params.min_length} is greater than max_length ${params.max_length}`;
    }
    return null;
  },
  run({ params, probe, output, outputTokens, services }): CheckOutcome {
    const { unit } = params;
    const trim = params.trim ?? unit !== "tokens";
    const text = trim ? output.trim() : output;
    // Code point offset of `text` in the output, for highlights.
    const textOffset = trim ? Array.from(output.slice(0, output.length - output.trimStart().length)).length : 0;
    const min = params.min_length;
    const max = params.max_length;
    const bounds = `[${min ?? 0}, ${max ?? "∞"}]`;

    let measured: number | null = null;
    let source: string;
    let wordOffsets: number[] | null = null;
    if (unit === "chars") {
      measured = Array.from(text).length;
      source = "code points";
    } else if (unit === "words") {
      const words = services.words(text, probe.language);
      measured = words.length;
      source = `${services.wordTokenizer(probe.language).segmenter} words`;
      if (max !== undefined && measured > max) wordOffsets = wordStarts(text, words);
    } else {
      const counted = services.modelTokenCount(text);
      if (counted !== null) {
        measured = counted;
        source = "model tokenizer";
      } else if (text === output && outputTokens !== null) {
        measured = outputTokens;
        source = "recorded output_tokens";
      } else {
        source = "none";
        const why =
          outputTokens === null
            ? "no model tokenizer is loaded and the output has no recorded output_tokens"
            : "no model tokenizer is loaded, and the recorded output_tokens count the untrimmed output (set trim: false)";
        return {
          score: null,
          pass: false,
          details: { reason: `cannot count tokens: ${why}`, unit, min_length: min ?? null, max_length: max ?? null, trim },
        };
      }
    }

    const tooShort = min !== undefined && measured < min;
    const tooLong = max !== undefined && measured > max;
    const pass = !tooShort && !tooLong;
    const reason = tooShort
      ? `${measured} ${unit} < min_length ${min}`
      : tooLong
        ? `${measured} ${unit} > max_length ${max}`
        : `${measured} ${unit}, within ${bounds}`;

    // Mark what runs past max_length, when its start is known.
    const highlights: Highlight[] = [];
    if (tooLong && max !== undefined) {
      const total = Array.from(text).length;
      const overflow = unit === "chars" ? max : unit === "words" ? wordOffsets?.[max] : undefined;
      if (overflow !== undefined && overflow < total) {
        highlights.push({ start: textOffset + overflow, end: textOffset + total, label: `beyond max_length ${max}` });
      }
    }

    return {
      score: measured,
      pass,
      details: {
        reason,
        length: measured,
        unit,
        score_unit: unit,
        counted_by: source,
        min_length: min ?? null,
        max_length: max ?? null,
        trim,
        ...(highlights.length > 0 ? { highlights } : {}),
      },
    };
  },
});
