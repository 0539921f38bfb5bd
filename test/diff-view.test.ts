/**
 * What the diff shows of each probe and of the pairwise judge, through the
 * real CLI: diff.json carries each side's check highlights (code-point
 * offsets, check, label), diff.html marks them in the table's output cells and
 * in the opened probe beside the character diff, and a diff of reports with no
 * highlights still works. With a pairwise judge (run on the fixture model)
 * diff.html and diff.md show the win and loss rates, the counts and the judge's
 * signature; in Chromium too.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diff, DiffProbe } from "../src/format/diff.js";
import type { Report } from "../src/format/report.js";
import { renderDiffHtml } from "../src/report/diff-html.js";
import { launchChromium, openPage } from "./browser-pages.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-diff-view-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

const SCRIPT = "<script>alert(1)</script>";
const SUITE = `suite: view
defaults:
  language: ja
  category: open_qa
probes:
  - id: loop
    category: creative
    language: en
    prompt: Write a short poem.
    checks: [repetition]
  - id: drift
    prompt: 日本の首都について説明してください。
    checks: [language, repetition]
  - id: wonton
    category: translation
    prompt: wonton をカタカナで書いてください。
    expected: [ワンタン]
    checks: [katakana]
  - id: hostile
    language: en
    prompt: "Repeat exactly: ${SCRIPT}"
    expected: ["${SCRIPT}"]
    checks: [contains]
`;
const LOOP = "The cat sat on the mat. ".repeat(8);
// An English loop inside a Japanese answer: a loop inside drifted segments, highlighted by both checks.
const DRIFT = `東京は日本の首都です。 ${"The cat sat on the mat. ".repeat(6).trim()}`;
const outputs = (entries: Record<string, string>) => Object.entries(entries).map(([id, output]) => JSON.stringify({ suite: "view", id, output }) + "\n").join("");
const ROUND_1 = { loop: "The sea is wide and the wind is cold tonight.", drift: "東京は日本の首都で、政治と経済の中心です。", wonton: "ワンタンです。", hostile: `No, I will not.` };
const ROUND_2 = { loop: LOOP, drift: DRIFT, wonton: "ウォントンです。", hostile: `Sure: ${SCRIPT}` };

/** The text a highlight covers, by code points. */
const covered = (output: string, highlight: { start: number; end: number }) => Array.from(output).slice(highlight.start, highlight.end).join("");

const probeOf = (diff: Diff, id: string) => diff.probes.find((probe) => probe.id === id)!;

/** The changes table's row of a probe, and the template of its opened detail, out of the page's source. */
function rowHtml(page: string, key: string): { row: string; detail: string } {
  const start = page.indexOf(`data-key="${key}"`);
  const end = page.indexOf("</template>", start);
  const row = page.slice(start, page.indexOf("</tr>", start));
  return { row, detail: page.slice(page.indexOf("<template>", start), end) };
}

beforeAll(async () => {
  writeFileSync(at("view.yaml"), SUITE);
  writeFileSync(at("round1.jsonl"), outputs(ROUND_1));
  writeFileSync(at("round2.jsonl"), outputs(ROUND_2));
  const scored = await Promise.all(
    (["round1", "round2"] as const).map((name) => runCli(["score", "--outputs", at(`${name}.jsonl`), "--suite", at("view.yaml"), "--out", at(name), "--label", name])),
  );
  for (const result of scored) expect(result.code, result.stderr).toBe(0);
  const result = await runCli(["diff", at("round1"), at("round2"), "--out", at("diff")]);
  expect(result.code, result.stderr).toBe(0);
}, 300_000);

describe("diff.json: each side's check highlights", () => {
  it("carries every check's highlights on each side, in code points, naming the check, as report.json records them", () => {
    const diff = readJson<Diff>(at("diff", "diff.json"));
    const candidate = readJson<Report>(at("round2", "report.json"));
    for (const probe of candidate.probes) {
      const side = probeOf(diff, probe.id).candidate!;
      expect(side.highlights).toEqual(probe.checks.flatMap((check) => (check.details.highlights ?? []).map((h) => ({ check: check.type, start: h.start, end: h.end, label: h.label }))));
    }
    const loop = probeOf(diff, "loop").candidate!;
    const copies = loop.highlights.filter((h) => h.check === "repetition" && h.label.startsWith("loop copy "));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(covered(LOOP, copy)).toBe("The cat sat on the mat. ");
    expect(probeOf(diff, "loop").base!.highlights.filter((h) => h.label.startsWith("loop"))).toEqual([]);

    const drift = probeOf(diff, "drift").candidate!.highlights.filter((h) => h.check === "language");
    expect(drift.length).toBeGreaterThan(0);
    expect(drift.map((h) => covered(DRIFT, h))).toContain("The cat sat on the mat");

    // The wrong katakana on the candidate's side, the right one on the base's.
    const wonton = probeOf(diff, "wonton");
    expect(wonton.candidate!.highlights.map((h) => [h.check, covered(ROUND_2.wonton, h)])).toContainEqual(["katakana", "ウォントン"]);
    expect(wonton.base!.highlights.map((h) => [h.check, h.label, covered(ROUND_1.wonton, h)])).toContainEqual(["katakana", "expected", "ワンタン"]);
  });

  it("a diff of reports that recorded no highlights still works: each side's highlights are [], the page has no marks", async () => {
    for (const name of ["round1", "round2"]) {
      const report = readJson<Report>(at(name, "report.json"));
      for (const probe of report.probes) for (const check of probe.checks) delete check.details.highlights;
      writeFileSync(at(`${name}-plain.json`), JSON.stringify(report));
    }
    const result = await runCli(["diff", at("round1-plain.json"), at("round2-plain.json"), "--out", at("plain")]);
    expect(result.code, result.stderr).toBe(0);
    const diff = readJson<Diff>(at("plain", "diff.json"));
    expect(diff.probes.flatMap((probe: DiffProbe) => [probe.base!.highlights, probe.candidate!.highlights])).toEqual(Array(8).fill([]));
    const page = readFileSync(at("plain", "diff.html"), "utf8");
    expect(page).not.toContain("<mark");
    expect(rowHtml(page, "view/wonton").detail).toContain("<ins>");
  });
});

describe("diff.html: highlights in the output cells", () => {
  it("marks each side's highlights in the table's output cells, model text escaped", () => {
    const page = readFileSync(at("diff", "diff.html"), "utf8");
    const loop = rowHtml(page, "view/loop").row;
    expect(loop).toMatch(/<td class="output-start searchable side-fail" lang="en"><mark title="repetition: loop copy 1\/\d+" class="hl-repetition">The cat sat on the mat\. <\/mark>/);
    // Nested, as on the report page: each drifted sentence inside its loop copy.
    const nested = /<mark title="repetition: loop copy \d\/\d+" class="hl-repetition"><mark title="language: [^"]+" class="hl-language">The cat sat on the mat<\/mark><\/mark>/g;
    expect(rowHtml(page, "view/drift").row.match(nested)?.length).toBeGreaterThanOrEqual(4);
    expect(rowHtml(page, "view/wonton").row).toMatch(/class="hl-katakana">ウォントン<\/mark>/);
    expect(rowHtml(page, "view/wonton").row).toMatch(/class="hl-katakana">ワンタン<\/mark>/);
    // The found text is the model's: marked, and still text.
    const hostile = rowHtml(page, "view/hostile");
    expect(hostile.row).toContain(`<mark title="contains: expected" class="hl-contains">&lt;script&gt;alert(1)&lt;/script&gt;</mark>`);
    expect(page).not.toContain(SCRIPT);
  });

  it("layers the checks' highlights with the character diff in the opened probe: a change holds the marks it overlaps", () => {
    const page = readFileSync(at("diff", "diff.html"), "utf8");
    const { detail } = rowHtml(page, "view/loop");
    expect(detail).toMatch(/<pre class="candidate-output"><mark title="repetition: loop copy 1\/\d+" class="hl-repetition">The <\/mark><ins><mark title="repetition: loop copy 1\/\d+" class="hl-repetition">/);
    // The drifted loop was inserted: the <ins> holds both checks' marks, nested.
    expect(rowHtml(page, "view/drift").detail).toMatch(/<ins>(.(?!<\/ins>))*<mark title="repetition: loop copy 2\/\d+" class="hl-repetition"><mark title="language: [^"]+" class="hl-language">The cat sat on the mat<\/mark><\/mark>/);
    const wonton = rowHtml(page, "view/wonton").detail;
    expect(wonton).toMatch(/<del><mark title="katakana: expected" class="hl-katakana">ワンタ<\/mark><\/del>/);
    expect(wonton).toMatch(/<ins><mark title="katakana: [^"]+" class="hl-katakana">ウォント<\/mark><\/ins>/);
  });

  it("nests two partly overlapping highlights in every diff piece as in the whole text: the longer one outside", () => {
    const diff = readJson<Diff>(at("diff", "diff.json"));
    const probe = probeOf(diff, "loop");
    // The first diff piece is the unchanged "The " (code points 0-4): cut to it, `short` (0-10) is longer than `long` (2-40).
    probe.candidate!.highlights = [
      { check: "contains", label: "short", start: 0, end: 10 },
      { check: "language", label: "long", start: 2, end: 40 },
    ];
    probe.base!.highlights = [];
    const { detail } = rowHtml(renderDiffHtml({ ...diff, probes: [probe] }), "view/loop");
    const candidate = /<pre class="candidate-output">.*?<\/pre>/s.exec(detail)![0];
    expect(candidate).toContain(`<mark title="language: long" class="hl-language"><mark title="contains: short" class="hl-contains">e </mark></mark>`);
    expect(candidate).not.toContain(`class="hl-contains"><mark title="language: long"`);
  });

  it("has no pairwise section when no pairwise judge ran", () => {
    expect(readFileSync(at("diff", "diff.html"), "utf8")).not.toContain(`id="pairwise"`);
    expect(readFileSync(at("diff", "diff.md"), "utf8")).not.toContain("pairwise judge");
  });
});

describe("the pairwise judge's win rate in diff.html and diff.md", () => {
  const suite = at("pairs.yaml");
  writeFileSync(
    suite,
    `suite: pairs
defaults: {language: ja, category: brainstorming, max_tokens: 10}
probes:
${["春", "夏", "秋", "冬", "朝", "夜"].map((word, i) => `  - id: p${i}\n    prompt: ${word}の楽しみ方を三つ挙げてください。\n    checks: [{type: judge, mode: pairwise, rubric: "More useful, correct and natural Japanese wins."}]`).join("\n")}
`,
  );
  const base = at("pair-base");
  const candidate = at("pair-candidate");
  const out = at("pair-diff");

  beforeAll(async () => {
    writeFileSync(at("pair-base.jsonl"), ["春", "夏", "秋", "冬", "朝", "夜"].map((word, i) => JSON.stringify({ suite: "pairs", id: `p${i}`, output: `${word}は散歩と読書と料理です。` }) + "\n").join(""));
    const scored = await runCli(["score", "--outputs", at("pair-base.jsonl"), "--suite", suite, "--out", base, "--label", "round-7"]);
    expect(scored.code, scored.stderr).toBe(0);
    const run = await runCli(["run", "--suite", suite, "--out", candidate, "--judge-model", "self", "--baseline", base, "--label", "round-8", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const diff = await runCli(["diff", base, candidate, "--out", out]);
    expect(diff.code, diff.stderr).toBe(0);
  }, 300_000);

  it("shows the win and loss rates with their interval and confidence, the counts and the judge's signature", () => {
    const diff = readJson<Diff>(at("pair-diff", "diff.json"));
    const pairwise = diff.pairwise!;
    expect(pairwise.comparisons).toBe(6);
    const { win, tie, loss, inconsistent } = pairwise.counts;
    expect(win + tie + loss + inconsistent).toBe(6);
    const report = readJson<Report>(path.join(candidate, "report.json"));
    const signatures = [...new Set(report.probes.flatMap((probe) => probe.checks).map((check) => check.details.signature))];
    expect(pairwise.signatures).toEqual(signatures);

    const page = readFileSync(path.join(out, "diff.html"), "utf8");
    const section = page.slice(page.indexOf(`<section id="pairwise">`), page.indexOf("</section>", page.indexOf(`<section id="pairwise">`)));
    const percent = (rate: number | null) => `${((rate ?? NaN) * 100).toFixed(1)}%`;
    for (const [outcome, rate] of [["win", pairwise.win_rate], ["loss", pairwise.loss_rate]] as const) {
      expect(section).toContain(
        `<tr data-outcome="${outcome}"><td>${outcome} rate</td><td class="num">${percent(rate.estimate)}</td><td class="num">[${percent(rate.low)}, ${percent(rate.high)}]</td><td class="num">95%</td><td class="num">${pairwise.counts[outcome]} / 6</td></tr>`,
      );
    }
    for (const [outcome, count] of Object.entries(pairwise.counts)) expect(section).toMatch(new RegExp(`data-outcome="${outcome}"><b[^>]*>${count}</b>${outcome}</div>`));
    expect(section).toContain(`judge: <span class="sig" data-field="judge-signature">${signatures[0]}</span>`);
    // The round the candidate's run compared with, as its manifest records it.
    expect(pairwise.baseline).toBe(report.manifest.judge!.baseline);
    expect(pairwise.baseline).toContain("pair-base");
    expect(section).toContain(`baseline round: <span class="sig" data-field="judge-baseline">${pairwise.baseline}</span>`);
    // Near the corpus metrics, before the probes.
    expect(page.indexOf(`id="pairwise"`)).toBeLessThan(page.indexOf("<h2>Probes that changed</h2>"));

    const markdown = readFileSync(path.join(out, "diff.md"), "utf8");
    expect(markdown).toContain(`pairwise judge against the base round: win ${percent(pairwise.win_rate.estimate)} (${win}/6, 95% interval ${percent(pairwise.win_rate.low)}–${percent(pairwise.win_rate.high)})`);
    expect(markdown).toContain(`- judge \`${signatures[0]}\``);
    expect(markdown).toContain(`- baseline round \`${pairwise.baseline}\``);
  });

  it("is visible in Chromium with its numbers", async () => {
    const browser = await launchChromium();
    try {
      const diff = readJson<Diff>(path.join(out, "diff.json"));
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(pathToFileURL(path.join(out, "diff.html")).href);
      const section = page.locator("#pairwise");
      await expect(section.isVisible()).resolves.toBe(true);
      await expect(section.locator("h2").textContent()).resolves.toBe("Pairwise judge against the baseline round");
      const win = await section.locator(`tr[data-outcome="win"] td`).allTextContents();
      expect(win).toEqual(["win rate", `${(diff.pairwise!.win_rate.estimate * 100).toFixed(1)}%`, expect.stringMatching(/^\[\d+\.\d%, \d+\.\d%\]$/), "95%", `${diff.pairwise!.counts.win} / 6`]);
      await expect(section.locator(`.card[data-outcome="inconsistent"] b`).textContent()).resolves.toBe(String(diff.pairwise!.counts.inconsistent));
      await expect(section.locator(`[data-field="judge-signature"]`).textContent()).resolves.toBe(diff.pairwise!.signatures[0]);
      const box = await section.locator(`[data-field="judge-signature"]`).boundingBox();
      expect(box!.width).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe("diff.html of a long table: 200 rows written, the rest in the data block, all of them working in Chromium", () => {
  // 260 probes: every tenth still failing, every tenth from 5 regressed, the rest fixed (the candidate's answer found "yes" and says a hostile thing after it).
  const ROWS = 260;
  const kind = (i: number) => (i % 10 === 0 ? "still_failing" : i % 10 === 5 ? "regressed" : "fixed");
  const answers = (round: 1 | 2) =>
    Array.from({ length: ROWS }, (_, i) => {
      const passing = round === 1 ? kind(i) === "regressed" : kind(i) === "fixed";
      return JSON.stringify({ suite: "many", id: `p${i}`, output: passing ? `yes, answer ${i} ${SCRIPT}` : `no, answer ${i}` }) + "\n";
    }).join("");
  const out = at("many-diff");
  let browser: Browser;

  beforeAll(async () => {
    writeFileSync(
      at("many.yaml"),
      `suite: many\ndefaults: {language: en, category: open_qa, checks: [contains]}\nprobes:\n${Array.from({ length: ROWS }, (_, i) => `  - {id: p${i}, prompt: "Question ${i}", expected: ["yes"]}`).join("\n")}\n`,
    );
    writeFileSync(at("many-1.jsonl"), answers(1));
    writeFileSync(at("many-2.jsonl"), answers(2));
    const scored = await Promise.all([1, 2].map((round) => runCli(["score", "--outputs", at(`many-${round}.jsonl`), "--suite", at("many.yaml"), "--out", at(`many-${round}`)])));
    for (const result of scored) expect([0, 1], result.stderr).toContain(result.code);
    const result = await runCli(["diff", at("many-1"), at("many-2"), "--out", out]);
    expect([0, 1], result.stderr).toContain(result.code);
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the page (at a fragment), recording dialogs, requests and script errors. */
  const open = (fragment = "") => openPage(browser, path.join(out, "diff.html"), fragment);
  type Opened = Awaited<ReturnType<typeof open>>["page"];
  const row = (page: Opened, id: string) => page.locator(`tr.row[data-key="many/${id}"]`);
  const detailOf = (page: Opened, id: string) => row(page, id).locator("xpath=following-sibling::tr[1]");
  const count = (page: Opened) => page.locator("#f-count").textContent();
  const sideClasses = (page: Opened, id: string) =>
    row(page, id)
      .locator("td.output-start")
      .evaluateAll((cells) => cells.map((cell) => (cell.classList.contains("side-pass") ? "pass" : cell.classList.contains("side-fail") ? "fail" : "none")));

  it("writes the first 200 rows and a data block whose rows carry the same cells: side colours, the checks' highlights, model text escaped", () => {
    const page = readFileSync(path.join(out, "diff.html"), "utf8");
    expect(page.match(/<tr class="row"/g)).toHaveLength(200);
    expect(page).not.toContain(SCRIPT);
    const block = /<script type="application\/json" id="changes-data">([^<]*)<\/script>/.exec(page);
    const rows = (JSON.parse(block![1]!) as { rows: Array<{ key: string; markup?: string; filters: Record<string, string> }> }).rows;
    expect(rows).toHaveLength(ROWS);
    // Regressed first, then fixed, then still failing; the fixed p259 is the 234th row, not written as markup.
    const at259 = rows.findIndex((entry) => entry.key === "many/p259");
    expect(at259).toBe(233);
    expect(rows[at259]!.filters.change).toBe(" fixed output_changed ");
    const markup = rows[at259]!.markup!;
    expect(markup).toMatch(/<td class="output-start searchable side-fail" lang="en">no, answer 259<\/td><td class="output-start searchable side-pass" lang="en"><mark title="contains: expected" class="hl-contains">yes<\/mark>, answer 259 &lt;script&gt;/);
    expect(markup).toMatch(/<ins><mark title="contains: expected" class="hl-contains">[^<]*<\/mark><\/ins>/);
  });

  it("shows a window of 200 rows; filters, search marks, colours and highlights reach the rows not written", async () => {
    const { page, dialogs, requests, errors } = await open();
    await expect(count(page)).resolves.toBe(`${ROWS} / ${ROWS} shown`);
    await expect(page.locator("tr.row").count()).resolves.toBe(200);
    await expect(row(page, "p259").count()).resolves.toBe(0);
    await page.selectOption("#f-change", "fixed");
    await expect(count(page)).resolves.toBe("208 / 260 shown");
    await page.fill("#f-q", "answer 259");
    await expect.poll(() => count(page)).toBe("1 / 260 shown");
    await expect(sideClasses(page, "p259")).resolves.toEqual(["fail", "pass"]);
    const candidate = row(page, "p259").locator("td.output-start").nth(1);
    await expect(candidate.locator("mark.hl-contains").allTextContents()).resolves.toEqual(["yes"]);
    await expect(candidate.locator("mark.hit").allTextContents()).resolves.toEqual(["answer 259"]);
    await expect(candidate.textContent()).resolves.toBe(`yes, answer 259 ${SCRIPT}`);
    await row(page, "p259").locator("button.expand").click();
    const detail = detailOf(page, "p259");
    await expect(detail.locator(".side-label").allTextContents()).resolves.toEqual(["base · failed", "candidate · passed"]);
    await expect(detail.locator("pre.candidate-output").textContent()).resolves.toBe(`yes, answer 259 ${SCRIPT}`);
    await expect(detail.locator("pre.candidate-output ins > mark.hl-contains").count()).resolves.toBeGreaterThan(0);
    // The view is in the fragment: the link opens the same filtered, searched view with p259 opened.
    const hash = new URLSearchParams(new URL(page.url()).hash.slice(1));
    expect([...hash.entries()]).toEqual([["change", "fixed"], ["q", "answer 259"], ["open", "many/p259"]]);
    const again = await open(new URL(page.url()).hash);
    await expect.poll(() => detailOf(again.page, "p259").isVisible()).toBe(true);
    await expect(count(again.page)).resolves.toBe("1 / 260 shown");
    await again.page.close();
    await expect(page.locator("script").count()).resolves.toBe(2); // the page's script and its data block
    await expect(page.locator("img, [onload], [onerror]").count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("sorts every row, opens a probe far down the table from the fragment, and exports every shown row", async () => {
    const { page, errors } = await open("#open=many%2Fp250"); // still failing, the table's last row
    await expect.poll(() => detailOf(page, "p250").isVisible()).toBe(true);
    await expect(page.locator("tr.window.before").isVisible()).resolves.toBe(true);
    await page.click("th[data-sort=probe] button.sort");
    await page.click("th[data-sort=probe] button.sort");
    const keys = await page.locator("tr.row").evaluateAll((rows) => rows.map((tr) => tr.getAttribute("data-key")));
    expect(keys.slice(0, 3)).toEqual(["many/p99", "many/p98", "many/p97"]);
    expect(keys).toHaveLength(200);
    await page.selectOption("#f-change", "fixed");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-jsonl")]);
    const records = readFileSync(await download.path(), "utf8").trimEnd().split("\n").map((entry) => JSON.parse(entry) as Record<string, unknown>);
    expect(records).toHaveLength(208);
    expect(records[0]!.id).toBe("p99");
    expect(records.find((record) => record.id === "p259")).toEqual({
      suite: "many",
      id: "p259",
      change: "fixed",
      category: "open_qa",
      language: "en",
      base_status: "fail",
      candidate_status: "pass",
      prompt: "Question 259",
      expected: ["yes"],
      base_output: "no, answer 259",
      candidate_output: `yes, answer 259 ${SCRIPT}`,
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("exports an edited probe with the candidate's prompt and expected answers from a short page too (read from its elements, not the data block)", async () => {
    const suite = (prompt: string, expected: string[]) => `suite: edit\ndefaults: {language: en, category: open_qa, checks: [contains]}\nprobes:\n  - {id: e, prompt: "${prompt}", expected: ${JSON.stringify(expected)}}\n`;
    writeFileSync(at("edit-1.yaml"), suite("Old question", ["old"]));
    writeFileSync(at("edit-2.yaml"), suite("New question", ["new", "newer"]));
    writeFileSync(at("edit.jsonl"), JSON.stringify({ suite: "edit", id: "e", output: "a new answer" }) + "\n");
    for (const round of [1, 2]) {
      const scored = await runCli(["score", "--outputs", at("edit.jsonl"), "--suite", at(`edit-${round}.yaml`), "--out", at(`edit-${round}`)]);
      expect([0, 1], scored.stderr).toContain(scored.code);
    }
    const result = await runCli(["diff", at("edit-1"), at("edit-2"), "--out", at("edit-diff")]);
    expect([0, 1], result.stderr).toContain(result.code);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(at("edit-diff", "diff.html")).href);
    await expect(page.locator(`tr.row[data-key="edit/e"] td`).nth(1).textContent()).resolves.toBe("probe edited");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-jsonl")]);
    const records = readFileSync(await download.path(), "utf8").trimEnd().split("\n").map((entry) => JSON.parse(entry) as Record<string, unknown>);
    expect(records).toEqual([expect.objectContaining({ id: "e", change: "edited", prompt: "New question", expected: ["new", "newer"], candidate_output: "a new answer" })]);
    await page.close();
  }, 120_000);

  it("without JavaScript, shows the first 200 rows and says diff.json has the rest", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.join(out, "diff.html")).href);
    await expect(page.locator("tr.row").count()).resolves.toBe(200);
    await expect(page.locator("noscript p").textContent()).resolves.toContain("The first 200 of 260 rows are shown");
    await expect(page.locator("noscript p").textContent()).resolves.toContain("diff.json has every probe");
    await context.close();
  });
});
