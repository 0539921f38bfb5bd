/**
 * What the browser tests (test/browser-*.test.ts) and `npm run bench:pages`
 * share: the hostile suite and its two rounds, the 10,000-probe rounds, the
 * launch of the Chromium test/chromium.ts finds, and reading a page opened from
 * disk (dialogs, requests and script errors recorded; rows, counts, exports).
 * No vitest here: the bench imports it too.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "./chromium.js";

/** A file in a test's folder: `at("huge", "report.html")`. */
export type At = (...parts: string[]) => string;

export const folder = (dir: string): At => (...parts) => path.join(dir, ...parts);


export const SCRIPT = "<script>alert(1)</script>";
export const IMG = "<img src=x onerror=alert(1)>";
export const TEXTAREA = "</textarea><svg onload=alert(1)>";

const HOSTILE_SUITE = `suite: hostile
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

export const PROBES_10K = 10_000;

export const jsonl = (lines: object[]) => lines.map((entry) => JSON.stringify(entry) + "\n").join("");

/** The hostile suite, its two rounds and the gate's policy: hostile.yaml, round1.jsonl, round2.jsonl, policy.yaml. */
export function writeHostileRounds(at: At): void {
  writeFileSync(at("hostile.yaml"), HOSTILE_SUITE);
  writeFileSync(at("round1.jsonl"), ROUND_1);
  writeFileSync(at("round2.jsonl"), ROUND_2);
  writeFileSync(at("policy.yaml"), POLICY);
}

/** 10,000 probes (huge/huge.yaml) and two rounds of them: in huge/, every other answer fails; in huge-2/, every tenth answer (all of them passing before) fails too. */
export function writeHugeRounds(at: At): void {
  mkdirSync(at("huge"), { recursive: true });
  const hugeProbes = Array.from({ length: PROBES_10K }, (_, i) => `  - {id: q${i}, prompt: "Question ${i}", expected: [yes], category: ${["open_qa", "closed_qa", "translation", "creative"][i % 4]}}`);
  writeFileSync(at("huge", "huge.yaml"), `suite: huge\ndefaults:\n  language: en\n  checks: [contains]\nprobes:\n${hugeProbes.join("\n")}\n`);
  writeFileSync(at("huge", "outputs.jsonl"), jsonl(Array.from({ length: PROBES_10K }, (_, i) => ({ suite: "huge", id: `q${i}`, output: i % 2 === 0 ? `yes, answer ${i}` : `no ${IMG}` }))));
  mkdirSync(at("huge-2"), { recursive: true });
  writeFileSync(at("huge-2", "outputs.jsonl"), jsonl(Array.from({ length: PROBES_10K }, (_, i) => ({ suite: "huge", id: `q${i}`, output: i % 2 === 0 && i % 10 !== 0 ? `yes, answer ${i}` : `no ${IMG}` }))));
}

/** The CLI commands that turn writeHugeRounds' files into huge/report.html, huge-2/report.html and huge-diff/diff.html, in the order they must run. */
export function hugePagesCommands(at: At): string[][][] {
  return [
    [
      ["score", "--outputs", at("huge", "outputs.jsonl"), "--suite", at("huge", "huge.yaml"), "--out", at("huge")],
      ["score", "--outputs", at("huge-2", "outputs.jsonl"), "--suite", at("huge", "huge.yaml"), "--out", at("huge-2")],
    ],
    [["diff", at("huge"), at("huge-2"), "--out", at("huge-diff")]],
  ];
}

/** Debian's (or the packaged) Chromium, headless, as test/chromium.ts finds it. */
export async function launchChromium(): Promise<Browser> {
  const executable = await findChromium();
  return chromium.launch({ executablePath: executable.path, env: { ...process.env, ...executable.env }, headless: true, args: CHROMIUM_ARGS });
}

export interface Watched {
  page: Page;
  dialogs: string[];
  requests: string[];
  errors: string[];
}

/** Opens a page from disk (at `fragment`, e.g. "#open=…"), recording dialogs, requests other than the page itself, and script errors. */
export async function openPage(browser: Browser, file: string, fragment = ""): Promise<Watched> {
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
  await page.goto(url + fragment);
  return watched;
}

export const countText = (page: Page) => page.locator("#f-count").textContent();

/** Elements a hostile output would create if it were parsed as HTML (the page's own SVG charts carry role="img"). */
export async function injectedElements(page: Page) {
  return {
    scripts: await page.locator("script").count(),
    images: await page.locator("img").count(),
    handlers: await page.locator("[onload], [onerror]").count(),
    textareas: await page.locator("textarea").count(),
    svgs: await page.locator("svg:not([role=img])").count(),
  };
}
export const row = (page: Page, key: string) => page.locator(`tr.row[data-key="${key}"]`);

/** The rows' keys in their order on the page. */
export const rowKeys = (page: Page) => page.locator("tr.row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-key")));
export const shownKeys = (page: Page) => page.locator("tr.row:not(.hidden)").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-key")));

/** Clicks an export button and returns what the page downloaded. */
export async function exported(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(file, "utf8") };
}

/** A small CSV reader (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes), to read the export back. */
export function parseCsv(text: string): string[][] {
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

