/**
 * Data-backed suites: probes from JSONL, JSON, CSV/TSV and SQuAD v2 files,
 * mapped by field templates and built-in layouts, selected deterministically;
 * bad records are one line each naming the data file's line (or JSON path)
 * and the field, exit 2 before any model loads.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CheckRegistry } from "../src/checks/registry.js";
import { InputErrors } from "../src/errors.js";
import type { Suite } from "../src/format/suite.js";
import { loadSuite } from "../src/suite/load.js";
import { packagePath } from "../src/util/paths.js";
import { loadProblems, runCli, tempDir } from "./helpers.js";

const registry = new CheckRegistry();
const FIXTURES = packagePath("fixtures", "data-suites");
const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);
const load = (file: string): Suite => loadSuite(file, { registry });

let counter = 0;
/** A suite YAML and its data file in a fresh folder; returns the suite's path. */
function dataSuite(yaml: string, dataName: string, data: string | Buffer): string {
  const dir = path.join(tempDir(), `case-${++counter}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, dataName), data);
  const file = path.join(dir, "suite.yaml");
  writeFileSync(file, yaml);
  return file;
}

/** The lines the CLI's validate prints for a suite, with the folder shown as DIR. */
async function validateLines(file: string): Promise<{ code: number | null; lines: string[] }> {
  const result = await runCli(["validate", file]);
  const dir = path.dirname(file);
  const lines = result.stderr
    .split("\n")
    .filter(Boolean)
    .map((line) => line.replace(/^bonsai-eval: /, "").replaceAll(dir, "DIR"));
  return { code: result.code, lines };
}

const jsonl = (...records: object[]) => records.map((record) => JSON.stringify(record)).join("\n") + "\n";

const QA_SUITE = (file: string, extra = "") => `suite: qa
defaults: {language: ja, category: open_qa, checks: [contains]}
data:
  file: ${file}
  prompt: "{question}"
  expected: answer
${extra}`;

describe("data-backed suites: every format through validate", () => {
  it("validates the constructed suites in every format", async () => {
    const files = ["records-json.yaml", "records-object-json.yaml", "records-csv.yaml", "records-tsv.yaml", "jsquad.yaml", "jcommonsenseqa.yaml"].map((name) => fixture(name));
    const result = await runCli(["validate", ...files, fixture("v1", "sft-heldout.yaml")]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("ok: 7 suite file(s), 35 probe(s)");
    expect(result.code).toBe(0);
  });

  it("reads JSON, an object holding the array, CSV and TSV to the same probes, quoted fields included", () => {
    const suites = ["records-json.yaml", "records-object-json.yaml", "records-csv.yaml", "records-tsv.yaml"].map((name) => load(fixture(name)));
    const view = (suite: Suite) => suite.probes.map((probe) => ({ id: probe.id, prompt: probe.prompt, expected: probe.expected, language: probe.language, hash: probe.hash, checks: probe.checks }));
    for (const suite of suites.slice(1)) expect(view(suite)).toEqual(view(suites[0]!));
    const [japan, france, sentiment, quoted] = suites[2]!.probes;
    expect(japan).toMatchObject({ id: "capital-japan", prompt: "質問: 日本の首都はどこですか？\n答え:", expected: ["東京", "東京都"], language: "ja" });
    expect(france).toMatchObject({ expected: ["Paris"], language: "en" }); // a blank alias column is no alias; a blank lang is the default
    expect(sentiment!.checks.map((check) => check.type)).toEqual(["exact"]);
    expect(quoted!.prompt).toBe('質問: 次の言葉を、かぎかっこも含めてそのまま書いてください:\n"はい, そうです"\n答え:');
    expect(quoted!.expected).toEqual(['"はい, そうです"']);
    expect(quoted!.source).toEqual({ file: fixture("records.csv"), line: 5 });
    expect(suites[2]!.data).toMatchObject({ format: "csv", records: 4, selected: 4 });
  });

  it("alpaca: instruction, then input only when there is one; output expected; checks by category", () => {
    const suite = load(fixture("v1", "sft-heldout.yaml"));
    const byCategory = Object.fromEntries(suite.probes.map((probe) => [probe.category, probe.checks.map((check) => check.type)]));
    expect(byCategory).toEqual({
      open_qa: ["contains", "repetition", "language"],
      closed_qa: ["contains", "repetition", "language"],
      classification: ["exact"],
      brainstorming: ["repetition", "language"],
      creative: ["repetition", "language"],
      translation: ["chrf", "bleu", "language"],
      question_to_question: ["repetition", "language"],
      reasoning: ["contains", "repetition", "language"],
    });
    const [fuji, , reading] = suite.probes;
    expect(fuji!.prompt).toBe("日本で一番高い山はどこですか？");
    expect(reading!.prompt).toBe("次の文章を読んで質問に答えてください。\n\n文章: 太郎は毎朝六時に起きて公園を走る。\n質問: 太郎は何時に起きますか？");
    expect(suite.probes.find((probe) => probe.category === "translation")).toMatchObject({ language: "en", expected: ["It is nice weather today."] });
    expect(suite.probes).toHaveLength(11); // where: {split: heldout} leaves out the two train records
    expect(fuji!.id).toMatch(/^[0-9a-f]{12}$/);
  });

  it("a record's hash id survives a new dataset version; a rewritten reasoning is no edit, a new answer is", () => {
    const v1 = new Map(load(fixture("v1", "sft-heldout.yaml")).probes.map((probe) => [probe.prompt, probe]));
    const v2 = new Map(load(fixture("v2", "sft-heldout.yaml")).probes.map((probe) => [probe.prompt, probe]));
    const fuji = "日本で一番高い山はどこですか？"; // reasoning rewritten in v2
    expect(v2.get(fuji)!.id).toBe(v1.get(fuji)!.id);
    expect(v2.get(fuji)!.hash).toBe(v1.get(fuji)!.hash);
    const hobbies = "週末にできる趣味を三つ挙げてください。"; // answer edited in v2
    expect(v2.get(hobbies)!.id).toBe(v1.get(hobbies)!.id);
    expect(v2.get(hobbies)!.hash).not.toBe(v1.get(hobbies)!.hash);
    expect(v2.size - v1.size).toBe(3);
  });

  it("jsquad: context and question → answers, token_f1 and exact; an unanswerable question expects a refusal", () => {
    const suite = load(fixture("jsquad.yaml"));
    expect(suite.data).toMatchObject({ format: "squad", mapping: "jsquad", records: 5, selected: 5 });
    const height = suite.probes.find((probe) => probe.id === "fuji-height")!;
    expect(height).toMatchObject({ category: "closed_qa", language: "ja", expected: ["3776メートル"] });
    expect(height.prompt).toMatch(/^文脈: 富士山は静岡県と山梨県にまたがる活火山で.*\n質問: 富士山の標高は何メートルですか？\n答え:$/);
    expect(height.checks.map((check) => check.type)).toEqual(["token_f1", "exact"]);
    const impossible = suite.probes.find((probe) => probe.id === "fuji-first-climber")!;
    expect(impossible.expected).toEqual([]);
    expect(impossible.checks.map((check) => check.type)).toEqual(["refusal"]);
    expect(suite.probes.find((probe) => probe.id === "fuji-last-eruption")!.expected).toEqual(["1707年", "1707"]);
  });

  it("jcommonsenseqa: five choices and the label → a choice probe", () => {
    const [first, second] = load(fixture("jcommonsenseqa.yaml")).probes;
    expect(first).toMatchObject({ id: "0", type: "choice", choices: ["富士山", "北岳", "奥穂高岳", "槍ヶ岳", "立山"], answer: 0, language: "ja", category: "open_qa" });
    expect(first!.checks.map((check) => check.type)).toEqual(["choice"]);
    expect(second).toMatchObject({ prompt: "質問: 雨の日に差すものは？\n答え:", answer: 1 });
  });
});

describe("data-backed suites: bad records are one line each, exit 2", () => {
  it("JSONL: a line that is not JSON or not an object, by line", async () => {
    const file = dataSuite(QA_SUITE("qa.jsonl"), "qa.jsonl", `${JSON.stringify({ question: "a", answer: "b" })}\n\n{"question": "c",\n[1, 2]\n`);
    const { code, lines } = await validateLines(file);
    expect(code).toBe(2);
    expect(lines[0]).toMatch(/^DIR\/qa\.jsonl:3: not valid JSON: /);
    expect(lines[1]).toBe("DIR/qa.jsonl:4: a record must be a JSON object, not an array");
    expect(lines).toHaveLength(2);
  });

  it("JSONL: a missing field, a field of the wrong type, an empty answer and a bad id name the line and the field", async () => {
    const file = dataSuite(
      QA_SUITE("qa.jsonl", "  id: key\n"),
      "qa.jsonl",
      jsonl(
        { key: "ok-1", question: "日本の首都は？", answer: "東京" },
        { key: "no-question", answer: "x" },
        { key: "list-question", question: ["a"], answer: "x" },
        { key: "blank", question: "q", answer: "   " },
        { key: "has space", question: "q", answer: "a" },
      ),
    );
    const { code, lines } = await validateLines(file);
    expect(code).toBe(2);
    expect(lines).toEqual([
      'DIR/qa.jsonl:2: question: the record has no field "question" (the prompt template uses it)',
      "DIR/qa.jsonl:3: question: must be text, a number or a boolean to go into the prompt",
      "DIR/qa.jsonl:5: key: does not match ^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
      expect.stringMatching(/^DIR\/qa\.jsonl:4: answer: expected value .*empty/),
    ]);
  });

  it("JSON: a record that is not an object, and a field of the wrong type, by JSON path and line", async () => {
    const records = `[\n  {"question": "q1", "answer": "a1"},\n  "stray",\n  {"question": "q3",\n   "answer": 3}\n]\n`;
    const file = dataSuite(QA_SUITE("qa.json"), "qa.json", records);
    expect((await validateLines(file)).lines).toEqual(["DIR/qa.json:3:3: [1]: a record must be a JSON object, not a string"]);
    const typed = dataSuite(QA_SUITE("qa.json"), "qa.json", `[\n  {"question": "q1", "answer": "a1"},\n  {"question": "q2",\n   "answer": {"text": "a2"}}\n]\n`);
    expect((await validateLines(typed)).lines).toEqual(["DIR/qa.json:4:14: [1].answer: must be text, not an object"]);
    const broken = dataSuite(QA_SUITE("qa.json"), "qa.json", `[\n  {"question": "q1", "answer": "a1"}\n  {"question": "q2"}\n]\n`);
    expect((await validateLines(broken)).lines).toEqual(["DIR/qa.json:3:3: not valid JSON (CommaExpected)"]);
    const several = dataSuite(QA_SUITE("qa.json"), "qa.json", JSON.stringify({ train: [], test: [] }));
    expect((await validateLines(several)).lines).toEqual(["DIR/qa.json: the file is an object holding 2 arrays (train, test); set data.records to the key of the records"]);
  });

  it("CSV and TSV: a ragged row, an unclosed quote, a stray quote, a repeated header, by line", async () => {
    const ragged = dataSuite(QA_SUITE("qa.csv"), "qa.csv", 'question,answer\r\n"two\r\nlines",a\r\nq,a,extra\r\n');
    expect((await validateLines(ragged)).lines).toEqual(["DIR/qa.csv:4: the row has 3 field(s), the header 2"]);
    const unclosed = dataSuite(QA_SUITE("qa.csv"), "qa.csv", 'question,answer\nq,a\n"open,a\nq,a\n');
    expect((await validateLines(unclosed)).lines).toEqual(["DIR/qa.csv:3: a quoted field is not closed"]);
    const stray = dataSuite(QA_SUITE("qa.tsv"), "qa.tsv", 'question\tanswer\nsay "hi"\thi\n');
    expect((await validateLines(stray)).lines).toEqual(['DIR/qa.tsv:2: a quote inside an unquoted field; quote the field and double the quote ("")']);
    const header = dataSuite(QA_SUITE("qa.csv"), "qa.csv", "question,answer,answer\nq,a,b\n");
    expect((await validateLines(header)).lines).toEqual(['DIR/qa.csv:1: the header names "answer" twice']);
    const missing = dataSuite(QA_SUITE("qa.csv"), "qa.csv", "question,reply\nq,a\n");
    expect((await validateLines(missing)).lines).toEqual(['DIR/qa.csv:2: answer: the record has no field "answer"']);
  });

  it("SQuAD: a missing qas list and an answer without text, by JSON path and line", async () => {
    const squad = { data: [{ title: "t", paragraphs: [{ context: "c" }, { context: "c", qas: [{ id: "q", question: "?", answers: [{ answer_start: 0 }] }] }] }] };
    const file = dataSuite("suite: squad\ndata: {file: sq.json, mapping: jsquad}\n", "sq.json", JSON.stringify(squad, null, 1));
    const { code, lines } = await validateLines(file);
    expect(code).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(/^DIR\/sq\.json:\d+:\d+: data\[0\]\.paragraphs\[0\]\.qas: missing \(SQuAD layout/),
      expect.stringMatching(/^DIR\/sq\.json:\d+:\d+: data\[0\]\.paragraphs\[1\]\.qas\[0\]\.answers\[0\]\.text: missing$/),
    ]);
  });

  it("the suite's own mistakes are named in the YAML: no such file, no format, a misspelt where field, an empty selection, a bad template", async () => {
    const none = dataSuite(QA_SUITE("absent.jsonl"), "qa.jsonl", "");
    expect((await validateLines(none)).lines).toEqual(["DIR/absent.jsonl: cannot read data file: ENOENT"]);
    const unknown = dataSuite(QA_SUITE("qa.txt"), "qa.txt", "");
    expect((await validateLines(unknown)).lines).toEqual(["DIR/suite.yaml:4:9: data.file: cannot tell the format of qa.txt from its extension; set data.format (jsonl, json, csv, tsv, squad)"]);
    const records = jsonl({ question: "q", answer: "a", split: "train" });
    const misspelt = dataSuite(QA_SUITE("qa.jsonl", "  select: {where: {spilt: heldout}}\n"), "qa.jsonl", records);
    expect((await validateLines(misspelt)).lines).toEqual(['DIR/suite.yaml:7:20: data.select.where.spilt: no record of qa.jsonl has the field "spilt"']);
    const empty = dataSuite(QA_SUITE("qa.jsonl", "  select: {where: {split: heldout}}\n"), "qa.jsonl", records);
    expect((await validateLines(empty)).lines).toEqual(["DIR/suite.yaml:7:11: data.select: the selection is empty: no record of qa.jsonl matches data.select.where"]);
    const blank = dataSuite(QA_SUITE("qa.jsonl"), "qa.jsonl", "\n");
    expect((await validateLines(blank)).lines).toEqual(["DIR/suite.yaml:4:3: data: the selection is empty: qa.jsonl holds no records"]);
    const template = dataSuite(QA_SUITE("qa.jsonl").replace('"{question}"', '"{?question}Q: {question}"'), "qa.jsonl", records);
    expect((await validateLines(template)).lines).toEqual(["DIR/suite.yaml:5:11: data.prompt: {?question} is not closed with {/question}"]);
  });

  it("a repeated id names both records; the same question twice gets a hash id and -2; a bad choice record names its field", () => {
    const problems = (file: string) => loadProblems(file, load, "FILE").map((line) => line.replaceAll(path.dirname(file), "DIR"));
    const repeated = dataSuite(QA_SUITE("qa.jsonl", "  id: key\n"), "qa.jsonl", jsonl({ key: "a", question: "q1", answer: "x" }, { key: "b", question: "q2", answer: "y" }, { key: "a", question: "q3", answer: "z" }));
    expect(problems(repeated)).toEqual(['DIR/qa.jsonl:3: key: duplicate probe id "a" (first defined on line 1)']);
    const twice = dataSuite(QA_SUITE("qa.jsonl"), "qa.jsonl", jsonl({ question: "同じ質問", answer: "x" }, { question: "別の質問", answer: "y" }, { question: "同じ質問", answer: "z" }));
    const [first, , again] = load(twice).probes;
    expect(again!.id).toBe(`${first!.id}-2`);
    const choice = `suite: jc\ndata: {file: jc.jsonl, mapping: jcommonsenseqa}\n`;
    const records = jsonl(
      { q_id: 1, question: "q", choice0: "a", choice1: "b", choice2: "c", choice3: "d", choice4: "e", label: 5 },
      { q_id: 2, question: "q", choice0: "a", choice1: "b", choice2: "c", choice3: "d", choice4: "e", label: "first" },
      { q_id: 3, question: "q", choice0: "a", choice1: "b", choice2: "c", choice3: "d", label: 0 },
    );
    expect(problems(dataSuite(choice, "jc.jsonl", records))).toEqual([
      'DIR/jc.jsonl:2: label: must be the index (from 0) of the right choice, not "first"',
      'DIR/jc.jsonl:3: choice4: the record has no field "choice4"',
      "DIR/jc.jsonl:1: label: answer 5 is not an index of the 5 choices (they count from 0)",
    ]);
  });

  it("a suite with neither probes nor data says it lacks both, and nothing else", () => {
    const file = dataSuite("suite: nothing\n", "unused.jsonl", "");
    expect(loadProblems(file, load, "FILE")).toEqual(['FILE:1:1: missing required key "probes"', 'FILE:1:1: missing required key "data"']);
  });

  it("invalid UTF-8 in a data file names the line", async () => {
    const bytes = Buffer.concat([Buffer.from('{"question": "q", "answer": "a"}\n{"question": "'), Buffer.from([0xff]), Buffer.from('", "answer": "a"}\n')]);
    const file = dataSuite(QA_SUITE("qa.jsonl"), "qa.jsonl", bytes);
    expect((await validateLines(file)).lines).toEqual(["DIR/qa.jsonl:2:15: not valid UTF-8 (byte 0xff); save the file as UTF-8"]);
  });

  it("run refuses a bad data file with exit 2 before any model loads", async () => {
    const file = dataSuite(QA_SUITE("qa.jsonl"), "qa.jsonl", '{"question": 1\n');
    const out = path.join(tempDir(), "run");
    const result = await runCli(["run", "--suite", file, "--out", out, "--quiet"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("qa.jsonl:1: not valid JSON");
    expect(existsSync(path.join(out, "outputs.jsonl"))).toBe(false);
  });
});

describe("data-backed suites: selection", () => {
  const records = Array.from({ length: 40 }, (_, index) => ({
    key: `r${index}`,
    question: `質問${index}`,
    answer: `答え${index}`,
    category: index % 4 === 0 ? "translation" : "open_qa",
    split: index % 10 === 9 ? "train" : "heldout",
  }));
  const selected = (select: string) =>
    load(dataSuite(QA_SUITE("qa.jsonl", `  id: key\n  category: category\n  select: ${select}\n`), "qa.jsonl", jsonl(...records)));

  it("where keeps matching records; limit takes the first; the probes keep the file's order", () => {
    const suite = selected("{where: {split: heldout, category: [translation]}, limit: 5}");
    expect(suite.probes.map((probe) => probe.id)).toEqual(["r0", "r4", "r8", "r12", "r16"]);
    expect(suite.data).toMatchObject({ records: 40, selected: 5, selection: { where: { split: "heldout", category: ["translation"] }, limit: 5, sample: null } });
  });

  it("a seeded sample is deterministic, differs by seed, and keeps its records when others are added", () => {
    const ids = (suite: Suite) => suite.probes.map((probe) => probe.id);
    const first = selected("{sample: 10, seed: 3}");
    expect(ids(first)).toEqual(ids(selected("{sample: 10, seed: 3}")));
    expect(ids(first)).not.toEqual(ids(selected("{sample: 10, seed: 4}")));
    expect(first.data!.selection_sha256).toBe(selected("{sample: 10, seed: 3}").data!.selection_sha256);
    const indexes = ids(first).map((id) => Number(id.slice(1)));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    // A new version with 20 more records: every record of the new sample that was in the old file was in the old sample.
    const more = [...records, ...Array.from({ length: 20 }, (_, index) => ({ ...records[0]!, key: `new${index}`, question: `新しい質問${index}` }))];
    const grown = load(dataSuite(QA_SUITE("qa.jsonl", "  id: key\n  category: category\n  select: {sample: 10, seed: 3}\n"), "qa.jsonl", jsonl(...more)));
    for (const id of ids(grown).filter((id) => id.startsWith("r"))) expect(ids(first)).toContain(id);
  });

  it("a stratified sample takes each category in proportion", () => {
    const suite = selected("{sample: 8, stratified: true}");
    const counts = suite.probes.reduce<Record<string, number>>((tally, probe) => ({ ...tally, [probe.category]: (tally[probe.category] ?? 0) + 1 }), {});
    expect(counts).toEqual({ translation: 2, open_qa: 6 });
    expect(suite.data!.selection).toEqual({ where: null, sample: 8, seed: 0, stratified: true, limit: null });
  });

  it("an empty selection is an error, not a suite of nothing", () => {
    const file = dataSuite(QA_SUITE("qa.jsonl", "  select: {where: {split: dev}}\n"), "qa.jsonl", jsonl(...records));
    expect(() => load(file)).toThrow(InputErrors);
  });
});
