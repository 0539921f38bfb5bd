/**
 * Where `run` takes its judge from, through the CLI on the fixture model:
 * --judge-model/--judge-template, else $BONSAI_JUDGE_MODEL and
 * $BONSAI_JUDGE_TEMPLATE (as a checkpoint's `npm test` does), every error
 * naming the flag or variable the value came from and saying it is the
 * judge's; the template file read once; and $BONSAI_BASELINE=last-accepted
 * for pairwise judging without a gate.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readJudgements } from "../src/format/judgements.js";
import type { Report } from "../src/format/report.js";
import { sha256 } from "../src/util/json.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-judge-settings-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const read = (out: string) => JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
const graded = at("graded.yaml");
const pairs = at("pairs.yaml");
const store = at("history.sqlite");
const noEnv = { BONSAI_JUDGE_MODEL: "", BONSAI_JUDGE_TEMPLATE: "", BONSAI_BASELINE: "" };

beforeAll(async () => {
  writeFileSync(graded, `suite: graded\ndefaults: {language: ja, category: creative, max_tokens: 4}\nprobes:\n  - {id: haiku, prompt: 春の俳句を一つ書いてください。, checks: [{type: judge, rubric: "A haiku about spring."}]}\n`);
  writeFileSync(
    pairs,
    `suite: pairs\ndefaults: {language: ja, category: brainstorming}\nprobes:\n  - {id: spring, prompt: 春の楽しみ方を挙げてください。, checks: [{type: judge, mode: pairwise, rubric: "More useful Japanese wins."}]}\n`,
  );
  const first = await runCli(["run", "--suite", pairs, "--out", at("accepted"), "--max-tokens", "4", "--label", "accepted", "--history", store, "--quiet"], { env: noEnv });
  expect(first.code, first.stderr).toBe(0);
  expect((await runCli(["history", "accept", "accepted", "--history", store])).code).toBe(0);
}, 120_000);

describe("run's judge settings", () => {
  it("BONSAI_JUDGE_TEMPLATE is read by run, and its error names the variable; --judge-template over it names the flag", async () => {
    const absent = at("absent-template.txt");
    const fromEnv = await runCli(["run", "--suite", graded, "--out", at("env-template"), "--judge-model", "self"], { env: { ...noEnv, BONSAI_JUDGE_TEMPLATE: absent } });
    expect(fromEnv.code, fromEnv.stderr).toBe(2);
    expect(fromEnv.stderr.trim()).toBe(`bonsai-eval: BONSAI_JUDGE_TEMPLATE: unknown template "${absent}": not auto, raw, one of phi2, alpaca, chatml, phi3, llama3, gemma, nor a readable file`);
    expect(existsSync(at("env-template"))).toBe(false);

    const fromFlag = await runCli(["run", "--suite", graded, "--out", at("flag-template"), "--judge-model", "self", "--judge-template", absent], { env: { ...noEnv, BONSAI_JUDGE_TEMPLATE: "chatml" } });
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toContain(`bonsai-eval: --judge-template: unknown template "${absent}"`);

    const alone = await runCli(["run", "--suite", graded, "--out", at("alone")], { env: { ...noEnv, BONSAI_JUDGE_TEMPLATE: "chatml" } });
    expect(alone.code).toBe(2);
    expect(alone.stderr.trim()).toBe("bonsai-eval: BONSAI_JUDGE_TEMPLATE: BONSAI_JUDGE_TEMPLATE needs --judge-model (or BONSAI_JUDGE_MODEL)");
  }, 120_000);

  it("a judge model path that is no file is named as the judge's, with the flag or variable it came from", async () => {
    const folder = at("not-a-model");
    mkdirSync(folder);
    const flag = await runCli(["run", "--suite", graded, "--out", at("flag-model"), "--judge-model", folder], { env: noEnv });
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe(`bonsai-eval: ${folder}: --judge-model: judge model: model path is not a file`);
    const env = await runCli(["run", "--suite", graded, "--out", at("env-model")], { env: { ...noEnv, BONSAI_JUDGE_MODEL: folder } });
    expect(env.code).toBe(2);
    expect(env.stderr.trim()).toBe(`bonsai-eval: ${folder}: BONSAI_JUDGE_MODEL: judge model: model path is not a file`);
    expect(existsSync(at("flag-model")) || existsSync(at("env-model"))).toBe(false);
  }, 120_000);

  it("a judge template file is read once: a pipe that gives its text once is enough, and the verdict records that text's hash", async () => {
    const pipe = at("template.fifo");
    execFileSync("mkfifo", [pipe]);
    const text = "Grade this.\n{prompt}\nVerdict:";
    // One writer: a second read of the template (to build it after hashing) would wait for ever.
    const written = writeFile(pipe, text);
    const out = at("fifo");
    const result = await runCli(["run", "--suite", graded, "--out", out, "--judge-model", "self", "--judge-template", pipe, "--no-cache"], { env: noEnv });
    await written;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("judging 1 output(s)");
    const [line] = [...readJudgements(path.join(out, "judgements.jsonl")).values()];
    expect(line!.judge.template_sha256).toBe(sha256(Buffer.from(text)));
  }, 120_000);

  it("an ungated pairwise run takes $BONSAI_BASELINE=last-accepted, as --help says", async () => {
    const out = at("ungated");
    const result = await runCli(["run", "--suite", pairs, "--out", out, "--max-tokens", "4", "--judge-model", "self", "--history", store], { env: { ...noEnv, BONSAI_BASELINE: "last-accepted" } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/baseline: last accepted round "accepted" .*; pairwise judge checks compare with it/);
    expect(read(out).manifest.judge).toMatchObject({ judged: 1, without_baseline: 0, baseline: "history.sqlite#accepted" });
  }, 120_000);
});
