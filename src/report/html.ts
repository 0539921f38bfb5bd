/**
 * report.html: one self-contained page (the shell, CSP and escaping rules are
 * in page.ts). The verdict first, then where the round stands (pass rates,
 * charts, score distributions, corpus metrics), then every probe — filterable,
 * searchable, each expandable to prompt, expected, output with the checks'
 * highlights and what each check found — and the manifest.
 */
import type { Highlight } from "../format/check-result.js";
import { scoreUnit } from "../metrics/index.js";
import { html, joinHtml, type SafeHtml } from "../util/html.js";
import { renderCheck } from "./check-details.js";
import { recordedFacts } from "../checks/facts.js";
import { CheckRegistry } from "../checks/registry.js";
import { histogram, passRateChart } from "./charts.js";
import { percent, score as formatScore, truncate } from "./format.js";
import { highlightOutput } from "./highlight.js";
import { expandableRow, filterBar, headCell, keyValueList, options, page, rateBar, tokens } from "./page.js";
import type { Bucket, CheckBucket, GateResult, Report, ReportProbe } from "../format/report.js";
import { blamedHeading, changeWords } from "./triage-words.js";
import { labelOf } from "../format/report-file.js";

export { contentSecurityPolicy, page, rateBar } from "./page.js";

/** Pass counts over what has a verdict; what has none (informational, stale) is counted beside, never in the rate. */
function bucketTable(title: string, buckets: Record<string, Bucket>, noVerdict = "scored"): SafeHtml {
  const keys = Object.keys(buckets).sort();
  if (keys.length === 0) return html``;
  const rows = keys.map((key) => {
    const b = buckets[key]!;
    const judged = b.passed + b.failed;
    return html`<tr><td>${key}</td><td class="num">${judged === 0 ? "—" : `${b.passed}/${judged}`}</td><td class="num">${b.pass_rate === null ? "—" : percent(b.pass_rate)}</td><td>${
      b.pass_rate === null ? null : rateBar(b.pass_rate)
    }</td><td class="num">${b.no_verdict === 0 ? "" : `${b.no_verdict} ${noVerdict}`}</td></tr>`;
  });
  return html`<section><h2>${title}</h2><table><thead><tr><th>${title.replace(/^By /, "")}</th><th class="num">passed</th><th class="num">rate</th><th></th><th class="num">no verdict</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Mean scores per check, one row per language and unit (informational checks show here as values). */
function measurements(byCheck: Record<string, CheckBucket>): SafeHtml {
  const rows = Object.keys(byCheck)
    .sort()
    .flatMap((type) =>
      byCheck[type]!.means.map(
        (mean) =>
          html`<tr><td>${type}</td><td>${mean.language}</td><td>${mean.unit ?? ""}</td><td class="num">${formatScore(mean.mean)}</td><td class="num">${mean.results}</td><td>${
            byCheck[type]!.passed + byCheck[type]!.failed === 0 ? "informational" : ""
          }</td></tr>`,
      ),
    );
  if (rows.length === 0) return html``;
  return html`<section id="measurements"><h2>Mean scores</h2><div class="muted">Each check's scores averaged per language and unit (length in chars apart from words, BLEU per tokenizer), never across them. Informational checks (no threshold) have a value, not a pass.</div><table><thead><tr><th>check</th><th>language</th><th>unit</th><th class="num">mean</th><th class="num">results</th><th></th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The id of a probe's row, so the banner (and a link) can point at it: `probe-` and the suite/id with every other character escaped as ~hex~. */
export function probeAnchor(suite: string, id: string): string {
  return `probe-${`${suite}/${id}`.replace(/[^A-Za-z0-9_-]/gu, (c) => `~${c.codePointAt(0)!.toString(16)}~`)}`;
}

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

function renderGate(gate: GateResult | undefined): SafeHtml {
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

function charts(report: Report): SafeHtml {
  const bars = (buckets: Record<string, Bucket>) =>
    Object.keys(buckets)
      .sort()
      .flatMap((key) => {
        const { pass_rate: rate, passed, failed } = buckets[key]!;
        return rate === null ? [] : [{ label: key, rate, note: `${passed}/${passed + failed}` }];
      });
  // One histogram per check and unit: lengths in chars and in words are not one distribution.
  const scores = new Map<string, { type: string; values: number[] }>();
  for (const probe of report.probes) {
    for (const check of probe.checks) {
      if (typeof check.score !== "number" || !Number.isFinite(check.score)) continue;
      const unit = scoreUnit(check);
      const key = unit ? `${check.type} (${unit})` : check.type;
      (scores.get(key) ?? scores.set(key, { type: check.type, values: [] }).get(key)!).values.push(check.score);
    }
  }
  // What each score means and which way it improves, from the check's facts as the report records them.
  const note = (type: string) => {
    const facts = recordedFacts(report.summary, type);
    return facts ? [facts.note, facts.better === "lower" ? "lower is better" : ""].filter(Boolean).join(", ") : "";
  };
  // A pass/fail check's score is its verdict (1 passed, 0 failed): its pass rate says it all. Every other check is drawn,
  // all-0 and all-1 included (a round where every output drifted is when the chart matters). Faults (lower is better) first.
  const verdictOnly = new Set(
    Object.keys(report.summary.by_check).filter((type) =>
      report.probes.every((probe) => probe.checks.every((check) => check.type !== type || (check.pass !== null && check.score === (check.pass ? 1 : 0)))),
    ),
  );
  const rank = (type: string) => (recordedFacts(report.summary, type)?.better === "lower" ? 0 : 1);
  const interesting = [...scores]
    .filter(([, { type }]) => !verdictOnly.has(type))
    .sort(([a, { type: typeA }], [b, { type: typeB }]) => rank(typeA) - rank(typeB) || a.localeCompare(b));
  const distributions = interesting.map(([label, { type, values }]) => histogram(label, values, note(type)));
  return html`<section><h2>Pass rates</h2><div class="grid">${passRateChart("Pass rate by category", bars(report.summary.by_category))}${passRateChart(
    "Pass rate by language",
    bars(report.summary.by_language),
  )}</div></section>${distributions.length > 0 ? html`<section id="distributions"><h2>Score distributions</h2><div class="grid">${distributions}</div></section>` : null}`;
}

function corpusMetrics(report: Report): SafeHtml {
  const entries = Object.entries(report.summary.corpus_metrics ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return html``;
  const rows = entries.flatMap(([suite, metrics]) =>
    metrics.map(
      (metric) =>
        html`<tr><td>${suite}</td><td>${metric.type}</td><td>${metric.language ?? "—"}</td><td class="num">${formatScore(metric.score)}</td><td class="num">${metric.segments}</td><td class="sig">${metric.signature}</td></tr>`,
    ),
  );
  return html`<section id="corpus"><h2>Corpus metrics</h2><div class="muted">Statistics summed over the segments of each corpus (as sacreBLEU does), not averaged sentence scores; a corpus is one suite's results of one metric in one language, computed one way (the signature).</div><table><thead><tr><th>suite</th><th>metric</th><th>language</th><th class="num">score</th><th class="num">segments</th><th>signature</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The check aggregates other than the corpus scores above (choice accuracy, corpus perplexity, a user check's): one number per suite and group, with its signature. */
function aggregateTable(report: Report): SafeHtml | null {
  const values = (report.summary.aggregates ?? []).filter((value) => value.aggregate !== "corpus");
  if (values.length === 0) return null;
  const rows = values.map(
    (value) =>
      html`<tr><td>${value.suite ?? "all suites"}</td><td>${value.check}</td><td>${value.aggregate}</td><td>${value.language ?? "—"}</td><td class="num">${formatScore(value.score)}</td><td class="num">${value.results}</td><td class="sig">${value.signature}</td></tr>`,
  );
  return html`<section id="aggregates"><h2>Aggregates</h2><div class="muted">Each check's own way of combining its results into one number (accuracy, corpus perplexity…), per suite and over all suites; values are comparable only within one signature.</div><table><thead><tr><th>suite</th><th>check</th><th>aggregate</th><th>language</th><th class="num">value</th><th class="num">results</th><th>signature</th></tr></thead><tbody>${rows}</tbody></table></section>`;
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

function highlightsOf(probe: ReportProbe): Array<Highlight & { check: string }> {
  return probe.checks.flatMap((check) => ((check.details.highlights as Highlight[] | undefined) ?? []).map((highlight) => ({ ...highlight, check: check.type })));
}

/** How long the start of the output in the table row is, in code points. */
const OUTPUT_START = 160;

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
  const failures = probe.checks.filter((check) => check.pass === false).map((check) => html`<data data-field="failed" data-value="${`${check.type}: ${check.details.reason}`}"></data>`);
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

function renderProbe(probe: ReportProbe, registry: CheckRegistry): SafeHtml {
  const failed = probe.checks.filter((check) => check.pass === false);
  const checkTokens = [...probe.checks.map((check) => `has:${check.type}`), ...failed.map((check) => `failed:${check.type}`)];
  const statusTokens = [probe.status, ...(probe.pass === false ? ["notpass"] : [])];
  const first = failed[0];
  const attributes = html`id="${probeAnchor(probe.suite, probe.id)}" data-status="${tokens(statusTokens)}" data-category="${tokens([probe.category])}" data-language="${tokens([probe.language])}" data-suite="${tokens([
    probe.suite,
  ])}" data-check="${tokens(new Set(checkTokens))}" data-tag="${tokens(probe.tags)}" data-key="${`${probe.suite}/${probe.id}`}"`;
  const output = probe.output === null ? html`<span class="muted">(no output)</span>` : highlightOutput(probe.output, highlightsOf(probe), OUTPUT_START);
  const cells = html`<td class="status-${probe.status}" data-field="status" data-value="${probe.status}">${probe.status.toUpperCase()}</td><td><span data-field="suite">${probe.suite}</span> › <span data-field="id">${
    probe.id
  }</span></td><td data-field="category">${probe.category}</td><td data-field="language">${probe.language}</td><td>${probe.tags.map((tag) => html`<span class="tag" data-field="tags">${tag}</span>`)}</td><td class="prompt-start searchable" lang="${
    probe.language
  }">${truncate(probe.prompt, 80)}</td><td class="output-start searchable" lang="${probe.language}">${output}</td><td>${
    first
      ? `${first.type}: ${truncate(first.details.reason, 100)}`
      : probe.status === "missing"
        ? "no output"
        : probe.status === "stale"
          ? "output of another probe version: not scored"
          : probe.status === "scored"
            ? truncate(probe.checks.map((check) => `${check.type} ${check.score === null ? "—" : formatScore(check.score)}`).join(", "), 100)
            : ""
  }</td>`;
  return expandableRow(attributes, cells, PROBE_COLUMNS.length + 1, renderProbeDetail(probe, registry));
}

/** The probe table's sortable columns (after the expand button); the export writes PROBE_FIELDS, from the elements marked data-field. */
const PROBE_COLUMNS = [
  ["status", "status"],
  ["probe", "probe"],
  ["category", "category"],
  ["language", "lang"],
  ["tags", "tags"],
  ["prompt", "prompt"],
  ["output", "output"],
  ["reason", "first failed check"],
] as const;
const PROBE_FIELDS = "suite id status category language tags[] prompt expected[] output failed[] notes";

/** Each suite's description, under the title, when a suite has one. */
function suiteDescriptions(report: Report): SafeHtml | null {
  const described = report.manifest.suites.filter((suite) => suite.description);
  if (described.length === 0) return null;
  return html`${described.map((suite) => html`<p class="suite-description" data-suite="${suite.name}"><b>${suite.name}</b>: ${suite.description}</p>`)}`;
}

function renderManifest(report: Report): SafeHtml {
  const { manifest } = report;
  const model = manifest.model;
  const rows: Array<[string, string]> = [
    ["kind", `${manifest.kind}${manifest.complete ? "" : " (incomplete)"}`],
    ["created", manifest.created_at],
    ["model", model ? `${model.file_name} (${model.metadata.name ?? "unnamed"})` : "unknown (scored from outputs)"],
    ["model sha256", model?.sha256 ?? "—"],
    ["architecture / quantization", model ? `${model.metadata.architecture ?? "?"} / ${model.metadata.quantization ?? "?"}` : "—"],
    ["parameters", model?.metadata.parameter_count?.toLocaleString("en-US") ?? "—"],
    ["templates", manifest.generation?.templates.map((t) => t.name).join(", ") ?? "—"],
    ["decoding", manifest.generation ? `${manifest.generation.decoding}, repeat penalty ${manifest.generation.repeat_penalty}, seed ${manifest.generation.seed}` : "—"],
    ["parallel / context", manifest.generation ? `${manifest.generation.parallel} sequences × ${manifest.generation.context_size} tokens` : "—"],
    ["hardware", manifest.hardware ? `${manifest.hardware.gpu ? `GPU ${manifest.hardware.gpu} ${manifest.hardware.gpu_devices.join(", ")}` : "CPU"} — ${manifest.hardware.cpu_model}, ${manifest.hardware.threads} thread(s) (${manifest.hardware.threads_reason})` : "—"],
    ["runtime", manifest.runtime ? `node ${manifest.runtime.node}, node-llama-cpp ${manifest.runtime.node_llama_cpp}, llama.cpp ${manifest.runtime.llama_cpp}` : "—"],
    ["throughput", manifest.timings.tokens_per_second === null ? "—" : `${manifest.timings.generated_tokens} tokens in ${((manifest.timings.generation_ms ?? 0) / 1000).toFixed(1)} s = ${manifest.timings.tokens_per_second.toFixed(1)} tokens/s`],
    ["wall time", `${(manifest.timings.wall_ms / 1000).toFixed(1)} s`],
    ["suites", manifest.suites.map((s) => `${s.name} (${s.probe_count}, ${s.sha256.slice(0, 12)})`).join(", ")],
  ];
  return html`<section id="manifest"><h2>Manifest</h2>${keyValueList(rows)}
<details><summary>full manifest (JSON)</summary><pre>${JSON.stringify(manifest, null, 2)}</pre></details></section>`;
}

function renderProblems(report: Report): SafeHtml {
  const { problems } = report;
  const items: string[] = [];
  if (problems.missing_outputs.length > 0) items.push(`${problems.missing_outputs.length} probe(s) have no output: ${problems.missing_outputs.slice(0, 20).map((p) => `${p.suite} › ${p.id}`).join(", ")}`);
  if (problems.unknown_outputs.length > 0) items.push(`${problems.unknown_outputs.length} output line(s) match no probe: ${problems.unknown_outputs.slice(0, 20).map((p) => `${p.suite} › ${p.id} (line ${p.line})`).join(", ")}`);
  if (problems.duplicate_outputs.length > 0) items.push(`${problems.duplicate_outputs.length} probe(s) have several output lines (the last is used)`);
  if (problems.unknown_samples.length > 0) {
    items.push(
      `${problems.unknown_samples.length} output line(s) have a sample index their probe does not have, and were not scored: ${problems.unknown_samples
        .slice(0, 20)
        .map((p) => `${p.suite} › ${p.id} sample ${p.sample} of ${p.samples} (line ${p.line})`)
        .join(", ")}`,
    );
  }
  if (problems.stale_outputs.length > 0) {
    const scored = problems.stale_outputs.some((stale) => stale.scored);
    items.push(
      `${problems.stale_outputs.length} output line(s) were generated for another version of their probe (probe_hash differs)${scored ? " and were scored anyway (--allow-stale)" : ", and were not scored"}: ${problems.stale_outputs
        .slice(0, 20)
        .map((p) => `${p.suite} › ${p.id} (line ${p.line})`)
        .join(", ")}`,
    );
  }
  if (report.summary.unverified > 0) items.push(`${report.summary.unverified} probe(s) were scored from output lines without a probe_hash (unverified: which probe version they answer is unknown)`);
  if (problems.truncated_outputs_tail) items.push("the outputs file ended in a line cut by a crash; it was ignored");
  return items.length === 0 ? html`` : html`<section><h2>Problems</h2><ul>${items.map((item) => html`<li>${item}</li>`)}</ul></section>`;
}

/**
 * report.html. `registry` holds the definitions whose views draw the checks'
 * details (the built-ins, and the `--checks` modules when scoring); a check
 * without one there shows its details as a table.
 */
export function renderReportHtml(report: Report, registry: CheckRegistry = new CheckRegistry()): string {
  const { summary, manifest, probes } = report;
  // The round's label titles the page, never the GGUF general.name ("llama" for many models).
  const title = labelOf(manifest);
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  const checks = sorted(probes.flatMap((p) => p.checks.map((c) => c.type)));
  const probeTags = sorted(probes.flatMap((p) => p.tags));
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
<h2>Probes</h2>
${filterBar(
  [
    { key: "status", label: "status", options: options([["notpass", "not passed"], "pass", "fail", "scored", "stale", "missing", "error"]) },
    { key: "suite", label: "suite", options: options(sorted(probes.map((p) => p.suite)).map((v) => [v.replace(/\s+/g, "_"), v] as [string, string])) },
    { key: "category", label: "category", options: options(sorted(probes.map((p) => p.category)).map((v) => [v.replace(/\s+/g, "_"), v] as [string, string])) },
    { key: "language", label: "language", options: options(sorted(probes.map((p) => p.language)).map((v) => [v.replace(/\s+/g, "_"), v] as [string, string])) },
    {
      key: "check",
      label: "check",
      options: options(checks.flatMap((type) => [[`failed:${type}`, `${type} failed`], [`has:${type}`, `${type} (any)`]] as Array<[string, string]>)),
    },
    ...(probeTags.length > 0 ? [{ key: "tag", label: "tag", options: options(probeTags.map((v) => [v.replace(/\s+/g, "_"), v] as [string, string])) }] : []),
  ],
  "search prompts, outputs, ids, reasons…",
)}
<table class="rows" id="probes" data-fields="${PROBE_FIELDS}" data-export-name="${`${title}-probes`}"><thead><tr><th></th>${PROBE_COLUMNS.map(([key, label]) => headCell(label, key))}</tr></thead>
<tbody>
${joinHtml(probes.map((probe) => renderProbe(probe, registry)), "\n")}
</tbody></table>
${renderManifest(report)}
</main>`;
  return page(`bonsai-eval — ${title}`, body);
}
