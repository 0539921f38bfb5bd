/**
 * Inputs refused with exit 2 and the line, or read as documented, never half
 * read: non-finite numbers, YAML alias bombs, values that normalize to nothing,
 * a missing template file, user checks that return something else than a check
 * result, bytes that are not UTF-8, and outputs files with a byte order mark or
 * lone CR line ends. Everything goes through the CLI on real files.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-input-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const stderrLines = (stderr: string) => stderr.trim().split("\n");
const readReport = (out: string) => JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;

const SUITE = `suite: basics
defaults: {language: en, category: closed_qa, checks: [contains]}
probes:
  - {id: one, prompt: "Say yes.", expected: [yes]}
  - {id: two, prompt: "Say yes again.", expected: [yes]}
  - {id: three, prompt: "Say no.", expected: ["no"]}
`;
writeFileSync(at("basics.yaml"), SUITE);
const line = (id: string, output: string) => JSON.stringify({ suite: "basics", id, output });

/** A billion-laughs document: each level refers nine times to the one before. */
function aliasBomb(root: string): string {
  const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (const [index, name] of [..."bcdefghi"].entries()) {
    const previous = "abcdefgh"[index];
    levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
  }
  return `${levels.join("\n")}\n${root}: *i\n`;
}

describe("numbers that are not finite", () => {
  it("refuses .inf and .nan in a policy with file, line and field, and leaves the report as it was", async () => {
    const out = at("scored-inf");
    writeFileSync(at("inf.jsonl"), [line("one", "yes"), line("two", "yes"), line("three", "no")].join("\n") + "\n");
    expect((await runCli(["score", "--outputs", at("inf.jsonl"), "--suite", at("basics.yaml"), "--out", out])).code).toBe(0);
    const before = readFileSync(path.join(out, "report.json"), "utf8");
    writeFileSync(at("inf-policy.yaml"), "rules:\n  - min_pass_rate: .nan\n  - max_score: .inf\n    check: contains\n  - min_score: -.Inf\n    check: contains\n");

    const result = await runCli(["gate", out, "--policy", at("inf-policy.yaml")]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([
      `bonsai-eval: ${at("inf-policy.yaml")}:2:20: rules[0].min_pass_rate: .nan is not a finite number`,
      `bonsai-eval: ${at("inf-policy.yaml")}:3:16: rules[1].max_score: .inf is not a finite number`,
      `bonsai-eval: ${at("inf-policy.yaml")}:5:16: rules[2].min_score: -.Inf is not a finite number`,
    ]);
    expect(readFileSync(path.join(out, "report.json"), "utf8")).toBe(before);
  });

  it("refuses them in a suite too, as a number too large to be finite", async () => {
    writeFileSync(at("inf-suite.yaml"), SUITE.replace('expected: [yes]}', "expected: [yes], temperature: .NaN}").replace("checks: [contains]", "checks: [contains, {type: length, max_length: 1e999}]"));
    const result = await runCli(["validate", at("inf-suite.yaml")]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([
      `bonsai-eval: ${at("inf-suite.yaml")}:2:93: defaults.checks[1].max_length: 1e999 is not a finite number`,
      `bonsai-eval: ${at("inf-suite.yaml")}:4:65: probes[0].temperature: .NaN is not a finite number`,
    ]);
  });
});

describe("YAML alias bombs", () => {
  it("refuses a billion-laughs suite and policy with one line each, quickly, without a stack trace", async () => {
    writeFileSync(at("bomb-suite.yaml"), aliasBomb("probes"));
    writeFileSync(at("bomb-policy.yaml"), aliasBomb("rules"));
    const started = Date.now();
    const suite = await runCli(["validate", at("bomb-suite.yaml")]);
    expect(suite.code).toBe(2);
    expect(stderrLines(suite.stderr)).toEqual([
      `bonsai-eval: ${at("bomb-suite.yaml")}:2:8: YAML aliases expand to more than 100 copies (a "billion laughs" document); write the values out`,
    ]);
    const policy = await runCli(["gate", at("scored-inf"), "--policy", at("bomb-policy.yaml")]);
    expect(policy.code).toBe(2);
    expect(stderrLines(policy.stderr)).toEqual([expect.stringMatching(/bomb-policy\.yaml:2:8: YAML aliases expand to more than 100 copies/)]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("still reads a suite that uses anchors and aliases the ordinary way", async () => {
    writeFileSync(
      at("anchors.yaml"),
      `suite: anchors
defaults: {language: en, category: closed_qa}
probes:
  - {id: one, prompt: "Say yes.", expected: &yes [yes, "yes."], checks: &checks [contains]}
  - {id: two, prompt: "Say yes again.", expected: *yes, checks: *checks}
`,
    );
    const result = await runCli(["validate", at("anchors.yaml")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("2 probe(s)");
  });
});

describe("values that normalize to nothing", () => {
  it("refuses expected aliases and forbidden values that are only punctuation or space, at their line", async () => {
    writeFileSync(
      at("empty-values.yaml"),
      `suite: empty-values
defaults: {language: ja, category: open_qa}
probes:
  - id: fuji
    prompt: 日本で一番高い山はどこ？
    expected: [富士山, "。"]
    checks: [contains]
  - id: quote
    prompt: 何か言ってください。
    checks: [{type: not_contains, values: [ダメ, "「」"]}]
  - id: bang
    prompt: 何か言ってください。
    checks: [{type: exact, expected: " ! "}]
  - id: single
    prompt: 何か言ってください。
    expected: "…"
    checks: [contains]
`,
    );
    const result = await runCli(["validate", at("empty-values.yaml")]);
    expect(result.code).toBe(2);
    const why = "is empty after normalization (whitespace, brackets, quotes and sentence punctuation are trimmed)";
    expect(stderrLines(result.stderr)).toEqual([
      `bonsai-eval: ${at("empty-values.yaml")}:6:21: probes[0].expected[1]: expected value "。" ${why}, so it can never match`,
      `bonsai-eval: ${at("empty-values.yaml")}:10:14: probes[1].checks[0]: not_contains: forbidden value "「」" ${why}, so the check can never fail`,
      `bonsai-eval: ${at("empty-values.yaml")}:13:14: probes[2].checks[0]: exact: expected value " ! " ${why}, so it can never match`,
      `bonsai-eval: ${at("empty-values.yaml")}:16:15: probes[3].expected: expected value "…" ${why}, so it can never match`,
    ]);
  });
});

describe("template files", () => {
  it("refuses a template: file that does not exist when the suite is validated, naming the line", async () => {
    writeFileSync(at("qa.txt"), "Q: {prompt}\nA:");
    writeFileSync(
      at("templates.yaml"),
      `suite: templates
defaults: {language: en, category: closed_qa, checks: [{type: length, max_length: 50}], template: qa.txt}
probes:
  - {id: own-file, prompt: Hello}
  - {id: named, prompt: Hello, template: chatml}
  - {id: missing, prompt: Hello, template: prompts/missing.jinja}
`,
    );
    const result = await runCli(["validate", at("templates.yaml")]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([
      `bonsai-eval: ${at("templates.yaml")}:6:44: probes[2].template: template file prompts/missing.jinja not found (ENOENT: ${at("prompts", "missing.jinja")})`,
    ]);
    writeFileSync(at("templates.yaml"), readFileSync(at("templates.yaml"), "utf8").replace("prompts/missing.jinja", "qa.txt"));
    expect((await runCli(["validate", at("templates.yaml")])).code).toBe(0);
  });
});

describe("user checks that return something else than a check result", () => {
  it("makes each a check error with the reason, never a pass or a fail", async () => {
    writeFileSync(
      at("sloppy-checks.mjs"),
      `const result = (pass, score) => ({ type: "x", pass, score, details: { reason: "looked" } });
export default [
  { type: "says_yes", summary: "pass as a string", run: () => result("yes", 1) },
  { type: "score_string", summary: "score as a string", run: () => result(true, "1") },
  { type: "score_nan", summary: "score NaN", run: () => result(false, Number.NaN) },
  { type: "no_details", summary: "no details", run: () => ({ type: "x", pass: true, score: 1 }) },
  { type: "async_check", summary: "a promise", run: async () => result(true, 1) },
  { type: "good", summary: "a real result", run: ({ output }) => result(output.includes("yes"), 1) },
];
`,
    );
    const types = ["says_yes", "score_string", "score_nan", "no_details", "async_check", "good"];
    writeFileSync(
      at("sloppy.yaml"),
      `suite: sloppy\ndefaults: {language: en, category: closed_qa}\nprobes:\n${types.map((type) => `  - {id: ${type.replace("_", "-")}, prompt: "Say yes.", checks: [${type}]}`).join("\n")}\n`,
    );
    writeFileSync(at("sloppy.jsonl"), types.map((type) => JSON.stringify({ suite: "sloppy", id: type.replace("_", "-"), output: "yes" })).join("\n") + "\n");
    const out = at("sloppy-scored");
    const result = await runCli(["score", "--outputs", at("sloppy.jsonl"), "--suite", at("sloppy.yaml"), "--checks", at("sloppy-checks.mjs"), "--out", out]);
    expect([0, 1]).toContain(result.code);
    const probes = readReport(out).probes;
    const reasons = Object.fromEntries(probes.map((probe) => [probe.id, [probe.status, probe.checks[0]!.details.reason]]));
    expect(reasons).toEqual({
      "says-yes": ["error", 'check failed to run: returned pass "yes" (a string); pass must be true, false or null (informational)'],
      "score-string": ["error", 'check failed to run: returned score "1" (a string); score must be a finite number or null'],
      "score-nan": ["error", "check failed to run: returned score NaN; score must be a finite number or null"],
      "no-details": ["error", "check failed to run: returned details undefined; a check returns {type, score, pass, details: {reason}}"],
      "async-check": ["error", "check failed to run: returned pass undefined; pass must be true, false or null (informational)"],
      good: ["pass", "looked"],
    });
  });
});

describe("bytes that are not UTF-8", () => {
  it("refuses a suite with a Latin-1 byte, naming line and column, instead of reading U+FFFD", async () => {
    writeFileSync(at("latin1.yaml"), Buffer.concat([Buffer.from(SUITE.split("Say no.")[0]!), Buffer.from("caf"), Buffer.from([0xe9]), Buffer.from(SUITE.split("Say no.")[1]!)]));
    const result = await runCli(["validate", at("latin1.yaml")]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([`bonsai-eval: ${at("latin1.yaml")}:6:29: not valid UTF-8 (byte 0xe9); save the file as UTF-8`]);
  });

  it("refuses an outputs line with a Shift_JIS byte, naming the line, and writes nothing", async () => {
    const bytes = Buffer.concat([Buffer.from(line("one", "yes") + "\n" + '{"suite":"basics","id":"two","output":"'), Buffer.from([0x82, 0xa0]), Buffer.from('"}\n' + line("three", "no") + "\n")]);
    writeFileSync(at("sjis.jsonl"), bytes);
    const out = at("sjis-scored");
    const result = await runCli(["score", "--outputs", at("sjis.jsonl"), "--suite", at("basics.yaml"), "--out", out]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([`bonsai-eval: ${at("sjis.jsonl")}:2:40: not valid UTF-8 (byte 0x82); save the file as UTF-8`]);
    expect(() => readFileSync(path.join(out, "report.json"))).toThrow(/ENOENT/);
  });

  it("takes a last line cut inside a character for what it is: a write cut by a crash", async () => {
    const cut = Buffer.from(line("three", "いいえ")).subarray(0, 47); // inside the second い
    writeFileSync(at("cut.jsonl"), Buffer.concat([Buffer.from(line("one", "yes") + "\n" + line("two", "yes") + "\n"), cut]));
    const out = at("cut-scored");
    const result = await runCli(["score", "--outputs", at("cut.jsonl"), "--suite", at("basics.yaml"), "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(out);
    expect(report.problems.truncated_outputs_tail).toBe(true);
    expect(report.probes.map((probe) => [probe.id, probe.status])).toEqual([
      ["one", "pass"],
      ["two", "pass"],
      ["three", "missing"],
    ]);
  });
});

describe("outputs files from other tools", () => {
  it("reads a UTF-8 byte order mark and lone CR line ends (classic Mac) like any other file", async () => {
    writeFileSync(at("bom-cr.jsonl"), "\uFEFF" + [line("one", "yes"), line("two", "yes, sure"), line("three", "no")].join("\r") + "\r");
    writeFileSync(at("crlf.jsonl"), "\uFEFF" + [line("one", "yes"), line("two", "nope"), line("three", "no")].join("\r\n") + "\r\n");
    for (const [file, statuses] of [
      ["bom-cr.jsonl", ["pass", "pass", "pass"]],
      ["crlf.jsonl", ["pass", "fail", "pass"]],
    ] as const) {
      const out = at(`${file}-scored`);
      const result = await runCli(["score", "--outputs", at(file), "--suite", at("basics.yaml"), "--out", out]);
      expect([0, 1], result.stderr).toContain(result.code);
      const report = readReport(out);
      expect(report.probes.map((probe) => probe.status)).toEqual(statuses);
      expect(report.problems.unknown_outputs).toEqual([]);
      expect(report.problems.duplicate_outputs).toEqual([]);
    }
  });
});

describe("sample indexes a probe does not have", () => {
  it("lists them as problems, leaves them out of pass@k, and says so on the terminal and the page", async () => {
    writeFileSync(
      at("samples.yaml"),
      `suite: samples
defaults: {language: en, category: closed_qa, checks: [contains]}
probes:
  - {id: once, prompt: "Say yes.", expected: [yes]}
  - {id: thrice, prompt: "Say yes.", expected: [yes], samples: 3, temperature: 0.8}
`,
    );
    const sampled = (id: string, sample: number, output: string) => JSON.stringify({ suite: "samples", id, sample, output });
    writeFileSync(
      at("samples.jsonl"),
      [sampled("once", 0, "yes"), sampled("once", 1, "no"), sampled("thrice", 0, "no"), sampled("thrice", 1, "no"), sampled("thrice", 2, "no"), sampled("thrice", 3, "yes")].join("\n") + "\n",
    );
    const out = at("samples-scored");
    const result = await runCli(["score", "--outputs", at("samples.jsonl"), "--suite", at("samples.yaml"), "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(out);
    expect(report.problems.unknown_samples).toEqual([
      { suite: "samples", id: "once", sample: 1, samples: 1, line: 2 },
      { suite: "samples", id: "thrice", sample: 3, samples: 3, line: 6 },
    ]);
    const [once, thrice] = report.probes;
    expect(once!.samples).toBeNull();
    expect(thrice!.samples).toMatchObject({ count: 3, expected: 3, passed: 0, pass_at_k: false });
    expect(result.stdout).toContain("2 output line(s) have a sample index their probe does not have; not scored");
    expect(result.stdout).toContain("samples › thrice  sample 3 of 3 (0–2), line 6");
    expect(readFileSync(path.join(out, "report.html"), "utf8")).toContain("samples › thrice sample 3 of 3 (line 6)");
  });
});
