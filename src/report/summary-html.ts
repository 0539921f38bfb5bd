/**
 * Where the round stands, on report.html: the suites' descriptions, problems
 * with the inputs, pass rates by group, charts and score distributions, mean
 * scores, corpus metrics and aggregates, and the manifest.
 */
import { recordedFacts } from "../checks/facts.js";
import type { Bucket, CheckBucket, Report } from "../format/report.js";
import { scoreUnit } from "../metrics/index.js";
import { html, type SafeHtml } from "../util/html.js";
import { histogram, passRateChart } from "./charts.js";
import { percent, score as formatScore } from "./format.js";
import { keyValueList, rateBar } from "./page.js";

/** Pass counts over what has a verdict; what has none (informational, stale) is counted beside, never in the rate. */
export function bucketTable(title: string, buckets: Record<string, Bucket>, noVerdict = "scored"): SafeHtml {
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
export function measurements(byCheck: Record<string, CheckBucket>): SafeHtml {
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

export function charts(report: Report): SafeHtml {
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

export function corpusMetrics(report: Report): SafeHtml {
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
export function aggregateTable(report: Report): SafeHtml | null {
  const values = (report.summary.aggregates ?? []).filter((value) => value.aggregate !== "corpus");
  if (values.length === 0) return null;
  const rows = values.map(
    (value) =>
      html`<tr><td>${value.suite ?? "all suites"}</td><td>${value.check}</td><td>${value.aggregate}</td><td>${value.language ?? "—"}</td><td class="num">${formatScore(value.score)}</td><td class="num">${value.results}</td><td class="sig">${value.signature}</td></tr>`,
  );
  return html`<section id="aggregates"><h2>Aggregates</h2><div class="muted">Each check's own way of combining its results into one number (accuracy, corpus perplexity…), per suite and over all suites; values are comparable only within one signature.</div><table><thead><tr><th>suite</th><th>check</th><th>aggregate</th><th>language</th><th class="num">value</th><th class="num">results</th><th>signature</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Each suite's description, under the title, when a suite has one. */
export function suiteDescriptions(report: Report): SafeHtml | null {
  const described = report.manifest.suites.filter((suite) => suite.description);
  if (described.length === 0) return null;
  return html`${described.map((suite) => html`<p class="suite-description" data-suite="${suite.name}"><b>${suite.name}</b>: ${suite.description}</p>`)}`;
}

export function renderManifest(report: Report): SafeHtml {
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

export function renderProblems(report: Report): SafeHtml {
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
