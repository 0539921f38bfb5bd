/**
 * report.html and diff.html at 10,000 probes in Chromium: the windowed table
 * (rows-table.ts, page-script.ts) loads, filters, searches, sorts, opens and
 * exports rows not in the document, and keeps data-block text as text. How
 * long each step takes is `npm run bench:pages`, not a test.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { countText, exported, folder, hugePagesCommands, IMG, injectedElements, jsonl, launchChromium, openPage, parseCsv, row, rowKeys, SCRIPT, shownKeys, writeHugeRounds } from "./browser-pages.js";
import { runCliScoring, tempDir } from "./helpers.js";

// What the page functions below use inside the browser (the project's tsconfig has no DOM library).
declare const document: any;
declare const location: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string; textDecorationLine: string };

const PROBES_LONG = 300;
/** Text that would end or derail a <script> data block if its `<` were written as it is. */
const DATA_BLOCK_ATTACKS = [
  `yes </script><script>alert(1)</script>`,
  `yes <!--<script>alert(2)</script>-->`,
  `yes </SCRIPT ><img src=x onerror=alert(3)>`,
  `yes \u2028\u2029 </script\t><svg onload=alert(4)>`,
  `yes ${SCRIPT} "quoted" \\ back\\slash`,
];

const at = folder(tempDir("bonsai-browser-large-"));
let browser: Browser;
const open = (file: string) => openPage(browser, file);

const cli = runCliScoring;

beforeAll(async () => {
  writeHugeRounds(at);
  // A table longer than the page writes as rows (rows-table.ts FIRST_ROWS): the rows after those live in the JSON data block, hostile outputs among them.
  mkdirSync(at("long"));
  writeFileSync(at("long", "long.yaml"), `suite: long\ndefaults:\n  language: en\n  category: open_qa\n  checks: [contains]\nprobes:\n${Array.from({ length: PROBES_LONG }, (_, i) => `  - {id: l${i}, prompt: "Question ${i}", expected: [yes]}`).join("\n")}\n`);
  writeFileSync(at("long", "outputs.jsonl"), jsonl(Array.from({ length: PROBES_LONG }, (_, i) => ({ suite: "long", id: `l${i}`, output: DATA_BLOCK_ATTACKS[i % DATA_BLOCK_ATTACKS.length]! }))));
  const launched = launchChromium();
  launched.catch(() => undefined); // awaited below, after the CLI runs; not an unhandled rejection meanwhile

  const [scores, diffs] = hugePagesCommands(at);
  await Promise.all([...scores!, ["score", "--outputs", at("long", "outputs.jsonl"), "--suite", at("long", "long.yaml"), "--out", at("long")]].map(cli));
  await Promise.all(diffs!.map(cli));
  browser = await launched;
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe("report.html of 10,000 probes in Chromium", () => {
  it("loads, filters, searches and sorts 10,000 probes", async () => {
    const { page, errors } = await open(at("huge", "report.html"));
    await expect(countText(page)).resolves.toBe("10000 / 10000 shown");
    await page.selectOption("#f-status", "notpass");
    await expect(countText(page)).resolves.toBe("5000 / 10000 shown");
    await page.fill("#f-q", "q4321");
    await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("1 / 10000 shown");
    await page.selectOption("#f-status", "");
    await page.fill("#f-q", "");
    await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("10000 / 10000 shown");
    await page.click("th[data-sort=output] button.sort");
    await expect.poll(() => page.locator("th[data-sort=output]").getAttribute("aria-sort"), { timeout: 30_000 }).toBe("ascending");
    // Outputs ascending: "no <img…>" (the failing half) before "yes, answer 0".
    await expect(page.locator("tr.row td.output-start").first().textContent()).resolves.toBe(`no ${IMG}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("finds a search match in a row not yet in the document (even in its details) and marks it there once shown", async () => {
    const { page, errors } = await open(at("huge", "report.html"));
    await expect(page.locator("tr.row").count()).resolves.toBe(200); // a window of the 10,000 rows
    await expect(row(page, "huge/q9998").count()).resolves.toBe(0);
    await page.fill("#f-q", "answer 9998"); // in q9998's output only
    await expect.poll(() => countText(page)).toBe("1 / 10000 shown");
    const target = row(page, "huge/q9998");
    await expect(target.locator("td.output-start mark.hit").allTextContents()).resolves.toEqual(["answer 9998"]);
    await target.locator("button.expand").click();
    await expect(target.locator("xpath=following-sibling::tr[1]").locator("pre.output mark.hit").allTextContents()).resolves.toEqual(["answer 9998"]);
    // Text only in a probe's details (its hash), for a probe far from the window.
    const report = JSON.parse(readFileSync(at("huge", "report.json"), "utf8")) as Report;
    const hash = report.probes.find((probe) => probe.id === "q9876")!.hash.slice(0, 12);
    await page.fill("#f-q", hash);
    await expect.poll(() => shownKeys(page)).toEqual(["huge/q9876"]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens the 9,999th probe from a link to it, and from a banner-style link while filters hide it", async () => {
    const anchor = await (async () => {
      const { page } = await open(at("huge", "report.html"));
      const id = await page.evaluate(() => document.querySelector("table.rows") && JSON.parse(document.getElementById("probes-data").textContent).rows[9998].anchor);
      await page.close();
      return id as string;
    })();
    expect(anchor).toBe("probe-huge~2f~q9998");
    const page = await browser.newPage();
    await page.goto(`${pathToFileURL(at("huge", "report.html")).href}#${anchor}`);
    const target = row(page, "huge/q9998");
    await expect.poll(() => target.locator("xpath=following-sibling::tr[1]").isVisible()).toBe(true);
    await expect(target.locator("xpath=following-sibling::tr[1]").locator("pre.output").textContent()).resolves.toBe("yes, answer 9998");
    await expect(target.locator("button.expand").getAttribute("aria-expanded")).resolves.toBe("true");
    await expect(target.isVisible()).resolves.toBe(true);
    // q9999 fails: with the filter on passing probes it is hidden; its link clears the filter and opens it.
    await page.selectOption("#f-status", "pass");
    await page.evaluate((id) => (location.hash = id), "#probe-huge~2f~q9999");
    await expect.poll(() => row(page, "huge/q9999").locator("xpath=following-sibling::tr[1]").isVisible()).toBe(true);
    await expect(countText(page)).resolves.toBe("10000 / 10000 shown");
    await page.close();
  });

  it("shows the rows a window at a time, sorts all of them, and keeps a deep opened probe in the fragment", async () => {
    const { page, errors } = await open(at("huge", "report.html"));
    await page.click("th[data-sort=probe] button.sort");
    await page.click("th[data-sort=probe] button.sort");
    await expect(rowKeys(page).then((keys) => keys.slice(0, 3))).resolves.toEqual(["huge/q9999", "huge/q9998", "huge/q9997"]);
    await expect(page.locator("tr.row").count()).resolves.toBe(200);
    // Dispatched, not clicked: page.click scrolls the button into view first, and that scroll alone brings in the next rows (racing the click's).
    await page.locator("button.window-after").dispatchEvent("click");
    await expect(page.locator("tr.row").count()).resolves.toBe(400);
    await page.locator("tr.window.after").scrollIntoViewIfNeeded(); // scrolling near the end brings in the next rows
    await expect.poll(() => page.locator("tr.row").count()).toBeGreaterThanOrEqual(600);
    await page.selectOption("#f-status", "notpass");
    await row(page, "huge/q9999").locator("button.expand").click();
    const link = page.url();
    expect(Object.fromEntries(new URLSearchParams(new URL(link).hash.slice(1)))).toEqual({ status: "notpass", sort: "-probe", open: "huge/q9999" });
    await page.close();
    // The same view from the link, with a probe far down the table opened: the window moves to it.
    const other = await browser.newPage();
    await other.goto(`${pathToFileURL(at("huge", "report.html")).href}#status=notpass&sort=probe&open=huge%2Fq9999`);
    await expect(countText(other)).resolves.toBe("5000 / 10000 shown");
    await expect.poll(() => row(other, "huge/q9999").locator("xpath=following-sibling::tr[1]").isVisible()).toBe(true);
    await expect(other.locator("tr.window.before").isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await other.close();
  });

  it("exports every shown row of a 10,000-probe page, the rows not in the document too", async () => {
    const { page } = await open(at("huge", "report.html"));
    await page.selectOption("#f-status", "notpass");
    const lines = await exported(page, "#export-jsonl");
    const records = lines.text.trimEnd().split("\n").map((entry) => JSON.parse(entry));
    expect(records).toHaveLength(5000);
    expect(records.at(-1)).toEqual({
      suite: "huge",
      id: "q9999",
      status: "fail",
      category: "creative",
      language: "en",
      tags: [],
      prompt: "Question 9999",
      expected: ["yes"],
      output: `no ${IMG}`,
      failed: [expect.stringMatching(/^contains: /)],
      notes: null,
    });
    const table = await exported(page, "#export-csv");
    const [head, ...body] = parseCsv(table.text.slice(1));
    expect(head).toEqual(Object.keys(records[0]));
    expect(body.map((cells) => cells[1])).toEqual(records.map((record) => record.id));
    await page.close();
  });

  it("keeps text that could end a <script> data block as text: no dialog, no request, no element", async () => {
    const { page, dialogs, requests, errors } = await open(at("long", "report.html"));
    await expect(countText(page)).resolves.toBe(`${PROBES_LONG} / ${PROBES_LONG} shown`);
    await page.click("th[data-sort=probe] button.sort");
    await page.click("th[data-sort=probe] button.sort"); // l99, l98, … l299 … : rows from the data block come into view
    await page.click("#expand-all");
    const outputs = await page.locator("pre.output").allTextContents();
    expect(outputs.length).toBeGreaterThanOrEqual(200);
    expect(new Set(outputs)).toEqual(new Set(DATA_BLOCK_ATTACKS));
    await expect(injectedElements(page)).resolves.toEqual({ scripts: 2, images: 0, handlers: 0, textareas: 0, svgs: 0 }); // the page's script and its data block
    await expect(page.locator('script[type="application/json"]').count()).resolves.toBe(1);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("without JavaScript, shows the first rows of a long table and says where the rest are", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(at("huge", "report.html")).href);
    await expect(page.locator("tr.row").count()).resolves.toBe(200);
    await expect(row(page, "huge/q0").locator("td.output-start").textContent()).resolves.toBe("yes, answer 0");
    await expect(page.locator("noscript p").textContent()).resolves.toContain("The first 200 of 10000 rows are shown");
    await context.close();
  });
});

describe("diff.html of 10,000 probes in Chromium", () => {
  it("loads, filters, searches and sorts a diff of 10,000 probes", async () => {
    // The diff lists the probes that failed on a side: 1,000 regressed and 5,000 still failing; the 4,000 still passing with an unchanged output are not listed.
    const { page, errors } = await open(at("huge-diff", "diff.html"));
    await expect(countText(page)).resolves.toBe("6000 / 6000 shown");
    await page.selectOption("#f-change", "regressed");
    await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("1000 / 6000 shown");
    await page.fill("#f-q", "q4320");
    await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("1 / 6000 shown");
    await page.selectOption("#f-change", "");
    await page.fill("#f-q", "");
    await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("6000 / 6000 shown");
    await page.click("th[data-sort=base] button.sort");
    await expect.poll(() => page.locator("th[data-sort=base]").getAttribute("aria-sort"), { timeout: 30_000 }).toBe("ascending");
    // Base outputs ascending: the still failing "no <img…>" before the regressed "yes, answer 0".
    await expect(page.locator("tr.row:not(.hidden) td.output-start").first().textContent()).resolves.toBe(`no ${IMG}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
