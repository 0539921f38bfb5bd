/**
 * A check result as HTML where people look for it: the verdict line (score and
 * signature side by side), then what the check found — the check's own view
 * (its `view`: side-by-side forms, facts, a table of segments) when its
 * definition is at hand, else its remaining details as a table. Views are data
 * from src/format/details-view.ts; every value is escaped by the template.
 */
import type { CheckResult } from "../format/check-result.js";
import type { DetailsView, ViewBlock, ViewSide } from "../format/details-view.js";
import type { CheckDefinition } from "../checks/types.js";
import { html, type SafeHtml } from "../util/html.js";
import { keyValueList } from "./page.js";
import { score as formatScore } from "./format.js";

function side(view: ViewSide, tone: string | null): SafeHtml {
  return html`<div><div class="muted">${view.label}</div><div class="${tone ? `big ${tone}` : "big"}">${view.text}</div>${
    view.note !== undefined ? html`<div class="muted">${view.note}</div>` : null
  }</div>`;
}

function block(view: ViewBlock): SafeHtml {
  switch (view.kind) {
    case "compare":
      return html`<div class="side">${side(view.expected, null)}${side(view.found, view.found.tone === "neutral" ? null : view.found.tone)}</div>`;
    case "facts":
      return keyValueList(view.rows);
    case "table": {
      const head = view.columns.map((column) => (column.numeric ? html`<th class="num">${column.label}</th>` : html`<th>${column.label}</th>`));
      const rows = view.rows.map((row) => html`<tr>${row.map((cell, i) => (view.columns[i]?.numeric ? html`<td class="num">${cell}</td>` : html`<td>${cell}</td>`))}</tr>`);
      return html`<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${view.more !== undefined ? html`<div class="muted">${view.more}</div>` : null}`;
    }
    case "note":
      return html`<div class="muted">${view.text}</div>`;
  }
}

/** Keys every result may have that the verdict line or the output's highlights already show, or that are for machines. */
const HIDDEN = new Set(["reason", "signature", "highlights", "stats", "metric", "crashed"]);

/** Details of a check without a view: simple values as a table, nested ones as JSON under a fold. */
function generic(details: CheckResult["details"]): SafeHtml | null {
  const rest = Object.entries(details).filter(([key, value]) => !HIDDEN.has(key) && value !== undefined);
  if (rest.length === 0) return null;
  const simple = rest.filter(([, value]) => value === null || typeof value !== "object");
  const nested = rest.filter(([, value]) => value !== null && typeof value === "object");
  return html`${simple.length > 0 ? keyValueList(simple.map(([key, value]) => [key, value === null ? "—" : String(value)])) : null}${
    nested.length > 0 ? html`<details><summary>details</summary><pre>${JSON.stringify(Object.fromEntries(nested), null, 2)}</pre></details>` : null
  }`;
}

/**
 * The check's view of its details, or null when it has none or it fails on
 * these details (a user view given a result it did not expect): then the
 * details are shown as they are.
 */
function viewOf(check: CheckResult, definition: Pick<CheckDefinition<any, any>, "view"> | undefined): DetailsView | null {
  if (!definition?.view || check.details.crashed === true) return null;
  try {
    const view = definition.view(check.details);
    return Array.isArray(view) ? view : null;
  } catch {
    return null;
  }
}

export function renderCheck(check: CheckResult, definition?: Pick<CheckDefinition<any, any>, "view">): SafeHtml {
  const { reason, signature } = check.details;
  const scoreText = check.score === null ? null : html` <span class="muted">score</span> ${formatScore(check.score)}`;
  const mark =
    check.pass === null
      ? html`<span class="status-scored" title="informational: a value, no threshold">·</span>`
      : html`<span class="status-${check.pass ? "pass" : "fail"}">${check.pass ? "✔" : "✘"}</span>`;
  const head = html`${mark} <b>${check.type}</b>${scoreText}${signature ? html` <span class="sig">${signature}</span>` : null}<div>${reason}</div>`;
  return html`<div class="check" data-check="${check.type}">${head}${body(check, definition)}</div>`;
}

function body(check: CheckResult, definition: Pick<CheckDefinition<any, any>, "view"> | undefined): SafeHtml | null {
  const view = viewOf(check, definition);
  if (view) {
    try {
      return html`${view.map(block)}`;
    } catch {
      // A user view's blocks that are not the shape (a row that is not a list): show the details instead.
    }
  }
  return generic(check.details);
}
