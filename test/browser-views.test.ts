/**
 * report.html's highlights, charts, tags, notes and fonts in Chromium (see
 * browser-report.test.ts for how the browser is found and what is checked).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countText, folder, jsonl, launchChromium, openPage, row, shownKeys } from "./browser-pages.js";
import { runCliScoring, tempDir } from "./helpers.js";

// What the page functions below use inside the browser (the project's tsconfig has no DOM library).
declare const document: any;
declare const location: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string; textDecorationLine: string };

// Tags, notes, a suite description, and a loop inside a drifted segment (both checks highlight it).
const VIEWS = `suite: views
description: Views of the page — tags, notes and highlights
defaults:
  language: ja
  category: open_qa
  checks: [language, repetition]
probes:
  - id: mix
    prompt: 日本の首都について説明してください。
    tags: [drift, kana]
    notes: An English loop inside a Japanese answer.
  - id: plain
    prompt: 富士山について一言。
    tags: [smoke]
`;
const LOOP = "The cat sat on the mat. ".repeat(6).trim();
const VIEWS_OUTPUTS = [
  { suite: "views", id: "mix", output: `東京は日本の首都です。 ${LOOP}` },
  { suite: "views", id: "plain", output: "Mount Fuji is the highest mountain in Japan and a famous volcano." },
];
// Every output wholly English: every language score is 1 and every repetition score 0.
const FLAT = `suite: flat
defaults:
  language: ja
  category: open_qa
  checks: [language, repetition]
probes:
  - {id: a, prompt: 猫について。}
  - {id: b, prompt: 犬について。}
`;
const FLAT_OUTPUTS = [
  { suite: "flat", id: "a", output: "Cats are small animals that like to sleep." },
  { suite: "flat", id: "b", output: "Dogs are loyal friends and enjoy long walks." },
];

const at = folder(tempDir("bonsai-browser-views-"));
let browser: Browser;
const open = (file: string) => openPage(browser, file);

const cli = runCliScoring;

beforeAll(async () => {
  mkdirSync(at("views"));
  writeFileSync(at("views", "views.yaml"), VIEWS);
  writeFileSync(at("views", "outputs.jsonl"), jsonl(VIEWS_OUTPUTS));
  mkdirSync(at("flat"));
  writeFileSync(at("flat", "flat.yaml"), FLAT);
  writeFileSync(at("flat", "outputs.jsonl"), jsonl(FLAT_OUTPUTS));
  const launched = launchChromium();
  launched.catch(() => undefined); // awaited below, after the CLI runs; not an unhandled rejection meanwhile
  await Promise.all([
    cli(["score", "--outputs", at("views", "outputs.jsonl"), "--suite", at("views", "views.yaml"), "--out", at("views")]),
    cli(["score", "--outputs", at("flat", "outputs.jsonl"), "--suite", at("flat", "flat.yaml"), "--out", at("flat")]),
  ]);
  browser = await launched;
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe("highlights, charts, tags, notes and fonts in Chromium", () => {
  it("shows a loop inside a drifted segment with both highlights", async () => {
    const { page } = await open(at("views", "report.html"));
    const mix = row(page, "views/mix");
    await mix.locator("button.expand").click();
    const output = mix.locator("xpath=following-sibling::tr[1]").locator("pre.output");
    await expect(output.textContent()).resolves.toBe(`東京は日本の首都です。 ${LOOP}`);
    const nested = await output.locator("mark mark").evaluateAll((marks) =>
      marks.map((mark) => ({ inner: mark.className, outer: mark.parentElement!.className, text: mark.textContent, decoration: getComputedStyle(mark).textDecorationLine, outerBackground: getComputedStyle(mark.parentElement!).backgroundColor })),
    );
    expect(nested.length).toBeGreaterThan(0);
    expect(new Set(nested.flatMap((mark) => [mark.inner, mark.outer]))).toEqual(new Set(["hl-language", "hl-repetition"]));
    for (const mark of nested) {
      expect(mark.decoration).toBe("underline"); // the inner one is drawn over the outer one's background
      expect(mark.outerBackground).not.toBe("rgba(0, 0, 0, 0)");
    }
    for (const mark of nested) expect(LOOP).toContain(mark.text);
    expect(nested.length).toBeGreaterThanOrEqual(6); // each copy of the loop
    await page.close();
  });

  it("draws every chart when all scores are 0 or 1", async () => {
    const { page, errors } = await open(at("flat", "report.html"));
    const captions = await page.locator("#distributions figure figcaption b").allTextContents();
    expect(captions).toEqual(expect.arrayContaining(["language", "repetition"]));
    for (const name of ["language", "repetition"]) {
      const figure = page.locator("#distributions figure").filter({ has: page.locator("figcaption b", { hasText: new RegExp(`^${name}$`) }) });
      const heights = await figure.locator("rect").evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute("height"))));
      expect(heights.some((height) => height > 0)).toBe(true);
    }
    await expect(page.locator("figure.chart svg").count()).resolves.toBeGreaterThanOrEqual(4); // two pass-rate charts, two histograms
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the suite's description, the probe's tags and notes, and filters by tag", async () => {
    const { page } = await open(at("views", "report.html"));
    await expect(page.locator(".suite-description").textContent()).resolves.toBe("views: Views of the page — tags, notes and highlights");
    await expect(row(page, "views/mix").locator(".tag").allTextContents()).resolves.toEqual(["drift", "kana"]);
    await page.selectOption("#f-tag", "smoke");
    await expect(countText(page)).resolves.toBe("1 / 2 shown");
    await expect(shownKeys(page)).resolves.toEqual(["views/plain"]);
    await page.selectOption("#f-tag", "kana");
    await expect(shownKeys(page)).resolves.toEqual(["views/mix"]);
    await row(page, "views/mix").locator("button.expand").click();
    await expect(row(page, "views/mix").locator("xpath=following-sibling::tr[1]").locator(".notes").textContent()).resolves.toBe("An English loop inside a Japanese answer.");
    await page.close();
  });

  it("draws Japanese text in a CJK font, with non-zero width", async () => {
    const { page } = await open(at("views", "report.html"));
    const cell = row(page, "views/mix").locator("td.prompt-start");
    const width = await cell.evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return range.getBoundingClientRect().width;
    });
    expect(width).toBeGreaterThan(0);
    // Which fonts Chromium drew the cell with, and how many glyphs each drew.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: `tr.row[data-key="views/mix"] td.prompt-start` });
    const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    const cjk = fonts.filter((font) => /CJK|Noto Sans JP|Hiragino|Yu Gothic|Meiryo|Source Han|PingFang|YaHei|WenQuanYi/i.test(font.familyName));
    expect(cjk.reduce((sum, font) => sum + font.glyphCount, 0)).toBe(Array.from("日本の首都について説明してください。").length);
    await page.close();
  });
});
