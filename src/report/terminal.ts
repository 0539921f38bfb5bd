/**
 * The terminal summary printed at the end of run and score. Colours only on a
 * TTY without NO_COLOR. Every string from a report (names, ids, reasons quoting
 * model text) is printed through `oneVisibleLine`, so it cannot steer the terminal.
 */
import { recordedFacts } from "../checks/facts.js";
import { oneVisibleLine } from "../util/untrusted-text.js";
import { percent } from "./format.js";
import { labelOf } from "../format/report-file.js";
import { changeText } from "../compare/settings.js";
import { blamedHeading, changeWords } from "./triage-words.js";
import type { GateResult, GateRuleProbes, Report } from "../format/report.js";

export interface Colors {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

export function colorsFor(stream: NodeJS.WriteStream): Colors {
  const on = Boolean(stream.isTTY) && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "") && process.env.TERM !== "dumb";
  const wrap = (open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}

/** An untrusted name or id on a terminal line. */
const shown = (text: string) => oneVisibleLine(text, 200);

export function terminalSummary(report: Report, colors: Colors, reportDir?: string): string {
  const { summary, manifest, problems } = report;
  const lines: string[] = [];
  const model = manifest.model ? `${shown(manifest.model.file_name)}${manifest.model.is_fixture ? " (fixture model, random weights)" : ""}` : "recorded outputs";
  const label = labelOf(manifest);
  lines.push(colors.bold(`bonsai-eval ${manifest.kind}: ${label === manifest.model?.file_name ? model : `${shown(label)} (${model})`}`));
  if (!manifest.complete) {
    const why = manifest.kind === "merge" ? "a shard is missing or was interrupted" : "the run was interrupted";
    lines.push(colors.yellow(`INCOMPLETE: ${why}; probes without output count as failed`));
  }
  const rate = summary.pass_rate === null ? "no verdicts" : summary.pass_rate === 1 ? colors.green(percent(summary.pass_rate)) : colors.bold(percent(summary.pass_rate));
  // Probes without a verdict (informational only, stale) are counted beside the rate, never in it.
  const unjudged = `${summary.scored ? `, ${summary.scored} scored (no threshold)` : ""}${summary.stale ? colors.yellow(`, ${summary.stale} stale (not scored)`) : ""}`;
  lines.push(`${summary.passed}/${summary.passed + summary.failed} probes passed (${rate})${unjudged}${summary.missing ? colors.yellow(`, ${summary.missing} missing`) : ""}${summary.errors ? colors.red(`, ${summary.errors} errors`) : ""}`);
  const table = (title: string, buckets: Record<string, { passed: number; failed: number; no_verdict: number; pass_rate: number | null }>) => {
    const keys = Object.keys(buckets).sort();
    if (keys.length === 0) return;
    const names = new Map(keys.map((key) => [key, shown(key)]));
    const width = Math.max(...[...names.values()].map((name) => name.length));
    lines.push(colors.dim(title));
    for (const key of keys) {
      const b = buckets[key]!;
      const judged = b.passed + b.failed;
      const counts = judged === 0 ? "—".padStart(7) : `${b.passed}/${judged}`.padStart(7);
      const note = b.no_verdict === 0 ? "" : colors.dim(`  +${b.no_verdict} without a verdict`);
      lines.push(`  ${names.get(key)!.padEnd(width)}  ${counts}  ${percent(b.pass_rate).padStart(6)}${note}`);
    }
  };
  table("by suite", summary.by_suite);
  table("by check", summary.by_check);
  lines.push(...measurementLines(report, colors));
  const failed = report.probes.filter((probe) => probe.pass === false);
  if (failed.length > 0) {
    // Against a baseline, each failure says whether it is new: regressions first, then new and edited probes, then old failures.
    const rank = (probe: (typeof failed)[number]) => (probe.change === "regressed" ? 0 : probe.change === "still_failing" ? 2 : 1);
    if (failed.some((probe) => probe.change !== undefined)) failed.sort((a, b) => rank(a) - rank(b));
    const byChange = new Map<string, number>();
    for (const probe of failed) if (probe.change) byChange.set(changeWords(probe.change), (byChange.get(changeWords(probe.change)) ?? 0) + 1);
    const tally = byChange.size === 0 ? "" : `: ${[...byChange].map(([words, count]) => `${count} ${words}`).join(", ")}`;
    lines.push(colors.dim(`failed (${failed.length})${tally}`));
    for (const probe of failed.slice(0, 15)) {
      const check = probe.checks.find((c) => c.pass === false);
      const why = probe.status === "missing" ? "no output" : check ? `${check.type}: ${check.details.reason}` : probe.status;
      const change = probe.change === undefined ? "" : probe.change === "regressed" ? ` ${colors.red("[regressed]")}` : ` ${colors.dim(`[${changeWords(probe.change)}]`)}`;
      lines.push(`  ${colors.red("✘")} ${shown(probe.suite)} › ${shown(probe.id)}${change}  ${colors.dim(oneVisibleLine(why, 100))}`);
    }
    if (failed.length > 15) lines.push(colors.dim(`  … and ${failed.length - 15} more (see the report)`));
  }
  if (problems.unknown_outputs.length > 0) lines.push(colors.yellow(`${problems.unknown_outputs.length} output line(s) match no probe`));
  if (problems.unknown_samples.length > 0) {
    lines.push(colors.yellow(`${problems.unknown_samples.length} output line(s) have a sample index their probe does not have; not scored`));
    for (const extra of problems.unknown_samples.slice(0, 5)) {
      lines.push(`  ${colors.yellow("~")} ${shown(extra.suite)} › ${shown(extra.id)}  ${colors.dim(`sample ${extra.sample} of ${extra.samples} (0–${extra.samples - 1}), line ${extra.line}`)}`);
    }
  }
  if (problems.stale_outputs.length > 0) {
    const scored = problems.stale_outputs.some((stale) => stale.scored);
    lines.push(colors.yellow(`${problems.stale_outputs.length} output line(s) were generated for another version of their probe: ${scored ? "scored anyway (--allow-stale), marked stale" : "status stale, not scored (--allow-stale scores them)"}`));
    for (const stale of problems.stale_outputs.slice(0, 5)) lines.push(`  ${colors.yellow("~")} ${shown(stale.suite)} › ${shown(stale.id)}  ${colors.dim(`line ${stale.line}`)}`);
  }
  if (summary.unverified > 0) lines.push(colors.dim(`${summary.unverified} probe(s) scored from output lines without a probe_hash (unverified)`));
  if (manifest.timings.tokens_per_second !== null) {
    lines.push(colors.dim(`${manifest.timings.generated_tokens} tokens generated at ${manifest.timings.tokens_per_second.toFixed(1)} tokens/s; wall ${(manifest.timings.wall_ms / 1000).toFixed(1)} s`));
  }
  if (report.gate) lines.push(...gateSummary(report.gate, colors));
  if (reportDir) lines.push(`report: ${shown(reportDir)}/report.html`);
  return lines.join("\n");
}

/** Informational checks as values: corpus scores with their signature, and means per language and unit. */
function measurementLines(report: Report, colors: Colors): string[] {
  const lines: string[] = [];
  for (const [suite, metrics] of Object.entries(report.summary.corpus_metrics).sort(([a], [b]) => a.localeCompare(b))) {
    for (const metric of metrics) {
      lines.push(`  ${shown(suite)} ${metric.type} ${shown(metric.language ?? "")}: ${metric.score.toFixed(2)} over ${metric.segments} segment(s)  ${colors.dim(metric.signature)}`);
    }
  }
  for (const [type, bucket] of Object.entries(report.summary.by_check).sort(([a], [b]) => a.localeCompare(b))) {
    // Reference metrics are shown by their corpus score above, not by a mean of sentence scores.
    if (bucket.passed + bucket.failed > 0 || recordedFacts(report.summary, type)?.aggregate === "corpus") continue;
    for (const mean of bucket.means) lines.push(`  ${shown(type)} ${shown(mean.language)}${mean.unit ? ` (${shown(mean.unit)})` : ""}: mean ${mean.mean.toFixed(4)} over ${mean.results} result(s)`);
  }
  return lines.length === 0 ? [] : [colors.dim("measured (corpus scores; informational checks have a value, no pass)"), ...lines];
}

/** The probes behind a rule, one a line under it, and a count of those not listed. */
function blamedLines(probes: GateRuleProbes, colors: Colors): string[] {
  const lines = [`      ${colors.dim(blamedHeading(probes))}`];
  for (const probe of probes.listed) {
    lines.push(`      › ${shown(probe.suite)} › ${shown(probe.id)}${probe.reason ? colors.dim(`  ${oneVisibleLine(probe.reason, 100)}`) : ""}`);
  }
  if (probes.total > probes.listed.length) lines.push(colors.dim(`      … and ${probes.total - probes.listed.length} more (see the report)`));
  return lines;
}

/** The gate's verdict: PASS/FAIL, then each failed rule and each warning with what was measured, the limit and the probes behind it. */
export function gateSummary(gate: GateResult, colors: Colors): string[] {
  const lines: string[] = [];
  const policy = shown(gate.policy.name ?? gate.policy.path);
  const warned = gate.counts.warned ?? 0;
  const skipped = `${gate.counts.skipped ? `, ${gate.counts.skipped} skipped` : ""}${warned ? `, ${warned} warning${warned === 1 ? "" : "s"}` : ""}`;
  const baseline = gate.baseline
    ? ` vs baseline ${gate.baseline.label ? `${shown(gate.baseline.label)} (${shown(gate.baseline.path)})` : shown(gate.baseline.path)}`
    : "";
  lines.push(
    gate.pass
      ? colors.green(colors.bold(`GATE PASS: ${gate.counts.passed}/${gate.counts.rules} rule checks hold${skipped} (${policy}${baseline})`))
      : colors.red(colors.bold(`GATE FAIL: ${gate.counts.failed} of ${gate.counts.rules} rule checks failed${skipped} (${policy}${baseline})`)),
  );
  const changes = gate.setting_changes ?? [];
  if (changes.length > 0) {
    lines.push(colors.yellow(`settings that differ from the baseline (${changes.length}):`));
    for (const change of changes) lines.push(`  ${change.invalidates.length > 0 ? colors.yellow("!") : "~"} ${oneVisibleLine(changeText(change), 300)}${change.why ? colors.dim(`  ${change.why}: ${change.invalidates.join(", ")} not comparable`) : ""}`);
  }
  for (const rule of gate.rules) {
    if (rule.status === "pass") continue;
    const mark = rule.status === "fail" ? colors.red("✘") : rule.status === "warn" ? colors.yellow("!") : colors.yellow("–");
    const warning = rule.status === "warn" ? colors.yellow("warning: ") : "";
    lines.push(`  ${mark} ${warning}${shown(rule.rule)} ${colors.dim(`(policy line ${rule.line})`)}: ${oneVisibleLine(rule.message, 400)}`);
    if (rule.probes && rule.probes.total > 0) lines.push(...blamedLines(rule.probes, colors));
  }
  return lines;
}
