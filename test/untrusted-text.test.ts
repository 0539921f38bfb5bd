/**
 * Untrusted text on the terminal and in diff.md: model output that carries
 * escape sequences, Markdown, HTML and @mentions is shown, never obeyed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { markdownCode, markdownText, visibleControls } from "../src/util/untrusted-text.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const at = (...parts: string[]) => path.join(dir, ...parts);

/** Sets the window title, clears the screen, opens an OSC 8 link, flips the text right to left. */
const TERMINAL_ATTACK = "\u202eevil\u009b31m\u001b]0;pwned\u0007\u001b[2J\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\";
/** A tracking pixel, raw HTML, a mention, an auto-link and a backtick run, for a CI job summary. */
const MARKDOWN_ATTACK = "``` ![x](https://t.example/p.png) <img src=x onerror=alert(1)> @octocat www.evil.example http://evil.example/ ";

/** Every character that moves a cursor, sets a title, links or reorders text. */
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const SUITE = `suite: hostile
defaults: {language: en, category: creative, checks: [repetition]}
probes:
  - {id: loop, prompt: Say something.}
  - {id: calm, prompt: Say something else.}
`;

function writeOutputs(name: string, loopOutput: string): string {
  const file = at(`${name}.jsonl`);
  const lines = [
    { suite: "hostile", id: "loop", output: loopOutput, stop_reason: "max_tokens" },
    { suite: "hostile", id: "calm", output: "A short, calm answer." },
  ];
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join("\n") + "\n");
  return file;
}

describe("the untrusted-text boundary", () => {
  it("writes controls, bidi overrides and invisible format characters as visible escapes", () => {
    expect(visibleControls("a\u001b[2Jb")).toBe("a\\u001b[2Jb");
    expect(visibleControls("\u202eabc\u2066\u200b\u00ad\ufeff")).toBe("\\u202eabc\\u2066\\u200b\\u00ad\\ufeff");
    expect(visibleControls("\u009b\u0007\u007f\n\t")).toBe("\\u009b\\u0007\\u007f\\n\\t");
    expect(visibleControls("tag\u{e0041}")).toBe("tag\\u{e0041}");
    expect(visibleControls("lone \ud800 surrogate")).toBe("lone \\ud800 surrogate");
    // Ordinary text, Japanese and an emoji ZWJ sequence are left alone; a ZWJ elsewhere is not.
    expect(visibleControls("富士山です。 👨‍👩‍👧 ok")).toBe("富士山です。 👨‍👩‍👧 ok");
    expect(visibleControls("a\u200db")).toBe("a\\u200db");
  });

  it("makes a code span no backtick run can close, and prose with no markup, mention or link", () => {
    expect(markdownCode("rounds/wonton")).toBe("`rounds/wonton`");
    expect(markdownCode("a``b")).toBe("```a``b```");
    expect(markdownCode("`x")).toBe("`` `x ``");
    const prose = markdownText(MARKDOWN_ATTACK);
    expect(prose).not.toMatch(/<img|!\[|\]\(|@octocat|https?:\/\/|www\.evil/);
    expect(prose).toContain("&lt;img");
    expect(prose).toContain("@\u200boctocat");
  });
});

describe("hostile model output through the CLI", () => {
  const suite = at("hostile.yaml");
  beforeAll(() => writeFileSync(suite, SUITE));

  it("score prints a failure reason that quotes escape sequences without emitting them", async () => {
    const outputs = writeOutputs("terminal", `${TERMINAL_ATTACK} again. `.repeat(12));
    const result = await runCli(["score", "--outputs", outputs, "--suite", suite, "--out", at("terminal")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("hostile › loop");
    expect(result.stdout).toContain("\\u202eevil\\u009b31m\\u001b]0;pwned\\u0007\\u001b[2J");
    expect(result.stdout).not.toMatch(RAW_CONTROLS);
    // The report keeps the output exactly as the model wrote it.
    const report = JSON.parse(readFileSync(at("terminal", "report.json"), "utf8")) as Report;
    expect(report.probes.find((probe) => probe.id === "loop")!.output).toContain(TERMINAL_ATTACK);
  });

  it("an error line quoting a suite value shows its controls", async () => {
    const bad = at("bad-category.yaml");
    writeFileSync(bad, `suite: bad\nprobes:\n  - {id: p, prompt: x, category: "\\e]0;pwned\\a\\e[2J"}\n`);
    const result = await runCli(["validate", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("bad-category.yaml:3");
    expect(result.stderr).not.toMatch(RAW_CONTROLS);
  });

  it("diff.md lists a regression whose reason carries Markdown, HTML and a mention as inert text", async () => {
    const base = at("md-base");
    const candidate = at("md-candidate");
    for (const [out, text] of [
      [base, "A calm and different answer."],
      [candidate, `${MARKDOWN_ATTACK}${TERMINAL_ATTACK}`.repeat(10)],
    ] as const) {
      const result = await runCli(["score", "--outputs", writeOutputs(path.basename(out), text), "--suite", suite, "--out", out]);
      expect(result.code, result.stderr).toBe(0);
    }
    const result = await runCli(["diff", base, candidate, "--out", at("md-diff")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROLS);
    const md = readFileSync(at("md-diff", "diff.md"), "utf8");
    expect(md).toContain("**Regressed (1)**");
    const regressed = md.split("\n").find((line) => line.startsWith("- `hostile/loop`"))!;
    expect(regressed).toContain("repetition");
    expect(regressed).not.toMatch(/<img|!\[|\]\(|@octocat|https?:\/\/|www\.evil/);
    expect(regressed).not.toMatch(RAW_CONTROLS);
    expect(md).not.toMatch(/<(?!sub>|\/sub>)/);
  });

  it("a report whose probe id would break out of a code span is refused, naming the field", async () => {
    const report = JSON.parse(readFileSync(at("terminal", "report.json"), "utf8")) as Report;
    report.probes[0]!.id = "x` ![p](https://t.example/p.png) `";
    const crafted = at("crafted.json");
    writeFileSync(crafted, JSON.stringify(report));
    const result = await runCli(["diff", at("terminal"), crafted, "--out", at("crafted-diff")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/crafted\.json: probes\[0\]\.id: not a suite probe id/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a suite whose file name is no suite name must say `suite:`", async () => {
    const file = at("my suite.yaml");
    writeFileSync(file, `probes:\n  - {id: p, prompt: x, language: en, category: creative}\n`);
    const result = await runCli(["validate", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the file name gives the suite name "my suite"');
  });
});
