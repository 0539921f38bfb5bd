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
:root { --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic UI", "Yu Gothic", Meiryo, "Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans CJK KR", sans-serif; --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK JP", "Noto Sans Mono CJK SC", "MS Gothic", monospace; --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --del:#ffebe9; --del-strong:#ff818266; --ins:#dafbe1; --ins-strong:#4ac26b66; }
* { box-sizing: border-box; }
body { font: 14px/1.5 var(--sans); margin: 0; color: #1f2328; }
header, main { padding: 16px 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; } h3 { font-size: 14px; margin: 12px 0 4px; }
.muted { color: var(--muted); }
.verdict { padding: 14px 24px; font-size: 18px; font-weight: 600; color: #fff; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.none { background: #424a53; }
.verdict small { display: block; font-weight: 400; font-size: 13px; opacity: .95; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; font-size: 13px; font-weight: 400; }
.verdict a { color: inherit; text-decoration: underline; }
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
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; padding: 8px; background: #fff; border: 1px solid var(--line); border-radius: 6px; max-height: 480px; overflow: auto; font-family: var(--mono); }
mark { --hl: #fb8f44; --hl-bg: #ffd8b5; background: var(--hl-bg); border-bottom: 2px solid var(--hl); color: inherit; }
mark.hl-language { --hl: #54aeff; --hl-bg: #ddf4ff; } mark.hl-repetition { --hl: #a475f9; --hl-bg: #fbefff; } mark.hl-katakana, mark.hl-script { --hl: #4ac26b; --hl-bg: #dafbe1; }
/* A highlight inside another (a loop inside a drifted segment) keeps the outer one's background and draws its own wavy underline and outline. */
mark mark { background: transparent; border-bottom: 0; text-decoration: underline wavy var(--hl) 2px; text-underline-offset: 3px; outline: 1px dashed var(--hl); }
mark mark mark { text-decoration: overline dotted var(--hl) 2px; outline: 0; }
mark.hit, mark mark.hit { background: #fff8c5; outline: 2px solid #d4a72c; border-bottom: 0; text-decoration: none; }
td.output-start { font-family: var(--mono); font-size: 12px; white-space: pre-wrap; word-break: break-word; max-width: 36em; }
td.prompt-start { word-break: break-word; max-width: 28em; }
th button.sort { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort=ascending] button.sort::after { content: " \\25B2"; } th[aria-sort=descending] button.sort::after { content: " \\25BC"; }
.tag { display: inline-block; padding: 0 6px; margin: 0 2px 2px 0; border-radius: 10px; font-size: 12px; background: #eaeef2; }
.notes { white-space: pre-wrap; border-left: 3px solid var(--line); padding-left: 8px; margin: 4px 0; }
.suite-description { margin: 2px 0 0; }
/* diff.html: each side's output coloured by its own verdict; what changed on it is marked in the same colour. */
.side-label { font-weight: 600; } .side-label.side-pass { color: var(--pass); } .side-label.side-fail { color: var(--fail); } .side-label.side-none { color: var(--muted); }
div.side-pass pre { border-left: 4px solid var(--pass); background: #f6fff8; } div.side-fail pre { border-left: 4px solid var(--fail); background: #fff8f7; }
div.side-pass del, div.side-pass ins, td.side-pass ins { background: var(--ins-strong); } div.side-fail del, div.side-fail ins { background: var(--del-strong); }
td.output-start.side-pass { border-left: 3px solid var(--pass); } td.output-start.side-fail { border-left: 3px solid var(--fail); }
del { background: var(--del-strong); text-decoration: line-through; } ins { background: var(--ins-strong); text-decoration: none; }
button.expand { border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; width: 24px; }
.check { margin: 6px 0; padding: 6px 8px; background: #fff; border: 1px solid var(--line); border-radius: 6px; } .check > b { font-family: ui-monospace, monospace; }
.sig { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; } .side > div { min-width: 0; }
.big { font-size: 20px; font-family: var(--sans); }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; } dl.kv dt { color: var(--muted); }
details > summary { cursor: pointer; color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; } .card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 120px; } .card b { display: block; font-size: 20px; }
`;

/**
 * Filterable, sortable rows: `tr.row` (each followed by its `tr.detail`, whose
 * content waits in a <template> until first opened, so 10,000 probes stay
 * light). `select[data-filter=K]` keeps rows whose space-separated data-K holds
 * the value; `input[data-search]` matches the row's and its details' text and
 * marks the matches inside `.searchable` elements; `th[data-sort]` sorts by its
 * column. The view (filters, search, sort, opened rows) is kept in the URL
 * fragment; `#probe-…` (a banner link) opens that probe. The export buttons
 * write the shown rows' `data-fields` as CSV or JSONL.
 */
export const SCRIPT = String.raw`
(function () {
  var table = document.querySelector("table.rows"); if (!table) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.row"));
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var search = document.querySelector("input[data-search]");
  var count = document.getElementById("f-count");
  var sortKey = "", sortDown = false, hits = [], query = "";
  function detailOf(row) { return row._detail || (row._detail = row.nextElementSibling); }
  rows.forEach(detailOf);
  function fill(row) {
    var td = detailOf(row).firstElementChild;
    var template = td.querySelector("template");
    if (template) { td.appendChild(template.content.cloneNode(true)); td.removeChild(template); if (query) mark(td, query); }
  }
  /* The row's details, opened or still waiting in their template. */
  function detailRoot(row) {
    var td = detailOf(row).firstElementChild, template = td.querySelector("template");
    return template ? template.content : td;
  }
  function text(row) {
    if (row._text === undefined) row._text = (row.textContent + " " + detailRoot(row).textContent).toLowerCase();
    return row._text;
  }
  function setOpen(row, open) {
    if (open) fill(row);
    row.classList.toggle("open", open);
    detailOf(row).classList.toggle("hidden", !open || row.classList.contains("hidden"));
    var button = row.querySelector("button.expand");
    button.textContent = open ? "\u2212" : "+"; button.setAttribute("aria-expanded", String(open));
  }
  /* Search hits: each match of the query in a prompt, output or expected text is wrapped in mark.hit. */
  function unmark() {
    var parents = [];
    hits.forEach(function (hit) { var parent = hit.parentNode; if (!parent) return; parent.replaceChild(document.createTextNode(hit.textContent), hit); parents.push(parent); });
    parents.forEach(function (parent) { parent.normalize(); });
    hits = [];
  }
  function mark(root, q) {
    var targets = root.querySelectorAll(".searchable");
    for (var i = 0; i < targets.length; i++) {
      var walker = document.createTreeWalker(targets[i], NodeFilter.SHOW_TEXT), nodes = [], node;
      while ((node = walker.nextNode())) nodes.push(node);
      nodes.forEach(function (node) {
        var lower = node.data.toLowerCase(); if (lower.length !== node.data.length) return;
        var at = lower.lastIndexOf(q);
        while (at >= 0) {
          var tail = node.splitText(at); tail.splitText(q.length);
          var hit = document.createElement("mark"); hit.className = "hit";
          tail.parentNode.replaceChild(hit, tail); hit.appendChild(tail); hits.push(hit);
          at = at === 0 ? -1 : lower.lastIndexOf(q, at - 1);
        }
      });
    }
  }
  function shownRows() { return rows.filter(function (row) { return !row.classList.contains("hidden"); }); }
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
    unmark(); query = q;
    if (q) shownRows().forEach(function (row) { mark(row, q); mark(detailOf(row), q); });
    if (count) count.textContent = shown + " / " + rows.length + " shown";
  }
  /* Sorting: by a column's cells (their data-sort value, else their text), numbers as numbers; the detail row moves with its row. */
  var heads = Array.prototype.slice.call(table.querySelectorAll("th[data-sort]"));
  function cellValue(row, index) {
    var cell = row.cells[index]; if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
  }
  function sortRows() {
    var head = heads.filter(function (th) { return th.getAttribute("data-sort") === sortKey; })[0];
    heads.forEach(function (th) { th.setAttribute("aria-sort", th === head ? (sortDown ? "descending" : "ascending") : "none"); });
    var order = rows.map(function (row, i) { return [row, i]; });
    if (head) {
      var index = head.cellIndex, numeric = head.classList.contains("num");
      order.forEach(function (entry) { var value = cellValue(entry[0], index); entry.push(numeric ? (value === "" || isNaN(Number(value)) ? -Infinity : Number(value)) : value.toLowerCase()); });
      order.sort(function (a, b) { var c = a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[1] - b[1]; return sortDown && a[2] !== b[2] ? -c : c; });
    } else order.sort(function (a, b) { return a[0]._index - b[0]._index; });
    /* Out of the document while the rows move, so the table is laid out once, not once per row. */
    var parent = tbody.parentNode, next = tbody.nextSibling;
    parent.removeChild(tbody);
    order.forEach(function (entry) { tbody.appendChild(entry[0]); tbody.appendChild(detailOf(entry[0])); });
    parent.insertBefore(tbody, next);
  }
  rows.forEach(function (row, i) { row._index = i; });
  heads.forEach(function (th) {
    var button = document.createElement("button"); button.type = "button"; button.className = "sort";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () {
      var key = th.getAttribute("data-sort");
      if (sortKey === key) sortDown = !sortDown; else { sortKey = key; sortDown = false; }
      sortRows(); save();
    });
  });
  /* The view in the URL fragment: filters, search, sort and opened probes, so a link or a reload opens the same view. */
  function save() {
    var params = new URLSearchParams();
    selects.forEach(function (s) { if (s.value) params.set(s.getAttribute("data-filter"), s.value); });
    if (search && search.value.trim()) params.set("q", search.value.trim());
    if (sortKey) params.set("sort", (sortDown ? "-" : "") + sortKey);
    var opened = rows.filter(function (row) { return row.classList.contains("open"); });
    if (opened.length <= 50) opened.forEach(function (row) { params.append("open", row.getAttribute("data-key")); });
    var hash = params.toString();
    if (("#" + hash) !== location.hash && !(hash === "" && location.hash === "")) history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function restore() {
    var hash = location.hash.slice(1);
    if (/^probe-/.test(hash)) {
      var target = document.getElementById(hash);
      if (target && target.classList.contains("row")) { if (target.classList.contains("hidden")) { selects.forEach(function (s) { s.value = ""; }); if (search) search.value = ""; apply(); } setOpen(target, true); target.scrollIntoView(); }
      return;
    }
    var params = new URLSearchParams(hash);
    selects.forEach(function (s) {
      var value = params.get(s.getAttribute("data-filter")) || "";
      s.value = Array.prototype.some.call(s.options, function (o) { return o.value === value; }) ? value : "";
    });
    if (search) search.value = params.get("q") || "";
    var sort = params.get("sort") || "";
    sortDown = sort.charAt(0) === "-"; sortKey = sort.replace(/^-/, "");
    if (sortKey || heads.some(function (th) { return th.hasAttribute("aria-sort") && th.getAttribute("aria-sort") !== "none"; })) sortRows();
    apply();
    var keys = params.getAll("open");
    rows.forEach(function (row) { var open = keys.indexOf(row.getAttribute("data-key")) >= 0; if (open !== row.classList.contains("open")) setOpen(row, open); });
  }
  /* Export of the shown rows: the fields named by the table's data-fields ("name" or "name[]" for a list), from elements marked data-field. */
  var fields = (table.getAttribute("data-fields") || "").split(" ").filter(Boolean);
  function record(row) {
    var out = {}, roots = [row, detailRoot(row)];
    fields.forEach(function (spec) {
      var list = /\[\]$/.test(spec), name = spec.replace(/\[\]$/, ""), values = [];
      roots.forEach(function (root) { Array.prototype.forEach.call(root.querySelectorAll('[data-field="' + name + '"]'), function (el) { values.push(el.hasAttribute("data-value") ? el.getAttribute("data-value") : el.textContent); }); });
      out[name] = list ? values : values.length > 0 ? values[0] : null;
    });
    return out;
  }
  function csvCell(value) {
    var text = value === null ? "" : Array.isArray(value) ? value.join("\n") : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; /* a spreadsheet would run a cell that starts like a formula */
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function download(name, type, content) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([content], { type: type }));
    link.download = name; document.body.appendChild(link); link.click(); document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }
  var base = (table.getAttribute("data-export-name") || "rows");
  function exportRows(kind) {
    var records = shownRows().map(record), names = fields.map(function (spec) { return spec.replace(/\[\]$/, ""); });
    if (kind === "csv") download(base + ".csv", "text/csv;charset=utf-8", "\ufeff" + [names.join(",")].concat(records.map(function (r) { return names.map(function (n) { return csvCell(r[n]); }).join(","); })).join("\r\n") + "\r\n");
    else download(base + ".jsonl", "application/x-ndjson;charset=utf-8", records.map(function (r) { return JSON.stringify(r) + "\n"; }).join(""));
  }
  var exportCsv = document.getElementById("export-csv"), exportJsonl = document.getElementById("export-jsonl");
  if (exportCsv) exportCsv.addEventListener("click", function () { exportRows("csv"); });
  if (exportJsonl) exportJsonl.addEventListener("click", function () { exportRows("jsonl"); });

  var timer = null;
  selects.forEach(function (s) { s.addEventListener("change", function () { apply(); save(); }); });
  if (search) search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { apply(); save(); }, 150); });
  table.addEventListener("click", function (event) {
    var button = event.target.closest("button.expand"); if (!button) return;
    var row = button.closest("tr.row"); setOpen(row, !row.classList.contains("open")); save();
  });
  var expandAll = document.getElementById("expand-all"), collapseAll = document.getElementById("collapse-all");
  if (expandAll) expandAll.addEventListener("click", function () { shownRows().forEach(function (row) { setOpen(row, true); }); save(); });
  if (collapseAll) collapseAll.addEventListener("click", function () { rows.forEach(function (row) { if (row.classList.contains("open")) setOpen(row, false); }); save(); });
  window.addEventListener("hashchange", restore);
  restore();
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

/** The filter bar: selects (data-filter keys), a search box, expand/collapse and export buttons and the shown count. */
export function filterBar(selects: Array<{ key: string; label: string; options: SafeHtml }>, placeholder: string): SafeHtml {
  return html`<div class="filters">
${joinHtml(
  selects.map((s) => html`<label>${s.label} <select data-filter="${s.key}" id="f-${s.key}"><option value="">all</option>${s.options}</select></label>`),
  "\n",
)}
<input id="f-q" data-search type="search" placeholder="${placeholder}" aria-label="search">
<button id="expand-all" type="button">expand all</button><button id="collapse-all" type="button">collapse all</button>
<button id="export-csv" type="button" title="the shown rows as CSV">export CSV</button><button id="export-jsonl" type="button" title="the shown rows as JSON Lines">export JSONL</button>
<span id="f-count" class="muted"></span>
</div>`;
}

/** A header cell; `sort` makes its column sortable under that name (kept in the URL fragment); numeric columns sort as numbers. */
export function headCell(label: string, sort: string | null, numeric = false): SafeHtml {
  const cls = numeric ? "num" : null;
  return sort === null ? html`<th class="${cls ?? ""}">${label}</th>` : html`<th class="${cls ?? ""}" data-sort="${sort}" aria-sort="none">${label}</th>`;
}

/** A row with its hidden detail row; `detail` waits in a <template> until first expanded. */
export function expandableRow(attributes: SafeHtml, cells: SafeHtml, columns: number, detail: SafeHtml): SafeHtml {
  return html`<tr class="row" ${attributes}><td><button class="expand" type="button" aria-expanded="false" title="show details">+</button></td>${cells}</tr>
<tr class="detail hidden"><td colspan="${columns}"><template>${detail}</template></td></tr>`;
}
