/**
 * report.html in a real browser: Debian's Chromium driven by playwright-core,
 * the page opened from disk. The reports come from the real CLI scoring outputs
 * that contain hostile strings; they must show as text, open no dialog and make
 * no request. The diff page is browser-diff.test.ts, the 10,000-row pages
 * browser-large.test.ts, highlights, charts and fonts browser-views.test.ts;
 * browser-pages.ts is what they share.
 *
 * The Chromium is found by test/chromium.ts: BONSAI_CHROMIUM, else Debian's
 * /usr/bin/chromium, else the one inside the @sparticuz/chromium npm package.
 * Without any of them these tests fail, they do not skip.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countText, exported, folder, IMG, injectedElements, launchChromium, openPage, parseCsv, row, rowKeys, SCRIPT, shownKeys, TEXTAREA, writeHostileRounds } from "./browser-pages.js";
import { runCliScoring, tempDir } from "./helpers.js";

// What the page functions below use inside the browser (the project's tsconfig has no DOM library).
declare const document: any;
declare const location: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string; textDecorationLine: string };

const PROBES_5K = 5000;

const at = folder(tempDir("bonsai-browser-report-"));
let browser: Browser;
const open = (file: string) => openPage(browser, file);

const cli = runCliScoring;

beforeAll(async () => {
  writeHostileRounds(at);
  // 5,000 probes, every other one failing, some with hostile outputs.
  mkdirSync(at("big"));
  const probes = Array.from({ length: PROBES_5K }, (_, i) => `  - {id: p${i}, prompt: "Question ${i}", expected: [yes], category: ${["open_qa", "closed_qa", "translation", "creative"][i % 4]}}`);
  writeFileSync(at("big", "big.yaml"), `suite: big\ndefaults:\n  language: en\n  checks: [contains]\nprobes:\n${probes.join("\n")}\n`);
  writeFileSync(
    at("big", "outputs.jsonl"),
    Array.from({ length: PROBES_5K }, (_, i) => JSON.stringify({ suite: "big", id: `p${i}`, output: i % 2 === 0 ? `yes, answer ${i}` : `no ${i % 3 === 0 ? SCRIPT : IMG}` }) + "\n").join(""),
  );

  const launched = launchChromium();
  launched.catch(() => undefined); // awaited below, after the CLI runs; not an unhandled rejection meanwhile
  await Promise.all([
    cli(["score", "--outputs", at("round1.jsonl"), "--suite", at("hostile.yaml"), "--out", at("r1")]),
    cli(["score", "--outputs", at("round2.jsonl"), "--suite", at("hostile.yaml"), "--out", at("r2")]),
    cli(["score", "--outputs", at("big", "outputs.jsonl"), "--suite", at("big", "big.yaml"), "--out", at("big")]),
  ]);
  await Promise.all([
    cli(["gate", at("r2"), "--policy", at("policy.yaml"), "--baseline", at("r1")]),
  ]);
  browser = await launched;
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe("report.html in Chromium", () => {
  it("shows the gate's verdict with the failing rules, measured values and limits", async () => {
    const { page, errors } = await open(at("r2", "report.html"));
    const verdict = page.locator("#verdict");
    await expect(verdict.getAttribute("data-verdict")).resolves.toBe("fail");
    const text = (await verdict.textContent())!;
    expect(text.startsWith("FAIL")).toBe(true);
    expect(text).toContain("min_pass_rate — pass rate 33.3% (2/6) is below the minimum 90.0%");
    expect(text).toContain("max_score check=repetition — mean repetition score");
    await expect(page.locator("#gate tr.gate-fail").count()).resolves.toBe(2);
    await expect(page.locator("#distributions figure").count()).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("filters by status, category, language and check, and searches inside outputs", async () => {
    const { page } = await open(at("r2", "report.html"));
    await expect(countText(page)).resolves.toBe("6 / 6 shown");
    await page.selectOption("#f-status", "notpass");
    await expect(countText(page)).resolves.toBe("4 / 6 shown");
    await expect(row(page, "hostile/img").isVisible()).resolves.toBe(false);
    await page.selectOption("#f-language", "ja");
    await expect(countText(page)).resolves.toBe("2 / 6 shown");
    await page.selectOption("#f-check", "failed:katakana");
    await expect(countText(page)).resolves.toBe("1 / 6 shown");
    await expect(row(page, "hostile/wonton").isVisible()).resolves.toBe(true);
    await page.selectOption("#f-status", "");
    await page.selectOption("#f-language", "");
    await page.selectOption("#f-check", "");
    await page.selectOption("#f-category", "creative");
    await expect(countText(page)).resolves.toBe("1 / 6 shown");
    await page.selectOption("#f-category", "");
    await page.fill("#f-q", "busy city"); // only in an output, whose details are not rendered yet
    await expect.poll(() => countText(page)).toBe("1 / 6 shown");
    await page.fill("#f-q", "");
    await expect.poll(() => countText(page)).toBe("6 / 6 shown");
    await page.close();
  });

  it("expands a probe to its prompt, expected, output and check details, and collapses it", async () => {
    const { page } = await open(at("r2", "report.html"));
    const wonton = row(page, "hostile/wonton");
    const detail = wonton.locator("xpath=following-sibling::tr[1]");
    await expect(detail.isVisible()).resolves.toBe(false);
    await wonton.locator("button.expand").click();
    await expect(detail.isVisible()).resolves.toBe(true);
    await expect(wonton.locator("button.expand").getAttribute("aria-expanded")).resolves.toBe("true");
    await expect(detail.locator("pre.prompt").textContent()).resolves.toBe("wonton をカタカナで書いてください。");
    await expect(detail.locator("pre.expected").textContent()).resolves.toBe("ワンタン");
    await expect(detail.locator("pre.output mark").textContent()).resolves.toBe("ウォントン");
    const katakana = detail.locator(`.check[data-check="katakana"]`);
    await expect(katakana.locator(".side .big").allTextContents()).resolves.toEqual(["ワンタン", "ウォントン"]);
    await expect(detail.textContent()).resolves.toContain("eog");
    await wonton.locator("button.expand").click();
    await expect(detail.isVisible()).resolves.toBe(false);

    const drift = row(page, "hostile/drift");
    await drift.locator("button.expand").click();
    const driftDetail = drift.locator("xpath=following-sibling::tr[1]");
    await expect(driftDetail.locator(`.check[data-check="language"] table`).textContent()).resolves.toContain("The capital of Japan is Tokyo");
    const loop = row(page, "hostile/loop");
    await loop.locator("button.expand").click();
    await expect(loop.locator("xpath=following-sibling::tr[1]").locator(`.check[data-check="repetition"]`).textContent()).resolves.toContain("The cat sat on the mat.");
    await page.close();
  });

  it("shows hostile outputs as text: no dialog, no request, no injected element", async () => {
    const { page, dialogs, requests, errors } = await open(at("r2", "report.html"));
    await page.click("#expand-all");
    const outputs = (await page.locator("pre.output").allTextContents()).join("\n");
    expect(outputs).toContain(SCRIPT);
    expect(outputs).toContain(IMG);
    expect(outputs).toContain(TEXTAREA);
    // The contains check's highlight sits on the hostile text, still as text.
    await expect(row(page, "hostile/img").locator("xpath=following-sibling::tr[1]").locator("pre.output mark").textContent()).resolves.toContain("img src=x onerror=alert(1");
    await expect(page.locator("pre.prompt").allTextContents()).resolves.toContain(`Repeat exactly: ${SCRIPT}`);
    await expect(injectedElements(page)).resolves.toEqual({ scripts: 1, images: 0, handlers: 0, textareas: 0, svgs: 0 });
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("renders, filters, searches and expands 5,000 probes", async () => {
    const { page, dialogs, requests, errors } = await open(at("big", "report.html"));
    await expect(countText(page)).resolves.toBe("5000 / 5000 shown");
    await page.selectOption("#f-status", "notpass");
    await expect(countText(page)).resolves.toBe("2500 / 5000 shown");
    await page.selectOption("#f-category", "translation");
    await expect(countText(page)).resolves.toBe("0 / 5000 shown"); // translation probes are p2, p6, … — all even, all passing
    await page.selectOption("#f-category", "creative");
    await expect(countText(page)).resolves.toBe("1250 / 5000 shown");
    await page.selectOption("#f-status", "");
    await page.selectOption("#f-category", "");
    await page.fill("#f-q", "big › p4321");
    await expect.poll(() => countText(page)).toBe("1 / 5000 shown");
    const target = row(page, "big/p4321");
    await target.locator("button.expand").click();
    await expect(target.locator("xpath=following-sibling::tr[1]").locator("pre.output").textContent()).resolves.toBe(`no ${IMG}`);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the probe table in Chromium: outputs in view, sorting, search marks, the URL fragment, export", () => {
  it("shows the start of each output beside its prompt, with the checks' highlights", async () => {
    const { page } = await open(at("r2", "report.html"));
    const wonton = row(page, "hostile/wonton");
    await expect(wonton.locator("td.prompt-start").textContent()).resolves.toBe("wonton をカタカナで書いてください。");
    await expect(wonton.locator("td.output-start").textContent()).resolves.toBe("ウォントンです。");
    await expect(wonton.locator("td.output-start mark").textContent()).resolves.toBe("ウォントン");
    await expect(row(page, "hostile/script").locator("td.output-start").textContent()).resolves.toBe(`No: ${TEXTAREA}`);
    await page.close();
  });

  it("sorts by any column, both ways, the detail row moving with its row", async () => {
    const { page, errors } = await open(at("r2", "report.html"));
    const before = await rowKeys(page);
    await page.click("th[data-sort=probe] button.sort");
    const ascending = await rowKeys(page);
    expect(ascending).toEqual([...before].sort());
    await expect(page.locator("th[data-sort=probe]").getAttribute("aria-sort")).resolves.toBe("ascending");
    await page.click("th[data-sort=probe] button.sort");
    await expect(rowKeys(page)).resolves.toEqual([...ascending].reverse());
    await page.click("th[data-sort=output] button.sort");
    const outputs = await page.locator("tr.row td.output-start").allTextContents();
    expect(outputs).toEqual([...outputs].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    // Every row is still followed by its own detail.
    const wonton = row(page, "hostile/wonton");
    await wonton.locator("button.expand").click();
    await expect(wonton.locator("xpath=following-sibling::tr[1]").locator("pre.prompt").textContent()).resolves.toBe("wonton をカタカナで書いてください。");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("marks what the search matched in prompts, outputs and expected answers", async () => {
    const { page } = await open(at("r2", "report.html"));
    await page.fill("#f-q", "busy city");
    await expect.poll(() => countText(page)).toBe("1 / 6 shown");
    await expect(row(page, "hostile/drift").locator("td.output-start mark.hit").allTextContents()).resolves.toEqual(["busy city"]);
    const drift = row(page, "hostile/drift");
    await drift.locator("button.expand").click();
    await expect(drift.locator("xpath=following-sibling::tr[1]").locator("pre.output mark.hit").allTextContents()).resolves.toEqual(["busy city"]);
    await page.fill("#f-q", "ワンタン");
    await expect.poll(() => countText(page)).toBe("1 / 6 shown");
    const wonton = row(page, "hostile/wonton");
    await wonton.locator("button.expand").click();
    await expect(wonton.locator("xpath=following-sibling::tr[1]").locator("pre.expected mark.hit").allTextContents()).resolves.toEqual(["ワンタン"]);
    await page.fill("#f-q", "首都");
    await expect.poll(() => drift.locator("td.prompt-start mark.hit").allTextContents()).toEqual(["首都"]);
    await expect(countText(page)).resolves.toBe("1 / 6 shown");
    await expect(drift.locator("xpath=following-sibling::tr[1]").locator("pre.output mark.hit").allTextContents()).resolves.toEqual(["首都"]);
    // A match inside a check's highlight is marked inside it; the text stays the same.
    await page.fill("#f-q", "ウォン");
    await expect.poll(() => wonton.locator("td.output-start mark.hit").count()).toBe(1);
    await expect(wonton.locator("td.output-start").textContent()).resolves.toBe("ウォントンです。");
    await page.fill("#f-q", "");
    await expect.poll(() => page.locator("mark.hit").count()).toBe(0);
    await page.close();
  });

  it("keeps filters, search, sort and the opened probe in the URL fragment: a reload or the link opens the same view", async () => {
    const { page } = await open(at("r2", "report.html"));
    await page.selectOption("#f-status", "notpass");
    await page.fill("#f-q", "です");
    await expect.poll(() => countText(page)).toBe("2 / 6 shown");
    await page.click("th[data-sort=probe] button.sort");
    await page.click("th[data-sort=probe] button.sort");
    await row(page, "hostile/drift").locator("button.expand").click();
    const hash = new URLSearchParams(new URL(page.url()).hash.slice(1));
    expect(Object.fromEntries(hash)).toEqual({ status: "notpass", q: "です", sort: "-probe", open: "hostile/drift" });
    const link = page.url();
    await page.reload();
    await expect.poll(() => countText(page)).toBe("2 / 6 shown");
    await expect(page.locator("#f-status").inputValue()).resolves.toBe("notpass");
    await expect(page.locator("#f-q").inputValue()).resolves.toBe("です");
    await expect(shownKeys(page)).resolves.toEqual(["hostile/wonton", "hostile/drift"]);
    await expect(row(page, "hostile/drift").locator("xpath=following-sibling::tr[1]").isVisible()).resolves.toBe(true);
    await page.close();
    const other = await browser.newPage();
    await other.goto(link);
    await expect.poll(() => countText(other)).toBe("2 / 6 shown");
    await expect(row(other, "hostile/drift").locator("xpath=following-sibling::tr[1]").locator("pre.prompt").textContent()).resolves.toBe("日本の首都について説明してください。");
    await other.close();
  });

  it("opens the probe a banner link points at", async () => {
    const { page } = await open(at("r2", "report.html"));
    await page.selectOption("#f-status", "pass");
    const anchor = await row(page, "hostile/wonton").getAttribute("id");
    await page.evaluate((id) => (location.hash = id), `#${anchor}`);
    await expect.poll(() => row(page, "hostile/wonton").locator("xpath=following-sibling::tr[1]").isVisible()).toBe(true);
    await page.close();
  });

  it("exports the shown rows as CSV and JSONL, full texts included", async () => {
    const { page, requests } = await open(at("r2", "report.html"));
    await page.selectOption("#f-status", "notpass");
    await expect(countText(page)).resolves.toBe("4 / 6 shown");
    const lines = await exported(page, "#export-jsonl");
    expect(lines.name).toMatch(/probes\.jsonl$/);
    const records = lines.text.trimEnd().split("\n").map((entry) => JSON.parse(entry));
    expect(records.map((record) => `${record.suite}/${record.id}`)).toEqual(await shownKeys(page));
    const drift = records.find((record) => record.id === "drift");
    expect(drift).toMatchObject({
      suite: "hostile",
      status: "fail",
      category: "open_qa",
      language: "ja",
      tags: [],
      prompt: "日本の首都について説明してください。",
      expected: [],
      output: "東京は日本の首都です。 The capital of Japan is Tokyo, a very large and busy city with many people.",
      notes: null,
    });
    expect(drift.failed).toHaveLength(1);
    expect(drift.failed[0]).toMatch(/^language: /);
    expect(records.find((record) => record.id === "script")).toMatchObject({ output: `No: ${TEXTAREA}`, expected: [SCRIPT] });

    const table = await exported(page, "#export-csv");
    expect(table.name).toMatch(/probes\.csv$/);
    expect(table.text.startsWith("\ufeff")).toBe(true);
    const [head, ...body] = parseCsv(table.text.slice(1));
    expect(head).toEqual(["suite", "id", "status", "category", "language", "tags", "prompt", "expected", "output", "failed", "notes"]);
    expect(body.map((cells) => `${cells[0]}/${cells[1]}`)).toEqual(records.map((record) => `${record.suite}/${record.id}`));
    expect(body.find((cells) => cells[1] === "drift")![8]).toBe(drift.output);
    expect(body.find((cells) => cells[1] === "script")![8]).toBe(`No: ${TEXTAREA}`);
    expect(body.find((cells) => cells[1] === "script")![7]).toBe(SCRIPT);
    expect(requests).toEqual([]);
    await page.close();
  });
});
