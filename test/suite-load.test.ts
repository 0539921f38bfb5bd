import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Report } from "../src/format/report.js";
import { CheckRegistry } from "../src/checks/registry.js";
import { expandSuitePaths, loadSuite, loadSuites } from "../src/suite/load.js";
import { createAjv } from "../src/util/ajv.js";
import { closestName, editDistance } from "../src/util/did-you-mean.js";
import { packagePath } from "../src/util/paths.js";
import { fileWriter, loadProblems, runCli, tempDir } from "./helpers.js";

const registry = new CheckRegistry();
const dir = tempDir();
const suiteFile = fileWriter("suite");

/** The one-line messages a suite produces, as the CLI prints them. */
const problems = (text: string): string[] => loadProblems(suiteFile(text), (file) => loadSuite(file, { registry }), "FILE");

describe("suite loading", () => {
  it("loads the bundled suites", () => {
    const suites = loadSuites([packagePath("suites")], { registry });
    expect(suites.length).toBeGreaterThanOrEqual(4);
    const fuji = suites.flatMap((suite) => suite.probes).find((probe) => probe.id === "highest-mountain");
    expect(fuji?.expected).toContain("富士山");
    expect(fuji?.language).toBe("ja");
  });

  it("applies suite defaults and lets probes override them", () => {
    const file = suiteFile(`
suite: defaults-demo
defaults:
  language: ja
  category: open_qa
  max_tokens: 32
  system: あなたは役に立つアシスタントです。
  checks: [contains]
  tags: [knowledge]
probes:
  - id: a
    prompt: 日本の首都は？
    expected: 東京
  - id: b
    prompt: Capital of France?
    language: en
    max_tokens: 8
    expected: [Paris]
    checks: [{type: not_contains, values: [London]}]
    tags: [europe]
`);
    const [a, b] = loadSuite(file, { registry }).probes;
    expect(a).toMatchObject({ suite: "defaults-demo", language: "ja", category: "open_qa", expected: ["東京"], tags: ["knowledge"] });
    expect(a!.generation).toEqual({ max_tokens: 32, template: "auto", stop: [], system: "あなたは役に立つアシスタントです。", temperature: 0, seed: null, samples: 1 });
    expect(a!.checks).toEqual([{ type: "contains" }]);
    expect(b!.language).toBe("en");
    expect(b!.generation.max_tokens).toBe(8);
    expect(b!.checks).toEqual([{ type: "contains" }, { type: "not_contains", values: ["London"] }]);
    expect(b!.tags).toEqual(["knowledge", "europe"]);
    expect(a!.source.line).toBe(11);
  });

  it("hashes what defines a probe, not how the file is formatted", () => {
    const base = `probes:\n  - id: a\n    prompt: 富士山は？\n    language: ja\n    category: open_qa\n    expected: [富士山]\n    checks: [contains]\n`;
    const hash = (text: string) => loadSuite(suiteFile(text), { registry }).probes[0]!.hash;
    expect(hash(`# a comment\n${base}`)).toBe(hash(base));
    expect(hash(base.replace("富士山は？", "富士山は何？"))).not.toBe(hash(base));
    expect(hash(base.replace("[contains]", "[exact]"))).not.toBe(hash(base));
    expect(hash(base + "    max_tokens: 9\n")).not.toBe(hash(base));
  });

  it("names the line, column and key of a YAML syntax error", () => {
    expect(problems(`probes:\n  - id: a\n    prompt: [unclosed\n`)).toEqual([expect.stringMatching(/^FILE:\d+:\d+: YAML syntax error: /)]);
  });

  it("rejects duplicate keys as YAML errors", () => {
    expect(problems(`probes:\n  - id: a\n    id: b\n    prompt: x\n`)[0]).toMatch(/^FILE:3:5: YAML syntax error: Map keys must be unique/);
  });

  it("names unknown keys and wrong types with their position", () => {
    expect(
      problems(`defaults:\n  language: ja\n  category: open_qa\nprobes:\n  - id: a\n    prompt: x\n    colour: red\n    max_tokens: ten\n`),
    ).toEqual(['FILE:7:5: probes[0].colour: unknown key "colour"', "FILE:8:17: probes[0].max_tokens: must be integer"]);
    expect(problems(`probes: []\nextra: 1\n`)).toContain('FILE:2:1: extra: unknown key "extra"');
  });

  it("names a missing required key", () => {
    expect(problems(`probes:\n  - id: a\n`)).toEqual(['FILE:2:5: probes[0]: missing required key "prompt"']);
  });

  it("reports duplicate probe ids at the second one, pointing back to the first", () => {
    const text = `defaults: {language: ja, category: open_qa, checks: [regex: {}]}\nprobes:\n  - id: a\n    prompt: x\n  - id: a\n    prompt: y\n`;
    expect(problems(text.replace("checks: [regex: {}]", "checks: [{type: regex, pattern: x}]"))).toEqual([
      'FILE:5:9: probes[1].id: duplicate probe id "a" (first defined on line 3)',
    ]);
  });

  it("reports unknown check types and bad check parameters", () => {
    const found = problems(`defaults: {language: ja, category: open_qa}
probes:
  - id: a
    prompt: x
    expected: [y]
    checks:
      - katakanaa
      - {type: contains, expectd: y}
      - {type: regex, pattern: "(["}
      - {type: regex}
`);
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^FILE:7:9: probes\[0\]\.checks\[0\]: unknown check type "katakanaa"; known: .*contains/);
    expect(found[1]).toBe('FILE:8:26: probes[0].checks[1].expectd: contains: unknown parameter "expectd"; did you mean "expected"?');
    expect(found[2]).toMatch(/^FILE:9:9: probes\[0\]\.checks\[2\]: regex: invalid regular expression/);
    expect(found[3]).toBe('FILE:10:9: probes[0].checks[3]: regex: missing required key "pattern"');
  });

  it("requires expected values for checks that compare against them", () => {
    expect(problems(`probes:\n  - id: a\n    prompt: x\n    language: ja\n    category: open_qa\n    checks: [contains]\n`)).toEqual([
      "FILE:6:14: probes[0].checks[0]: contains needs expected values: set `expected` on the probe or on the check",
    ]);
    expect(problems(`probes:\n  - id: a\n    prompt: x\n    language: ja\n    category: open_qa\n    checks: [{type: contains, expected: y}]\n`)).toEqual([]);
  });

  it("reports a defaults check that does not fit a probe at that probe, once per problem", () => {
    const found = problems(`defaults: {language: ja, category: open_qa, checks: [contains, {type: regex, pattern: "(["}]}
probes:
  - {id: a, prompt: x, expected: y}
  - {id: b, prompt: x}
`);
    expect(found).toEqual([
      "FILE:1:64: defaults.checks[1]: regex: invalid regular expression: Invalid regular expression: /([/u: Unterminated character class (for probes a, b)",
      "FILE:4:5: probes[1]: contains needs expected values: set `expected` on the probe or on the check (check from defaults.checks[0])",
    ]);
  });

  it("checks choice, perplexity and sampled probes", () => {
    expect(
      problems(`defaults: {language: ja, category: open_qa}
probes:
  - {id: a, type: choice, prompt: q, choices: [x, y], answer: 2}
  - {id: b, type: perplexity}
  - {id: c, prompt: q, choices: [x, y], checks: [{type: regex, pattern: x}]}
  - {id: d, prompt: q, samples: 3, checks: [{type: regex, pattern: x}]}
  - {id: e, type: perplexity, text: t, prompt: q}
`),
    ).toEqual([
      // One pass: the probes the schema passed are checked too.
      "FILE:3:63: probes[0].answer: answer 2 is not an index of the 2 choices (they count from 0)",
      'FILE:4:5: probes[1]: missing required key "text"',
      "FILE:5:24: probes[2].choices: choices belongs to choice or perplexity probes; set `type`",
      "FILE:6:33: probes[3].samples: samples > 1 needs temperature > 0 (greedy decoding gives the same output every time)",
      "FILE:7:5: probes[4]: must NOT be valid",
    ]);
    expect(
      problems(`defaults: {language: ja, category: open_qa}
probes:
  - {id: a, type: choice, prompt: q, choices: [x, y], answer: 2}
  - {id: c, prompt: q, choices: [x, y], checks: [{type: regex, pattern: x}]}
  - {id: d, prompt: q, samples: 3, checks: [{type: regex, pattern: x}]}
`),
    ).toEqual([
      "FILE:3:63: probes[0].answer: answer 2 is not an index of the 2 choices (they count from 0)",
      "FILE:4:24: probes[1].choices: choices belongs to choice or perplexity probes; set `type`",
      "FILE:5:33: probes[2].samples: samples > 1 needs temperature > 0 (greedy decoding gives the same output every time)",
    ]);
    const file = suiteFile(`defaults: {language: ja, category: open_qa, checks: [contains]}
probes:
  - {id: a, type: choice, prompt: q, choices: [x, y], answer: 1}
  - {id: b, type: perplexity, text: 富士山は高い。}
`);
    const [choice, perplexity] = loadSuite(file, { registry }).probes;
    // Likelihood probes get their own check, not the defaults (which judge generated text).
    expect(choice!.checks).toEqual([{ type: "choice" }]);
    expect(perplexity!.checks).toEqual([{ type: "perplexity" }]);
    expect(perplexity!.prompt).toBe("");
  });

  it("knows the dataset's categories and accepts declared extra ones", () => {
    expect(problems(`probes:\n  - {id: a, prompt: x, language: ja, category: trivia, expected: y, checks: [contains]}\n`)[0]).toMatch(
      /^FILE:2:48: probes\[0\]\.category: unknown category "trivia"; declare it under `categories`/,
    );
    expect(problems(`categories: [trivia]\nprobes:\n  - {id: a, prompt: x, language: ja, category: trivia, expected: y, checks: [contains]}\n`)).toEqual([]);
  });

  it("requires a language and category on every probe, and at least one check", () => {
    expect(problems(`probes:\n  - id: a\n    prompt: x\n`)).toEqual([
      "FILE:2:5: probes[0]: missing category (set it on the probe or in defaults)",
      "FILE:2:5: probes[0]: missing language (set it on the probe or in defaults)",
      "FILE:2:5: probes[0]: probe has no checks and would pass without looking at the output; add `checks` (or `defaults.checks`, `defaults.checks_by_category`)",
    ]);
  });

  it("reports every broken file of a folder, and a missing path", () => {
    const file = suiteFile(`probes: 3\n`);
    const load = () => loadSuites([file, path.join(dir, "nope.yaml")], { registry });
    expect(load).toThrowError(/nope\.yaml: no such suite file or folder/);
    expect(load).toThrowError(/suite-\d+\.yaml:1:9: probes: must be array/);
  });
});

describe("a probe's own check of a type replaces the defaults of that type", () => {
  it("keeps one check per type, the most specific list's, and every check of that list", () => {
    const [plain, own, twice, byCategory] = loadSuite(
      suiteFile(`defaults:
  language: ja
  category: open_qa
  checks: [katakana, language, {type: regex, pattern: "."}]
  checks_by_category:
    translation: [{type: regex, pattern: "[a-z]"}, chrf]
probes:
  - {id: plain, prompt: x, expected: [ワンタン]}
  - {id: own, prompt: x, expected: [ワンタン], checks: [{type: katakana, max_distance: 1}]}
  - {id: twice, prompt: x, expected: [ワンタン], checks: [{type: regex, pattern: a}, {type: regex, pattern: b}]}
  - {id: by-category, category: translation, prompt: x, expected: [ワンタン], checks: [{type: chrf, min_score: 20}]}
`),
      { registry },
    ).probes;
    expect(plain!.checks).toEqual([{ type: "katakana" }, { type: "language" }, { type: "regex", pattern: "." }]);
    expect(own!.checks).toEqual([{ type: "language" }, { type: "regex", pattern: "." }, { type: "katakana", max_distance: 1 }]);
    expect(twice!.checks).toEqual([{ type: "katakana" }, { type: "language" }, { type: "regex", pattern: "a" }, { type: "regex", pattern: "b" }]);
    expect(byCategory!.checks).toMatchObject([{ type: "katakana" }, { type: "language" }, { type: "regex", pattern: "[a-z]" }, { type: "chrf", min_score: 20 }]);
    expect(byCategory!.checks).toHaveLength(4);
  });

  it("scores the bundled katakana/free-dial by its own max_distance only, and keeps the other probes' hashes", async () => {
    const outputs = path.join(dir, "katakana.jsonl");
    writeFileSync(
      outputs,
      [
        { suite: "katakana", id: "free-dial", output: "フリーダイアル" },
        { suite: "katakana", id: "wonton", output: "ワンタン" },
      ]
        .map((line) => JSON.stringify(line))
        .join("\n") + "\n",
    );
    const out = path.join(dir, "katakana-scored");
    const result = await runCli(["score", "--outputs", outputs, "--suite", packagePath("suites", "katakana.yaml"), "--out", out]);
    expect(result.stderr).not.toMatch(/^bonsai-eval: .*error/m);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    const probe = (id: string) => report.probes.find((each) => each.id === id)!;
    const freeDial = probe("free-dial");
    expect(freeDial.checks.filter((check) => check.type === "katakana")).toHaveLength(1);
    expect(freeDial.checks.map((check) => check.type)).toEqual(["language", "repetition", "katakana"]);
    expect(freeDial.pass).toBe(true);
    // Probes whose checks this rule leaves as they were keep the hash they had before it.
    expect(probe("wonton").hash).toBe("23021e70752bbf4383aa32713a57ae750c1bc58eaf030dd1710f362a02870825");
  });
});

describe("names that are almost right", () => {
  it("reports every problem of a suite in one pass through validate, each with the name meant, exit 2", async () => {
    const file = suiteFile(`defaults:
  language: jp
  category: closd_qa
  checks: [katakanaa]
probes:
  - id: a
    promt: x
    language: cn
  - {id: b, prompt: x, language: kr, checks: [{type: contains, expectd: y}]}
  - {id: c, prompt: x, language: zh-tw, category: open_qa, expected: [y], checks: [contains]}
`);
    const result = await runCli(["validate", file]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `bonsai-eval: ${file}:2:13: defaults.language: unknown language code "jp"; did you mean "ja"?`,
      `bonsai-eval: ${file}:3:13: defaults.category: unknown category "closd_qa"; declare it under \`categories\` or use one of open_qa, closed_qa, classification, brainstorming, creative, translation, question_to_question, reasoning; did you mean "closed_qa"?`,
      expect.stringMatching(/^bonsai-eval: .*:4:12: defaults\.checks\[0\]: unknown check type "katakanaa"; known: .*; did you mean "katakana"\?$/),
      `bonsai-eval: ${file}:6:5: probes[0]: missing required key "prompt"`,
      `bonsai-eval: ${file}:7:5: probes[0].promt: unknown key "promt"; did you mean "prompt"?`,
      `bonsai-eval: ${file}:8:15: probes[0].language: unknown language code "cn"; did you mean "zh"?`,
      `bonsai-eval: ${file}:9:34: probes[1].language: unknown language code "kr"; did you mean "ko"?`,
      `bonsai-eval: ${file}:9:64: probes[1].checks[0].expectd: contains: unknown parameter "expectd"; did you mean "expected"?`,
      `bonsai-eval: ${file}:10:34: probes[2].language: language code "zh-tw" is written "zh-TW"`,
    ]);
  });

  it("takes BCP 47 codes of a language, script and region, and refuses others", () => {
    const language = (code: string) =>
      problems(`probes:\n  - {id: a, prompt: x, category: open_qa, language: "${code}", checks: [{type: regex, pattern: x}]}\n`);
    for (const code of ["ja", "zh", "en", "ko", "zh-Hant", "zh-TW", "zh-Hans-CN", "en-US", "es-419", "yue"]) expect(language(code), code).toEqual([]);
    expect(language("jpn")).toEqual(['FILE:2:53: probes[0].language: unknown language code "jpn"; did you mean "ja"?']);
    expect(language("ja_JP")).toEqual(['FILE:2:53: probes[0].language: language code "ja_JP" is written "ja-JP"']);
    expect(language("xx")).toEqual(['FILE:2:53: probes[0].language: unknown language code "xx" (ISO 639-1, such as ja, zh, en, ko)']);
    expect(language("japanese")[0]).toMatch(/"japanese" is not a language code/);
  });

  it("names the flag meant", async () => {
    const result = await runCli(["run", "--paralel", "2"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("bonsai-eval: usage: Unknown option '--paralel'; did you mean --parallel? (see bonsai-eval run --help)");
    expect((await runCli(["validate", "--chekcs", "x.js"])).stderr).toContain("; did you mean --checks?");
  });

  it("names the gate scope meant", async () => {
    const outputs = path.join(dir, "scope.jsonl");
    writeFileSync(outputs, JSON.stringify({ suite: "katakana", id: "wonton", output: "ワンタン" }) + "\n");
    const scored = path.join(dir, "scope-scored");
    expect((await runCli(["score", "--outputs", outputs, "--suite", packagePath("suites", "katakana.yaml"), "--out", scored])).code).toBe(0);
    const policy = path.join(dir, "scope-policy.yaml");
    writeFileSync(policy, "rules:\n  - min_pass_rate: 0.5\n    categroy: translation\n  - min_pass_rate: 0.5\n    language: jp\n");
    const result = await runCli(["gate", scored, "--policy", policy]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `bonsai-eval: ${policy}:3:5: rules[0].categroy: unknown key "categroy"; did you mean "category"?`,
    ]);
    writeFileSync(policy, "rules:\n  - min_pass_rate: 0.5\n    language: jp\n");
    expect((await runCli(["gate", scored, "--policy", policy])).stderr.trim()).toBe(
      `bonsai-eval: ${policy}:3:15: rules[0].language: unknown language code "jp"; did you mean "ja"?`,
    );
  });

  it("counts a swap of neighbours as one edit and suggests nothing far off", () => {
    expect(editDistance("promt", "prompt")).toBe(1);
    expect(editDistance("paralel", "parallel")).toBe(1);
    expect(editDistance("teh", "the")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestName("colour", ["choices", "category", "expected"])).toBeNull();
    expect(closestName("JA", ["ja", "zh"])).toBe("ja");
  });
});

describe("the editor schema", () => {
  const validate = createAjv().compile(JSON.parse(readFileSync(packagePath("schemas", "suite.schema.json"), "utf8")));
  const flagged = (text: string) => (validate(parse(text)) ? [] : validate.errors!.map((error) => `${error.instancePath} ${error.message}`));

  it("flags a mistyped category, language code or check name, as the CLI does", () => {
    const suite = (category: string, language: string, check: string) =>
      `probes:\n  - {id: a, prompt: x, category: ${category}, language: ${language}, checks: [{type: ${check}, pattern: x}]}\n`;
    expect(flagged(suite("closed_qa", "ja", "regex"))).toEqual([]);
    expect(flagged(suite("closed_qa", "zh-Hant", "regex"))).toEqual([]);
    expect(flagged(suite("closd_qa", "ja", "regex")).join("\n")).toContain("/probes/0/category must be equal to one of the allowed values");
    expect(flagged(suite("closed_qa", "jp", "regex")).join("\n")).toContain("/probes/0/language must match pattern");
    expect(flagged(suite("closed_qa", "ja", "regx")).join("\n")).toContain("/probes/0/checks/0/type must be equal to one of the allowed values");
    expect(flagged(`categories: [trivia]\n${suite("trivia", "ja", "regex")}`)).toEqual([]);
  });

  it("accepts every bundled suite", () => {
    for (const file of expandSuitePaths([packagePath("suites")])) expect(flagged(readFileSync(file, "utf8")), file).toEqual([]);
  });
});
