/**
 * trend.html: the rounds of the history store side by side, on the same
 * shell as report.html (page.ts: CSP by hash, nothing remote, every value
 * through the escaping `html` template). Rounds are columns, oldest first;
 * a dataset-version change is marked on the axis; each cell holds the
 * round's pass rate and, after the first, the paired change from the round
 * before with its interval, coloured when it is more than noise.
 */
import type { HistoryTrend, ProbeHistory, TrendRound, TrendSeries, TrendStep } from "../history/trend.js";
import { html, type SafeHtml } from "../util/html.js";
import { interval, percent, points, pointsBare, pValue, score as formatScore } from "./format.js";
import { page, STYLE } from "./page.js";

const TREND_STYLE = `${STYLE}
.axis th { white-space: nowrap; } .axis .dataset { color: var(--warn); }
td.cell { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; } td.cell small { display: block; }
td.cell.dataset, th.dataset { border-left: 3px solid var(--warn); }
.marks { font-family: ui-monospace, monospace; white-space: pre; letter-spacing: 1px; }
.marks .p { color: var(--pass); } .marks .f { color: var(--fail); } .marks .e { color: var(--warn); }
.scroll { overflow-x: auto; }
`;

function datasetNote(round: TrendRound): string {
  const change = round.dataset;
  if (!change) return "";
  const parts = change.suites.map((suite) => `${suite.suite} ${suite.change}`);
  const probes = [change.edited ? `${change.edited} edited` : "", change.added ? `${change.added} added` : "", change.removed ? `${change.removed} removed` : ""].filter(Boolean);
  if (probes.length > 0) parts.push(`probes ${probes.join(", ")}`);
  return parts.join("; ");
}

const changed = (round: TrendRound) => datasetNote(round) !== "";

function stepClass(step: TrendStep | null): string {
  return step?.verdict === "improved" ? "good" : step?.verdict === "regressed" ? "bad" : "muted";
}

function axis(trend: HistoryTrend): SafeHtml {
  return html`<tr class="axis"><th>group</th>${trend.rounds.map(
    (round, i) =>
      html`<th class="num${changed(round) ? " dataset" : ""}" title="${`${round.created_at}${round.model ? ` · ${round.model}` : ""}`}">${round.label}${round.accepted ? " ✔" : ""}${
        changed(round) ? html`<br><small class="dataset" title="${datasetNote(round)}">◆ dataset ${i === 0 ? "" : "changed"}</small>` : ""
      }</th>`,
  )}</tr>`;
}

function cell(series: TrendSeries, r: number, round: TrendRound, confidence: number): SafeHtml {
  const value = series.values[r];
  const step = series.steps[r] ?? null;
  const cls = `cell${changed(round) ? " dataset" : ""}`;
  if (!value) return html`<td class="${cls} muted">—</td>`;
  const detail = step
    ? `${step.pairs} paired, ${step.fixed} fixed, ${step.regressed} regressed, ${Math.round(confidence * 100)}% CI ${interval(step.ci.low, step.ci.high, pointsBare)} pts, McNemar p ${pValue(step.p_value)}: ${step.verdict}`
    : `${value.judged} with a verdict of ${value.total}`;
  return html`<td class="${cls}" title="${detail}">${percent(value.pass_rate)}${step && step.pairs > 0 ? html`<small class="${stepClass(step)}">${points(step.delta)}</small>` : ""}</td>`;
}

function seriesTable(trend: HistoryTrend, kinds: ReadonlyArray<TrendSeries["kind"]>, title: string): SafeHtml {
  const rows = trend.series.filter((series) => kinds.includes(series.kind));
  if (rows.length === 0) return html``;
  return html`<section><h2>${title}</h2><div class="scroll"><table class="stats"><thead>${axis(trend)}</thead><tbody>${rows.map(
    (series) => html`<tr><td>${series.kind === "overall" ? "overall" : html`<span class="muted">${series.kind}</span> ${series.name}`}</td>${trend.rounds.map((round, r) => cell(series, r, round, trend.settings.confidence))}</tr>`,
  )}</tbody></table></div></section>`;
}

function corpusTable(trend: HistoryTrend): SafeHtml {
  if (trend.corpus.length === 0) return html``;
  return html`<section><h2>Corpus metrics (one row per signature group: never pooled across tokenizers or languages)</h2><div class="scroll"><table class="stats"><thead>${axis(trend)}</thead><tbody>${trend.corpus.map(
    (row) =>
      html`<tr><td>${row.suite} · ${row.check} (${row.language ?? "any language"}${row.tokenize ? `, tok ${row.tokenize}` : ""})<br><span class="sig">${row.signature}</span></td>${trend.rounds.map((round, r) => {
        const value = row.values[r];
        return html`<td class="cell${changed(round) ? " dataset" : ""}" title="${value ? `${value.segments} segments` : "not in this round"}">${value ? formatScore(value.score) : "—"}</td>`;
      })}</tr>`,
  )}</tbody></table></div></section>`;
}

function marks(history: ProbeHistory): SafeHtml {
  const edited = new Set(history.edited_at);
  return html`<span class="marks">${[...history.marks].map((mark, r) =>
    html`${edited.has(r) ? html`<span class="e" title="probe edited">|</span>` : ""}<span class="${mark === "P" ? "p" : mark === "F" ? "f" : ""}">${mark === " " ? "·" : mark}</span>`,
  )}</span>`;
}

function probeTable(rows: readonly ProbeHistory[], title: string, total: number, extra: (h: ProbeHistory) => string): SafeHtml {
  if (total === 0) return html`<section><h2>${title}</h2><p class="muted">none</p></section>`;
  return html`<section><h2>${title} (${total}${total > rows.length ? `, the first ${rows.length} shown` : ""})</h2><table><thead><tr><th>suite</th><th>probe</th><th>category</th><th>language</th><th>rounds (P pass, F fail, - no verdict, · absent, | edited)</th><th></th></tr></thead><tbody>${rows.map(
    (h) => html`<tr><td>${h.suite}</td><td>${h.id}</td><td>${h.category}</td><td>${h.language}</td><td>${marks(h)}</td><td>${extra(h)}</td></tr>`,
  )}</tbody></table></section>`;
}

export function renderTrendHtml(trend: HistoryTrend): string {
  const labelAt = (r: number | null) => (r === null ? "" : trend.rounds[r]!.label);
  const datasetRows = trend.rounds.filter((round) => changed(round));
  const body = html`<header><h1>bonsai-eval trend: ${trend.rounds.length} round${trend.rounds.length === 1 ? "" : "s"}${trend.total_rounds > trend.rounds.length ? ` (newest of ${trend.total_rounds})` : ""}</h1>
<div class="muted">store ${trend.store} · steps compare each round with the one before on the probes both have unchanged: ${trend.settings.test}; ${Math.round(trend.settings.confidence * 100)}% ${trend.settings.interval}; ✔ accepted, ◆ dataset changed</div></header>
<main>
${seriesTable(trend, ["overall", "suite"], "Pass rate by suite")}
${seriesTable(trend, ["category"], "By category")}
${seriesTable(trend, ["language"], "By language")}
${seriesTable(trend, ["check"], "By check (check results with a verdict)")}
${corpusTable(trend)}
<section><h2>Dataset versions</h2>${datasetRows.length === 0 ? html`<p class="muted">no suite or probe changed between these rounds</p>` : html`<ul>${datasetRows.map((round) => html`<li><b>${round.label}</b>: ${datasetNote(round)}</li>`)}</ul>`}</section>
${probeTable(trend.probes.broken, "Broken: failing now, passing before", trend.probes.broken_count, (h) => `broke at ${labelAt(h.broke_at)}`)}
${probeTable(trend.probes.flaky, "Flaky: flipping back and forth", trend.probes.flaky_count, (h) => `${h.flips} flips`)}
</main>`;
  return page(`bonsai-eval trend (${trend.rounds.length} rounds)`, body, TREND_STYLE);
}
