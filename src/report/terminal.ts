/**
 * The terminal summary printed at the end of run and score. Colours only on a
 * TTY without NO_COLOR. Every string from a report (names, ids, reasons quoting
 * model text) is printed through `oneVisibleLine`, so it cannot steer the terminal.
 */
import { oneVisibleLine } from "../util/untrusted-text.js";
import type { GateResult, Report } from "./types.js";

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

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
/** An untrusted name or id on a terminal line. */
const shown = (text: string) => oneVisibleLine(text, 200);

export function terminalSummary(report: Report, colors: Colors, reportDir?: string): string {
  const { summary, manifest, problems } = report;
  const lines: string[] = [];
  const model = manifest.model ? `${shown(manifest.model.file_name)}${manifest.model.is_fixture ? " (fixture model, random weights)" : ""}` : "recorded outputs";
  lines.push(colors.bold(`bonsai-eval ${manifest.kind}: ${model}`));
  if (!manifest.complete) {
    const why = manifest.kind === "merge" ? "a shard is missing or was interrupted" : "the run was interrupted";
    lines.push(colors.yellow(`INCOMPLETE: ${why}; probes without output count as failed`));
  }
  const rate = summary.pass_rate === 1 ? colors.green(pct(summary.pass_rate)) : colors.bold(pct(summary.pass_rate));
  lines.push(`${summary.passed}/${summary.total} probes passed (${rate})${summary.missing ? colors.yellow(`, ${summary.missing} missing`) : ""}${summary.errors ? colors.red(`, ${summary.errors} errors`) : ""}`);
  const table = (title: string, buckets: Record<string, { passed: number; total: number; pass_rate: number }>) => {
    const keys = Object.keys(buckets).sort();
    if (keys.length === 0) return;
    const names = new Map(keys.map((key) => [key, shown(key)]));
    const width = Math.max(...[...names.values()].map((name) => name.length));
    lines.push(colors.dim(title));
    for (const key of keys) {
      const b = buckets[key]!;
      lines.push(`  ${names.get(key)!.padEnd(width)}  ${`${b.passed}/${b.total}`.padStart(7)}  ${pct(b.pass_rate).padStart(6)}`);
    }
  };
  table("by suite", summary.by_suite);
  table("by check", summary.by_check);
  const failed = report.probes.filter((probe) => !probe.pass);
  if (failed.length > 0) {
    lines.push(colors.dim(`failed (${failed.length})`));
    for (const probe of failed.slice(0, 15)) {
      const check = probe.checks.find((c) => !c.pass);
      const why = probe.status === "missing" ? "no output" : check ? `${check.type}: ${check.details.reason}` : probe.status;
      lines.push(`  ${colors.red("✘")} ${shown(probe.suite)} › ${shown(probe.id)}  ${colors.dim(oneVisibleLine(why, 100))}`);
    }
    if (failed.length > 15) lines.push(colors.dim(`  … and ${failed.length - 15} more (see the report)`));
  }
  if (problems.unknown_outputs.length > 0) lines.push(colors.yellow(`${problems.unknown_outputs.length} output line(s) match no probe`));
  if (manifest.timings.tokens_per_second !== null) {
    lines.push(colors.dim(`${manifest.timings.generated_tokens} tokens generated at ${manifest.timings.tokens_per_second.toFixed(1)} tokens/s; wall ${(manifest.timings.wall_ms / 1000).toFixed(1)} s`));
  }
  if (report.gate) lines.push(...gateSummary(report.gate, colors));
  if (reportDir) lines.push(`report: ${shown(reportDir)}/report.html`);
  return lines.join("\n");
}

/** The gate's verdict: PASS/FAIL, then each failed rule with what was measured and the limit. */
export function gateSummary(gate: GateResult, colors: Colors): string[] {
  const lines: string[] = [];
  const policy = shown(gate.policy.name ?? gate.policy.path);
  const skipped = gate.counts.skipped ? `, ${gate.counts.skipped} skipped` : "";
  const baseline = gate.baseline ? ` vs baseline ${shown(gate.baseline.path)}` : "";
  lines.push(
    gate.pass
      ? colors.green(colors.bold(`GATE PASS: ${gate.counts.passed}/${gate.counts.rules} rule checks hold${skipped} (${policy}${baseline})`))
      : colors.red(colors.bold(`GATE FAIL: ${gate.counts.failed} of ${gate.counts.rules} rule checks failed${skipped} (${policy}${baseline})`)),
  );
  for (const rule of gate.rules) {
    if (rule.status === "pass") continue;
    const mark = rule.status === "fail" ? colors.red("✘") : colors.yellow("–");
    lines.push(`  ${mark} ${shown(rule.rule)} ${colors.dim(`(policy line ${rule.line})`)}: ${oneVisibleLine(rule.message, 400)}`);
  }
  return lines;
}
