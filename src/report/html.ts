/**
 * report.html: one self-contained page (the shell, CSP and escaping rules are
 * in page.ts). The verdict first (gate-html.ts), then where the round stands
 * (summary-html.ts: pass rates, charts, score distributions, corpus metrics),
 * then every probe (probe-table.ts: filterable, searchable, each expandable to
 * prompt, expected, output with the checks' highlights and what each check
 * found) and the manifest.
 */
import { CheckRegistry } from "../checks/registry.js";
import { labelOf } from "../format/report-file.js";
import type { Report } from "../format/report.js";
import { html } from "../util/html.js";
import { renderGate, renderVerdict } from "./gate-html.js";
import { page } from "./page.js";
import { probeTable } from "./probe-table.js";
import { aggregateTable, bucketTable, charts, corpusMetrics, measurements, renderManifest, renderProblems, suiteDescriptions } from "./summary-html.js";

export { contentSecurityPolicy, page, rateBar } from "./page.js";
export { renderVerdict } from "./gate-html.js";
export { probeAnchor } from "./probe-table.js";

/**
 * report.html. `registry` holds the definitions whose views draw the checks'
 * details (the built-ins, and the `--checks` modules when scoring); a check
 * without one there shows its details as a table.
 */
export function renderReportHtml(report: Report, registry: CheckRegistry = new CheckRegistry()): string {
  const { summary, manifest } = report;
  // The round's label titles the page, never the GGUF general.name ("llama" for many models).
  const title = labelOf(manifest);
  const body = html`
${renderVerdict(report)}
<header>
<h1>bonsai-eval report — ${title} ${manifest.model && manifest.model.file_name !== title ? html`<span class="muted">${manifest.model.file_name}</span>` : null} ${manifest.model?.is_fixture ? html`<span class="badge fixture">fixture model: random weights, for trying the tool</span>` : null}</h1>
<div class="muted">${manifest.created_at} · ${summary.total} probes · ${summary.passed} passed · ${summary.failed} failed${summary.scored ? ` · ${summary.scored} scored (no threshold)` : ""}${
   summary.stale ? ` · ${summary.stale} stale` : ""
 }${summary.missing ? ` · ${summary.missing} missing` : ""}${summary.errors ? ` · ${summary.errors} errors` : ""}</div>
${suiteDescriptions(report)}
</header>
<main>
${renderProblems(report)}
${renderGate(report.gate)}
${charts(report)}
<div class="grid tables">
${bucketTable("By suite", summary.by_suite)}
${bucketTable("By category", summary.by_category)}
${bucketTable("By language", summary.by_language)}
${bucketTable("By check", summary.by_check, "informational")}
</div>
${measurements(summary.by_check)}
${corpusMetrics(report)}
${aggregateTable(report)}
${probeTable(report, registry, `${title}-probes`)}
${renderManifest(report)}
</main>`;
  return page(`bonsai-eval — ${title}`, body);
}
