/**
 * report.html: one self-contained page (no network: a Content-Security-Policy
 * allows only this page's own inline style and script, by hash). Every piece of
 * model or suite text is escaped; the script only shows and hides rows.
 */
import { createHash } from "node:crypto";
import type { Highlight } from "../checks/types.js";
import { escapeHtml } from "../util/html.js";
import { highlightOutput } from "./highlight.js";
import type { Bucket, Report, ReportProbe } from "./types.js";

const STYLE = `
:root { --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", sans-serif; margin: 0; color: #1f2328; }
header, main { padding: 16px 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.muted { color: var(--muted); }
.verdict { padding: 14px 24px; font-size: 18px; font-weight: 600; color: #fff; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.none { background: #424a53; }
.verdict small { display: block; font-weight: 400; font-size: 13px; opacity: .9; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; border: 1px solid var(--line); }
.badge.fixture { background: #fff8c5; border-color: #d4a72c; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 16px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
svg.bar { width: 120px; height: 10px; display: block; }
.status-pass { color: var(--pass); font-weight: 600; } .status-fail, .status-error { color: var(--fail); font-weight: 600; } .status-missing { color: var(--warn); font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); }
.filters input[type=search] { min-width: 240px; padding: 4px 8px; }
tr.probe > td:first-child { width: 1%; white-space: nowrap; }
tr.probe.hidden, tr.detail.hidden { display: none; }
tr.detail > td { background: var(--bg); }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; padding: 8px; background: #fff; border: 1px solid var(--line); border-radius: 6px; max-height: 480px; overflow: auto; }
mark { background: #ffd8b5; border-bottom: 2px solid #fb8f44; }
button.expand { border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; width: 24px; }
.check { margin: 4px 0; } .check b { font-family: ui-monospace, monospace; }
.sig { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; } dl.kv dt { color: var(--muted); }
`;

const SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.probe"));
  var controls = { status: document.getElementById("f-status"), category: document.getElementById("f-category"), language: document.getElementById("f-language"), check: document.getElementById("f-check"), q: document.getElementById("f-q") };
  var count = document.getElementById("f-count");
  function apply() {
    var status = controls.status.value, category = controls.category.value, language = controls.language.value, check = controls.check.value, q = controls.q.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var d = row.dataset, ok = true;
      if (status === "failed") ok = d.status !== "pass"; else if (status) ok = d.status === status;
      if (ok && category) ok = d.category === category;
      if (ok && language) ok = d.language === language;
      if (ok && check) ok = (" " + d.failed + " ").indexOf(" " + check + " ") >= 0 || (status !== "failed" && (" " + d.checks + " ").indexOf(" " + check + " ") >= 0);
      if (ok && q) { if (!row._text) row._text = (row.textContent + " " + (row.nextElementSibling ? row.nextElementSibling.textContent : "")).toLowerCase(); ok = row._text.indexOf(q) >= 0; }
      row.classList.toggle("hidden", !ok);
      var detail = row.nextElementSibling;
      if (detail) detail.classList.toggle("hidden", !ok || !row.classList.contains("open"));
      if (ok) shown++;
    });
    count.textContent = shown + " / " + rows.length + " probes";
  }
  var timer = null;
  Object.keys(controls).forEach(function (key) { controls[key].addEventListener(key === "q" ? "input" : "change", function () { clearTimeout(timer); timer = setTimeout(apply, key === "q" ? 120 : 0); }); });
  document.getElementById("probes").addEventListener("click", function (event) {
    var button = event.target.closest("button.expand"); if (!button) return;
    var row = button.closest("tr.probe"); var open = !row.classList.contains("open");
    row.classList.toggle("open", open); row.nextElementSibling.classList.toggle("hidden", !open);
    button.textContent = open ? "−" : "+"; button.setAttribute("aria-expanded", String(open));
  });
  document.getElementById("expand-all").addEventListener("click", function () {
    rows.forEach(function (row) { if (row.classList.contains("hidden")) return; row.classList.add("open"); row.nextElementSibling.classList.remove("hidden"); var b = row.querySelector("button.expand"); b.textContent = "−"; b.setAttribute("aria-expanded", "true"); });
  });
  document.getElementById("collapse-all").addEventListener("click", function () {
    rows.forEach(function (row) { row.classList.remove("open"); row.nextElementSibling.classList.add("hidden"); var b = row.querySelector("button.expand"); b.textContent = "+"; b.setAttribute("aria-expanded", "false"); });
  });
  apply();
})();
`;

function cspHash(content: string): string {
  return `'sha256-${createHash("sha256").update(content).digest("base64")}'`;
}

/** The page's Content-Security-Policy: nothing remote, only this page's own style and script. */
export function contentSecurityPolicy(style: string, script: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspHash(style)}`,
    `script-src ${cspHash(script)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

export function page(title: string, body: string, style = STYLE, script = SCRIPT): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(style, script))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
${body}
<script>${script}</script>
</body>
</html>
`;
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function bucketTable(title: string, buckets: Record<string, Bucket & { mean_score?: number | null }>, withScore = false): string {
  const keys = Object.keys(buckets).sort();
  if (keys.length === 0) return "";
  const rows = keys
    .map((key) => {
      const b = buckets[key]!;
      return `<tr><td>${escapeHtml(key)}</td><td>${b.passed}/${b.total}</td><td>${percent(b.pass_rate)}</td><td>${rateBar(b.pass_rate)}</td>${
        withScore ? `<td>${b.mean_score === null || b.mean_score === undefined ? "—" : b.mean_score.toFixed(3)}</td>` : ""
      }</tr>`;
    })
    .join("");
  return `<section><h2>${escapeHtml(title)}</h2><table><thead><tr><th>${escapeHtml(title.replace(/^By /, ""))}</th><th>passed</th><th>rate</th><th></th>${withScore ? "<th>mean score</th>" : ""}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** A pass-rate bar as inline SVG (the CSP forbids style attributes). */
export function rateBar(rate: number): string {
  const width = Math.max(0, Math.min(100, rate * 100)).toFixed(1);
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${(rate * 100).toFixed(1)}%"><rect width="100" height="10" rx="3" fill="#eaeef2"/><rect width="${width}" height="10" rx="3" fill="#1a7f37"/></svg>`;
}

function options(values: string[]): string {
  return values.map((value) => `<option value="${escapeHtml(value)}">${escapeHtml(value)}</option>`).join("");
}

function renderCheck(check: ReportProbe["checks"][number]): string {
  const { reason, signature, highlights: _highlights, ...rest } = check.details;
  const extra = Object.keys(rest).length > 0 ? `<pre>${escapeHtml(JSON.stringify(rest, null, 2))}</pre>` : "";
  const score = check.score === null ? "" : ` score ${escapeHtml(Number.isInteger(check.score) ? check.score : check.score.toFixed(4))}`;
  return `<div class="check"><span class="status-${check.pass ? "pass" : "fail"}">${check.pass ? "✔" : "✘"}</span> <b>${escapeHtml(check.type)}</b>${score} — ${escapeHtml(reason)}${
    signature ? ` <span class="sig">${escapeHtml(signature)}</span>` : ""
  }${extra}</div>`;
}

function renderProbe(probe: ReportProbe, index: number): string {
  const failed = probe.checks.filter((check) => !check.pass).map((check) => check.type);
  const highlights = probe.checks.flatMap((check) =>
    ((check.details.highlights as Highlight[] | undefined) ?? []).map((highlight) => ({ ...highlight, check: check.type })),
  );
  const output = probe.output === null ? `<span class="muted">(no output)</span>` : `<pre>${highlightOutput(probe.output, highlights)}</pre>`;
  const firstFailure = probe.checks.find((check) => !check.pass);
  const facts = [
    ["stop", probe.stop_reason ?? "—"],
    ["prompt tokens", probe.prompt_tokens ?? "—"],
    ["output tokens", probe.output_tokens ?? "—"],
    ["time", probe.time_ms === null ? "—" : `${probe.time_ms} ms`],
    ["hash", probe.hash.slice(0, 12)],
    ...(probe.trimmed_replacement_char ? [["note", "a trailing U+FFFD (character cut by the token limit) was removed"]] : []),
    ...(probe.stale_output ? [["note", "output was generated for an earlier version of this probe"]] : []),
    ...(probe.tags.length > 0 ? [["tags", probe.tags.join(", ")]] : []),
  ]
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join("");
  return `<tr class="probe" id="p${index}" data-status="${probe.status}" data-category="${escapeHtml(probe.category)}" data-language="${escapeHtml(probe.language)}" data-checks="${escapeHtml(probe.checks.map((c) => c.type).join(" "))}" data-failed="${escapeHtml(failed.join(" "))}">
<td><button class="expand" type="button" aria-expanded="false" title="show details">+</button></td>
<td class="status-${probe.status}">${probe.status.toUpperCase()}</td>
<td>${escapeHtml(probe.suite)} › ${escapeHtml(probe.id)}</td><td>${escapeHtml(probe.category)}</td><td>${escapeHtml(probe.language)}</td>
<td>${escapeHtml(truncate(probe.prompt, 80))}</td>
<td>${firstFailure ? `${escapeHtml(firstFailure.type)}: ${escapeHtml(truncate(firstFailure.details.reason, 100))}` : ""}</td>
</tr>
<tr class="detail hidden"><td></td><td colspan="6">
<div class="grid"><div><h3>Prompt</h3>${probe.system !== null ? `<div class="muted">system:</div><pre>${escapeHtml(probe.system)}</pre>` : ""}<pre>${escapeHtml(probe.prompt)}</pre>
<h3>Expected</h3>${probe.expected.length > 0 ? `<pre>${escapeHtml(probe.expected.join("\n"))}</pre>` : `<span class="muted">(none)</span>`}</div>
<div><h3>Output</h3>${output}<dl class="kv">${facts}</dl></div></div>
<h3>Checks</h3>${probe.checks.map(renderCheck).join("") || `<span class="muted">(none run)</span>`}
</td></tr>`;
}

function truncate(text: string, length: number): string {
  const chars = Array.from(text);
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join("")}…`;
}

export function renderVerdict(report: Report): string {
  const { summary, manifest } = report;
  const incomplete = manifest.complete ? "" : " — INCOMPLETE RUN (interrupted)";
  return `<div class="verdict none">No gate configured${escapeHtml(incomplete)}<small>${summary.passed} of ${summary.total} probes passed (${percent(summary.pass_rate)}). Pass a policy with --gate to decide the round.</small></div>`;
}

function renderManifest(report: Report): string {
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
  return `<section><h2>Manifest</h2><dl class="kv">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
<details><summary>full manifest (JSON)</summary><pre>${escapeHtml(JSON.stringify(manifest, null, 2))}</pre></details></section>`;
}

function renderProblems(report: Report): string {
  const { problems } = report;
  const items: string[] = [];
  if (problems.missing_outputs.length > 0) items.push(`${problems.missing_outputs.length} probe(s) have no output: ${problems.missing_outputs.slice(0, 20).map((p) => `${p.suite} › ${p.id}`).join(", ")}`);
  if (problems.unknown_outputs.length > 0) items.push(`${problems.unknown_outputs.length} output line(s) match no probe: ${problems.unknown_outputs.slice(0, 20).map((p) => `${p.suite} › ${p.id} (line ${p.line})`).join(", ")}`);
  if (problems.duplicate_outputs.length > 0) items.push(`${problems.duplicate_outputs.length} probe(s) have several output lines (the last is used)`);
  if (problems.truncated_outputs_tail) items.push("the outputs file ended in a line cut by a crash; it was ignored");
  return items.length === 0 ? "" : `<section><h2>Problems</h2><ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul></section>`;
}

export function renderReportHtml(report: Report): string {
  const { summary, manifest, probes } = report;
  const modelName = manifest.model?.metadata.name ?? manifest.model?.file_name ?? "outputs";
  const categories = [...new Set(probes.map((p) => p.category))].sort();
  const languages = [...new Set(probes.map((p) => p.language))].sort();
  const checks = [...new Set(probes.flatMap((p) => p.checks.map((c) => c.type)))].sort();
  const body = `
<div class="verdict-wrap">${renderVerdict(report)}</div>
<header>
<h1>bonsai-eval report — ${escapeHtml(modelName)} ${manifest.model?.is_fixture ? `<span class="badge fixture">fixture model: random weights, for trying the tool</span>` : ""}</h1>
<div class="muted">${escapeHtml(manifest.created_at)} · ${summary.total} probes · ${summary.passed} passed · ${summary.failed} failed${summary.missing ? ` · ${summary.missing} missing` : ""}${summary.errors ? ` · ${summary.errors} errors` : ""}</div>
</header>
<main>
${renderProblems(report)}
<div class="grid">
${bucketTable("By suite", summary.by_suite)}
${bucketTable("By category", summary.by_category)}
${bucketTable("By language", summary.by_language)}
${bucketTable("By check", summary.by_check, true)}
</div>
<h2>Probes</h2>
<div class="filters">
<label>status <select id="f-status"><option value="">all</option><option value="failed">not passed</option><option value="pass">pass</option><option value="fail">fail</option><option value="missing">missing</option><option value="error">error</option></select></label>
<label>category <select id="f-category"><option value="">all</option>${options(categories)}</select></label>
<label>language <select id="f-language"><option value="">all</option>${options(languages)}</select></label>
<label>check <select id="f-check"><option value="">all</option>${options(checks)}</select></label>
<input id="f-q" type="search" placeholder="search prompts, outputs, ids…" aria-label="search">
<button id="expand-all" type="button">expand all</button><button id="collapse-all" type="button">collapse all</button>
<span id="f-count" class="muted"></span>
</div>
<table id="probes"><thead><tr><th></th><th>status</th><th>probe</th><th>category</th><th>lang</th><th>prompt</th><th>first failed check</th></tr></thead>
<tbody>
${probes.map(renderProbe).join("\n")}
</tbody></table>
${renderManifest(report)}
</main>`;
  return page(`bonsai-eval — ${modelName}`, body);
}
