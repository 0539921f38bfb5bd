import path from "node:path";
import { describe, expect, it } from "vitest";
import { CheckRegistry } from "../src/checks/registry.js";
import { loadSuite, loadSuites } from "../src/suite/load.js";
import { packagePath } from "../src/util/paths.js";
import { fileWriter, loadProblems, tempDir } from "./helpers.js";

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
    expect(found[1]).toBe('FILE:8:26: probes[0].checks[1].expectd: contains: unknown parameter "expectd"');
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
      'FILE:4:5: probes[1]: missing required key "text"',
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
      "FILE:2:5: probes[0]: probe has no checks and would pass without looking at the output; add `checks` (or `defaults.checks`)",
    ]);
  });

  it("reports every broken file of a folder, and a missing path", () => {
    const file = suiteFile(`probes: 3\n`);
    const load = () => loadSuites([file, path.join(dir, "nope.yaml")], { registry });
    expect(load).toThrowError(/nope\.yaml: no such suite file or folder/);
    expect(load).toThrowError(/suite-\d+\.yaml:1:9: probes: must be array/);
  });
});
