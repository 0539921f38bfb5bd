/**
 * diff.html in Chromium: the diff of the hostile suite's two rounds (see
 * browser-report.test.ts for how the browser is found and what is checked).
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTPUT_START } from "../src/report/rows-table.js";
import { countText, exported, folder, IMG, injectedElements, launchChromium, openPage, row, SCRIPT, shownKeys, TEXTAREA, writeHostileRounds } from "./browser-pages.js";
import { runCliScoring, tempDir } from "./helpers.js";

// What the page functions below use inside the browser (the project's tsconfig has no DOM library).
declare const document: any;
declare const location: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string; textDecorationLine: string };

const at = folder(tempDir("bonsai-browser-diff-"));
let browser: Browser;
const open = (file: string) => openPage(browser, file);

const cli = runCliScoring;

beforeAll(async () => {
  writeHostileRounds(at);
  const launched = launchChromium();
  launched.catch(() => undefined); // awaited below, after the CLI runs; not an unhandled rejection meanwhile
  await Promise.all([
    cli(["score", "--outputs", at("round1.jsonl"), "--suite", at("hostile.yaml"), "--out", at("r1")]),
    cli(["score", "--outputs", at("round2.jsonl"), "--suite", at("hostile.yaml"), "--out", at("r2")]),
  ]);
  await Promise.all([
    cli(["gate", at("r2"), "--policy", at("policy.yaml"), "--baseline", at("r1")]),
    cli(["diff", at("r1"), at("r2"), "--out", at("diff")]),
  ]);
  browser = await launched;
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe("diff.html in Chromium", () => {
  it("shows the verdict, counts and paired statistics", async () => {
    const { page, errors } = await open(at("diff", "diff.html"));
    // 4 regressed, 0 fixed: p = 2 · (1/2)^4 = 0.125 — not significant on six probes
    await expect(page.locator("#verdict").getAttribute("data-verdict")).resolves.toBe("no significant change");
    await expect(page.locator("#verdict").textContent()).resolves.toContain("4 regressed, exact McNemar p = 0.125");
    await expect(page.locator(`.card[data-count="regressed"] b`).textContent()).resolves.toBe("4");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("filters changes and shows both outputs side by side with the differences marked", async () => {
    const { page, dialogs, requests } = await open(at("diff", "diff.html"));
    await page.selectOption("#f-change", "regressed");
    await expect(countText(page)).resolves.toBe("4 / 5 shown");
    await page.selectOption("#f-change", "output_changed");
    await expect(countText(page)).resolves.toBe("5 / 5 shown");
    await page.selectOption("#f-change", "");
    await page.fill("#f-q", "onload");
    await expect.poll(() => countText(page)).toBe("2 / 5 shown");
    await page.fill("#f-q", "");

    const script = row(page, "hostile/script");
    await script.locator("button.expand").click();
    const detail = script.locator("xpath=following-sibling::tr[1]");
    await expect(detail.locator("pre.base-output").textContent()).resolves.toBe(`Sure: ${SCRIPT} ${IMG}`);
    await expect(detail.locator("pre.candidate-output").textContent()).resolves.toBe(`No: ${TEXTAREA}`);
    const deleted = (await detail.locator("pre.base-output del").allTextContents()).join("");
    const inserted = (await detail.locator("pre.candidate-output ins").allTextContents()).join("");
    expect(deleted.length).toBeGreaterThan(0);
    expect(inserted).toContain("textarea");

    const wonton = row(page, "hostile/wonton");
    await wonton.locator("button.expand").click();
    const marks = wonton.locator("xpath=following-sibling::tr[1]");
    // ワンタン → ウォントン by code point; the lone shared ン between two changes is folded into one change
    await expect(marks.locator("pre.base-output del").allTextContents()).resolves.toEqual(["ワンタ"]);
    await expect(marks.locator("pre.candidate-output ins").allTextContents()).resolves.toEqual(["ウォント"]);
    await script.locator("button.expand").click();
    await expect(detail.isVisible()).resolves.toBe(false);

    await page.click("#expand-all");
    await expect(injectedElements(page)).resolves.toEqual({ scripts: 1, images: 0, handlers: 0, textareas: 0, svgs: 0 });
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

describe("diff.html tables in Chromium", () => {
  it("colours each side's output by whether it passed, and shows both outputs' start in the table", async () => {
    const { page } = await open(at("diff", "diff.html"));
    const script = row(page, "hostile/script"); // passed in round 1, failed in round 2
    await expect(script.locator("td.output-start").allTextContents()).resolves.toEqual([`Sure: ${SCRIPT} ${IMG}`, `No: ${TEXTAREA}`]);
    await expect(script.locator("td.output-start").evaluateAll((cells) => cells.map((cell) => cell.classList.contains("side-pass") ? "pass" : cell.classList.contains("side-fail") ? "fail" : "none"))).resolves.toEqual(["pass", "fail"]);
    await script.locator("button.expand").click();
    const detail = script.locator("xpath=following-sibling::tr[1]");
    await expect(detail.locator(".side-label").allTextContents()).resolves.toEqual(["base · passed", "candidate · failed"]);
    const colours = await detail.evaluate((element) => ({
      deleted: getComputedStyle(element.querySelector("div.side-pass pre.base-output del")!).backgroundColor,
      inserted: getComputedStyle(element.querySelector("div.side-fail pre.candidate-output ins")!).backgroundColor,
    }));
    // The base side passed: its changes are green; the candidate's failed: red (not deletion red / insertion green).
    expect(colours.deleted).toMatch(/^rgba\(74, 194, 107/);
    expect(colours.inserted).toMatch(/^rgba\(255, 129, 130/);
    await page.close();
  });

  it("marks the candidate's check highlights in its output cell and in the opened probe, layered with the character diff", async () => {
    type Side = { output: string; highlights: Array<{ check: string; start: number; end: number }> };
    const diff = JSON.parse(readFileSync(at("diff", "diff.json"), "utf8")) as { probes: Array<{ id: string; candidate: Side }> };
    // Per code point of the output: the checks whose highlights cover it (the cell shows the first OUTPUT_START and "…").
    const expected = (id: string, limit = Infinity) => {
      const side = diff.probes.find((probe) => probe.id === id)!.candidate;
      const chars = Array.from(side.output);
      const shown = chars.slice(0, limit).map((_, i) => [...new Set(side.highlights.filter((h) => h.start <= i && i < h.end).map((h) => h.check))].sort().join(" "));
      return chars.length > limit ? [...shown, ""] : shown;
    };
    const { page, errors } = await open(at("diff", "diff.html"));
    // Per code point of an element's text: the checks whose <mark>s it sits in.
    const coverage = (locator: ReturnType<Page["locator"]>) =>
      locator.evaluate((element) => {
        const out: string[] = [];
        const walker = document.createTreeWalker(element, 4 /* NodeFilter.SHOW_TEXT */);
        let node: any;
        while ((node = walker.nextNode())) {
          const checks = new Set<string>();
          for (let parent = node.parentElement; parent && parent !== element; parent = parent.parentElement) if (parent.tagName === "MARK") checks.add(parent.className.replace(/^hl-/, ""));
          for (const _ of Array.from(node.data as string)) out.push([...checks].sort().join(" "));
        }
        return out;
      });
    for (const id of ["loop", "drift"]) {
      const probe = row(page, `hostile/${id}`);
      const marks = expected(id);
      expect(marks.some((checks) => checks !== "")).toBe(true);
      await expect(coverage(probe.locator("td.output-start").nth(1))).resolves.toEqual(expected(id, OUTPUT_START));
      await probe.locator("button.expand").click();
      await expect(coverage(probe.locator("xpath=following-sibling::tr[1]").locator("pre.candidate-output"))).resolves.toEqual(marks);
    }
    // Where the loop was inserted, its mark sits inside the <ins> and paints the failed side's red over its own colour.
    const layered = await row(page, "hostile/loop")
      .locator("xpath=following-sibling::tr[1]")
      .evaluate((element) => {
        const style = getComputedStyle(element.querySelector("div.side-fail pre.candidate-output ins > mark.hl-repetition")!) as unknown as { backgroundColor: string; backgroundImage: string };
        return { colour: style.backgroundColor, image: style.backgroundImage };
      });
    expect(layered.colour).not.toBe("rgba(0, 0, 0, 0)");
    expect(layered.image).toMatch(/^linear-gradient\(rgba\(255, 129, 130/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("sorts, keeps the view in the fragment and exports the changed probes", async () => {
    const { page } = await open(at("diff", "diff.html"));
    await page.selectOption("#f-change", "regressed");
    await page.click("th[data-sort=probe] button.sort");
    await expect(shownKeys(page)).resolves.toEqual([...(await shownKeys(page))].sort());
    await page.reload();
    await expect(countText(page)).resolves.toBe("4 / 5 shown");
    await expect(page.locator("th[data-sort=probe]").getAttribute("aria-sort")).resolves.toBe("ascending");
    const lines = await exported(page, "#export-jsonl");
    const records = lines.text.trimEnd().split("\n").map((entry) => JSON.parse(entry));
    expect(records).toHaveLength(4);
    expect(records.find((record) => record.id === "script")).toMatchObject({
      change: "regressed",
      base_status: "pass",
      candidate_status: "fail",
      base_output: `Sure: ${SCRIPT} ${IMG}`,
      candidate_output: `No: ${TEXTAREA}`,
      expected: [SCRIPT],
    });
    await page.close();
  });
});
