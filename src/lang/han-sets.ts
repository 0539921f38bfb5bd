/**
 * Which Han characters Japanese and Chinese write, from the character-set
 * standards (src/lang/data/han-sets.ts, derived from the encodings by
 * han-sets-generate.ts), not from a hand-made list.
 *
 * Japanese-only: a form Chinese standards lack — in JIS X 0208 and in neither
 * GB2312 nor Big5 (shinjitai 気 駅 図 広 売 読, kokuji 込 峠 畑, 々) — or an
 * everyday kanji (JIS X 0208 level 1) that neither Chinese standard counts
 * among its everyday hanzi (level 1).
 *
 * Chinese-only, the same the other way: a form Japan's main standard lacks —
 * in GB2312 or Big5 but not in JIS X 0208 (simplified 们 这 说 错 烦,
 * traditional 說, and 你 吧 呢 嗎, which Japan has only in the supplementary
 * JIS X 0212, little used) — or an everyday hanzi (GB2312 or Big5 level 1)
 * that is a rare kanji in Japan (JIS X 0208 level 2: 它 于 很, and the old
 * forms 們 對 國 會 氣 that Japan replaced).
 *
 * Everything else (我 是 想 要 個 東 京) is shared and says nothing by itself.
 * The two sets are disjoint by construction.
 */
import { BIG5, BIG5_LEVEL_1, GB2312, GB2312_LEVEL_1, JIS_X_0208, JIS_X_0208_LEVEL_1, JIS_X_0212 } from "./data/han-sets.js";

export type HanSide = "ja" | "zh";

const setOf = (chars: string): Set<string> => new Set(Array.from(chars));
const jisX0208 = setOf(JIS_X_0208);
const jisX0208Level1 = setOf(JIS_X_0208_LEVEL_1);
const jisX0212 = setOf(JIS_X_0212);
const gb2312 = setOf(GB2312);
const gb2312Level1 = setOf(GB2312_LEVEL_1);
const big5 = setOf(BIG5);
const big5Level1 = setOf(BIG5_LEVEL_1);

export const JAPANESE_ONLY: ReadonlySet<string> = new Set(
  [...jisX0208].filter(
    (char) =>
      (!gb2312.has(char) && !big5.has(char)) || (jisX0208Level1.has(char) && !gb2312Level1.has(char) && !big5Level1.has(char)),
  ),
);

/** Chinese forms Japan's main standard lacks altogether (the first half of CHINESE_ONLY). */
export const CHINESE_FORMS: ReadonlySet<string> = new Set([...gb2312, ...big5].filter((char) => !jisX0208.has(char)));

export const CHINESE_ONLY: ReadonlySet<string> = new Set([
  ...CHINESE_FORMS,
  ...[...gb2312Level1, ...big5Level1].filter((char) => jisX0208.has(char) && !jisX0208Level1.has(char)),
]);

/** The side a Han character's standards point to, or null when both write it (or no standard has it). */
export function hanSideOf(char: string): HanSide | null {
  if (JAPANESE_ONLY.has(char)) return "ja";
  if (CHINESE_ONLY.has(char)) return "zh";
  return null;
}

/** In GB2312, the Simplified Chinese standard (and so a character jieba's Simplified dictionary may write). */
export function inGb2312(char: string): boolean {
  return gb2312.has(char);
}

/**
 * A Traditional form and a Simplified one side by side, as only Japanese
 * writes them: the characters of a run that JIS X 0208 has, with at least one
 * GB2312 lacks (電 議: Traditional forms Japan kept) and one Big5 lacks that
 * Japan simplified as China did (残 会: their old forms 殘 會 are in JIS X 0208
 * too, by `traditionalForm`), as [not in GB2312, simplified]; null when one
 * Chinese standard can write the whole run, or JIS X 0208 cannot. A glyph
 * variant Big5 lacks (内 温 税 beside Big5's 內 溫 稅, whose old forms JIS X
 * 0208 does not encode apart) is not such a form: Traditional Chinese is
 * often written with it.
 */
export function mixedChineseForms(chars: readonly string[], traditionalForm: (char: string) => string): [string[], string[]] | null {
  if (!chars.every((char) => jisX0208.has(char))) return null;
  const notGb2312 = chars.filter((char) => !gb2312.has(char));
  if (notGb2312.length === 0) return null;
  const simplified = chars.filter((char) => {
    if (big5.has(char)) return false;
    const old = traditionalForm(char);
    return old !== char && jisX0208.has(old);
  });
  return simplified.length > 0 ? [notGb2312, simplified] : null;
}

/** Which standards (and levels) hold a character, for explanations and tests. */
export function hanStandardsOf(char: string): string[] {
  const standards: string[] = [];
  if (jisX0208.has(char)) standards.push(jisX0208Level1.has(char) ? "JIS X 0208 level 1" : "JIS X 0208 level 2");
  if (jisX0212.has(char)) standards.push("JIS X 0212");
  if (gb2312.has(char)) standards.push(gb2312Level1.has(char) ? "GB2312 level 1" : "GB2312 level 2");
  if (big5.has(char)) standards.push(big5Level1.has(char) ? "Big5 level 1" : "Big5 level 2");
  return standards;
}
