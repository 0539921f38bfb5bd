/**
 * The judge check end to end through the CLI on the fixture model: the judge
 * phase after generation, grammar-constrained replies that always parse,
 * judgements.jsonl, the cache, signatures, re-scoring without the judge, and
 * the errors a missing, outdated or unreadable verdict gives.
 */
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readJudgements } from "../src/format/judgements.js";
import type { Report, ReportProbe } from "../src/format/report.js";
import { FIXTURE_MODEL, runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-judge-");
const suiteFile = path.join(dir, "judged.yaml");
writeFileSync(path.join(dir, "rubric.md"), "A short haiku about spring, in Japanese, with a season word.\n");
writeFileSync(
  suiteFile,
  `suite: judged
defaults:
  language: ja
  category: creative
  max_tokens: 16
probes:
  - id: haiku
    prompt: 春の俳句を一つ書いてください。
    checks:
      - {type: judge, rubric_file: rubric.md, grading_notes: 季語があること}
  - id: fuji
    prompt: 日本で一番高い山はどこ？
    expected: [富士山]
    checks: [contains, {type: judge, rubric: "Correct and concise.", scale: [0, 10], min_score: 0}]
`,
);

function readReport(out: string): Report {
  return JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
}

function judgeResult(probe: ReportProbe) {
  return probe.checks.find((check) => check.type === "judge")!;
}

describe("judge check", () => {
  it("judges every output with the grammar: each reply parses into a score on the scale, shown with its reason and signature", async () => {
    const out = path.join(dir, "self");
    const result = await runCli(["run", "--suite", suiteFile, "--out", out, "--judge-model", "self"]);
    expect(result.stderr).toContain("judging 2 output(s) with the evaluated model");
    expect(result.code, result.stderr).toBe(0);

    const judgements = [...readJudgements(path.join(out, "judgements.jsonl")).values()];
    expect(judgements.map((line) => `${line.id}:${line.check}:${line.mode}`).sort()).toEqual(["fuji:1:grade", "haiku:0:grade"]);
    for (const line of judgements) {
      expect(line.replies).toHaveLength(1);
      const reply = JSON.parse(line.replies[0]!.text) as { score: number; reason: string };
      expect(Number.isInteger(reply.score)).toBe(true);
      expect(typeof reply.reason).toBe("string");
      expect(reply.reason.length).toBeLessThanOrEqual(200);
    }

    const report = readReport(out);
    const haiku = judgeResult(report.probes.find((probe) => probe.id === "haiku")!);
    expect(haiku.score).toBeGreaterThanOrEqual(1);
    expect(haiku.score).toBeLessThanOrEqual(5);
    expect(haiku.pass).toBe(haiku.score! >= 3);
    expect(haiku.details.reason).toMatch(/^judge: \d\/5 \(pass from 3\): /);
    // The signature names the judge model (file and sha256), its template and the rubric's hash.
    expect(haiku.details.signature).toMatch(/^judge:tiny-bonsai\.gguf@[0-9a-f]{12}\|tpl:auto \(gguf tokenizer\.chat_template\)\|rubric:[0-9a-f]{12}\|scale:1-5\|mode:grade\|v:1$/);
    const fuji = judgeResult(report.probes.find((probe) => probe.id === "fuji")!);
    expect(fuji.details.signature).toContain("scale:0-10");
    expect(fuji.details.signature).not.toEqual(haiku.details.signature);
    expect(report.manifest.judge).toMatchObject({ model_file: "tiny-bonsai.gguf", judged: 2, kept: 0, without_baseline: 0 });
    // Different rubrics never pool: one aggregate group per signature.
    expect(readFileSync(path.join(out, "report.html"), "utf8")).toContain((haiku.details.judge_reasons as string[])[0]!.slice(0, 12).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;"));
  });

  it("is deterministic and cached: a fresh run directory gets the same verdicts from the cache; a resumed run keeps them", async () => {
    const first = path.join(dir, "self");
    const again = path.join(dir, "again");
    const result = await runCli(["run", "--suite", suiteFile, "--out", again, "--judge-model", "self"]);
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(again);
    expect(report.manifest.judge!.cache).toEqual({ hits: 2, misses: 0 });
    const replies = (out: string) => [...readJudgements(path.join(out, "judgements.jsonl")).values()].map((line) => line.replies[0]!.text).sort();
    expect(replies(again)).toEqual(replies(first));

    const resumed = await runCli(["run", "--suite", suiteFile, "--out", again, "--judge-model", "self"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain("judging");
    expect(readReport(again).manifest.judge).toMatchObject({ judged: 0, kept: 2 });
    expect(readFileSync(path.join(again, "judgements.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("a second judge model loads after generation; its file and sha256 are in the signature", async () => {
    const judgeCopy = path.join(dir, "judge-copy.gguf");
    copyFileSync(FIXTURE_MODEL, judgeCopy);
    const out = path.join(dir, "second");
    const result = await runCli(["run", "--suite", suiteFile, "--out", out, "--no-cache"], { env: { BONSAI_JUDGE_MODEL: judgeCopy } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("judging 2 output(s) with judge-copy.gguf");
    const haiku = judgeResult(readReport(out).probes.find((probe) => probe.id === "haiku")!);
    expect(haiku.details.signature).toMatch(/^judge:judge-copy\.gguf@/);
  });

  it("score re-scores from the recorded verdicts without a judge; without them each judge check is an error saying so", async () => {
    const out = path.join(dir, "self");
    const rescored = path.join(dir, "rescored");
    const result = await runCli(["score", "--outputs", path.join(out, "outputs.jsonl"), "--suite", suiteFile, "--out", rescored]);
    expect(result.code, result.stderr).toBe(0);
    expect(judgeResult(readReport(rescored).probes[0]!)).toEqual(judgeResult(readReport(out).probes[0]!));

    const bare = path.join(dir, "bare");
    const run = await runCli(["run", "--suite", suiteFile, "--out", bare]);
    expect(run.stderr).toContain("judge checks: no --judge-model");
    const report = readReport(bare);
    for (const probe of report.probes) {
      expect(probe.status).toBe("error");
      expect(judgeResult(probe)).toMatchObject({ score: null, pass: false, details: { crashed: true, reason: expect.stringContaining("no judge verdict recorded") } });
    }
  });

  it("a reply that is not a verdict, or a verdict for another rubric, is a check error showing the reply, never a silent 0", async () => {
    const out = path.join(dir, "self");
    const edited = path.join(dir, "edited");
    const result = await runCli(["run", "--suite", suiteFile, "--out", edited, "--judge-model", "self"]);
    expect(result.code, result.stderr).toBe(0);
    const file = path.join(edited, "judgements.jsonl");
    const lines = [...readJudgements(file).values()];
    const haikuLine = lines.find((line) => line.id === "haiku")!;
    appendFileSync(file, JSON.stringify({ ...haikuLine, replies: [{ ...haikuLine.replies[0]!, text: '{"score": 9, "reason": "too high"}' }] }) + "\n");
    const fujiLine = lines.find((line) => line.id === "fuji")!;
    appendFileSync(file, JSON.stringify({ ...fujiLine, replies: [{ ...fujiLine.replies[0]!, text: "{\"score\": 3, \"reas", stop_reason: "max_tokens" }] }) + "\n");
    const rescored = await runCli(["score", "--outputs", path.join(edited, "outputs.jsonl"), "--suite", suiteFile, "--out", path.join(dir, "edited-score")]);
    expect(rescored.code, rescored.stderr).toBe(0);
    const report = readReport(path.join(dir, "edited-score"));
    const haiku = judgeResult(report.probes.find((probe) => probe.id === "haiku")!);
    expect(haiku).toMatchObject({ score: null, pass: false, details: { crashed: true, reason: "the judge's score 9 is not an integer from 1 to 5", replies: ['{"score": 9, "reason": "too high"}'] } });
    const fuji = judgeResult(report.probes.find((probe) => probe.id === "fuji")!);
    expect(fuji.details).toMatchObject({ crashed: true, reason: "the judge's reply is not a JSON object (stopped: max_tokens)", replies: ['{"score": 3, "reas'] });

    // Another rubric: the recorded verdict is outdated, named as such.
    const otherRubric = path.join(dir, "other-rubric.yaml");
    writeFileSync(otherRubric, readFileSync(suiteFile, "utf8").replace("Correct and concise.", "Correct, concise and polite."));
    const outdated = await runCli(["score", "--outputs", path.join(out, "outputs.jsonl"), "--suite", otherRubric, "--out", path.join(dir, "outdated"), "--allow-stale"]);
    expect(outdated.code, outdated.stderr).toBe(0);
    const stale = judgeResult(readReport(path.join(dir, "outdated")).probes.find((probe) => probe.id === "fuji")!);
    expect(stale.details.reason).toContain("the recorded verdict judged another request");
  });

  it("bad judge input is one line and exit 2 before anything runs", async () => {
    const missing = await runCli(["run", "--suite", suiteFile, "--out", path.join(dir, "nojudge"), "--judge-model", path.join(dir, "absent.gguf")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain("absent.gguf");
    expect(missing.stderr).toContain("no such judge model file");

    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, "suite: bad\ndefaults: {language: en, category: creative}\nprobes:\n  - id: a\n    prompt: hi\n    checks: [{type: judge}]\n  - id: b\n    prompt: hi\n    checks: [{type: judge, rubric_file: nowhere.md}]\n");
    const invalid = await runCli(["validate", bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("bad.yaml:6:14: probes[0].checks[0]: judge: a judge check needs a rubric");
    expect(invalid.stderr).toContain("bad.yaml:9:14: probes[1].checks[0]: judge: rubric_file nowhere.md: ENOENT");
  });
});
