/**
 * Which language codes a suite may use. A code is a BCP 47 tag of the shape
 * the harness reads: a language, then optionally a script and a region —
 * `ja`, `zh-Hant`, `zh-TW`, `zh-Hans-CN`, `en-US`, `es-419`. The language is an
 * ISO 639-1 two-letter code, or one of LANGUAGES_WITHOUT_TWO_LETTER_CODE;
 * `jp`, `cn`, `kr` and the like, the country codes written for a language, are
 * refused with the code meant.
 */
import { closestName } from "../util/did-you-mean.js";

/** ISO 639-1 (every assigned two-letter code). */
const ISO_639_1 = (
  "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu " +
  "fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko " +
  "ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl " +
  "ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur " +
  "uz ve vi vo wa wo xh yi yo za zh zu"
).split(" ");

/** Languages BCP 47 writes with three letters because ISO 639-1 has no code for them. */
export const LANGUAGES_WITHOUT_TWO_LETTER_CODE = ["yue", "nan", "hak", "wuu", "cmn", "fil", "ceb", "haw", "hmn", "ain", "ryu"] as const;

/**
 * Codes written for a language that mean another one: country codes (jp is
 * Japan, cn China, kr Korea; Kanuri's `kr` is refused too, for the harness's
 * languages come first), withdrawn ISO codes, and ISO 639-2 codes of languages
 * that have a two-letter one (BCP 47 takes the shortest).
 */
const MEANT: Record<string, string> = {
  jp: "ja", jpn: "ja", cn: "zh", zho: "zh", chi: "zh", kr: "ko", kor: "ko", eng: "en",
  cz: "cs", ces: "cs", dk: "da", dan: "da", gr: "el", ell: "el", ua: "uk", ukr: "uk", vn: "vi", vie: "vi",
  us: "en", gb: "en", iw: "he", heb: "he", in: "id", ind: "id", ji: "yi", jw: "jv", mo: "ro",
  deu: "de", ger: "de", fra: "fr", fre: "fr", spa: "es", ita: "it", por: "pt", rus: "ru", ara: "ar",
  hin: "hi", tha: "th", tur: "tr", pol: "pl", nld: "nl", dut: "nl", swe: "sv", fin: "fi", msa: "ms", may: "ms",
};

/** The languages the harness has services for (word tokenizers, scripts, drift), listed first in suggestions. */
export const KNOWN_LANGUAGES = ["ja", "zh", "en", "ko"] as const;

const LANGUAGES = new Set<string>([...ISO_639_1.filter((code) => code !== "kr"), ...LANGUAGES_WITHOUT_TWO_LETTER_CODE]);

/** Script (four letters, first upper: Hant) and region (two letters upper: TW, or three digits: 419). */
const TAG = /^([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|\d{3}))?$/;

/**
 * Why `code` is not a language code a suite may use, ending in the code
 * probably meant when there is one; null when it is one.
 */
export function languageCodeProblem(code: string): string | null {
  const match = TAG.exec(code.replace(/_/g, "-"));
  if (!match) {
    return `"${code}" is not a language code (a language, then optionally a script and a region: ja, zh-Hant, zh-TW)`;
  }
  const [, language, script, region] = match as unknown as [string, string, string | undefined, string | undefined];
  const lower = language.toLowerCase();
  const meantLanguage = MEANT[lower] ?? (LANGUAGES.has(lower) ? lower : closestName(lower, KNOWN_LANGUAGES));
  const meant =
    meantLanguage === null ? null : [meantLanguage, script && script[0]!.toUpperCase() + script.slice(1).toLowerCase(), region?.toUpperCase()].filter(Boolean).join("-");
  if (meant === code) return null;
  if (lower === meantLanguage) return `language code "${code}" is written "${meant}"`;
  return `unknown language code "${code}"${meant === null ? ` (ISO 639-1, such as ${KNOWN_LANGUAGES.join(", ")})` : `; did you mean "${meant}"?`}`;
}

/** Every language a code may start with, known ones first, for suggestions and the editor schema. */
export function languageCodes(): string[] {
  return [...KNOWN_LANGUAGES, ...[...LANGUAGES].filter((code) => !(KNOWN_LANGUAGES as readonly string[]).includes(code)).sort()];
}

/** A JSON Schema pattern of the codes languageCodeProblem accepts (the editor schema's). */
export function languageCodePattern(): string {
  return `^(${languageCodes().join("|")})(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`;
}
