/**
 * A user check from a module (`--checks`) has the powers of a built-in: its
 * direction, its aggregate and its view reach the report, report.html, the
 * diff and the gate, with no edit outside the module. Through the real CLI.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import type { Diff } from "../src/format/diff.js";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import { createAjv } from "../src/util/ajv.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-user-check-");
const at = (...parts: string[]) => path.join(dir, ...parts);

/** Hedging words in an answer: a fault, so lower is better; its aggregate is hedges per answer by language. */
const MODULE = `export default {
  type: "hedges",
  summary: "counts hedging words (maybe, perhaps…) in the output",
  better: "lower",
  unit: "hedges",
  note: "hedging words in the output",
  paramsSchema: {
    type: "object",
    properties: { words: { type: "array", items: { type: "string" }, default: ["maybe", "perhaps"] }, max_hedges: { type: "integer", default: 1 } },
    additionalProperties: false,
  },
  signature: (params) => "hedges|words:" + params.words.join(",") + "|max:" + params.max_hedges,
  run({ params, output }) {
    const found = output.toLowerCase().split(/[^a-z]+/).filter((word) => params.words.includes(word));
    const pass = found.length <= params.max_hedges;
    return { score: found.length, pass, details: { reason: found.length + " hedging word(s)", found, max_hedges: params.max_hedges } };
  },
  aggregate: {
    name: "hedges_per_answer",
    group: ({ result, language }) => language + "|" + result.details.signature,
    combine(items) {
      const total = items.reduce((sum, { result }) => sum + result.score, 0);
      return { score: total / items.length, signature: "hedges_per_answer|" + items[0].result.details.signature, language: items[0].language, values: { total } };
    },
  },
  view: (details) => [
    { kind: "compare", expected: { label: "allowed", text: "at most " + details.max_hedges }, found: { label: "hedges found", text: details.found.join(" ") || "none", tone: details.found.length > details.max_hedges ? "bad" : "good" } },
    { kind: "facts", rows: [["hedging words", String(details.found.length)]] },
  ],
};
`;

const IDS = ["a", "b", "c", "d", "e", "f"];
writeFileSync(at("hedges.mjs"), MODULE);
writeFileSync(
  at("talk.yaml"),
  `suite: talk\ndefaults: {language: en, category: open_qa, checks: [hedges]}\nprobes:\n${IDS.map((id) => `  - {id: ${id}, prompt: "Answer plainly."}`).join("\n")}\n`,
);

function outputs(name: string, hedges: (index: number) => number): string {
  const file = at(`${name}.jsonl`);
  writeFileSync(
    file,
    IDS.map((id, i) => JSON.stringify({ suite: "talk", id, output: `The answer is ${id}. ${"Maybe so, perhaps. ".repeat(hedges(i))}`.trim() })).join("\n") + "\n",
  );
  return file;
}

async function score(name: string, hedges: (index: number) => number): Promise<Report> {
  const out = at(name);
  const result = await runCli(["score", "--outputs", outputs(name, hedges), "--suite", at("talk.yaml"), "--checks", at("hedges.mjs"), "--out", out]);
  expect([0, 1], result.stderr).toContain(result.code);
  return JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
}

describe("a user check with a direction, an aggregate and a view", () => {
  // Each round's answers: the base hedges 2–3 times per answer (4–6 words), the candidate less, the worse round more.
  const rounds = Promise.all([score("base", (i) => 2 + (i % 2)), score("better", () => 0), score("worse", (i) => 4 + (i % 2))]);

  it("the report records its facts and its aggregate, and its params get the schema's defaults", async () => {
    const [base] = await rounds;
    expect(createAjv().validate(REPORT_SCHEMA, base)).toBe(true);
    expect(base.summary.by_check.hedges!.facts).toEqual({ better: "lower", unit: "hedges", note: "hedging words in the output", aggregate: "hedges_per_answer" });
    const check = base.probes[0]!.checks[0]!;
    expect(check).toMatchObject({ type: "hedges", score: 4, pass: false, details: { signature: "hedges|words:maybe,perhaps|max:1", max_hedges: 1 } });
    expect(base.summary.aggregates).toEqual([
      { check: "hedges", aggregate: "hedges_per_answer", suite: "talk", language: "en", score: 5, results: 6, signature: "hedges_per_answer|hedges|words:maybe,perhaps|max:1", values: { total: 30 } },
      { check: "hedges", aggregate: "hedges_per_answer", suite: null, language: "en", score: 5, results: 6, signature: "hedges_per_answer|hedges|words:maybe,perhaps|max:1", values: { total: 30 } },
    ]);
  });

  it("report.html shows its view and its note with the direction", async () => {
    await rounds;
    const html = readFileSync(at("base", "report.html"), "utf8");
    const check = html.slice(html.indexOf(`<div class="check" data-check="hedges">`));
    expect(check).toMatch(/<div class="side"><div><div class="muted">allowed<\/div><div class="big">at most 1<\/div><\/div><div><div class="muted">hedges found<\/div><div class="big bad">maybe perhaps maybe perhaps<\/div>/);
    expect(check).toContain("<dt>hedging words</dt><dd>4</dd>");
    expect(html).toContain("hedging words in the output, lower is better");
    expect(html).toContain(`<td>talk</td><td>hedges</td><td>hedges_per_answer</td><td>en</td><td class="num">5</td><td class="num">6</td>`);
  });

  it("diff calls fewer hedges an improvement and more a regression, with no module loaded", async () => {
    await rounds;
    const diff = async (base: string, candidate: string): Promise<Diff> => {
      const out = at(`diff-${base}-${candidate}`);
      const result = await runCli(["diff", at(base), at(candidate), "--out", out]);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(readFileSync(path.join(out, "diff.json"), "utf8")) as Diff;
    };
    const improved = (await diff("base", "better")).scores.overall.hedges!;
    expect(improved).toMatchObject({ better: "lower", base_mean: 5, candidate_mean: 0, delta: -5, verdict: "improved" });
    const regressed = (await diff("base", "worse")).scores.overall.hedges!;
    expect(regressed).toMatchObject({ better: "lower", base_mean: 5, candidate_mean: 9, delta: 4, verdict: "regressed" });
  });

  it("the gate reads the direction from the report: a rise in hedges is a significant regression", async () => {
    await rounds;
    writeFileSync(at("policy.yaml"), "rules:\n  - no_significant_regression: true\n    metric: mean_score\n    check: hedges\n");
    const gate = (candidate: string) => runCli(["gate", at(candidate), "--policy", at("policy.yaml"), "--baseline", at("base"), "--out", at(`gate-${candidate}`)]);
    const [worse, better] = await Promise.all([gate("worse"), gate("better")]);
    expect(worse.code, worse.stderr).toBe(1);
    const rule = (JSON.parse(readFileSync(at("gate-worse", "report.json"), "utf8")) as Report).gate!.rules[0]!;
    expect(rule).toMatchObject({ status: "fail", comparison: "CI low <=" });
    expect(rule.message).toContain("lower is better");
    expect(better.code, better.stderr).toBe(0);
  });
});

describe("registry validation of a user check's declared facts", () => {
  const bad = (name: string, fields: string) => {
    const file = at(`${name}.mjs`);
    writeFileSync(file, `export default [{ type: "fine", run: () => ({ score: 1, pass: true, details: { reason: "ok" } }) }, { type: "${name}", ${fields} run: () => ({ score: 1, pass: true, details: { reason: "ok" } }) }];\n`);
    return file;
  };

  it.each([
    ["bad_better", `better: "down",`, `default[1].better: better must be "higher", "lower" or null, got "down" (a string)`],
    ["bad_note", `note: 3,`, `default[1].note: note must be a string, got 3 (a number)`],
    ["bad_view", `view: "table",`, `default[1].view: view must be a function, got "table" (a string)`],
    ["bad_aggregate", `aggregate: { name: "total", group: () => "all" },`, `default[1].aggregate.combine: combine must be a function, got undefined`],
  ])("%s: one line naming the module and the field, exit 2", async (name, fields, message) => {
    const module = bad(name, fields);
    const result = await runCli(["validate", at("talk.yaml"), "--checks", module]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([`bonsai-eval: ${module}: ${message}`]);
  });

  it("an aggregate that returns no number is an input error naming it, not a broken report", async () => {
    const module = at("bad-combine.mjs");
    writeFileSync(
      module,
      MODULE.replace("return { score: total / items.length,", 'return { score: "many",'),
    );
    const out = at("bad-combine");
    const result = await runCli(["score", "--outputs", at("base.jsonl"), "--suite", at("talk.yaml"), "--checks", module, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([`bonsai-eval: ${module}: default.aggregate.combine: combine returned score "many" (a string); a finite number or null`]);
  });
});
