/**
 * report.html's probe table: one row per probe (status, probe, category,
 * language, tags, the start of the prompt and of the output with the checks'
 * highlights, the first failed check), its filters, and each probe's detail
 * (notes, prompt, expected, the whole output with the highlights, what each
 * check found, the measurements) shown when the row is opened.
 */
import type { Highlight } from "../format/check-result.js";
import type { CheckHighlight } from "../format/diff.js";
import type { Report, ReportProbe } from "../format/report.js";
import { CheckRegistry } from "../checks/registry.js";
import { html, joinHtml, type SafeHtml } from "../util/html.js";
import { renderCheck } from "./check-details.js";
import { percent, score as formatScore, truncate } from "./format.js";
import { highlightOutput } from "./highlight.js";
import { filterBar, keyValueList, options } from "./page.js";
import { OUTPUT_START, rowsTable, type TableColumn, type TableRow } from "./rows-table.js";
import { changeWords } from "./triage-words.js";

/** The id of a probe's row, so the banner (and a link) can point at it: `probe-` and the suite/id with every other character escaped as ~hex~. */
export function probeAnchor(suite: string, id: string): string {
  return `probe-${`${suite}/${id}`.replace(/[^A-Za-z0-9_-]/gu, (c) => `~${c.codePointAt(0)!.toString(16)}~`)}`;
}

/** Choice and perplexity probes (log-likelihoods) and sampled probes (every sample), where the report has them. */
function renderMeasurements(probe: ReportProbe): SafeHtml {
  const parts: SafeHtml[] = [];
  const likelihood = probe.likelihood;
  if (probe.choices && probe.choices.length > 0) {
    const logprobs = likelihood?.kind === "choice" ? likelihood.choices : [];
    const rows = probe.choices.map((choice, i) => {
      const measured = logprobs[i];
      return html`<tr><td class="num">${i}</td><td>${probe.answer === i ? html`<span class="status-pass">✔ answer</span>` : null}</td><td>${choice}</td><td class="num">${
        measured ? formatScore(measured.logprob) : "—"
      }</td><td class="num">${measured && measured.chars > 0 ? formatScore(measured.logprob / measured.chars) : "—"}</td></tr>`;
    });
    parts.push(html`<h3>Choices</h3><table class="choices"><thead><tr><th class="num">#</th><th></th><th>choice</th><th class="num">log p</th><th class="num">log p / char</th></tr></thead><tbody>${rows}</tbody></table>`);
  }
  if (probe.text !== null && probe.text !== undefined) parts.push(html`<h3>Scored text</h3><pre class="scored-text">${probe.text}</pre>`);
  if (likelihood?.kind === "perplexity") {
    const bitsPerChar = likelihood.chars > 0 ? -likelihood.logprob / Math.LN2 / likelihood.chars : null;
    parts.push(
      keyValueList([
        ["log p", formatScore(likelihood.logprob)],
        ["tokens / chars / bytes", `${likelihood.tokens} / ${likelihood.chars} / ${likelihood.bytes}`],
        ["bits per character", formatScore(bitsPerChar)],
        ["windows", likelihood.windows],
      ]),
    );
  }
  const samples = probe.samples;
  if (samples) {
    parts.push(
      html`<h3>Samples</h3>${keyValueList([
        ["samples", `${samples.count} of ${samples.expected}`],
        ["passed", `${samples.passed} (${percent(samples.pass_rate)}); pass@${samples.expected} ${samples.pass_at_k ? "yes" : "no"}`],
        ["agreement", `${percent(samples.agreement)} agree with the most common output; ${samples.distinct} distinct`],
      ])}${samples.outputs.map(
        (sample) =>
          html`<div class="muted">sample ${sample.sample} <span class="status-${sample.pass === null ? "scored" : sample.pass ? "pass" : "fail"}">${sample.pass === null ? "·" : sample.pass ? "✔" : "✘"}</span> ${
            sample.stop_reason ?? ""
          }</div><pre class="sample">${sample.output}</pre>`,
      )}`,
    );
  }
  return html`${parts}`;
}

function highlightsOf(probe: ReportProbe): CheckHighlight[] {
  return probe.checks.flatMap((check) => ((check.details.highlights as Highlight[] | undefined) ?? []).map((highlight) => ({ ...highlight, check: check.type })));
}

function failureReasons(probe: ReportProbe): string[] {
  return probe.checks.filter((check) => check.pass === false).map((check) => `${check.type}: ${check.details.reason}`);
}

function renderProbeDetail(probe: ReportProbe, registry: CheckRegistry): SafeHtml {
  const output =
    probe.output === null
      ? html`<span class="muted">(no output)</span>`
      : html`<pre class="output searchable" data-field="output" lang="${probe.language}">${highlightOutput(probe.output, highlightsOf(probe))}</pre>`;
  const facts: Array<[string, unknown]> = [
    ["stop reason", `${probe.stop_reason ?? "—"}${probe.stop_string ? ` (${JSON.stringify(probe.stop_string)})` : ""}`],
    ["tokens", `${probe.output_tokens ?? "—"} out, ${probe.prompt_tokens ?? "—"} in`],
    ["time", probe.time_ms === null ? "—" : `${probe.time_ms} ms`],
    ["probe hash", probe.hash.slice(0, 12)],
    ...(probe.change !== undefined ? [["against the baseline", changeWords(probe.change)] as [string, string]] : []),
    ...(probe.cached ? [["cached", "output from the generation cache, not generated by this run (not counted in tokens per second)"] as [string, string]] : []),
    ...(probe.trimmed_replacement_char ? [["note", "a trailing U+FFFD (character cut by the token limit) was removed"] as [string, string]] : []),
    ...(probe.output_version === "stale"
      ? [["note", probe.status === "stale" ? "output was generated for another version of this probe: not scored (score --allow-stale scores it)" : "output was generated for another version of this probe; scored anyway (--allow-stale)"] as [string, string]]
      : []),
    ...(probe.output_version === "unverified" ? [["note", "unverified: the output line has no probe_hash, so which version of the probe it answers is unknown"] as [string, string]] : []),
  ];
  const checks = probe.checks.map((check) => renderCheck(check, registry.get(check.type)));
  // Every failed check's full reason, for the export (the row shows the first one, cut short).
  const failures = failureReasons(probe).map((reason) => html`<data data-field="failed" data-value="${reason}"></data>`);
  const expected = joinHtml(probe.expected.map((text) => html`<span data-field="expected">${text}</span>`), "\n");
  return html`${probe.notes ? html`<h3>Notes</h3><div class="notes" data-field="notes">${probe.notes}</div>` : null}<div class="grid"><div><h3>Prompt</h3>${
    probe.system !== null ? html`<div class="muted">system:</div><pre>${probe.system}</pre>` : null
  }<pre class="prompt searchable" data-field="prompt" lang="${probe.language}">${probe.prompt}</pre>
<h3>Expected</h3>${probe.expected.length > 0 ? html`<pre class="expected searchable" lang="${probe.language}">${expected}</pre>` : html`<span class="muted">(none)</span>`}</div>
<div><h3>Output</h3>${output}${keyValueList(facts)}</div></div>
${renderMeasurements(probe)}
<h3>Checks</h3>${checks.length > 0 ? checks : html`<span class="muted">(none run)</span>`}${failures}${
    probe.rendered_prompt !== null ? html`<details><summary>rendered prompt (template applied)</summary><pre>${probe.rendered_prompt}</pre></details>` : null
  }`;
}

/** The first failed check's reason, or why the probe has no verdict. */
function reasonCell(probe: ReportProbe): string {
  const first = probe.checks.find((check) => check.pass === false);
  if (first) return `${first.type}: ${truncate(first.details.reason, 100)}`;
  if (probe.status === "missing") return "no output";
  if (probe.status === "stale") return "output of another probe version: not scored";
  if (probe.status === "scored") return truncate(probe.checks.map((check) => `${check.type} ${check.score === null ? "—" : formatScore(check.score)}`).join(", "), 100);
  return "";
}

function probeRow(probe: ReportProbe, registry: CheckRegistry): TableRow {
  const failed = probe.checks.filter((check) => check.pass === false);
  const output = probe.output === null ? html`<span class="muted">(no output)</span>` : highlightOutput(probe.output, highlightsOf(probe), OUTPUT_START);
  const cells = [
    html`<td class="status-${probe.status}" data-field="status" data-value="${probe.status}">${probe.status.toUpperCase()}</td>`,
    html`<td><span data-field="suite">${probe.suite}</span> › <span data-field="id">${probe.id}</span></td>`,
    html`<td data-field="category">${probe.category}</td>`,
    html`<td data-field="language">${probe.language}</td>`,
    html`<td>${probe.tags.map((tag) => html`<span class="tag" data-field="tags">${tag}</span>`)}</td>`,
    html`<td class="prompt-start searchable" lang="${probe.language}">${truncate(probe.prompt, 80)}</td>`,
    html`<td class="output-start searchable" lang="${probe.language}">${output}</td>`,
    html`<td>${reasonCell(probe)}</td>`,
  ];
  return {
    key: `${probe.suite}/${probe.id}`,
    anchor: probeAnchor(probe.suite, probe.id),
    filters: {
      status: [probe.status, ...(probe.pass === false ? ["notpass"] : [])],
      category: [probe.category],
      language: [probe.language],
      suite: [probe.suite],
      check: [...probe.checks.map((check) => `has:${check.type}`), ...failed.map((check) => `failed:${check.type}`)],
      tag: probe.tags,
    },
    cells,
    detail: renderProbeDetail(probe, registry),
    fields: {
      suite: probe.suite,
      id: probe.id,
      status: probe.status,
      category: probe.category,
      language: probe.language,
      tags: probe.tags,
      prompt: probe.prompt,
      expected: probe.expected,
      output: probe.output,
      failed: failureReasons(probe),
      notes: probe.notes || null,
    },
  };
}

/** The probe table's sortable columns (after the expand button). */
const PROBE_COLUMNS: readonly TableColumn[] = [
  { key: "status", label: "status" },
  { key: "probe", label: "probe" },
  { key: "category", label: "category" },
  { key: "language", label: "lang" },
  { key: "tags", label: "tags" },
  { key: "prompt", label: "prompt" },
  { key: "output", label: "output" },
  { key: "reason", label: "first failed check" },
];
/** What the export writes per probe (`name[]`: a list), the rows' `fields`. */
const PROBE_FIELDS = ["suite", "id", "status", "category", "language", "tags[]", "prompt", "expected[]", "output", "failed[]", "notes"];

/** The filter bar over the probe table: status, suite, category, language, check and (when probes have them) tag, and the search. */
function probeFilters(probes: readonly ReportProbe[]): SafeHtml {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  const choices = (values: Iterable<string>) => options(sorted(values).map((v) => [v.replace(/\s+/g, "_"), v] as [string, string]));
  const checks = sorted(probes.flatMap((p) => p.checks.map((c) => c.type)));
  const tags = sorted(probes.flatMap((p) => p.tags));
  return filterBar(
    [
      { key: "status", label: "status", options: options([["notpass", "not passed"], "pass", "fail", "scored", "stale", "missing", "error"]) },
      { key: "suite", label: "suite", options: choices(probes.map((p) => p.suite)) },
      { key: "category", label: "category", options: choices(probes.map((p) => p.category)) },
      { key: "language", label: "language", options: choices(probes.map((p) => p.language)) },
      {
        key: "check",
        label: "check",
        options: options(checks.flatMap((type) => [[`failed:${type}`, `${type} failed`], [`has:${type}`, `${type} (any)`]] as Array<[string, string]>)),
      },
      ...(tags.length > 0 ? [{ key: "tag", label: "tag", options: choices(tags) }] : []),
    ],
    "search prompts, outputs, ids, reasons…",
  );
}

/** The "Probes" section: filters, search and the table of every probe. */
export function probeTable(report: Report, registry: CheckRegistry, exportName: string): SafeHtml {
  return html`<h2>Probes</h2>
${probeFilters(report.probes)}
${rowsTable({ id: "probes", columns: PROBE_COLUMNS, fields: PROBE_FIELDS, exportName, allRowsIn: "report.json", rows: report.probes.map((probe) => probeRow(probe, registry)) })}`;
}
