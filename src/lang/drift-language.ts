/** The labels language drift judges by, and the label of a language code. */
export type DriftLanguage = "ja" | "zh" | "ko" | "en" | "other";
export const DRIFT_LANGUAGES: readonly DriftLanguage[] = ["ja", "zh", "ko", "en", "other"];

/** Languages written in Latin script: the `en` label stands for all of them. */
const LATIN_SCRIPT_LANGUAGES = new Set([
  "en", "fr", "de", "es", "it", "pt", "nl", "sv", "no", "nb", "nn", "da", "fi", "is", "pl", "cs", "sk", "sl", "hr", "bs",
  "hu", "ro", "tr", "az", "id", "ms", "vi", "tl", "fil", "sw", "ca", "eu", "gl", "et", "lv", "lt", "sq", "mt", "ga",
  "cy", "af", "eo", "la", "uz",
]);

/** The label a language code is judged by: ja, zh, ko, en (any Latin-script language) or other. */
export function driftLanguageOf(code: string): DriftLanguage {
  const primary = code.split(/[-_]/)[0]!.toLowerCase();
  if (primary === "ja") return "ja";
  if (primary === "zh" || primary === "cmn" || primary === "yue") return "zh";
  if (primary === "ko") return "ko";
  if (LATIN_SCRIPT_LANGUAGES.has(primary)) return "en";
  return "other";
}
