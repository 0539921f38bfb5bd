/**
 * The diff as text: diff.md (short, for a CI job summary or a pull-request
 * comment) and the terminal summary. Same numbers as diff.html. Every string
 * that comes from a report is untrusted: Markdown gets it through
 * `markdownText` / `markdownCode`, the terminal through `oneVisibleLine`.
 */
import type { Diff, DiffProbe, GateRuleBrief, ReportRef } from "../format/diff.js";
import { changeText, invalidWarning } from "../compare/settings.js";
import { blamedHeading } from "./triage-words.js";
import { corpusLabel } from "../compare/paired.js";
import type { CorpusComparison, PairwiseComparison, PassComparison } from "../format/diff.js";
import { markdownCode, markdownText, oneVisibleLine } from "../util/untrusted-text.js";
import { interval, percent, points, pointsBare, pValue, score as formatScore, signedScore } from "./format.js";
import type { Colors } from "./terminal.js";

function headline(diff: Diff): string {
  const o = diff.pass.overall;
  if (o.pairs === 0) return diff.counts.matched > 0 ? "No pass/fail verdicts to compare (informational scores only)" : "No shared probes to compare";
  if (o.verdict === "regressed") return "Significant regression";
  if (o.verdict === "improved") return "Significant improvement";
  return "No significant change";
}

function passLine(c: PassComparison): string {
  return `${percent(c.base_pass_rate)} → ${percent(c.candidate_pass_rate)} (${points(c.delta)}), ${c.fixed} fixed, ${c.regressed} regressed, p = ${pValue(c.p_value)}`;
}

const MAX_LISTED = 20;

function probeList(title: string, probes: DiffProbe[], describe: (probe: DiffProbe) => string): string[] {
  if (probes.length === 0) return [];
  const lines = [`**${title} (${probes.length})**`, ""];
  for (const probe of probes.slice(0, MAX_LISTED)) lines.push(`- ${markdownCode(`${probe.suite}/${probe.id}`)} ${describe(probe)}`);
  if (probes.length > MAX_LISTED) lines.push(`- … and ${probes.length - MAX_LISTED} more (see diff.html)`);
  lines.push("");
  return lines;
}

export function renderDiffMarkdown(diff: Diff): string {
  const { counts, base, candidate, settings } = diff;
  const lines: string[] = [];
  lines.push(`### bonsai-eval diff: ${headline(diff)}`, "");
  lines.push(`**${markdownText(base.label)}** → **${markdownText(candidate.label)}** (${markdownText(base.model ?? base.path)} → ${markdownText(candidate.model ?? candidate.path)})`, "");
  lines.push(...settingsSection(diff));
  lines.push(...gateSection(candidate));
  lines.push(
    `On ${counts.matched} shared unchanged probes: ${passLine(diff.pass.overall)} (exact McNemar, α ${settings.alpha}). ` +
      `Probes edited ${counts.edited}, added ${counts.added}, removed ${counts.removed}; output changed on ${counts.output_changed}.`,
    "",
  );
  if (diff.dataset_changes.summary.length > 0) {
    lines.push("**Dataset changes** (not compared)", "", ...diff.dataset_changes.summary.map((line) => `- ${markdownText(line)}`), "");
  }
  lines.push(...groupTable(diff));
  lines.push(...corpusTable(diff));
  if (diff.pairwise) lines.push(pairwiseLine(diff.pairwise), "", ...diff.pairwise.signatures.map((signature) => `- judge ${markdownCode(signature, 400)}`), ...(diff.pairwise.baseline ? [`- baseline round ${markdownCode(diff.pairwise.baseline, 400)}`] : []), "");
  const scores = Object.values(diff.scores.overall).filter((s) => s.verdict === "improved" || s.verdict === "regressed" || s.verdict === "changed");
  if (scores.length > 0) {
    lines.push("**Score changes beyond noise**", "");
    for (const s of scores) {
      const warning = invalidWarning(diff.setting_changes, s.check);
      lines.push(
        `- ${markdownText(`${s.check}${s.unit ? ` (${s.unit})` : ""}`)}: ${formatScore(s.base_mean)} → ${formatScore(s.candidate_mean)} (${signedScore(s.delta)}, CI ${interval(s.ci.low, s.ci.high, signedScore)}, ${s.verdict})${
          warning ? ` — ⚠ ${markdownText(warning, 400)}` : ""
        }`,
      );
    }
    lines.push("");
  }
  const by = (change: DiffProbe["change"]) => diff.probes.filter((probe) => probe.change === change);
  const why = (probe: DiffProbe) => {
    const failed = probe.candidate?.failed_checks[0];
    return failed ? `— ${markdownText(`${failed.type}: ${failed.reason}`)}` : "";
  };
  lines.push(...probeList("Regressed", by("regressed"), why));
  lines.push(...probeList("Fixed", by("fixed"), () => ""));
  lines.push(...probeList("Edited probes (not compared)", by("edited"), (probe) => `— ${markdownText(probe.edited_fields?.join(", ") ?? "")}`));
  lines.push(...probeList("Stale outputs (another version of the probe; not scored, not compared)", by("stale"), () => ""));
  lines.push(...probeList("Added probes", by("added"), (probe) => `— ${markdownText(probe.candidate?.status ?? "")}`));
  lines.push(...probeList("Removed probes", by("removed"), () => ""));
  lines.push(...trendSection(diff));
  lines.push(`<sub>${markdownText(`${settings.test}; intervals: ${settings.interval}, ${settings.resamples} resamples, seed ${settings.seed}.`)}</sub>`, "");
  return lines.join("\n");
}

/** Every setting that differs between the rounds, at the top; those that make a comparison invalid say which checks. */
function settingsSection(diff: Diff): string[] {
  if (diff.setting_changes.length === 0) return [];
  const lines = [`**Settings that differ** (${diff.setting_changes.length})`, ""];
  for (const change of diff.setting_changes) {
    lines.push(`- ${change.invalidates.length > 0 ? "⚠ " : ""}${markdownText(changeText(change), 300)}${change.why ? ` — ${markdownText(`${change.why}: ${change.invalidates.join(", ")} not comparable`)}` : ""}`);
  }
  lines.push("");
  return lines;
}

/** The candidate's gate verdict, each failing rule and each warning with the probes behind it. */
function gateSection(candidate: ReportRef): string[] {
  const gate = candidate.gate;
  if (!gate) return [];
  const failed = gate.failed ?? [];
  const warned = gate.warned ?? [];
  const lines = [
    `**Gate: ${gate.pass ? "PASS" : "FAIL"}**${gate.policy ? ` (${markdownText(gate.policy)})` : ""}${failed.length > 0 ? `: ${failed.length} rule check(s) failed` : ""}${warned.length > 0 ? `, ${warned.length} warning(s)` : ""}`,
    "",
  ];
  const rule = (mark: string, brief: GateRuleBrief) => {
    lines.push(`- ${mark} ${markdownText(brief.rule)} (policy line ${brief.line}): ${markdownText(brief.message, 400)}`);
    const probes = brief.probes;
    if (probes && probes.total > 0) {
      const rest = probes.total - probes.listed.length;
      lines.push(`  - ${blamedHeading(probes)}: ${probes.listed.map((probe) => markdownCode(`${probe.suite}/${probe.id}`)).join(", ")}${rest > 0 ? ` and ${rest} more` : ""}`);
    }
  };
  for (const brief of failed) rule("✘", brief);
  for (const brief of warned) rule("⚠ warning:", brief);
  lines.push("");
  return lines;
}

/** Pass rates per suite, category, language and check; the groups where nothing flipped collapse to one line. */
function groupTable(diff: Diff): string[] {
  const { settings } = diff;
  const groups: Array<[string, PassComparison]> = [
    ...Object.entries(diff.pass.by_suite).map(([name, c]) => [`suite ${name}`, c] as [string, PassComparison]),
    ...Object.entries(diff.pass.by_category).map(([name, c]) => [`category ${name}`, c] as [string, PassComparison]),
    ...Object.entries(diff.pass.by_language).map(([name, c]) => [`language ${name}`, c] as [string, PassComparison]),
    ...Object.entries(diff.pass.by_check).map(([name, c]) => [`check ${name}`, c] as [string, PassComparison]),
  ];
  if (groups.length === 0) return [];
  const changed = groups.filter(([, c]) => c.fixed + c.regressed > 0);
  const unchanged = groups.filter(([, c]) => c.fixed + c.regressed === 0);
  const lines: string[] = [];
  if (changed.length > 0) {
    lines.push(`| group | pairs | base | candidate | Δ | ${Math.round(settings.confidence * 100)}% CI (pts) | fixed | regressed | p | verdict |`);
    lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const [name, c] of changed) {
      const warning = name.startsWith("check ") ? invalidWarning(diff.setting_changes, name.slice("check ".length)) : null;
      lines.push(
        `| ${markdownText(name)}${warning ? " ⚠" : ""} | ${c.pairs} | ${percent(c.base_pass_rate)} | ${percent(c.candidate_pass_rate)} | ${points(c.delta)} | ${interval(c.ci.low, c.ci.high, pointsBare)} | ${c.fixed} | ${c.regressed} | ${pValue(
          c.p_value,
        )} | ${c.verdict === "regressed" ? "**regressed**" : c.verdict}${warning ? ` (${markdownText(warning, 300)})` : ""} |`,
      );
    }
    lines.push("");
  }
  if (unchanged.length > 0) lines.push(`Unchanged (no probe flipped): ${unchanged.map(([name, c]) => `${markdownText(name)} ${percent(c.candidate_pass_rate)}`).join(", ")}`, "");
  return lines;
}

/** Every corpus score per suite with its interval; corpora whose score did not move collapse to one line. */
function corpusTable(diff: Diff): string[] {
  const all = Object.entries(diff.corpus).flatMap(([suite, list]) => list.map((c) => [suite, c] as [string, CorpusComparison]));
  if (all.length === 0) return [];
  const moved = all.filter(([, c]) => c.delta !== null && c.delta !== 0);
  const still = all.filter(([, c]) => c.delta === null || c.delta === 0);
  const lines = ["**Corpus metrics** (one per suite, language and signature)", ""];
  if (moved.length > 0) {
    lines.push(`| corpus (suite, metric, language, signature) | base | candidate | Δ | ${Math.round(diff.settings.confidence * 100)}% CI | segments | verdict |`, "|---|---:|---:|---:|---:|---:|---|");
    for (const [suite, c] of moved) {
      const warning = invalidWarning(diff.setting_changes, c.check);
      lines.push(
        `| ${markdownText(`${suite} ${corpusLabel(c)}`)} ${markdownCode(c.signature)} | ${formatScore(c.base)} | ${formatScore(c.candidate)} | ${signedScore(c.delta)} | ${interval(c.ci.low, c.ci.high, signedScore)} | ${c.segments} | ${
          c.verdict === "regressed" ? "**regressed**" : c.verdict
        }${warning ? ` ⚠ ${markdownText(warning, 300)}` : ""} |`,
      );
    }
    lines.push("");
  }
  if (still.length > 0) lines.push(`Unchanged: ${still.map(([suite, c]) => `${markdownText(`${suite} ${corpusLabel(c)}`)} ${formatScore(c.candidate)}`).join(", ")}`, "");
  return lines;
}

/** With more than two rounds: pass rates per round (by label) for the groups that moved; the rest on one line. */
function trendSection(diff: Diff): string[] {
  const trend = diff.trend;
  if (!trend) return [];
  const lines = [`**Trend over ${trend.reports.length} rounds**`, ""];
  const moved = trend.rows.filter((row) => row.group === "overall" || new Set(row.values.map((value) => value.pass_rate)).size > 1);
  const flat = trend.rows.filter((row) => !moved.includes(row));
  lines.push(`| group | ${trend.reports.map((ref) => markdownText(ref.label)).join(" | ")} |`, `|---|${trend.reports.map(() => "---:").join("|")}|`);
  for (const row of moved) {
    const cells = row.values.map((value, i) => {
      const step = row.steps[i];
      const mark = step && step.verdict === "regressed" ? " ▼" : step && step.verdict === "improved" ? " ▲" : "";
      return `${percent(value.pass_rate)}${mark}`;
    });
    lines.push(`| ${markdownText(row.group)} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  if (flat.length > 0) lines.push(`Unchanged over the rounds: ${flat.map((row) => `${markdownText(row.group)} ${percent(row.values[0]?.pass_rate)}`).join(", ")}`, "");
  for (const row of trend.corpus) {
    lines.push(`- corpus ${markdownText(`${row.suite} ${corpusLabel(row)}`)}: ${row.values.map((value) => formatScore(value.score)).join(" → ")}`);
  }
  if (trend.corpus.length > 0) lines.push("");
  return lines;
}

export function diffTerminalSummary(diff: Diff, colors: Colors, outDir?: string): string {
  const { counts, base, candidate } = diff;
  const o = diff.pass.overall;
  const lines: string[] = [];
  lines.push(colors.bold(`bonsai-eval diff: ${oneVisibleLine(base.label, 200)} → ${oneVisibleLine(candidate.label, 200)}`));
  for (const change of diff.setting_changes) {
    lines.push(colors.yellow(`${change.invalidates.length > 0 ? "! " : "~ "}setting differs: ${oneVisibleLine(changeText(change), 300)}${change.why ? ` (${change.why}: ${change.invalidates.join(", ")} not comparable)` : ""}`));
  }
  const head = headline(diff);
  lines.push(o.verdict === "regressed" ? colors.red(head) : o.verdict === "improved" ? colors.green(head) : head);
  lines.push(`${counts.matched} shared unchanged probes: ${passLine(o)}`);
  lines.push(
    `${colors.red(`${counts.regressed} regressed`)}, ${colors.green(`${counts.fixed} fixed`)}, ${counts.still_failing} still failing, ${counts.output_changed} output changed; probes edited ${counts.edited}, added ${counts.added}, removed ${counts.removed}${
      counts.stale ? colors.yellow(`, stale ${counts.stale} (not compared)`) : ""
    }${counts.scored ? `; ${counts.scored} scored without a verdict` : ""}`,
  );
  if (diff.dataset_changes.summary.length > 0) lines.push(`dataset changes: ${oneVisibleLine(diff.dataset_changes.summary.join("; "), 400)}`);
  if (diff.pairwise) lines.push(pairwiseLine(diff.pairwise));
  const flagged = [
    ...Object.entries(diff.pass.by_suite).map(([name, c]) => [`suite ${name}`, c] as const),
    ...Object.entries(diff.pass.by_category).map(([name, c]) => [`category ${name}`, c] as const),
    ...Object.entries(diff.pass.by_language).map(([name, c]) => [`language ${name}`, c] as const),
  ].filter(([, c]) => c.verdict === "regressed" || c.verdict === "improved");
  for (const [name, c] of flagged) lines.push(`  ${c.verdict === "regressed" ? colors.red("▼") : colors.green("▲")} ${oneVisibleLine(name, 200)}: ${passLine(c)}`);
  for (const probe of diff.probes.filter((p) => p.change === "regressed").slice(0, 10)) {
    const failed = probe.candidate?.failed_checks[0];
    lines.push(`  ${colors.red("✘")} ${oneVisibleLine(probe.suite, 200)} › ${oneVisibleLine(probe.id, 200)}${failed ? colors.dim(`  ${oneVisibleLine(`${failed.type}: ${failed.reason}`, 90)}`) : ""}`);
  }
  if (counts.regressed > 10) lines.push(colors.dim(`  … and ${counts.regressed - 10} more regressed`));
  for (const [suite, c] of movedCorpora(diff)) {
    lines.push(`  ${c.verdict === "regressed" ? colors.red("▼") : colors.green("▲")} corpus ${oneVisibleLine(`${suite} ${corpusLabel(c)}`, 200)}: ${corpusLine(c)}`);
  }
  if (diff.trend) {
    const overall = diff.trend.rows.find((row) => row.group === "overall");
    if (overall) lines.push(`trend (overall pass rate): ${overall.values.map((value) => percent(value.pass_rate)).join(" → ")}`);
  }
  if (outDir) {
    const dir = oneVisibleLine(outDir, 200);
    lines.push(`diff: ${dir}/diff.html, ${dir}/diff.md, ${dir}/diff.json`);
  }
  return lines.join("\n");
}

/** Corpora whose score moved beyond noise, each on its own: a corpus is one metric in one language computed one way. */
function movedCorpora(diff: Diff): Array<[string, CorpusComparison]> {
  return Object.entries(diff.corpus).flatMap(([suite, list]) => list.filter((c) => c.verdict === "improved" || c.verdict === "regressed").map((c) => [suite, c] as [string, CorpusComparison]));
}

function corpusLine(c: CorpusComparison): string {
  return `${formatScore(c.base)} → ${formatScore(c.candidate)} (${signedScore(c.delta)}, CI ${interval(c.ci.low, c.ci.high, signedScore)}, ${c.segments} segments, ${c.verdict})`;
}

/** "pairwise judge: win 40.0% (4/10, 95% interval 10.0%–70.0%), loss 20.0% (…); 3 ties, 1 inconsistent" */
function pairwiseLine(p: PairwiseComparison): string {
  const rate = (name: string, r: PairwiseComparison["win_rate"], n: number) =>
    `${name} ${percent(r.estimate)} (${n}/${p.comparisons}, ${(r.confidence * 100).toFixed(0)}% interval ${percent(r.low)}–${percent(r.high)})`;
  return `pairwise judge against the base round: ${rate("win", p.win_rate, p.counts.win)}, ${rate("loss", p.loss_rate, p.counts.loss)}; ${p.counts.tie} tie(s), ${p.counts.inconsistent} inconsistent (the two orders disagreed)`;
}
