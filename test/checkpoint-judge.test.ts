/**
 * `BONSAI_MODEL=… npm test` with judge checks: BONSAI_JUDGE_MODEL (and
 * BONSAI_JUDGE_TEMPLATE) judge them after generation, as `run --judge-model`
 * does, so a checkpoint's open answers are graded in CI too; a missing judge
 * file is one line naming the variable.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { checkpointVitest, FIXTURE_MODEL, tempDir } from "./helpers.js";

const dir = tempDir("bonsai-checkpoint-judge-");

const suite = path.join(dir, "judged.yaml");
writeFileSync(
  suite,
  `suite: judged-checkpoint
defaults: {language: ja, category: creative, max_tokens: 8}
probes:
  - {id: haiku, prompt: 春の俳句を一つ書いてください。, checks: [{type: judge, rubric: "A short haiku about spring.", min_score: 1}]}
  - {id: autumn, prompt: 秋の俳句を一つ書いてください。, checks: [{type: judge, rubric: "A short haiku about autumn.", min_score: 1}]}
`,
);

describe("npm test against a checkpoint, with judge checks", () => {
  it("BONSAI_JUDGE_MODEL judges them after generation: every judge check has a verdict, each probe a passing test", async () => {
    const out = path.join(dir, "judged");
    const result = await checkpointVitest([], { BONSAI_MODEL: FIXTURE_MODEL, BONSAI_SUITES: suite, BONSAI_OUT: out, BONSAI_JUDGE_MODEL: "self", BONSAI_JUDGE_TEMPLATE: "chatml" });
    expect(result.output).toContain("judging 2 output(s) with the evaluated model (tiny-bonsai.gguf), template chatml");
    expect(result.code, result.output).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Report;
    expect(report.manifest.judge).toMatchObject({ judged: 2, template: "chatml" });
    for (const probe of report.probes) {
      const check = probe.checks.find((each) => each.type === "judge")!;
      expect(check.details.signature).toContain("|tpl:chatml|");
      expect(probe.status).toBe("pass");
    }
    expect(result.output).toContain("judged-checkpoint › haiku");
  }, 180_000);

  it("a judge model file that is not there is one line naming BONSAI_JUDGE_MODEL", async () => {
    const missing = path.join(dir, "absent.gguf");
    const result = await checkpointVitest([], { BONSAI_MODEL: FIXTURE_MODEL, BONSAI_SUITES: suite, BONSAI_OUT: path.join(dir, "never"), BONSAI_JUDGE_MODEL: missing });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`bonsai-eval: ${missing}: BONSAI_JUDGE_MODEL: no such judge model file`);
  }, 120_000);
});
