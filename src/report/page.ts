/**
 * The shell shared by report.html and diff.html: one self-contained page whose
 * Content-Security-Policy allows nothing remote and only this page's own
 * inline style and script (by hash). No inline handlers or style attributes
 * anywhere (the CSP would block them); every page is written with the `html`
 * template (util/html.ts), so every piece of model or suite text is escaped.
 * The script (page-script.ts) filters, sorts, searches and shows rows.
 */
import { createHash } from "node:crypto";
import { html, joinHtml, trustedHtml, type SafeHtml } from "../util/html.js";
import { SCRIPT } from "./page-script.js";

export { SCRIPT } from "./page-script.js";

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
tr.window > td { text-align: center; background: var(--bg); } tr.window button { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; padding: 2px 12px; }
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
