/**
 * Given two rounds whose flips are known (test/report-builder.ts), the diff
 * lists each probe's change and its statistics equal the hand computation.
 */
import { describe, expect, it } from "vitest";
import { diffReports, trend } from "../src/compare/diff.js";
import { renderDiffHtml } from "../src/report/diff-html.js";
import { renderDiffMarkdown } from "../src/report/diff-text.js";
import { loaded, probe, report, twoRounds } from "./report-builder.js";

const { base, candidate } = twoRounds();
const diff = diffReports(loaded(base, "base/report.json"), loaded(candidate, "cand/report.json"), { now: new Date("2025-01-09T00:00:00Z") });

describe("diff of two rounds", () => {
  it("lists added, removed and edited probes apart from behaviour changes", () => {
    expect(diff.counts).toEqual({
      matched: 16, fixed: 1, regressed: 13, still_failing: 1, still_passing: 1, scored: 0, edited: 1, stale: 0, added: 1, removed: 1, output_changed: 9,
    });
    const ids = (change: string) => diff.probes.filter((p) => p.change === change).map((p) => `${p.suite}/${p.id}`);
    expect(ids("regressed")).toEqual(["ja/a0", "ja/a1", "ja/a2", "ja/a3", "ja/a4", "ja/a5", "ja/a6", "zh/b0", "zh/b1", "zh/b2", "zh/b3", "zh/b4", "zh/b5"]);
    expect(ids("fixed")).toEqual(["ja/a7"]);
    expect(ids("still_failing")).toEqual(["ja/a8"]);
    expect(ids("edited")).toEqual(["zh/b6"]);
    expect(ids("added")).toEqual(["zh/b8"]);
    expect(ids("removed")).toEqual(["zh/b7"]);
    const edited = diff.probes.find((p) => p.id === "b6")!;
    expect(edited.edited_fields).toEqual(["prompt"]);
    expect([edited.base!.prompt, edited.candidate!.prompt]).toEqual(["旧的问题", "新的问题"]);
    expect(diff.probes.find((p) => p.id === "a8")).toMatchObject({ output_changed: true, base: { output: "回答 a8" }, candidate: { output: "新しい回答 a8" } });
  });

  it("computes the exact McNemar p-values by hand: 13 regressed vs 1 fixed overall, 7 vs 1 and 6 vs 0 by suite", () => {
    const overall = diff.pass.overall;
    expect(overall).toMatchObject({ pairs: 16, base_passed: 14, candidate_passed: 2, fixed: 1, regressed: 13, still_failing: 1, still_passing: 1 });
    expect(overall.base_pass_rate).toBe(14 / 16);
    expect(overall.candidate_pass_rate).toBe(2 / 16);
    expect(overall.delta).toBe(-12 / 16);
    // 2 · (C(14,0) + C(14,1)) / 2^14 = 30 / 16384
    expect(overall.p_value).toBe(30 / 16384);
    expect(overall.verdict).toBe("regressed");

    // ja: 2 · (1 + 8) / 256 = 0.0703125 — seven probes on a ten-probe suite is not enough to call it
    expect(diff.pass.by_suite.ja).toMatchObject({ pairs: 10, regressed: 7, fixed: 1, verdict: "no significant change" });
    expect(diff.pass.by_suite.ja!.p_value).toBe(18 / 256);
    // zh: 2 · (1/2)^6 = 0.03125 < 0.05; the edited, removed and added probes are not in the pairs
    expect(diff.pass.by_suite.zh).toMatchObject({ pairs: 6, regressed: 6, fixed: 0, verdict: "regressed" });
    expect(diff.pass.by_suite.zh!.p_value).toBe(1 / 32);
    expect(Object.keys(diff.pass.by_category)).toEqual(["open_qa", "translation"]);
    expect(diff.pass.by_language.zh!.p_value).toBe(1 / 32);
    expect(diff.pass.by_check.contains).toMatchObject({ pairs: 16, regressed: 13, fixed: 1 });
    expect(diff.pass.by_check.repetition).toMatchObject({ pairs: 10, regressed: 0, fixed: 0, p_value: 1, verdict: "no significant change" });
  });

  it("bounds pass-rate deltas with a seeded paired bootstrap that is reproducible", () => {
    const again = diffReports(loaded(base), loaded(candidate), { now: new Date(0) });
    expect(again.pass.overall.ci).toEqual(diff.pass.overall.ci);
    const { low, high } = diff.pass.overall.ci;
    expect(low!).toBeLessThanOrEqual(-12 / 16);
    expect(high!).toBeGreaterThanOrEqual(-12 / 16);
    expect(high!).toBeLessThan(0);
    expect(diff.settings).toMatchObject({ alpha: 0.05, confidence: 0.95, resamples: 1000, seed: 0 });
  });

  it("compares scores in the check's direction: repetition 0.1 → 0.3 on every pair is a regression", () => {
    const repetition = diff.scores.overall.repetition!;
    expect(repetition).toMatchObject({ check: "repetition", better: "lower", pairs: 10, verdict: "regressed" });
    expect(repetition.base_mean).toBeCloseTo(0.1, 12);
    expect(repetition.candidate_mean).toBeCloseTo(0.3, 12);
    expect(repetition.delta).toBeCloseTo(0.2, 12);
    expect(repetition.ci.low).toBeCloseTo(0.2, 12);
    expect(repetition.ci.high).toBeCloseTo(0.2, 12);
    expect(diff.scores.overall.contains).toMatchObject({ better: "higher", pairs: 16 });
    expect(diff.scores.by_suite.zh!.contains!.delta).toBe(-1);
  });

  it("writes a short markdown summary and a self-contained page", () => {
    const md = renderDiffMarkdown(diff);
    expect(md).toContain("### bonsai-eval diff: Significant regression");
    expect(md).toContain("13 regressed");
    expect(md).toContain("| suite ja | 10 | 80.0% | 20.0% | −60.0 pts |");
    expect(md).toContain("**Edited probes (not compared) (1)**");
    expect(md.split("\n").length).toBeLessThan(80);
    const html = renderDiffHtml(diff);
    expect(html).toContain(`data-verdict="regressed"`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("builds a trend across a series of rounds", () => {
    const third = report([probe({ id: "a0", pass: true }), probe({ id: "a9", pass: true })], { created_at: "2025-01-15T00:00:00.000Z" });
    const series = trend([loaded(base), loaded(candidate), loaded(third)]);
    const overall = series.rows.find((row) => row.group === "overall")!;
    expect(overall.values.map((v) => v.total)).toEqual([18, 18, 2]);
    expect(overall.values[2]!.pass_rate).toBe(1);
    expect(overall.steps[0]).toBeNull();
    expect(overall.steps[1]).toMatchObject({ pairs: 16, verdict: "regressed" });
    expect(overall.steps[2]).toMatchObject({ pairs: 2, verdict: "no significant change" });
    expect(series.rows.map((row) => row.group)).toContain("suite zh");
  });
});
