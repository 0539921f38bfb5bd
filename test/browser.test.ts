/**
 * report.html and diff.html in a real browser: Debian's Chromium driven by
 * playwright-core, pages opened from disk. The reports come from the real CLI
 * scoring outputs that contain hostile strings; they must show as text, open
 * no dialog and make no request.
 *
 * The Chromium is found by test/chromium.ts: BONSAI_CHROMIUM, else Debian's
 * /usr/bin/chromium, else the one inside the @sparticuz/chromium npm package.
 * Without any of them these tests fail, they do not skip.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, findChromium } from "./chromium.js";
import { runCli, tempDir } from "./helpers.js";

const SCRIPT = "<script>alert(1)</script>";
const IMG = "<img src=x onerror=alert(1)>";
const TEXTAREA = "</textarea><svg onload=alert(1)>";

const dir = tempDir("bonsai-browser-");
const at = (...parts: string[]) => path.join(dir, ...parts);

const SUITE = `suite: hostile
defaults:
  language: en
  category: closed_qa
probes:
  - id: script
    prompt: "Repeat exactly: ${SCRIPT}"
    expected: ["${SCRIPT}"]
    checks: [contains]
  - id: img
    prompt: "Show ${IMG}"
    expected: ["${IMG}"]
    checks: [contains]
  - id: textarea
    prompt: "Close ${TEXTAREA}"
    expected: ["${TEXTAREA}"]
    checks: [contains]
  - id: wonton
    language: ja
    category: translation
    prompt: wonton をカタカナで書いてください。
    expected: [ワンタン]
    checks: [katakana]
  - id: drift
    language: ja
    category: open_qa
    prompt: 日本の首都について説明してください。
    checks: [language]
  - id: loop
    category: creative
    prompt: Write a short poem.
    checks: [repetition]
`;

const line = (id: string, output: string) => JSON.stringify({ suite: "hostile", id, output, stop_reason: id === "loop" ? "max_tokens" : "eog", output_tokens: 12, time_ms: 40 }) + "\n";
const ROUND_1 = [
  line("script", `Sure: ${SCRIPT} ${IMG}`),
  line("img", `Here: ${IMG}`),
  line("textarea", `Closed ${TEXTAREA}`),
  line("wonton", "ワンタンです。"),
  line("drift", "東京は日本の首都で、政治と経済の中心です。"),
  line("loop", "The sea is wide and the wind is cold tonight."),
].join("");
const ROUND_2 = [
  line("script", `No: ${TEXTAREA}`),
  line("img", `Here: ${IMG}`),
  line("textarea", `Closed ${TEXTAREA} ${SCRIPT}`),
  line("wonton", "ウォントンです。"),
  line("drift", "東京は日本の首都です。 The capital of Japan is Tokyo, a very large and busy city with many people."),
  line("loop", "The cat sat on the mat. ".repeat(8)),
].join("");

const POLICY = `name: browser gate
rules:
  - min_pass_rate: 0.9
  - max_score: 0.1
    check: repetition
  - max_regressions: 10
`;

const PROBES_5K = 5000;

let browser: Browser;

beforeAll(async () => {
  const found = findChromium();
  writeFileSync(at("hostile.yaml"), SUITE);
  writeFileSync(at("round1.jsonl"), ROUND_1);
  writeFileSync(at("round2.jsonl"), ROUND_2);
  writeFileSync(at("policy.yaml"), POLICY);
  // 5,000 probes, every other one failing, some with hostile outputs.
  mkdirSync(at("big"));
  const probes = Array.from({ length: PROBES_5K }, (_, i) => `  - {id: p${i}, prompt: "Question ${i}", expected: [yes], category: ${["open_qa", "closed_qa", "translation", "creative"][i % 4]}}`);
  writeFileSync(at("big", "big.yaml"), `suite: big\ndefaults:\n  language: en\n  checks: [contains]\nprobes:\n${probes.join("\n")}\n`);
  writeFileSync(
    at("big", "outputs.jsonl"),
    Array.from({ length: PROBES_5K }, (_, i) => JSON.stringify({ suite: "big", id: `p${i}`, output: i % 2 === 0 ? `yes, answer ${i}` : `no ${i % 3 === 0 ? SCRIPT : IMG}` }) + "\n").join(""),
  );

  const cli = async (args: string[]) => {
    const result = await runCli(args);
    expect([0, 1], `${args.join(" ")}\n${result.stderr}`).toContain(result.code);
  };
  const launched = found.then((executable) => chromium.launch({ executablePath: executable.path, env: { ...process.env, ...executable.env }, headless: true, args: CHROMIUM_ARGS }));
  launched.catch(() => undefined); // awaited below, after the CLI runs; not an unhandled rejection meanwhile
  await Promise.all([
    cli(["score", "--outputs", at("round1.jsonl"), "--suite", at("hostile.yaml"), "--out", at("r1")]),
    cli(["score", "--outputs", at("round2.jsonl"), "--suite", at("hostile.yaml"), "--out", at("r2")]),
    cli(["score", "--outputs", at("big", "outputs.jsonl"), "--suite", at("big", "big.yaml"), "--out", at("big")]),
  ]);
  await Promise.all([
    cli(["gate", at("r2"), "--policy", at("policy.yaml"), "--baseline", at("r1")]),
    cli(["diff", at("r1"), at("r2"), "--out", at("diff")]),
  ]);
  browser = await launched;
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

interface Watched {
  page: Page;
  dialogs: string[];
  requests: string[];
  errors: string[];
}

/** Opens a page from disk, recording dialogs, requests other than the page itself, and script errors. */
async function open(file: string): Promise<Watched> {
  const page = await browser.newPage();
  const url = pathToFileURL(file).href;
  const watched: Watched = { page, dialogs: [], requests: [], errors: [] };
  page.on("dialog", (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("request", (request) => {
    if (request.url() !== url) watched.requests.push(request.url());
  });
  page.on("pageerror", (error) => watched.errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") watched.errors.push(message.text());
  });
  await page.goto(url);
  return watched;
}

const countText = (page: Page) => page.locator("#f-count").textContent();

/** Elements a hostile output would create if it were parsed as HTML (the page's own SVG charts carry role="img"). */
async function injectedElements(page: Page) {
  return {
    scripts: await page.locator("script").count(),
    images: await page.locator("img").count(),
    handlers: await page.locator("[onload], [onerror]").count(),
    textareas: await page.locator("textarea").count(),
    svgs: await page.locator("svg:not([role=img])").count(),
  };
}
const row = (page: Page, key: string) => page.locator(`tr.row[data-key="${key}"]`);

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
