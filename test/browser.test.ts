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
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, findChromium } from "./chromium.js";
import type { Report } from "../src/format/report.js";
import { OUTPUT_START } from "../src/report/rows-table.js";
import { runCli, tempDir } from "./helpers.js";

// What the page functions below use inside the browser (the project's tsconfig has no DOM library).
declare const document: any;
declare const location: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string; textDecorationLine: string };

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
const PROBES_10K = 10_000;
const PROBES_LONG = 300;
/** Text that would end or derail a <script> data block if its `<` were written as it is. */
const DATA_BLOCK_ATTACKS = [
  `yes </script><script>alert(1)</script>`,
  `yes <!--<script>alert(2)</script>-->`,
  `yes </SCRIPT ><img src=x onerror=alert(3)>`,
  `yes \u2028\u2029 </script\t><svg onload=alert(4)>`,
  `yes ${SCRIPT} "quoted" \\ back\\slash`,
];

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
const jsonl = (lines: object[]) => lines.map((entry) => JSON.stringify(entry) + "\n").join("");

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

  mkdirSync(at("views"));
  writeFileSync(at("views", "views.yaml"), VIEWS);
  writeFileSync(at("views", "outputs.jsonl"), jsonl(VIEWS_OUTPUTS));
  mkdirSync(at("flat"));
  writeFileSync(at("flat", "flat.yaml"), FLAT);
  writeFileSync(at("flat", "outputs.jsonl"), jsonl(FLAT_OUTPUTS));
  mkdirSync(at("huge"));
  const hugeProbes = Array.from({ length: PROBES_10K }, (_, i) => `  - {id: q${i}, prompt: "Question ${i}", expected: [yes], category: ${["open_qa", "closed_qa", "translation", "creative"][i % 4]}}`);
  writeFileSync(at("huge", "huge.yaml"), `suite: huge\ndefaults:\n  language: en\n  checks: [contains]\nprobes:\n${hugeProbes.join("\n")}\n`);
  writeFileSync(at("huge", "outputs.jsonl"), jsonl(Array.from({ length: PROBES_10K }, (_, i) => ({ suite: "huge", id: `q${i}`, output: i % 2 === 0 ? `yes, answer ${i}` : `no ${IMG}` }))));
  // The next round of the same 10,000 probes: every tenth answer (all of them passing before) now fails.
  mkdirSync(at("huge-2"));
  writeFileSync(at("huge-2", "outputs.jsonl"), jsonl(Array.from({ length: PROBES_10K }, (_, i) => ({ suite: "huge", id: `q${i}`, output: i % 2 === 0 && i % 10 !== 0 ? `yes, answer ${i}` : `no ${IMG}` }))));
  // A table longer than the page writes as rows (rows-table.ts FIRST_ROWS): the rows after those live in the JSON data block, hostile outputs among them.
  mkdirSync(at("long"));
  writeFileSync(at("long", "long.yaml"), `suite: long\ndefaults:\n  language: en\n  category: open_qa\n  checks: [contains]\nprobes:\n${Array.from({ length: PROBES_LONG }, (_, i) => `  - {id: l${i}, prompt: "Question ${i}", expected: [yes]}`).join("\n")}\n`);
  writeFileSync(at("long", "outputs.jsonl"), jsonl(Array.from({ length: PROBES_LONG }, (_, i) => ({ suite: "long", id: `l${i}`, output: DATA_BLOCK_ATTACKS[i % DATA_BLOCK_ATTACKS.length]! }))));

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
    cli(["score", "--outputs", at("views", "outputs.jsonl"), "--suite", at("views", "views.yaml"), "--out", at("views")]),
    cli(["score", "--outputs", at("flat", "outputs.jsonl"), "--suite", at("flat", "flat.yaml"), "--out", at("flat")]),
    cli(["score", "--outputs", at("huge", "outputs.jsonl"), "--suite", at("huge", "huge.yaml"), "--out", at("huge")]),
    cli(["score", "--outputs", at("huge-2", "outputs.jsonl"), "--suite", at("huge", "huge.yaml"), "--out", at("huge-2")]),
    cli(["score", "--outputs", at("long", "outputs.jsonl"), "--suite", at("long", "long.yaml"), "--out", at("long")]),
  ]);
  await Promise.all([
    cli(["gate", at("r2"), "--policy", at("policy.yaml"), "--baseline", at("r1")]),
    cli(["diff", at("r1"), at("r2"), "--out", at("diff")]),
    cli(["diff", at("huge"), at("huge-2"), "--out", at("huge-diff")]),
  ]);
  browser = await launched;
}, 300_000);

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

/** The rows' keys in their order on the page. */
const rowKeys = (page: Page) => page.locator("tr.row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-key")));
const shownKeys = (page: Page) => page.locator("tr.row:not(.hidden)").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-key")));

/** Clicks an export button and returns what the page downloaded. */
async function exported(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: (await import("node:fs")).readFileSync(file, "utf8") };
}

/** A small CSV reader (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes), to read the export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") row.push(field), (field = "");
    else if (char === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += char;
  }
  return rows;
}

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

  it("loads, filters, searches and sorts 10,000 probes (times printed, not asserted)", async () => {
    // Three rounds on fresh pages; the median of each step is printed with every round's time (the machine is shared: one round says little).
    const rounds: Array<Record<"loaded" | "filtered" | "searched" | "cleared" | "sorted", number>> = [];
    for (let round = 0; round < 3; round++) {
      const started = Date.now();
      const { page, errors } = await open(at("huge", "report.html"));
      await expect(countText(page)).resolves.toBe("10000 / 10000 shown");
      const loaded = Date.now() - started;
      let at0 = Date.now();
      await page.selectOption("#f-status", "notpass");
      await expect(countText(page)).resolves.toBe("5000 / 10000 shown");
      const filtered = Date.now() - at0;
      at0 = Date.now();
      await page.fill("#f-q", "q4321");
      await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("1 / 10000 shown");
      const searched = Date.now() - at0;
      at0 = Date.now();
      await page.selectOption("#f-status", "");
      await page.fill("#f-q", "");
      await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("10000 / 10000 shown");
      const cleared = Date.now() - at0;
      at0 = Date.now();
      await page.click("th[data-sort=output] button.sort");
      await expect.poll(() => page.locator("th[data-sort=output]").getAttribute("aria-sort"), { timeout: 30_000 }).toBe("ascending");
      // Outputs ascending: "no <img…>" (the failing half) before "yes, answer 0".
      await expect(page.locator("tr.row td.output-start").first().textContent()).resolves.toBe(`no ${IMG}`);
      const sorted = Date.now() - at0;
      rounds.push({ loaded, filtered, searched, cleared, sorted });
      expect(errors).toEqual([]);
      await page.close();
    }
    const median = (key: keyof (typeof rounds)[number]) => rounds.map((round) => round[key]).sort((a, b) => a - b)[1];
    const each = (key: keyof (typeof rounds)[number]) => `${median(key)} ms (${rounds.map((round) => round[key]).join(", ")})`;
    console.log(
      `report.html with 10,000 probes, median of 3: loaded in ${each("loaded")}, filtered in ${each("filtered")}, searched in ${each("searched")}, cleared in ${each("cleared")}, sorted in ${each("sorted")}`,
    );
  }, 180_000);

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
    await page.click("button.window-after");
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

describe("diff.html tables in Chromium", () => {
  it("loads, filters, searches and sorts a diff of 10,000 probes (times printed, not asserted)", async () => {
    // The diff lists the probes that failed on a side: 1,000 regressed and 5,000 still failing; the 4,000 still passing with an unchanged output are not listed.
    // Three rounds on fresh pages; the median of each step is printed with every round's time (the machine is shared: one round says little).
    const rounds: Array<Record<"loaded" | "filtered" | "searched" | "cleared" | "sorted", number>> = [];
    for (let round = 0; round < 3; round++) {
      const started = Date.now();
      const { page, errors } = await open(at("huge-diff", "diff.html"));
      await expect(countText(page)).resolves.toBe("6000 / 6000 shown");
      const loaded = Date.now() - started;
      let at0 = Date.now();
      await page.selectOption("#f-change", "regressed");
      await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("1000 / 6000 shown");
      const filtered = Date.now() - at0;
      at0 = Date.now();
      await page.fill("#f-q", "q4320");
      await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("1 / 6000 shown");
      const searched = Date.now() - at0;
      at0 = Date.now();
      await page.selectOption("#f-change", "");
      await page.fill("#f-q", "");
      await expect.poll(() => countText(page), { timeout: 30_000 }).toBe("6000 / 6000 shown");
      const cleared = Date.now() - at0;
      at0 = Date.now();
      await page.click("th[data-sort=base] button.sort");
      await expect.poll(() => page.locator("th[data-sort=base]").getAttribute("aria-sort"), { timeout: 30_000 }).toBe("ascending");
      // Base outputs ascending: the still failing "no <img…>" before the regressed "yes, answer 0".
      await expect(page.locator("tr.row:not(.hidden) td.output-start").first().textContent()).resolves.toBe(`no ${IMG}`);
      const sorted = Date.now() - at0;
      rounds.push({ loaded, filtered, searched, cleared, sorted });
      expect(errors).toEqual([]);
      await page.close();
    }
    const median = (key: keyof (typeof rounds)[number]) => rounds.map((round) => round[key]).sort((a, b) => a - b)[1];
    const each = (key: keyof (typeof rounds)[number]) => `${median(key)} ms (${rounds.map((round) => round[key]).join(", ")})`;
    console.log(
      `diff.html with 10,000 probes (6,000 listed), median of 3: loaded in ${each("loaded")}, filtered in ${each("filtered")}, searched in ${each("searched")}, cleared in ${each("cleared")}, sorted in ${each("sorted")}`,
    );
  }, 180_000);

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
    const { readFileSync } = await import("node:fs");
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
