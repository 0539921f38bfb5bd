/**
 * The shell shared by report.html and diff.html: one self-contained page whose
 * Content-Security-Policy allows nothing remote and only this page's own
 * inline style and script (by hash). No inline handlers or style attributes
 * anywhere (the CSP would block them); every page is written with the `html`
 * template (util/html.ts), so every piece of model or suite text is escaped.
 * The script only shows, hides and clones rows.
 */
import { createHash } from "node:crypto";
import { html, joinHtml, trustedHtml, type SafeHtml } from "../util/html.js";

export const STYLE = `
:root { --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --del:#ffebe9; --del-strong:#ff818266; --ins:#dafbe1; --ins-strong:#4ac26b66; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", sans-serif; margin: 0; color: #1f2328; }
header, main { padding: 16px 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; } h3 { font-size: 14px; margin: 12px 0 4px; }
.muted { color: var(--muted); }
.verdict { padding: 14px 24px; font-size: 18px; font-weight: 600; color: #fff; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.none { background: #424a53; }
.verdict small { display: block; font-weight: 400; font-size: 13px; opacity: .95; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; font-size: 13px; font-weight: 400; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; border: 1px solid var(--line); }
.badge.fixture { background: #fff8c5; border-color: #d4a72c; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
.grid > * { min-width: 0; }
.grid.tables { grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px 32px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
svg.bar { width: 120px; height: 10px; display: block; margin-top: 5px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart text { font-size: 11px; fill: #1f2328; } svg.chart text.muted { fill: var(--muted); }
.status-pass, .good { color: var(--pass); font-weight: 600; } .status-fail, .status-error, .bad { color: var(--fail); font-weight: 600; } .status-missing, .status-skipped, .status-stale, .warn { color: var(--warn); font-weight: 600; } .status-scored { color: var(--muted); font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); z-index: 1; }
.filters input[type=search] { min-width: 240px; padding: 4px 8px; }
tr.row > td:first-child { width: 1%; white-space: nowrap; }
tr.row.hidden, tr.detail.hidden { display: none; }
tr.detail > td { background: var(--bg); }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; padding: 8px; background: #fff; border: 1px solid var(--line); border-radius: 6px; max-height: 480px; overflow: auto; font-family: ui-monospace, "SFMono-Regular", "Noto Sans Mono CJK JP", monospace; }
mark { background: #ffd8b5; border-bottom: 2px solid #fb8f44; }
mark.hl-language { background: #ddf4ff; border-bottom-color: #54aeff; } mark.hl-repetition { background: #fbefff; border-bottom-color: #c297ff; }
del { background: var(--del-strong); text-decoration: line-through; } ins { background: var(--ins-strong); text-decoration: none; }
button.expand { border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; width: 24px; }
.check { margin: 6px 0; padding: 6px 8px; background: #fff; border: 1px solid var(--line); border-radius: 6px; } .check > b { font-family: ui-monospace, monospace; }
.sig { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; } .side > div { min-width: 0; }
.big { font-size: 20px; font-family: "Hiragino Sans", "Noto Sans CJK JP", sans-serif; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; } dl.kv dt { color: var(--muted); }
details > summary { cursor: pointer; color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; } .card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 120px; } .card b { display: block; font-size: 20px; }
`;

/**
 * Filterable rows: `tr.row` (each followed by its `tr.detail`, whose content
 * waits in a <template> until first opened, so 5,000 probes stay light).
 * `select[data-filter=K]` keeps rows whose space-separated data-K holds the
 * value; `input[data-search]` matches the row's and its details' text.
 */
export const SCRIPT = `
(function () {
  var table = document.querySelector("table.rows"); if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.row"));
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var search = document.querySelector("input[data-search]");
  var count = document.getElementById("f-count");
  function detailOf(row) { return row.nextElementSibling; }
  function fill(row) {
    var td = detailOf(row).firstElementChild;
    var template = td.querySelector("template");
    if (template) { td.appendChild(template.content.cloneNode(true)); td.removeChild(template); }
  }
  function text(row) {
    if (row._text === undefined) {
      var template = detailOf(row).querySelector("template");
      row._text = (row.textContent + " " + (template ? template.content.textContent : detailOf(row).textContent)).toLowerCase();
    }
    return row._text;
  }
  function setOpen(row, open) {
    if (open) fill(row);
    row.classList.toggle("open", open);
    detailOf(row).classList.toggle("hidden", !open || row.classList.contains("hidden"));
    var button = row.querySelector("button.expand");
    button.textContent = open ? "\\u2212" : "+"; button.setAttribute("aria-expanded", String(open));
  }
  function apply() {
    var wanted = selects.map(function (s) { return [s.getAttribute("data-filter"), s.value]; }).filter(function (f) { return f[1] !== ""; });
    var q = search ? search.value.trim().toLowerCase() : "";
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], ok = true;
      for (var j = 0; ok && j < wanted.length; j++) ok = (" " + (row.getAttribute("data-" + wanted[j][0]) || "") + " ").indexOf(" " + wanted[j][1] + " ") >= 0;
      if (ok && q) ok = text(row).indexOf(q) >= 0;
      row.classList.toggle("hidden", !ok);
      detailOf(row).classList.toggle("hidden", !ok || !row.classList.contains("open"));
      if (ok) shown++;
    }
    if (count) count.textContent = shown + " / " + rows.length + " shown";
  }
  var timer = null;
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  if (search) search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  table.addEventListener("click", function (event) {
    var button = event.target.closest("button.expand"); if (!button) return;
    var row = button.closest("tr.row"); setOpen(row, !row.classList.contains("open"));
  });
  var expandAll = document.getElementById("expand-all"), collapseAll = document.getElementById("collapse-all");
  if (expandAll) expandAll.addEventListener("click", function () { rows.forEach(function (row) { if (!row.classList.contains("hidden")) setOpen(row, true); }); });
  if (collapseAll) collapseAll.addEventListener("click", function () { rows.forEach(function (row) { if (row.classList.contains("open")) setOpen(row, false); }); });
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

/** The whole page; `style` and `script` are this codebase's constants, the only markup taken as it is. */
export function page(title: string, body: SafeHtml, style = STYLE, script = SCRIPT): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(style, script)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${trustedHtml(style)}</style>
</head>
<body>
${body}
<script>${trustedHtml(script)}</script>
</body>
</html>
`.toString();
}

/** A pass-rate bar as inline SVG (the CSP forbids style attributes). */
export function rateBar(rate: number | null, color = "#1a7f37"): SafeHtml {
  const value = rate ?? 0;
  const width = Math.max(0, Math.min(100, value * 100)).toFixed(1);
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${rate === null ? "no data" : `${(value * 100).toFixed(1)}%`}"><rect width="100" height="10" rx="3" fill="#eaeef2"/><rect width="${width}" height="10" rx="3" fill="${color}"/></svg>`;
}

export function options(values: Iterable<string | [value: string, label: string]>): SafeHtml {
  return html`${[...values]
    .map((entry) => (typeof entry === "string" ? [entry, entry] : entry))
    .map(([value, label]) => html`<option value="${value}">${label}</option>`)}`;
}

/** A definition list from label/value pairs; the values are text (anything else is written as its string). */
export function keyValueList(rows: ReadonlyArray<readonly [string, unknown]>): SafeHtml {
  return html`<dl class="kv">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${String(v ?? "")}</dd>`)}</dl>`;
}

/** A data-* value: space-separated tokens, each with spaces replaced so filters match whole tokens. */
export function tokens(values: Iterable<string>): string {
  return [...values].map((value) => value.replace(/\s+/g, "_")).join(" ");
}

/** The filter bar: selects (data-filter keys), a search box, expand/collapse buttons and the shown count. */
export function filterBar(selects: Array<{ key: string; label: string; options: SafeHtml }>, placeholder: string): SafeHtml {
  return html`<div class="filters">
${joinHtml(
  selects.map((s) => html`<label>${s.label} <select data-filter="${s.key}" id="f-${s.key}"><option value="">all</option>${s.options}</select></label>`),
  "\n",
)}
<input id="f-q" data-search type="search" placeholder="${placeholder}" aria-label="search">
<button id="expand-all" type="button">expand all</button><button id="collapse-all" type="button">collapse all</button>
<span id="f-count" class="muted"></span>
</div>`;
}

/** A row with its hidden detail row; `detail` waits in a <template> until first expanded. */
export function expandableRow(attributes: SafeHtml, cells: SafeHtml, columns: number, detail: SafeHtml): SafeHtml {
  return html`<tr class="row" ${attributes}><td><button class="expand" type="button" aria-expanded="false" title="show details">+</button></td>${cells}</tr>
<tr class="detail hidden"><td colspan="${columns}"><template>${detail}</template></td></tr>`;
}
