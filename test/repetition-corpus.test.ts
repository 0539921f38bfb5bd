/**
 * The repetition check measured on corpora (fixtures/repetition/, see
 * SOURCE.md there): real model outputs of Gemma 3 270M labelled by reading
 * (tail loops, clean answers, and degenerate text in between), human prose and
 * lists of parallel items from the Debian Reference in Japanese, Chinese and
 * English, and foils constructed here from them — loops appended to human
 * prose, and templated lists whose items share a frame but not their content.
 * Held out, measured before the changes they led to: fresh outputs of the
 * same model on new prompts, and Japanese answers written for this project.
 * The README quotes the rates printed here.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { repetition } from "../src/checks/repetition.js";
import type { CheckResult } from "../src/format/check-result.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import type { StopReason } from "../src/format/outputs.js";
import { packagePath } from "../src/util/paths.js";
import { makeProbe } from "./helpers.js";

interface Sample {
  id: string;
  language: string;
  /** loop | clean | list | degenerate */
  label: string;
  text: string;
  stopReason: StopReason;
}

function readJsonl(name: string): Array<Record<string, unknown>> {
  return readFileSync(packagePath("fixtures", "repetition", name), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Real model outputs, labelled by reading (loop, clean, degenerate), with the stop reason they were generated with. */
function modelOutputs(name: string): Sample[] {
  return readJsonl(name).map((row) => ({
    id: row.id as string,
    language: row.language as string,
    label: row.label as string,
    text: row.text as string,
    stopReason: row.stop_reason as StopReason,
  }));
}

const MODEL: Sample[] = modelOutputs("gemma-3-270m.jsonl");
const HUMAN: Sample[] = readJsonl("debian-reference.jsonl").map((row) => ({
  id: row.id as string,
  language: row.language as string,
  label: row.kind === "prose" ? "clean" : "list",
  text: row.text as string,
  stopReason: "eog",
}));

/** Held-out, measured before any change they led to: fresh outputs of the same model on new prompts, and answers written for this project. */
const HELD_OUT_MODEL: Sample[] = modelOutputs("gemma-3-270m-heldout.jsonl");
/** A second held-out batch of the same model on 52 newer prompts, labelled by reading before the check was run on it. */
const HELD_OUT_MODEL_2: Sample[] = modelOutputs("gemma-3-270m-heldout-2.jsonl");
/** A third held-out batch on 50 prompts newer still, labelled by reading while v8 was being made, and measured on v8 as committed. */
const HELD_OUT_MODEL_3: Sample[] = modelOutputs("gemma-3-270m-heldout-3.jsonl");
/** A fourth held-out batch on 50 prompts of other kinds (dialogues, recipes, FAQs, schedules, code), at temperatures 0.7 and 1.1, labelled by reading, and measured on v10 as committed. */
const HELD_OUT_MODEL_4: Sample[] = modelOutputs("gemma-3-270m-heldout-4.jsonl");
/** A fifth held-out batch on 60 prompts of kinds the others left out (news, minutes, Markdown tables, HTML, word problems, keigo emails), at 0.8 and 1.0, labelled by reading, and measured on v13 as committed. */
const HELD_OUT_MODEL_5: Sample[] = modelOutputs("gemma-3-270m-heldout-5.jsonl");
/**
 * Held out, measured on v13 as committed: clean answers of 200+ characters in
 * the shapes capable instruction models write (long lists of parallel items,
 * tables with repeated cells, code, keigo emails, calculations, songs with a
 * chorus), written for this project in Japanese, Chinese and English.
 */
const WRITTEN_ANSWERS: Sample[] = readJsonl("written-answers.jsonl").map((row) => ({
  id: row.id as string,
  language: row.language as string,
  label: "clean",
  text: row.text as string,
  stopReason: "eog",
}));
/** Written answers (prose, lists), and loops inside table rows constructed as foils for the table-row rule. */
const WRITTEN: Sample[] = readJsonl("written-ja.jsonl").map((row) => ({
  id: row.id as string,
  language: row.language as string,
  label: row.kind === "prose" ? "clean" : row.kind === "loop" ? "loop" : "list",
  text: row.text as string,
  stopReason: "eog",
}));

const length = (text: string): number => Array.from(text).length;

/** Sentences of a passage, each with its closing punctuation (and a space or line break after it). */
function sentences(text: string): string[] {
  return text.match(/[^。！？.!?\n]+[。！？.!?\n]+\s*/gu)?.filter((sentence) => length(sentence.trim()) >= 8) ?? [];
}

/**
 * A loop appended to a human passage, the way models loop: a unit repeated
 * back to back until the token limit cuts a copy. Five kinds, in turn: one
 * sentence, two sentences, a short clause, a numbered line, a paragraph.
 */
function constructedLoop(passage: Sample, index: number): Sample | null {
  const all = sentences(passage.text);
  if (all.length < 3) return null;
  const pick = all[index % all.length]!;
  const space = passage.language === "en" ? " " : "";
  const kind = index % 5;
  let unit: string;
  if (kind === 0) unit = pick;
  else if (kind === 1) unit = pick.trimEnd() + space + all[(index + 1) % all.length]!;
  else if (kind === 2) unit = Array.from(pick).slice(0, 6 + (index % 7)).join("") + (passage.language === "en" ? ", " : "、");
  else if (kind === 3) unit = "";
  else unit = `${all.slice(0, 3).join("").trimEnd()}\n\n`;
  const prefix = Array.from(passage.text).slice(0, 100 + (index % 4) * 60).join("");
  let loop = "";
  if (kind === 3) {
    for (let n = 1; length(loop) < 400; n++) loop += `${n}. ${pick.trim()}\n`;
  } else {
    const copies = Math.max(3, Math.ceil(400 / length(unit)));
    loop = unit.repeat(copies) + Array.from(unit).slice(0, index % length(unit)).join("");
  }
  return { id: `${passage.id}+loop${kind}`, language: passage.language, label: "loop", text: `${prefix}\n${loop}`, stopReason: "max_tokens" };
}

/** Lists of parallel items: one frame, a different content in every item (numbered, bulleted, ranked). */
const LIST_PARTS: Record<
  string,
  { heads: string[]; tails: string[]; notes: string[]; frame: (k: number, head: string, tail: string, style: number) => string; intro: string }
> = {
  ja: {
    heads: ["近所の公園", "図書館", "美術館", "映画館", "駅前のカフェ", "古い神社", "海辺の町", "山の温泉", "市場", "博物館", "川沿いの道", "動物園"],
    tails: ["を散歩することです。", "で本を読むことです。", "で絵を見ることです。", "で友達と話すことです。", "の写真を撮ることです。", "で地元の料理を食べることです。", "の歴史を調べることです。", "でゆっくり休むことです。"],
    notes: ["朝早く行くと人が少なく静かです。", "雨の日でも楽しめます。", "入場は無料の日があります。", "家族連れにも人気があります。", "季節ごとに景色が変わります。", "駅から歩いて十分ほどです。", "夕方の光がきれいです。"],
    frame: (k, head, tail, style) => (style === 0 ? `${k}. ${head}${tail}` : style === 1 ? `・${head}${tail}` : `第${k}位：${head}（${(k * 37) % 90 + 10}点）`),
    intro: "おすすめの過ごし方を挙げます。",
  },
  zh: {
    heads: ["附近的公园", "图书馆", "美术馆", "电影院", "车站旁的咖啡馆", "古老的寺庙", "海边的小镇", "山里的温泉", "菜市场", "博物馆", "河边的小路", "动物园"],
    tails: ["散步。", "看书。", "欣赏画作。", "和朋友聊天。", "拍照片。", "品尝当地的小吃。", "了解当地的历史。", "好好休息一下。"],
    notes: ["早上去人比较少，很安静。", "下雨天也可以去。", "有些日子免费开放。", "很适合全家一起去。", "每个季节的景色都不一样。", "从车站走路十分钟左右。", "傍晚的光线特别美。"],
    frame: (k, head, tail, style) => (style === 0 ? `${k}. 去${head}${tail}` : style === 1 ? `- 在${head}${tail}` : `第${k}名：${head}（${(k * 37) % 90 + 10}分）`),
    intro: "下面是一些周末活动的建议。",
  },
  en: {
    heads: ["the local park", "the library", "the art museum", "the cinema", "a cafe near the station", "an old temple", "a seaside town", "a hot spring", "the market", "the history museum", "the river path", "the zoo"],
    tails: ["and take a long walk.", "and read a good book.", "and look at the paintings.", "and talk with friends.", "and take some photos.", "and try the local food.", "and learn about its history.", "and simply rest for a while."],
    notes: ["It is quiet early in the morning.", "It works on rainy days too.", "Some days are free.", "Families like it.", "The view changes with the seasons.", "It is ten minutes from the station.", "The evening light is lovely."],
    frame: (k, head, tail, style) => (style === 0 ? `${k}. Visit ${head} ${tail}` : style === 1 ? `- Go to ${head} ${tail}` : `${k}. ${head[0]!.toUpperCase()}${head.slice(1)} (score ${(k * 37) % 90 + 10})`),
    intro: "Here are some ideas for the weekend.",
  },
};

function constructedList(language: string, index: number): Sample {
  const parts = LIST_PARTS[language]!;
  const items = index % 4 === 3 ? 14 : 8 + (index % 7);
  const style = index % 3;
  const lines = Array.from({ length: items }, (_, k) => {
    const head = parts.heads[(index + k) % parts.heads.length]!;
    const tail = parts.tails[(index * 3 + k * 5) % parts.tails.length]!;
    // Every fourth list shares one ending in all its items: the tightest frame.
    const item = parts.frame(k + 1, head, index % 4 === 3 ? parts.tails[index % parts.tails.length]! : tail, style);
    return style === 2 || index % 4 === 3 ? item : `${item}${language === "en" ? " " : ""}${parts.notes[(index + k * 2) % parts.notes.length]!}`;
  });
  return { id: `constructed-${language}-list-${index + 1}`, language, label: "list", text: `${parts.intro}\n${lines.join("\n")}`, stopReason: "eog" };
}

let services: LanguageServices;
beforeAll(async () => {
  services = await loadLanguageServices(["ja", "zh"]);
});

function check(sample: Sample): CheckResult {
  const probe = makeProbe({ suite: "repetition-corpus", id: sample.id, language: sample.language, checks: [{ type: "repetition" }] });
  return repetition.run({ params: {}, probe, output: sample.text, stopReason: sample.stopReason, outputTokens: null, likelihood: null, services });
}

const percent = (part: number, whole: number): string => `${part}/${whole} (${((100 * part) / whole).toFixed(1)}%)`;

/** Flags a set of samples and prints the rate by language, with the first few flagged. */
/** Flags per language, printed with the reasons of the first few flagged (or, for loops, the first few missed). */
function flagged(name: string, samples: readonly Sample[], { loops = false } = {}): { flagged: number; total: number } {
  const byLanguage = new Map<string, { flagged: Sample[]; total: number; reasons: string[] }>();
  for (const sample of samples) {
    const result = check(sample);
    const entry = byLanguage.get(sample.language) ?? { flagged: [], total: 0, reasons: [] };
    entry.total++;
    if (!result.pass) entry.flagged.push(sample);
    if (!result.pass && !loops) entry.reasons.push(`${sample.id}: ${String(result.details.reason).slice(0, 100)}`);
    if (result.pass && loops) entry.reasons.push(`${sample.id}: missed, ends ${JSON.stringify(sample.text.slice(-80))}`);
    byLanguage.set(sample.language, entry);
  }
  let total = 0;
  let count = 0;
  for (const [language, entry] of byLanguage) {
    total += entry.total;
    count += entry.flagged.length;
    console.log(`repetition corpus, ${name}, ${language}: flagged ${percent(entry.flagged.length, entry.total)}${entry.reasons.length > 0 ? `\n  ${entry.reasons.slice(0, 4).join("\n  ")}` : ""}`);
  }
  console.log(`repetition corpus, ${name}, all: flagged ${percent(count, total)}`);
  return { flagged: count, total };
}

const longEnough = (sample: Sample): boolean => length(sample.text) >= 200;
const LOOPS_FLAGGED = 0.98;
const CLEAN_FLAGGED = 0.02;

describe("repetition corpus: loops are flagged", () => {
  it("real tail loops of Gemma 3 270M", () => {
    const loops = MODEL.filter((sample) => sample.label === "loop");
    const { flagged: count, total } = flagged("Gemma 3 270M loops", loops);
    expect(total).toBeGreaterThanOrEqual(20);
    expect(count / total).toBeGreaterThanOrEqual(LOOPS_FLAGGED);
  });

  it("loops constructed on human prose: sentences, clauses, numbered lines, paragraphs", () => {
    const passages = HUMAN.filter((sample) => sample.label === "clean");
    const loops = passages.map(constructedLoop).filter((sample): sample is Sample => sample !== null);
    const { flagged: count, total } = flagged("constructed loops", loops);
    expect(total).toBeGreaterThan(400);
    expect(count / total).toBeGreaterThanOrEqual(LOOPS_FLAGGED);
  });
});

describe("repetition corpus: clean answers of 200+ characters pass", () => {
  it("real clean answers of Gemma 3 270M", () => {
    const clean = MODEL.filter((sample) => sample.label === "clean" && longEnough(sample));
    const { flagged: count, total } = flagged("Gemma 3 270M clean", clean);
    expect(total).toBeGreaterThanOrEqual(20);
    expect(count / total).toBeLessThanOrEqual(CLEAN_FLAGGED);
  });

  it("human prose (Debian Reference, ja/zh/en)", () => {
    const { flagged: count, total } = flagged("human prose", HUMAN.filter((sample) => sample.label === "clean" && longEnough(sample)));
    expect(total).toBeGreaterThan(450);
    expect(count / total).toBeLessThanOrEqual(CLEAN_FLAGGED);
  });

  it("lists of parallel items, real (Debian Reference bullets, tables, contents) and constructed", () => {
    const real = HUMAN.filter((sample) => sample.label === "list" && longEnough(sample));
    const constructed = ["ja", "zh", "en"].flatMap((language) => Array.from({ length: 40 }, (_, index) => constructedList(language, index))).filter(longEnough);
    const a = flagged("real lists", real);
    const b = flagged("constructed lists", constructed);
    expect(a.total + b.total).toBeGreaterThan(200);
    expect((a.flagged + b.flagged) / (a.total + b.total)).toBeLessThanOrEqual(CLEAN_FLAGGED);
  });

  it("degenerate text between the two (near-copies, two copies of a block) is reported, not judged", () => {
    flagged("Gemma 3 270M degenerate", MODEL.filter((sample) => sample.label === "degenerate"));
  });
});

/**
 * Floors at the issue's goals (≥ 98% of loops, ≤ 2% of clean answers of 200+
 * characters) for the first held-out corpus: 56/56 loops since v5, which was
 * made after seeing its two counting loops with almost no text (1. 2. 3.… 17.,
 * y=4 y=4 y=5…); 0/40 clean flagged since v6, made after seeing its inline
 * enumeration (explain why the sky is blue, explain why the sky is yellow…).
 */
const HELD_OUT_LOOPS_FLAGGED = 0.98;
const HELD_OUT_CLEAN_FLAGGED = 0.02;

/** The loop, clean (200+) and degenerate tests of one held-out batch of real Gemma 3 270M outputs. */
function heldOutBatch(name: string, samples: readonly Sample[], floors: { loops: number; minLoops: number; minClean: number }): void {
  it(`real loops of Gemma 3 270M on ${name} are flagged (at least ${floors.loops * 100}%)`, () => {
    const { flagged: count, total } = flagged(`${name} Gemma 3 270M loops`, samples.filter((sample) => sample.label === "loop"), { loops: true });
    expect(total).toBeGreaterThanOrEqual(floors.minLoops);
    expect(count / total).toBeGreaterThanOrEqual(floors.loops);
  });

  it(`real clean answers of Gemma 3 270M on ${name}, 200+ characters, pass`, () => {
    const { flagged: count, total } = flagged(`${name} Gemma 3 270M clean`, samples.filter((sample) => sample.label === "clean" && longEnough(sample)));
    expect(total).toBeGreaterThanOrEqual(floors.minClean);
    expect(count / total).toBeLessThanOrEqual(HELD_OUT_CLEAN_FLAGGED);
  });

  it(`degenerate outputs on ${name} (near-copies, a block twice) are reported, not judged`, () => {
    flagged(`${name} Gemma 3 270M degenerate`, samples.filter((sample) => sample.label === "degenerate"));
  });
}

describe("repetition held-out corpus", () => {
  heldOutBatch("held-out prompts", HELD_OUT_MODEL, { loops: HELD_OUT_LOOPS_FLAGGED, minLoops: 50, minClean: 35 });

  it("Japanese answers written as real answers are (prose; lists, tables and schedules of parallel items) pass", () => {
    const prose = flagged("written Japanese prose", WRITTEN.filter((sample) => sample.label === "clean" && longEnough(sample)));
    const lists = flagged("written Japanese lists", WRITTEN.filter((sample) => sample.label === "list" && longEnough(sample)));
    expect(prose.total + lists.total).toBeGreaterThanOrEqual(40);
    expect(prose.flagged + lists.flagged).toBe(0);
  });

  it("loops inside Markdown table rows (constructed foils: a cell repeated to the end, long cells in a closed row, a lone line of cells) are flagged", () => {
    const loops = WRITTEN.filter((sample) => sample.label === "loop");
    const { flagged: count, total } = flagged("written Japanese table-row loops", loops);
    expect(total).toBeGreaterThanOrEqual(5);
    expect(count).toBe(total);
  });
});

/**
 * Measured before any change it led to (v5 and v6): loops 122/126 (96.8%),
 * clean 200+ 1/57 (1.8%); v7, made after seeing its settling count, 123/126
 * (97.6%); v8, made after seeing the rest of its misses (near-copies whose
 * weekday changes with their date, 10月15日（日）から10月16日（月）…; figures
 * that fall unevenly to the budget, 建筑建筑高度18米，…12米，…11米…), 125/126
 * (99.2%), clean still 1/57: no longer a held-out figure. Still missed: lines
 * with words put in and left out (It is a network which…), which no
 * substitution-only near-copy covers. v9 (review fixes): 125/126 and 1/57,
 * unchanged.
 */
const HELD_OUT_2_LOOPS_FLAGGED = 0.99;

describe("repetition held-out corpus, second batch", () => {
  heldOutBatch("newer held-out prompts", HELD_OUT_MODEL_2, { loops: HELD_OUT_2_LOOPS_FLAGGED, minLoops: 100, minClean: 50 });
});

/**
 * Measured first on v8 as committed, and nothing changed after it: loops
 * 103/107 (96.3%, under the goal of 98%), clean 200+ 0/55. The misses are at
 * the edge of the labels: a count of empty [N] items with no letters, near-
 * copies that put words in, numbered near-copy lines, markup with few letters.
 * v9 (review fixes of v8, made without tuning on this batch): loops 101/107
 * (94.4%), clean 0/55; the two more missed are near-copies with no number
 * counting along with them, which v9 reads as lists. v10, made on one of
 * them (a sentence wrapped at other places), flags it: loops 102/107 (95.3%).
 */
const HELD_OUT_3_LOOPS_FLAGGED = 0.95;

describe("repetition held-out corpus, third batch", () => {
  heldOutBatch("third held-out prompts", HELD_OUT_MODEL_3, { loops: HELD_OUT_3_LOOPS_FLAGGED, minLoops: 100, minClean: 50 });
});

/**
 * Measured first on v10 as committed: loops 104/108 (96.3%, under the goal
 * of 98%), clean 200+ 1/62 (1.6%). v11 was made on reading two of its misses
 * (a line under Han numerals 一、 二、 … to the budget; nested </strong> tags
 * stuttering in a clean answer): loops 105/108, clean 0/62.
 */
const HELD_OUT_4_LOOPS_FLAGGED = 0.97;

describe("repetition held-out corpus, fourth batch", () => {
  heldOutBatch("fourth held-out prompts", HELD_OUT_MODEL_4, { loops: HELD_OUT_4_LOOPS_FLAGGED, minLoops: 100, minClean: 55 });
});

/**
 * Measured on v13 as committed, and nothing changed after it: loops 114/121
 * (94.2%, under the goal of 98%; v9 flags the same), clean 200+ 0/57. The
 * misses are near-copies cycling through variants (weekdays, timestamps in
 * table rows, factors of a calculation) and empty numbered items.
 */
const HELD_OUT_5_LOOPS_FLAGGED = 0.94;

describe("repetition held-out corpus, fifth batch", () => {
  heldOutBatch("fifth held-out prompts", HELD_OUT_MODEL_5, { loops: HELD_OUT_5_LOOPS_FLAGGED, minLoops: 110, minClean: 50 });
});

describe("repetition held-out corpus, written answers of capable models' shapes", () => {
  // Measured on v13 as committed, nothing changed after it: 0 of 206 flagged (9 of them write a chorus or refrain out).
  it("flags at most 2% of 206 clean answers of 200+ characters", () => {
    const clean = WRITTEN_ANSWERS.filter(longEnough);
    const { flagged: count, total } = flagged("written answers (capable models' shapes)", clean);
    expect(total).toBeGreaterThanOrEqual(200);
    expect(count / total).toBeLessThanOrEqual(CLEAN_FLAGGED);
  });
});
