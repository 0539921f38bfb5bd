/**
 * The gate on report.html: the verdict banner (PASS / FAIL / no gate, why, the
 * failing rules with links to the probes behind them) and the table of every
 * rule checked.
 */
import type { GateResult, Report } from "../format/report.js";
import { html, joinHtml, type SafeHtml } from "../util/html.js";
import { percent, score as formatScore } from "./format.js";
import { probeAnchor } from "./probe-table.js";
import { blamedHeading } from "./triage-words.js";

function gateLine(rule: GateResult["rules"][number]): SafeHtml {
  const text = `${rule.status === "warn" ? "warning: " : ""}${rule.rule} — ${rule.message} (policy line ${rule.line})`;
  const probes = rule.probes && rule.probes.total > 0 ? rule.probes : null;
  if (!probes) return html`${text}`;
  const links = probes.listed.map((probe) => html`<a href="#${probeAnchor(probe.suite, probe.id)}" title="${probe.reason ?? ""}">${`${probe.suite} › ${probe.id}`}</a>`);
  const rest = probes.total - probes.listed.length;
  return html`${text}<div class="blamed">${`${blamedHeading(probes)}: `}${joinHtml(links, ", ")}${rest > 0 ? ` and ${rest} more` : ""}</div>`;
}

export function renderVerdict(report: Report): SafeHtml {
  const { summary, manifest, gate } = report;
  const incomplete = manifest.complete ? "" : " — INCOMPLETE RUN (interrupted)";
  const judged = summary.passed + summary.failed;
  const totals = `${summary.passed} of ${judged} probes passed (${summary.pass_rate === null ? "no verdicts" : percent(summary.pass_rate)})${
    summary.scored ? `, ${summary.scored} scored without a threshold` : ""
  }${summary.stale ? `, ${summary.stale} stale (not scored)` : ""}`;
  if (!gate) {
    return html`<div class="verdict none" id="verdict" data-verdict="none">No gate${incomplete}<small>${totals}. No policy was applied: pass --gate POLICY to run, or run bonsai-eval gate, to decide the round.</small></div>`;
  }
  const failed = gate.rules.filter((rule) => rule.status === "fail");
  const skipped = gate.counts.skipped;
  const policy = gate.policy.name ? `policy “${gate.policy.name}”` : `policy ${gate.policy.path}`;
  const against = gate.baseline ? `, against baseline ${gate.baseline.label ?? gate.baseline.model ?? gate.baseline.path} (${gate.baseline.created_at})` : ", no baseline";
  const why = gate.pass
    ? `all ${gate.counts.passed} rule checks hold${skipped ? `, ${skipped} skipped` : ""}`
    : `${failed.length} of ${gate.counts.rules} rule checks failed${skipped ? `, ${skipped} skipped` : ""}`;
  const warned = gate.rules.filter((rule) => rule.status === "warn");
  const list = failed.length > 0 ? html`<ul>${failed.map((rule) => html`<li>${gateLine(rule)}</li>`)}</ul>` : null;
  const warnings = warned.length > 0 ? html`<ul class="warnings">${warned.map((rule) => html`<li>${gateLine(rule)}</li>`)}</ul>` : null;
  return html`<div class="verdict ${gate.pass ? "pass" : "fail"}" id="verdict" data-verdict="${gate.pass ? "pass" : "fail"}">${gate.pass ? "PASS" : "FAIL"}${incomplete}<small>${`${why}${warned.length > 0 ? `, ${warned.length} warning${warned.length === 1 ? "" : "s"} (level warn: not failing the round)` : ""} — ${policy}${against}. ${totals}.`}</small>${list}${warnings}</div>`;
}

export function renderGate(gate: GateResult | undefined): SafeHtml {
  if (!gate) return html``;
  const rows = gate.rules.map(
    (rule) =>
      html`<tr class="gate-${rule.status}"><td class="status-${rule.status}">${rule.status.toUpperCase()}</td><td>${rule.rule}</td><td class="num">${
        rule.measured === null ? "—" : formatScore(rule.measured)
      }</td><td class="num">${`${rule.comparison} ${formatScore(rule.limit)}`}</td><td>${rule.message}</td><td class="num">${rule.line}</td></tr>`,
  );
  return html`<section id="gate"><h2>Gate rules</h2><div class="muted">${`${gate.policy.path} (sha256 ${gate.policy.sha256.slice(0, 12)})`}${
    gate.baseline ? ` · baseline ${gate.baseline.path}` : ""
  }</div><table><thead><tr><th>status</th><th>rule</th><th class="num">measured</th><th class="num">limit</th><th>why</th><th class="num">line</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

