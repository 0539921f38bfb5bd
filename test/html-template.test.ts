/**
 * The `html` template every page is written with: what it escapes, what it
 * keeps as markup, what it refuses; and report.html and diff.html written by
 * the CLI from hostile model text, suite text and model metadata carry no
 * markup but their own.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildLlamaModel } from "../src/fixture/llama-model.js";
import { FIXTURE_MODEL_SPEC } from "../src/fixture/tiny-model.js";
import { DIFF_STYLE } from "../src/report/diff-html.js";
import { SCRIPT, STYLE } from "../src/report/page.js";
import { rowsTable } from "../src/report/rows-table.js";
import { attribute, html, joinHtml, jsonScript, SafeHtml, trustedHtml } from "../src/util/html.js";
import { runCli, tempDir } from "./helpers.js";

const HOSTILE = `"><script>alert('x')</script><img src=x onerror=alert(1)>&amp;`;
const HOSTILE_ESCAPED = "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;";

describe("the html template", () => {
  it("escapes a hostile string between tags and in double- and single-quoted attribute values", () => {
    expect(String(html`<td>${HOSTILE}</td>`)).toBe(`<td>${HOSTILE_ESCAPED}</td>`);
    expect(String(html`<td title="${HOSTILE}" class='${HOSTILE}'>x</td>`)).toBe(`<td title="${HOSTILE_ESCAPED}" class='${HOSTILE_ESCAPED}'>x</td>`);
    // A quote inside an attribute value's literal part does not end the value early.
    expect(String(html`<mark title="${"a"}: ${`"b"`}">c</mark>`)).toBe(`<mark title="a: &quot;b&quot;">c</mark>`);
  });

  it("keeps nested templates as markup and escapes each value once, however deep", () => {
    const cell = html`<b>${"a & b"}</b>`;
    const row = html`<tr><td>${cell}</td></tr>`;
    expect(String(html`<table>${row}</table>`)).toBe("<table><tr><td><b>a &amp; b</b></td></tr></table>");
    expect(html`${cell}`.toString()).toBe("<b>a &amp; b</b>");
  });

  it("joins lists of markup as they are, writes numbers, and nothing for null and undefined", () => {
    const items = ["<1>", "2"].map((value) => html`<li>${value}</li>`);
    expect(String(html`<ul>${items}</ul>`)).toBe("<ul><li>&lt;1&gt;</li><li>2</li></ul>");
    expect(String(html`<ul>${[items, [html`<li>3</li>`, "<4>"]]}</ul>`)).toBe("<ul><li>&lt;1&gt;</li><li>2</li><li>3</li>&lt;4&gt;</ul>");
    expect(String(html`<td class="num">${0}</td><td>${1.5}${null}${undefined}</td>`)).toBe(`<td class="num">0</td><td>1.5</td>`);
    expect(String(joinHtml(items, "\n"))).toBe("<li>&lt;1&gt;</li>\n<li>2</li>");
  });

  it("refuses text in a tag outside an attribute value, where escaping cannot make it harmless", () => {
    const attack = "onclick=alert(1)";
    expect(() => html`<td ${attack}>x</td>`).toThrow(/text interpolated into a tag outside an attribute value: "onclick=alert\(1\)"/);
    expect(() => html`<td class=${"x onmouseover=alert(1)"}>x</td>`).toThrow(TypeError);
    expect(() => html`<svg width=${120}>`).toThrow(TypeError);
    // A `<` that opens no tag is text, as the browser reads it.
    expect(String(html`<td>p < ${"<0.05"}</td>`)).toBe("<td>p < &lt;0.05</td>");
    // Attributes written with the template itself are markup, and nothing is nothing.
    expect(String(html`<tr class="row" ${html`data-key="${HOSTILE}"`}${""}${null}>`)).toBe(`<tr class="row" data-key="${HOSTILE_ESCAPED}">`);
  });

  it("refuses markup inside an attribute value, which a quote in it would close", () => {
    expect(() => html`<td title="${html`<b class="x">`}">x</td>`).toThrow(/markup interpolated into an attribute value/);
    expect(() => html`<td title='${[html`<b>`]}'>x</td>`).toThrow(TypeError);
  });

  it("takes a trusted constant as it is, and a plain string that looks like markup as text", () => {
    expect(String(html`<style>${trustedHtml("a > b { color: red }")}</style>`)).toBe("<style>a > b { color: red }</style>");
    expect(String(html`<div>${"<b>bold</b>"}</div>`)).toBe("<div>&lt;b&gt;bold&lt;/b&gt;</div>");
    // Markup turned into a string is text again: never trusted by accident.
    expect(String(html`<div>${String(html`<b>x</b>`)}</div>`)).toBe("<div>&lt;b&gt;x&lt;/b&gt;</div>");
  });

  it("writes a JSON data block no text can end or derail: every < as \\u003c, the value read back exactly", () => {
    const value = { markup: `${HOSTILE}</script><!--<script>`, also: ["</SCRIPT >", "\u2028\u2029", "\u0000", "\ud800", "&lt;"] };
    const block = String(jsonScript("rows-data", value));
    const [, inside] = /^<script type="application\/json" id="rows-data">([\s\S]*)<\/script>$/.exec(block)!;
    expect(inside).not.toContain("<");
    expect(JSON.parse(inside!)).toEqual(value);
    expect(String(jsonScript(HOSTILE, 1))).toBe(`<script type="application/json" id="${HOSTILE_ESCAPED}">1</script>`);
  });

  it("writes an attribute named at run time only under a plain name, its value escaped and never markup", () => {
    expect(String(html`<tr class="row"${attribute("data-status", HOSTILE)}>`)).toBe(`<tr class="row" data-status="${HOSTILE_ESCAPED}">`);
    for (const name of [`status" onclick="alert(1)`, "x onmouseover=alert(1)", "data-a>", "Data-A", "", "1a"]) expect(() => attribute(name, "v")).toThrow(/not an attribute name/);
    expect(() => attribute("id", html`<b>` as unknown as string)).toThrow(/markup interpolated into an attribute value/);
  });

  it("refuses a table row whose filter key would break its tag, and an anchor that is markup", () => {
    const row = { key: "s/p", filters: { status: ["pass"] }, cells: [html`<td>x</td>`], detail: html`<p>x</p>`, fields: {} };
    const table = { id: "t", columns: [{ key: "c", label: "c" }], fields: [], exportName: "t", allRowsIn: "report.json" };
    expect(String(rowsTable({ ...table, rows: [{ ...row, anchor: `probe-"><script>` }] }))).toContain(`<tr class="row" id="probe-&quot;&gt;&lt;script&gt;" data-status="pass" data-key="s/p">`);
    expect(() => rowsTable({ ...table, rows: [{ ...row, filters: { [`x" onclick="alert(1)`]: ["pass"] } }] })).toThrow(/not an attribute name/);
    expect(() => rowsTable({ ...table, rows: [{ ...row, anchor: html`<b>` as unknown as string }] })).toThrow(/markup interpolated into an attribute value/);
  });

  it("takes an object that only claims to be markup as text", () => {
    const forged = Object.assign(Object.create(SafeHtml.prototype) as object, { toString: () => "<script>" }) as SafeHtml;
    expect(String(html`<div>${forged}</div>`)).toBe("<div>&lt;script&gt;</div>");
  });
});

/** HTML's five escapes, written out here so the pages are not checked against their own escaping. */
const entities = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

/** Tags, attributes and scripts of a page outside its own inline style and script. */
function markupOf(page: string): { scripts: string[]; styles: string[]; tags: string[]; attributes: Array<[name: string, value: string]> } {
  const scripts = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((match) => match[1]!);
  const styles = [...page.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((match) => match[1]!);
  const rest = page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "").replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, "");
  const tags: string[] = [];
  const attributes: Array<[string, string]> = [];
  for (const [, name, inside] of rest.matchAll(/<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    tags.push(name!.toLowerCase());
    for (const [, attribute, value] of inside!.matchAll(/\s([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) attributes.push([attribute!.toLowerCase(), (value ?? "").replace(/^["']|["']$/g, "")]);
  }
  return { scripts, styles, tags, attributes };
}

/** `style`: the page's own style (diff.html adds its rules to the shared one). */
function expectOnlyOwnMarkup(page: string, style = STYLE): void {
  const { scripts, styles, tags, attributes } = markupOf(page);
  expect(scripts).toEqual([SCRIPT]);
  expect(styles).toEqual([style]);
  expect(attributes.filter(([name]) => name.startsWith("on"))).toEqual([]);
  // The pages link only within themselves.
  expect(attributes.filter(([name, value]) => (name === "href" || name === "src" || name === "action") && !value.startsWith("#"))).toEqual([]);
  for (const tag of ["img", "iframe", "textarea", "object", "embed", "base", "link", "form", "frame", "math", "video", "audio", "foreignobject"]) expect(tags).not.toContain(tag);
}

describe("pages written from hostile text", () => {
  const dir = tempDir("bonsai-html-template-");
  const at = (...parts: string[]) => path.join(dir, ...parts);
  const ATTACKS = [
    "<script>alert(1)</script>",
    `"><img src=x onerror=alert(2)>`,
    "' onmouseover='alert(3)' x='",
    "</textarea></pre><svg onload=alert(4)>",
    `<a href="javascript:alert(5)">x</a><iframe srcdoc="<script>alert(6)</script>"></iframe>`,
    "<style>body{display:none}</style><base href=//evil.example/>",
  ];
  const attack = ATTACKS.join(" ");
  const yamlText = (text: string) => JSON.stringify(text);
  const suite = (outputsSuite: string) => `suite: ${outputsSuite}
defaults: {language: ja, category: open_qa}
probes:
  - id: highlight
    prompt: ${yamlText(`日本で一番高い山は？ ${attack}`)}
    system: ${yamlText(attack)}
    tags: [${yamlText(ATTACKS[1]!)}]
    expected: [${yamlText(ATTACKS[0]!)}, 富士山]
    checks: [contains, language, repetition]
  - id: katakana
    prompt: ${yamlText(`wonton をカタカナで ${ATTACKS[2]}`)}
    expected: [ワンタン]
    checks: [katakana]
  - id: reference
    category: translation
    prompt: ${yamlText(`Translate ${ATTACKS[3]}`)}
    expected: [${yamlText(ATTACKS[4]!)}]
    checks: [bleu, chrf]
`;
  const outputs = (round: number) =>
    [
      { id: "highlight", output: round === 1 ? `${ATTACKS[0]} 富士山 ${"English words drifting away. ".repeat(3)}${`${ATTACKS[1]} again `.repeat(8)}` : `富士山です。${attack}` },
      { id: "katakana", output: `ウォントン${ATTACKS[round]}` },
      { id: "reference", output: round === 1 ? ATTACKS[4]! : `${ATTACKS[4]} ${ATTACKS[5]}` },
      { id: `unknown-${round}`, output: ATTACKS[0]! },
    ]
      .map((line) => JSON.stringify({ suite: "hostile", ...line, stop_reason: "max_tokens", output_tokens: 9 }))
      .join("\n") + "\n";
  const POLICY = `name: ${yamlText(attack)}
rules:
  - min_pass_rate: 0.9
  - max_regressions: 0
`;

  /** Run folders are named by whoever runs the tool, and their paths are shown in attribute values. */
  const round = (n: number) => at(n === 2 ? `round-2 "><img src=x onerror=alert(8)>` : `round-${n}`);

  beforeAll(async () => {
    writeFileSync(at("hostile.yaml"), suite("hostile"));
    writeFileSync(at("policy.yaml"), POLICY);
    for (const n of [1, 2, 3]) {
      writeFileSync(at(`outputs-${n}.jsonl`), outputs(n));
      const result = await runCli(["score", "--outputs", at(`outputs-${n}.jsonl`), "--suite", at("hostile.yaml"), "--out", round(n)]);
      expect(result.code, result.stderr).toBe(0);
    }
  });

  it("report.html shows outputs, prompts, expected answers, tags and reasons as text, and a hostile policy name too", async () => {
    const gate = await runCli(["gate", round(3), "--policy", at("policy.yaml"), "--baseline", round(2), "--out", at("gated")]);
    expect(gate.code, gate.stderr).toBe(1);
    for (const report of [path.join(round(1), "report.html"), path.join(round(2), "report.html"), at("gated", "report.html")]) {
      const page = readFileSync(report, "utf8");
      expectOnlyOwnMarkup(page);
      expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page).toContain("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    }
    const gated = readFileSync(at("gated", "report.html"), "utf8");
    expect(gated).toContain(`data-verdict="fail"`);
    expect(gated).toContain(`policy “${entities(attack)}”`);
    expect(gated).toContain(`baseline ${at('round-2 &quot;&gt;&lt;img src=x onerror=alert(8)&gt;')}`);
  });

  it("diff.html marks character differences inside hostile outputs as text, and names hostile paths in attribute values", async () => {
    const result = await runCli(["diff", round(1), round(2), round(3), "--out", at("diff")]);
    expect(result.code, result.stderr).toBe(0);
    const page = readFileSync(at("diff", "diff.html"), "utf8");
    expectOnlyOwnMarkup(page, STYLE + DIFF_STYLE);
    expect(page).toMatch(/<(ins|del)>[^<]*&lt;/);
    // The trend table's column heads carry each report's path as a title.
    expect(page).toMatch(/<th class="num" title="[^"<>]*round-2 &quot;&gt;&lt;img src=x onerror=alert\(8\)&gt;[^"<>]*">/);
  });

  it("a model whose name and metadata are markup is named as text in the report", async () => {
    const model = at("hostile-name.gguf");
    writeFileSync(model, buildLlamaModel({ ...FIXTURE_MODEL_SPEC, name: attack }));
    writeFileSync(at("tiny.yaml"), `suite: tiny\ndefaults: {language: en, category: open_qa, max_tokens: 4}\nprobes:\n  - {id: one, prompt: ${yamlText(attack)}, expected: [word], checks: [contains]}\n`);
    const result = await runCli(["run", "--model", model, "--suite", at("tiny.yaml"), "--out", at("named"), "--no-cache", "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    const page = readFileSync(at("named", "report.html"), "utf8");
    expectOnlyOwnMarkup(page);
    // The page is titled by the run's label (the model file name by default, never GGUF general.name: issue 13);
    // the hostile general.name is still shown, as text, among the model's facts.
    expect(page).toContain("<title>bonsai-eval — hostile-name.gguf");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt; &#39; onmouseover=&#39;alert(3)&#39;");
  });
});
