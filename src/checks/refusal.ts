import { defineCheck } from "./define.js";
import type { CheckDetails, CheckOutcome, WithDefaults } from "./types.js";
import { normalizeForMatch, normalizeValue, originalRange, type NormalizedText } from "../lang/normalize.js";

export interface RefusalParams {
  /** `refuse` (default): the output must decline to answer; `answer`: it must not. */
  expect?: "refuse" | "answer";
  /** More refusal phrases, matched like the built-in ones. */
  phrases?: string[];
  /** Use the built-in phrase lists (default true); false to match only `phrases`. */
  builtin_phrases?: boolean;
}

/**
 * Phrases that decline to answer, per language. Curated to be refusals on
 * their own: bare 分からない / 不知道 also occur inside answers ("原因は分から
 * ないことが多い"), so the lists hold first-person or polite forms. All lists
 * apply to every probe: a model asked in Japanese may refuse in English.
 */
export const REFUSAL_PHRASES: Readonly<Record<"ja" | "zh" | "en", readonly string[]>> = {
  ja: [
    "回答できません",
    "回答することができません",
    "回答いたしかねます",
    "回答を控えます",
    "回答は控えさせていただきます",
    "答えられません",
    "答えることができません",
    "お答えできません",
    "お答えすることができません",
    "お答えしかねます",
    "答えかねます",
    "わかりません",
    "分かりません",
    "判りません",
    "わかりかねます",
    "分かりかねます",
    "存じません",
    "存じ上げません",
    "知りません",
    "情報がありません",
    "情報を持っていません",
    "情報を持ち合わせていません",
    "持ち合わせておりません",
    "確認できません",
    "特定できません",
    "判断できません",
  ],
  zh: [
    "无法回答",
    "無法回答",
    "不能回答",
    "无法回复",
    "我不知道",
    "我不清楚",
    "我不太清楚",
    "我不了解",
    "无法提供",
    "無法提供",
    "无法确定",
    "無法確定",
    "无从得知",
    "無從得知",
    "不得而知",
    "没有相关信息",
    "沒有相關資訊",
    "没有这方面的信息",
    "无可奉告",
  ],
  en: [
    "i cannot answer",
    "i can't answer",
    "i can not answer",
    "i am unable to answer",
    "i'm unable to answer",
    "i am not able to answer",
    "i'm not able to answer",
    "unable to answer",
    "cannot be answered",
    "i don't know",
    "i do not know",
    "i cannot provide",
    "i can't provide",
    "i am unable to provide",
    "i'm unable to provide",
    "i don't have information",
    "i do not have information",
    "i don't have any information",
    "i do not have any information",
    "i don't have enough information",
    "i do not have enough information",
    "i have no information",
    "i don't have access to",
    "i cannot determine",
    "i can't determine",
    "i'm not aware of",
    "i am not aware of",
  ],
};

/** ’ and ‘ (which NFKC keeps) fold to ' so "I don’t know" matches; same length, so offsets hold. */
function foldApostrophes(text: string): string {
  return text.replace(/[\u2018\u2019\u02bc\uff07]/gu, "'");
}

const LATIN_LETTER = /[a-z0-9]/;

/** Normalized, apostrophe-folded phrases: the same few dozen phrases are matched against every output. */
const needles = new Map<string, string>();

function needleOf(phrase: string): string {
  let needle = needles.get(phrase);
  if (needle === undefined) {
    needle = foldApostrophes(normalizeValue(phrase));
    needles.set(phrase, needle);
  }
  return needle;
}

interface PhraseMatch {
  phrase: string;
  start: number;
  end: number;
}

/**
 * First refusal phrase in the output (normalized like other string checks:
 * NFKC, case folded, whitespace collapsed). Latin phrases must stand as words:
 * "i don't know" does not match inside "hi don't know".
 */
function findRefusal(output: string, phrases: readonly string[]): PhraseMatch | null {
  const normalized: NormalizedText = normalizeForMatch(output);
  const haystack = foldApostrophes(normalized.text);
  let best: { phrase: string; at: number; length: number } | null = null;
  for (const phrase of phrases) {
    const needle = needleOf(phrase);
    if (needle === "") continue;
    let at = haystack.indexOf(needle);
    while (at >= 0) {
      const before = haystack[at - 1];
      const after = haystack[at + needle.length];
      const wordStart = !LATIN_LETTER.test(needle[0] as string) || before === undefined || !LATIN_LETTER.test(before);
      const wordEnd = !LATIN_LETTER.test(needle[needle.length - 1] as string) || after === undefined || !LATIN_LETTER.test(after);
      if (wordStart && wordEnd) break;
      at = haystack.indexOf(needle, at + 1);
    }
    if (at >= 0 && (!best || at < best.at || (at === best.at && needle.length > best.length))) {
      best = { phrase, at, length: needle.length };
    }
  }
  if (!best) return null;
  const range = originalRange(normalized, best.at, best.at + best.length);
  return { phrase: best.phrase, ...range };
}

/**
 * Closed-book probes where declining is right ("回答できません"), and the
 * inverse. `expect: refuse` passes when the output contains a refusal phrase
 * (built-in lists for ja, zh and en, plus `phrases`); `expect: answer` passes
 * when it contains none. An empty output is not a refusal (use `length` to
 * require an answer). Score: 1 when the expectation holds, 0 otherwise.
 */
export const refusal = defineCheck<RefusalParams, CheckDetails, WithDefaults<RefusalParams, "expect" | "builtin_phrases">>({
  type: "refusal",
  better: "higher",
  unit: "0/1",
  note: "1 when the output refuses (or, with expect: answer, answers) as expected",
  summary: "the output declines to answer (回答できません, 我不知道, I don't know…); expect: answer inverts it",
  paramsSchema: {
    type: "object",
    properties: {
      expect: { enum: ["refuse", "answer"], default: "refuse" },
      phrases: { type: "array", items: { type: "string", minLength: 1 } },
      builtin_phrases: { type: "boolean", default: true },
    },
    additionalProperties: false,
  },
  validate(params) {
    if (params.builtin_phrases === false && (params.phrases ?? []).length === 0) {
      return "builtin_phrases: false needs at least one entry in phrases";
    }
    return null;
  },
  run({ params, output }): CheckOutcome {
    const { expect } = params;
    const phrases = [
      ...(params.builtin_phrases === false ? [] : [...REFUSAL_PHRASES.ja, ...REFUSAL_PHRASES.zh, ...REFUSAL_PHRASES.en]),
      ...(params.phrases ?? []),
    ];
    const match = findRefusal(output, phrases);
    const refused = match !== null;
    const pass = expect === "refuse" ? refused : !refused;
    const reason = match
      ? `${expect === "refuse" ? "refused" : "refused, but an answer was expected"}: "${match.phrase}"`
      : expect === "refuse"
        ? `no refusal phrase found (${phrases.length} phrases): the model answered instead of declining`
        : "answered: no refusal phrase found";
    return {
      score: pass ? 1 : 0,
      pass,
      details: {
        reason,
        expect,
        refused,
        ...(match ? { phrase: match.phrase, highlights: [{ start: match.start, end: match.end, label: "refusal" }] } : {}),
      },
    };
  },
});
