/**
 * The Han words one of Japanese and Chinese writes far more often than the
 * other (src/lang/data/han-word-frequencies.tsv, from wordfreq's lists: see
 * han-word-frequencies-generate.ts), by their Simplified forms.
 */
import { readFileSync } from "node:fs";
import { packagePath } from "../util/paths.js";
import { simplifiedForms } from "./simplified.js";

export interface LeaningWord {
  language: "ja" | "zh";
  /** Zipf (log10 of uses per billion words) in each language's list; 0 when not listed. */
  ja: number;
  zh: number;
}

let table: { release: string; words: Map<string, LeaningWord> } | null = null;

/** Loaded on first use (~30,000 words, a few ms): only kana-less Han lines ask. */
function load(): NonNullable<typeof table> {
  if (!table) {
    const [header, , ...rows] = readFileSync(packagePath("src", "lang", "data", "han-word-frequencies.tsv"), "utf8").trimEnd().split("\n");
    const words = new Map<string, LeaningWord>();
    for (const row of rows) {
      const [key, language, ja, zh] = row.split("\t");
      words.set(key!, { language: language as LeaningWord["language"], ja: Number(ja), zh: Number(zh) });
    }
    table = { release: /^# (wordfreq@\S+):/.exec(header!)![1]!, words };
  }
  return table;
}

/** The language that writes a word far more often than the other, with both frequencies; null for a word both write or neither lists. */
export function leaningWord(word: string): LeaningWord | null {
  return load().words.get(simplifiedForms(word)) ?? null;
}

/** The lists' release, as the language check's signature names it. */
export function hanWordFrequenciesRelease(): string {
  return load().release;
}
