/**
 * Built-in field layouts: the team's Alpaca-derived records, JSQuAD-style
 * reading comprehension (SQuAD v2 layout) and JCommonsenseQA-style five-choice
 * questions. A suite's own `data` keys override what a layout sets.
 */
import type { CheckSpecInput, DataFormat, DataMappingName, DataSpec } from "../../format/suite.js";

export interface BuiltinMapping {
  format?: DataFormat;
  spec: Omit<DataSpec, "file" | "mapping" | "select" | "format" | "records">;
  /** Used when neither a field nor the suite's defaults give them. */
  category?: string;
  language?: string;
  /** Checks by category, under the suite's own defaults.checks_by_category. */
  checksByCategory?: Record<string, CheckSpecInput[]>;
  /** A record's own checks, from its fields. */
  recordChecks?(fields: Record<string, unknown>): CheckSpecInput[];
}

/**
 * The dataset's categories get checks that need no per-record YAML: a short
 * answer is looked for in the output (contains) or must be the output
 * (exact); translations are scored by chrF and BLEU (informational until a
 * suite sets min_score); open-ended answers are only required to be sound: no
 * loop, and in the probe's language (for a translation: the target's).
 */
const ALPACA_CHECKS: Record<string, CheckSpecInput[]> = {
  open_qa: ["contains", "repetition", "language"],
  closed_qa: ["contains", "repetition", "language"],
  classification: ["exact"],
  brainstorming: ["repetition", "language"],
  creative: ["repetition", "language"],
  translation: ["chrf", "bleu", "language"],
  question_to_question: ["repetition", "language"],
  reasoning: ["contains", "repetition", "language"],
};

export const BUILTIN_MAPPINGS: Record<DataMappingName, BuiltinMapping> = {
  alpaca: {
    spec: { prompt: "{instruction}{?input}\n\n{input}{/input}", expected: "output", category: "category" },
    checksByCategory: ALPACA_CHECKS,
  },
  jsquad: {
    format: "squad",
    spec: { prompt: "文脈: {context}\n質問: {question}\n答え:", id: "id", expected: "answers" },
    category: "closed_qa",
    language: "ja",
    // The answer is a span of the context: token F1 and exact match, as SQuAD scores it; an unanswerable question expects a refusal.
    recordChecks: (fields) => (fields.is_impossible === true ? ["refusal"] : ["token_f1", "exact"]),
  },
  jcommonsenseqa: {
    spec: { type: "choice", prompt: "質問: {question}\n答え:", id: "q_id", choices: ["choice0", "choice1", "choice2", "choice3", "choice4"], answer: "label" },
    category: "open_qa",
    language: "ja",
  },
};
