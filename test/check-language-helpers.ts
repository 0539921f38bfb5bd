/**
 * What the language check's tests share: the check scored through the suite
 * loader and the scorer (check-harness.ts) with the real services a run loads
 * for it (kuromoji, and jieba's dictionary on first use), on a probe of the
 * given language.
 */
import { language, type LanguageParams } from "../src/checks/language.js";
import type { Probe } from "../src/format/suite.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import { scoreCheck } from "./check-harness.js";
import { makeProbe } from "./helpers.js";

export function probe(languageCode: string, overrides: Partial<Probe> = {}): Probe {
  return makeProbe({
    suite: `${languageCode}-open-qa`,
    id: "fuji",
    prompt: "日本で一番高い山はどこ？",
    category: "open_qa",
    language: languageCode,
    expected: ["富士山"],
    ...overrides,
  });
}

let services: LanguageServices | null = null;

/** Loads what the check declares with ja or zh expected, once per test file: call it in beforeAll. */
export async function loadLanguageCheckServices(): Promise<LanguageServices> {
  services ??= await loadLanguageServices(language.services!({}, probe("ja")));
  return services;
}

/** The language check with `params` on one output, under a probe of `probeLanguage`. */
export function check(output: string, probeLanguage = "ja", params: LanguageParams = {}) {
  if (services === null) throw new Error("loadLanguageCheckServices() was not awaited");
  return scoreCheck({ type: "language", ...params }, { output, stopReason: "eog" }, services, { probe: probe(probeLanguage) });
}

export type Drifted = { start: number; end: number; language: string; text: string };
export const drifted = (result: ReturnType<typeof check>): Drifted[] => result.details.drifted as Drifted[];
