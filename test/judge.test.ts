/**
 * The judge check end to end through the CLI on the fixture model: the judge
 * phase after generation, grammar-constrained replies that always parse,
 * judgements.jsonl, the cache, signatures, re-scoring without the judge, and
 * the errors a missing, outdated or unreadable verdict gives.
 */
import { appendFileSync, copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildLlamaModel } from "../src/fixture/llama-model.js";
import { FIXTURE_MODEL_SPEC } from "../src/fixture/tiny-model.js";
import { readJudgements } from "../src/format/judgements.js";
import type { Report, ReportProbe } from "../src/format/report.js";
import { REAL_MODEL, realModelStatus } from "../src/fixture/real-model.js";
import { packagePath } from "../src/util/paths.js";
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
    // Different rubrics and scales never pool: one mean per signature, which is the scores' unit.
    expect(report.summary.by_check.judge!.means.map((mean) => mean.unit).sort()).toEqual([fuji.details.signature, haiku.details.signature].sort());
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

    // Another judge template is another judge: asked again, and named in the signature.
    const retemplated = await runCli(["run", "--suite", suiteFile, "--out", again, "--judge-model", "self", "--judge-template", "chatml"]);
    expect(retemplated.code, retemplated.stderr).toBe(0);
    expect(retemplated.stderr).toContain("judging 2 output(s)");
    const rejudged = readReport(again);
    expect(rejudged.manifest.judge).toMatchObject({ judged: 2, kept: 0, template: "chatml" });
    expect(judgeResult(rejudged.probes[0]!).details.signature).toContain("|tpl:chatml|");
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

    // Scores of another judge are never compared: the diff pairs no judge means across the two judges.
    const diffOut = path.join(dir, "judges-diff");
    const diff = await runCli(["diff", path.join(dir, "self"), out, "--out", diffOut]);
    expect(diff.code, diff.stderr).toBe(0);
    const scores = JSON.parse(readFileSync(path.join(diffOut, "diff.json"), "utf8")).scores.overall as Record<string, unknown>;
    expect(Object.keys(scores).filter((key) => key.startsWith("judge"))).toEqual([]);
    expect(Object.keys(scores)).toContain("contains");
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

    // The judge itself failed: an error naming the engine's message, and the verdict is asked again on the next run.
    appendFileSync(file, JSON.stringify({ ...haikuLine, replies: [{ ...haikuLine.replies[0]!, text: "", stop_reason: "error", error: "context overflow" }] }) + "\n");
    const failedOut = path.join(dir, "edited-failed");
    expect((await runCli(["score", "--outputs", path.join(edited, "outputs.jsonl"), "--suite", suiteFile, "--out", failedOut])).code).toBe(0);
    const failedJudge = judgeResult(readReport(failedOut).probes.find((probe) => probe.id === "haiku")!);
    expect(failedJudge).toMatchObject({ score: null, pass: false, details: { crashed: true, reason: "the judge failed: context overflow", replies: [""] } });
    expect(readFileSync(path.join(failedOut, "report.html"), "utf8")).toContain("the judge failed: context overflow");
    const rejudged = await runCli(["run", "--suite", suiteFile, "--out", edited, "--judge-model", "self"]);
    expect(rejudged.code, rejudged.stderr).toBe(0);
    expect(rejudged.stderr).toContain("judging 1 output(s)");
    expect(judgeResult(readReport(edited).probes.find((probe) => probe.id === "haiku")!).score).not.toBeNull();

    // Another rubric: the recorded verdict is outdated, named as such.
    const otherRubric = path.join(dir, "other-rubric.yaml");
    writeFileSync(otherRubric, readFileSync(suiteFile, "utf8").replace("Correct and concise.", "Correct, concise and polite."));
    const outdated = await runCli(["score", "--outputs", path.join(out, "outputs.jsonl"), "--suite", otherRubric, "--out", path.join(dir, "outdated"), "--allow-stale"]);
    expect(outdated.code, outdated.stderr).toBe(0);
    const stale = judgeResult(readReport(path.join(dir, "outdated")).probes.find((probe) => probe.id === "fuji")!);
    expect(stale.details.reason).toContain("the recorded verdict judged another request");
  });

  it("merge carries each shard's verdicts: the merged report's judge checks equal an unsharded run's", async () => {
    const whole = path.join(dir, "whole");
    expect((await runCli(["run", "--suite", suiteFile, "--out", whole, "--judge-model", "self"])).code).toBe(0);
    const shards = [1, 2].map((index) => path.join(dir, `shard-${index}`));
    for (const [i, out] of shards.entries()) {
      const result = await runCli(["run", "--suite", suiteFile, "--out", out, "--judge-model", "self", "--shard", `${i + 1}/2`]);
      expect(result.code, result.stderr).toBe(0);
    }
    const merged = path.join(dir, "merged");
    const result = await runCli(["merge", ...shards, "--out", merged]);
    expect(result.code, result.stderr).toBe(0);
    const verdicts = (out: string) =>
      readReport(out)
        .probes.map((probe) => ({ id: probe.id, judge: judgeResult(probe) }))
        .map(({ id, judge }) => ({ id, score: judge.score, pass: judge.pass, reason: judge.details.reason }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(verdicts(merged).every((verdict) => verdict.score !== null)).toBe(true);
    expect(verdicts(merged)).toEqual(verdicts(whole));
  });

  it("bad judge input is one line and exit 2 before anything runs", async () => {
    const missing = await runCli(["run", "--suite", suiteFile, "--out", path.join(dir, "nojudge"), "--judge-model", path.join(dir, "absent.gguf")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain("absent.gguf");
    expect(missing.stderr).toContain("no such judge model file");

    // A --judge-template file that is not there fails before generation, not after it.
    const noTemplate = path.join(dir, "no-template");
    const template = await runCli(["run", "--suite", suiteFile, "--out", noTemplate, "--judge-model", "self", "--judge-template", path.join(dir, "absent.txt")]);
    expect(template.code).toBe(2);
    expect(template.stderr.trim()).toBe(`bonsai-eval: --judge-template: unknown template "${path.join(dir, "absent.txt")}": not auto, raw, one of phi2, alpaca, chatml, phi3, llama3, gemma, nor a readable file`);
    expect(existsSync(noTemplate)).toBe(false);

    // So does a judge whose GGUF has no chat template and no --judge-template (a base model needs one named).
    const base = path.join(dir, "base-judge.gguf");
    writeFileSync(base, buildLlamaModel({ ...FIXTURE_MODEL_SPEC, chatTemplate: "" }));
    const noChat = path.join(dir, "no-chat-template");
    const bare = await runCli(["run", "--suite", suiteFile, "--out", noChat, "--judge-model", base]);
    expect(bare.code).toBe(2);
    expect(bare.stderr.trim()).toBe("bonsai-eval: --judge-template: judge model base-judge.gguf has no chat template (tokenizer.chat_template); choose one with --judge-template raw|phi2|alpaca|chatml|phi3|llama3|gemma|FILE");
    expect(existsSync(noChat)).toBe(false);

    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, "suite: bad\ndefaults: {language: en, category: creative}\nprobes:\n  - id: a\n    prompt: hi\n    checks: [{type: judge}]\n  - id: b\n    prompt: hi\n    checks: [{type: judge, rubric_file: nowhere.md}]\n");
    const invalid = await runCli(["validate", bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("bad.yaml:6:14: probes[0].checks[0]: judge: a judge check needs a rubric");
    expect(invalid.stderr).toContain("bad.yaml:9:14: probes[1].checks[0]: judge: rubric_file nowhere.md: ENOENT");
  });
});

describe("judge check, pairwise against the baseline round", () => {
  const pairSuite = path.join(dir, "pairwise.yaml");
  writeFileSync(
    pairSuite,
    `suite: pairs
defaults: {language: ja, category: brainstorming, max_tokens: 12}
probes:
${["春", "夏", "秋", "冬"].map((season, i) => `  - id: p${i}\n    prompt: ${season}の楽しみ方を三つ挙げてください。\n    checks: [{type: judge, mode: pairwise, rubric: "More useful, correct and natural Japanese wins."}]`).join("\n")}
  - id: fresh
    prompt: 新しい質問です。
    checks: [{type: judge, mode: pairwise, rubric: "Better answer wins."}]
`,
  );
  const base = path.join(dir, "pair-base");
  const candidate = path.join(dir, "pair-candidate");

  it("asks twice with the order swapped and scores win/tie/loss only when both orders agree", async () => {
    expect((await runCli(["run", "--suite", pairSuite, "--out", base, "--max-tokens", "4"])).code).toBe(0);
    // The base round does not know the probe "fresh": it has nothing to be compared with.
    const baseReport = readReport(base);
    baseReport.probes = baseReport.probes.filter((probe) => probe.id !== "fresh");
    writeFileSync(path.join(base, "report.json"), JSON.stringify(baseReport));

    const result = await runCli(["run", "--suite", pairSuite, "--out", candidate, "--judge-model", "self", "--baseline", base]);
    expect(result.code, result.stderr).toBe(0);
    const judgements = [...readJudgements(path.join(candidate, "judgements.jsonl")).values()];
    expect(judgements.map((line) => line.id).sort()).toEqual(["p0", "p1", "p2", "p3"]);
    const baseOutputs = new Map(baseReport.probes.map((probe) => [probe.id, probe.output]));
    for (const line of judgements) {
      expect(line.mode).toBe("pairwise");
      expect(line.replies.map((reply) => reply.order)).toEqual(["candidate_first", "baseline_first"]);
      for (const reply of line.replies) expect(["A", "B", "tie"]).toContain((JSON.parse(reply.text) as { winner: string }).winner);
      expect(line.baseline!.output).toBe(baseOutputs.get(line.id));
    }
    const report = readReport(candidate);
    expect(report.manifest.judge).toMatchObject({ judged: 4, without_baseline: 1, baseline: expect.stringContaining("pair-base") });
    for (const probe of report.probes.filter((p) => p.id !== "fresh")) {
      const check = judgeResult(probe);
      const orders = check.details.orders as string[];
      const outcome = orders[0] === orders[1] ? orders[0] : "inconsistent";
      expect(check.details.outcome).toBe(outcome);
      expect(check.score).toBe({ win: 1, tie: 0.5, loss: 0, inconsistent: null }[outcome!]);
      expect(check.details.signature).toContain("|mode:pairwise|");
    }
    expect(judgeResult(report.probes.find((p) => p.id === "fresh")!).details.reason).toContain("no judge verdict recorded");
  });

  it("the reply for each order maps A/B to this round or the baseline", async () => {
    const file = path.join(candidate, "judgements.jsonl");
    const line = [...readJudgements(file).values()].find((entry) => entry.id === "p0")!;
    const verdict = (first: string, second: string) => ({
      ...line,
      replies: [
        { ...line.replies[0]!, text: JSON.stringify({ winner: first, reason: "first" }) },
        { ...line.replies[1]!, text: JSON.stringify({ winner: second, reason: "second" }) },
      ],
    });
    const outcomes: string[] = [];
    for (const [first, second] of [["A", "B"], ["B", "A"], ["tie", "tie"], ["A", "A"]] as const) {
      appendFileSync(file, JSON.stringify(verdict(first, second)) + "\n");
      const out = path.join(dir, `pair-score-${first}-${second}`);
      expect((await runCli(["score", "--outputs", path.join(candidate, "outputs.jsonl"), "--suite", pairSuite, "--out", out])).code).toBe(0);
      outcomes.push(judgeResult(readReport(out).probes.find((p) => p.id === "p0")!).details.outcome as string);
    }
    // A then B: this round won in both orders; A then A: the first position won both times (position bias).
    expect(outcomes).toEqual(["win", "loss", "tie", "inconsistent"]);
  });

  it("diff and gate report the win and loss rates with a paired interval (min_win_rate, max_loss_rate)", async () => {
    const report = readReport(candidate);
    const outcomes = report.probes.flatMap((probe) => probe.checks).map((check) => check.details.outcome).filter((o) => o !== undefined);
    const wins = outcomes.filter((o) => o === "win").length;
    const losses = outcomes.filter((o) => o === "loss").length;

    const diffOut = path.join(dir, "pair-diff");
    const diff = await runCli(["diff", base, candidate, "--out", diffOut]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain("pairwise judge against the base round: win");
    const written = JSON.parse(readFileSync(path.join(diffOut, "diff.json"), "utf8"));
    expect(written.pairwise).toMatchObject({ comparisons: 4, counts: { win: wins, loss: losses }, win_rate: { estimate: wins / 4 }, loss_rate: { estimate: losses / 4 } });
    expect(written.pairwise.win_rate.low).toBeLessThanOrEqual(wins / 4);
    expect(written.pairwise.win_rate.high).toBeGreaterThanOrEqual(wins / 4);

    const policy = path.join(dir, "pair-policy.yaml");
    writeFileSync(policy, `rules:\n  - min_win_rate: ${wins / 4}\n  - max_loss_rate: ${losses / 4}\n`);
    const passed = await runCli(["gate", candidate, "--policy", policy, "--out", path.join(dir, "pair-gate")]);
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    const gate = readReport(path.join(dir, "pair-gate")).gate!;
    expect(gate.rules.map((rule) => [rule.kind, rule.status, rule.measured])).toEqual([["min_win_rate", "pass", wins / 4], ["max_loss_rate", "pass", losses / 4]]);
    expect(gate.rules[0]!.message).toMatch(/win rate against the baseline \d+\.\d% \(\d\/4; 95% interval/);

    writeFileSync(policy, `rules:\n  - min_win_rate: ${Math.min(1, wins / 4 + 0.25)}\n  - max_loss_rate: ${Math.max(0, losses / 4 - 0.25)}\n`);
    const failed = await runCli(["gate", candidate, "--policy", policy, "--out", path.join(dir, "pair-gate-fail")]);
    const strict = readReport(path.join(dir, "pair-gate-fail")).gate!;
    const expectFail = wins < 4 || losses > 0;
    expect(failed.code).toBe(expectFail ? 1 : 0);
    if (wins < 4) expect(strict.rules[0]!.status).toBe("fail");
    if (losses > 0) expect(strict.rules[1]!.status).toBe("fail");
  });
});

describe("bonsai-eval judge-check", () => {
  it("grades the labelled set as the judge check does and reports agreement per label and judgements per second", async () => {
    const json = path.join(dir, "judge-check.json");
    const result = await runCli(["judge-check", "--no-cache", "--parallel", "2", "--json", json]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/agreement with the labels: \d+\.\d% \(\d+\/24\)/);
    expect(result.stdout).toMatch(/[\d.]+ judgements\/s at 2 parallel sequence\(s\)/);
    const measured = JSON.parse(readFileSync(json, "utf8"));
    expect(Object.values(measured.agreement.by_label).map((label: any) => label.total)).toEqual([6, 6, 6, 6]);
    // Grammar-constrained: every reply of the random-weights fixture still reads as a verdict.
    expect(measured.errors).toBe(0);
    for (const item of measured.items) expect(item.agrees).toBe(item.pass === item.expected_pass);
  });

  it("a bad labelled line is one line naming the file, line and field, exit 2", async () => {
    const set = path.join(dir, "bad-set.jsonl");
    writeFileSync(set, '{"id":"a","language":"ja","prompt":"p","answer":"x","label":"good"}\n{"id":"b","language":"ja","prompt":"p","answer":"x","label":"great"}\n');
    const result = await runCli(["judge-check", "--set", set]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`bonsai-eval: ${set}:2: label: must be one of good, wrong, looping, wrong_language`);
  });
});

const realModel = realModelStatus();
describe.skipIf(!realModel.present)(`judge-check with the real model as judge: ${REAL_MODEL.file}`, () => {
  it("every reply of a base model under the grammar reads as a verdict", async () => {
    const set = path.join(dir, "one-per-label.jsonl");
    const lines = readFileSync(packagePath("fixtures", "judge", "labelled.jsonl"), "utf8").trim().split("\n").slice(0, 4);
    writeFileSync(set, lines.join("\n") + "\n");
    const json = path.join(dir, "real-judge.json");
    const result = await runCli(["judge-check", "--model", realModel.path, "--template", REAL_MODEL.template, "--set", set, "--no-cache", "--parallel", "4", "--json", json]);
    expect(result.code, result.stderr).toBe(0);
    const measured = JSON.parse(readFileSync(json, "utf8"));
    expect(measured.errors).toBe(0);
    for (const item of measured.items) expect([1, 2, 3, 4, 5]).toContain(item.score);
  }, 240_000);

  it("run judges a judge check with the real model as the second model: its verdict parses and the signature names it", async () => {
    const one = path.join(dir, "real-one.yaml");
    writeFileSync(one, readFileSync(suiteFile, "utf8").split("  - id: fuji")[0]!);
    const out = path.join(dir, "real-run");
    const result = await runCli(["run", "--suite", one, "--out", out, "--judge-model", realModel.path, "--judge-template", REAL_MODEL.template, "--no-cache"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`judging 1 output(s) with ${REAL_MODEL.file}, template ${REAL_MODEL.template}`);
    const check = judgeResult(readReport(out).probes[0]!);
    expect(check.details.crashed).toBeUndefined();
    expect([1, 2, 3, 4, 5]).toContain(check.score);
    expect(check.details.signature).toMatch(new RegExp(`^judge:${REAL_MODEL.file.replace(/[.]/g, "\\.")}@[0-9a-f]{12}\\|tpl:${REAL_MODEL.template}\\|`));
  }, 240_000);
});
