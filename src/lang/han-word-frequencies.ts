/**
 * The Han words one of Japanese and Chinese writes far more often than the
 * other (src/lang/data/han-word-frequencies.ts, from wordfreq's lists: see
 * han-word-frequencies-generate.ts), by their Simplified forms.
 */
import { HAN_WORD_FREQUENCIES } from "./data/han-word-frequencies.js";
import { simplifiedForms } from "./simplified.js";

export { HAN_WORD_FREQUENCIES_RELEASE } from "./data/han-word-frequencies.js";

export interface LeaningWord {
  language: "ja" | "zh";
  /** Zipf (log10 of uses per billion words) in each language's list; 0 when not listed. */
  ja: number;
  zh: number;
}

let words: Map<string, LeaningWord> | null = null;

/** The table, parsed on first use (~27,000 words, ~55 ms; the module's import, with the check, ~20 ms): only kana-less Han lines ask. */
function table(): Map<string, LeaningWord> {
  if (!words) {
    words = new Map();
    for (const row of HAN_WORD_FREQUENCIES.split("\n")) {
      const [key, language, ja, zh] = row.split("\t");
      words.set(key!, { language: language as LeaningWord["language"], ja: Number(ja), zh: Number(zh) });
    }
  }
  return words;
}

/** The language that writes a word far more often than the other, with both frequencies; null for a word both write or neither lists. */
export function leaningWord(word: string): LeaningWord | null {
  return table().get(simplifiedForms(word)) ?? null;
}
