/**
 * diff.html: the comparison of two reports on the same shell as report.html
 * (page.ts: CSP by hash, nothing remote, written with the escaping `html`
 * template). Counts, paired statistics per group, score and corpus deltas,
 * the pairwise judge's win rate, then every probe that changed: the two
 * outputs side by side with the character differences marked, each side with
 * its checks' highlights. The changes are the rows of rows-table.ts, the table
 * report.html's probes use: a long one is written as its first rows and a data
 * block, and the page script shows a window of it.
 */
import type { CheckHighlight, Diff, DiffProbe, PairwiseComparison, ProbeSide, Trend } from "../format/diff.js";
import type { CorpusComparison, PassComparison, ScoreComparison, Verdict } from "../format/diff.js";
import { diffText } from "../compare/text-diff.js";
import { changeText } from "../compare/settings.js";
import { html, joinHtml, type SafeHtml } from "../util/html.js";
import { interval, percent, points, pointsBare, pValue, score as formatScore, signedScore, truncate } from "./format.js";
import { highlightOutput, type RankedHighlight } from "./highlight.js";
import { filterBar, keyValueList, options, page, rateBar, STYLE } from "./page.js";
import { OUTPUT_START, rowsTable, type TableColumn, type TableRow } from "./rows-table.js";

/**
 * The diff's own rules over the shared style. In the opened probe the text
 * diff and the checks' highlights are layered: a changed piece is a <del> or
 * <ins> holding the highlight marks, and the outermost mark paints the change's
 * colour (the side's verdict) over its own background, so neither hides the
 * other; nested marks keep the report page's underlines.
 */
export const DIFF_STYLE = `
div.side-pass del > mark, div.side-pass ins > mark { background-image: linear-gradient(var(--ins-strong), var(--ins-strong)); }
div.side-fail del > mark, div.side-fail ins > mark { background-image: linear-gradient(var(--del-strong), var(--del-strong)); }
`;

const CHANGE_LABELS: Record<DiffProbe["change"], string> = {
  regressed: "regressed",
  fixed: "fixed",
  still_failing: "still failing",
  still_passing: "still passing",
  scored: "scored (no verdict)",
  edited: "probe edited",
  stale: "stale output (not scored)",
  added: "probe added",
  removed: "probe removed",
};

function verdictClass(verdict: Verdict): string {
  return verdict === "improved" ? "good" : verdict === "regressed" ? "bad" : verdict === "changed" ? "warn" : "muted";
}

function passRow(name: string, c: PassComparison): SafeHtml {
  return html`<tr><td>${name}</td><td class="num">${c.pairs}</td><td class="num">${percent(c.base_pass_rate)}</td><td class="num">${percent(c.candidate_pass_rate)}</td><td>${rateBar(
    c.candidate_pass_rate,
  )}</td><td class="num">${points(c.delta)}</td><td class="num">${interval(c.ci.low, c.ci.high, pointsBare)}</td><td class="num${c.fixed > 0 ? " good" : ""}">${c.fixed}</td><td class="num${c.regressed > 0 ? " bad" : ""}">${c.regressed}</td><td class="num">${pValue(c.p_value)}</td><td class="${verdictClass(c.verdict)}">${c.verdict}</td></tr>`;
}

function passTable(title: string, groups: Record<string, PassComparison>, confidence: number): SafeHtml {
  const names = Object.keys(groups);
  if (names.length === 0) return html``;
  return html`<section><h3>${title}</h3><table class="stats"><thead><tr><th>group</th><th class="num">pairs</th><th class="num">base</th><th class="num">candidate</th><th></th><th class="num">Δ</th><th class="num">${Math.round(
    confidence * 100,
  )}% CI (pts)</th><th class="num">fixed</th><th class="num">regressed</th><th class="num">McNemar p</th><th>verdict</th></tr></thead><tbody>${names.map((name) =>
    passRow(name, groups[name]!),
  )}</tbody></table></section>`;
}

function scoreRows(prefix: string, table: Record<string, ScoreComparison>): SafeHtml[] {
  return Object.entries(table).map(
    ([name, s]) =>
      html`<tr><td>${prefix}</td><td>${name}</td><td class="num">${s.pairs}</td><td class="num">${formatScore(s.base_mean)}</td><td class="num">${formatScore(
        s.candidate_mean,
      )}</td><td class="num">${signedScore(s.delta)}</td><td class="num">${interval(s.ci.low, s.ci.high, signedScore)}</td><td>${
        s.better ?? "—"
      }</td><td class="${verdictClass(s.verdict)}">${s.verdict}</td></tr>`,
  );
}

function scoreSection(diff: Diff): SafeHtml {
  const rows = [...scoreRows("all", diff.scores.overall), ...Object.entries(diff.scores.by_suite).flatMap(([suite, table]) => scoreRows(suite, table))];
  if (rows.length === 0) return html``;
  return html`<section id="scores"><h2>Check scores</h2><div class="muted">Mean score per check and unit (never pooled across units or tokenizers) on the shared unchanged probes; interval: paired bootstrap (${diff.settings.resamples} resamples, seed ${diff.settings.seed}).</div><table class="stats"><thead><tr><th>suite</th><th>check</th><th class="num">pairs</th><th class="num">base</th><th class="num">candidate</th><th class="num">Δ</th><th class="num">${Math.round(
    diff.settings.confidence * 100,
  )}% CI</th><th>better</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function corpusSection(corpus: Record<string, CorpusComparison[]>, confidence: number): SafeHtml {
  const rows = Object.entries(corpus).flatMap(([suite, metrics]) =>
    metrics.map(
      (m) =>
        html`<tr><td>${suite}</td><td>${m.check}</td><td>${m.language ?? "—"}</td><td class="num">${m.segments}</td><td class="num">${formatScore(m.base)}</td><td class="num">${formatScore(
          m.candidate,
        )}</td><td class="num">${signedScore(m.delta)}</td><td class="num">${interval(m.ci.low, m.ci.high, signedScore)}</td><td class="${verdictClass(m.verdict)}">${
          m.verdict
        }</td><td class="sig">${m.signature}</td></tr>`,
    ),
  );
  if (rows.length === 0) return html``;
  return html`<section id="corpus"><h2>Corpus metrics</h2><div class="muted">Recomputed from summed segment statistics on the shared unchanged probes, one row per corpus (metric, language, signature); the interval resamples segments (paired bootstrap).</div><table class="stats"><thead><tr><th>suite</th><th>metric</th><th>language</th><th class="num">segments</th><th class="num">base</th><th class="num">candidate</th><th class="num">Δ</th><th class="num">${Math.round(
    confidence * 100,
  )}% CI</th><th>verdict</th><th>signature</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

export function trendSection(trend: Trend | null): SafeHtml {
  if (!trend) return html``;
  const head = html`${trend.reports.map(
    (ref, i) => html`<th class="num" title="${ref.path}">#${i + 1} ${truncate(ref.label, 24)}<br><span class="muted">${ref.created_at.slice(0, 16)}</span></th>`,
  )}`;
  const rows = trend.rows.map((row) => {
    const cells = row.values.map((value, i) => {
      const step = row.steps[i];
      const mark =
        step && step.verdict === "improved"
          ? html` <span class="good" title="${`p = ${pValue(step.p_value)}`}">▲</span>`
          : step && step.verdict === "regressed"
            ? html` <span class="bad" title="${`p = ${pValue(step.p_value)}`}">▼</span>`
            : null;
      return html`<td class="num">${value.total === 0 ? "—" : html`${percent(value.pass_rate)} <span class="muted">(${value.total})</span>`}${mark}</td>`;
    });
    return html`<tr><td>${row.group}</td>${cells}</tr>`;
  });
  return html`<section id="trend"><h2>Trend across ${trend.reports.length} reports</h2><div class="muted">Pass rate of all probes in each report; ▲/▼: a significant change from the previous report on their shared unchanged probes (exact McNemar).</div><table class="stats"><thead><tr><th>group</th>${head}</tr></thead><tbody>${rows}</tbody></table>${trendCorpus(trend, head)}</section>`;
}

function trendCorpus(trend: Trend, head: SafeHtml): SafeHtml {
  if (trend.corpus.length === 0) return html``;
  const rows = trend.corpus.map((row) => {
    const cells = row.values.map((value) => html`<td class="num">${value.score === null ? "—" : html`${formatScore(value.score)} <span class="muted">(${value.segments})</span>`}</td>`);
    return html`<tr><td>${`${row.suite} ${row.check} ${row.language ?? ""}`}<br><span class="sig">${row.signature}</span></td>${cells}</tr>`;
  });
  return html`<h3>Corpus scores</h3><div class="muted">Each corpus on all its segments in each report (segments in brackets).</div><table class="stats"><thead><tr><th>corpus</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** The candidate's pairwise judge outcomes against the base round: win and loss rates with their intervals, the counts, and which judge. */
function pairwiseSection(pairwise: PairwiseComparison | null | undefined): SafeHtml {
  if (!pairwise) return html``;
  const { comparisons, counts } = pairwise;
  const rate = (outcome: "win" | "loss", r: PairwiseComparison["win_rate"]) =>
    html`<tr data-outcome="${outcome}"><td>${`${outcome} rate`}</td><td class="num">${percent(r.estimate)}</td><td class="num">${interval(r.low, r.high, percent)}</td><td class="num">${`${Math.round(
      r.confidence * 100,
    )}%`}</td><td class="num">${`${counts[outcome]} / ${comparisons}`}</td></tr>`;
  const card = (outcome: keyof PairwiseComparison["counts"], className = "") => html`<div class="card" data-outcome="${outcome}"><b class="${className}">${counts[outcome]}</b>${outcome}</div>`;
  return html`<section id="pairwise"><h2>Pairwise judge against the baseline round</h2><div class="muted">${`On ${comparisons} probes the candidate's pairwise judge check compared its answer with its baseline round's, asking twice with the order swapped: a win, tie or loss only when both orders agree, inconsistent otherwise (neither a win nor a loss). Intervals: paired bootstrap over the compared probes.`}</div><table class="stats"><thead><tr><th></th><th class="num">estimate</th><th class="num">interval</th><th class="num">confidence</th><th class="num">probes</th></tr></thead><tbody>${rate(
    "win",
    pairwise.win_rate,
  )}${rate("loss", pairwise.loss_rate)}</tbody></table><div class="cards">${card("win", counts.win ? "good" : "")}${card("tie")}${card("loss", counts.loss ? "bad" : "")}${card(
    "inconsistent",
    counts.inconsistent ? "warn" : "",
  )}</div><div>${pairwise.signatures.length > 1 ? "judges (mixed: the outcomes come from different judges)" : "judge"}: ${
    pairwise.signatures.length === 0 ? "(no signature recorded)" : joinHtml(pairwise.signatures.map((signature) => html`<span class="sig" data-field="judge-signature">${signature}</span>`), ", ")
  }</div><div>baseline round: ${pairwise.baseline === null ? "(not recorded)" : html`<span class="sig" data-field="judge-baseline">${pairwise.baseline}</span>`}</div></section>`;
}

/** A side's verdict as a class: its output is coloured by whether it passed (green) or failed (red), its changes too. */
function passClass(side: ProbeSide | null): string {
  return side === null || side.pass === null ? "side-none" : side.pass ? "side-pass" : "side-fail";
}

/**
 * A piece of one side's text, starting at code point `at`, with the highlights
 * that reach into it cut to it. Each keeps its rank in the whole text, so a
 * piece nests its marks as the whole text does even where cutting made the
 * outer range the shorter one.
 */
function markedPiece(text: string, at: number, length: number, highlights: readonly RankedHighlight[]): SafeHtml {
  const inside = highlights.filter((h) => h.end > at && h.start < at + length);
  return inside.length === 0 ? html`${text}` : highlightOutput(text, inside.map((h) => ({ ...h, start: h.start - at, end: h.end - at })));
}

/** The highlights ranked as highlightOutput nests them in the whole text: longest outermost, then in their order. */
const ranked = (highlights: readonly CheckHighlight[]): RankedHighlight[] =>
  highlights.map((h, index) => ({ h, index })).sort((a, b) => b.h.end - b.h.start - (a.h.end - a.h.start) || a.index - b.index).map(({ h }, rank) => ({ ...h, rank }));

/**
 * The two texts with their sides of the character diff marked (deletions on
 * the base side, insertions on the candidate's) and each side's highlights
 * inside: a change holds the marks of the highlights it overlaps.
 */
function markedOutputs(base: string | null, candidate: string | null, highlights: readonly [readonly CheckHighlight[], readonly CheckHighlight[]] = [[], []]): [SafeHtml, SafeHtml] {
  const [baseMarks, candidateMarks] = [ranked(highlights[0]), ranked(highlights[1])];
  const whole = (output: string | null, marks: readonly RankedHighlight[]) =>
    output === null ? html`<span class="muted">(no output)</span>` : html`<pre>${highlightOutput(output, marks)}</pre>`;
  if (base === null || candidate === null) return [whole(base, baseMarks), whole(candidate, candidateMarks)];
  const left: SafeHtml[] = [];
  const right: SafeHtml[] = [];
  let [atBase, atCandidate] = [0, 0];
  for (const segment of diffText(base, candidate)) {
    const length = Array.from(segment.text).length;
    if (segment.op === "equal") {
      left.push(markedPiece(segment.text, atBase, length, baseMarks));
      right.push(markedPiece(segment.text, atCandidate, length, candidateMarks));
      atBase += length;
      atCandidate += length;
    } else if (segment.op === "delete") {
      left.push(html`<del>${markedPiece(segment.text, atBase, length, baseMarks)}</del>`);
      atBase += length;
    } else {
      right.push(html`<ins>${markedPiece(segment.text, atCandidate, length, candidateMarks)}</ins>`);
      atCandidate += length;
    }
  }
  return [html`<pre class="base-output">${left}</pre>`, html`<pre class="candidate-output">${right}</pre>`];
}

/** A side's label over its output: which report, and whether its checks passed. */
function sideLabel(label: string, side: ProbeSide | null): SafeHtml {
  const verdict = side === null ? "" : side.pass === null ? " · no verdict" : side.pass ? " · passed" : " · failed";
  return html`<div class="side-label ${passClass(side)}">${label}${verdict}</div>`;
}

function sideFacts(side: ProbeSide | null): SafeHtml {
  if (!side) return html`<span class="muted">(not in this report)</span>`;
  const failed = side.failed_checks.map((check) => `${check.type}: ${check.reason}`);
  return keyValueList([
    ["status", side.status],
    ["failed checks", failed.length > 0 ? failed.join("\n") : "none"],
    ["scores", Object.entries(side.scores).map(([type, value]) => `${type} ${formatScore(value)}`).join(", ") || "—"],
    ["stop / tokens", `${side.stop_reason ?? "—"} / ${side.output_tokens ?? "—"}`],
    ["hash", side.hash.slice(0, 12)],
    ["output version", side.output_version ?? "—"],
  ]);
}

function probeDetail(probe: DiffProbe): SafeHtml {
  const [left, right] = markedOutputs(probe.base?.output ?? null, probe.candidate?.output ?? null, [probe.base?.highlights ?? [], probe.candidate?.highlights ?? []]);
  const prompt = probe.candidate ?? probe.base!;
  const expected = joinHtml(prompt.expected.map((text) => html`<span data-field="expected">${text}</span>`), "\n");
  let definition = html`<h3>Prompt</h3><pre class="prompt searchable" data-field="prompt" lang="${probe.language}">${prompt.prompt}</pre>${
    prompt.expected.length > 0 ? html`<h3>Expected</h3><pre class="expected searchable" lang="${probe.language}">${expected}</pre>` : null
  }`;
  if (probe.change === "edited" && probe.base && probe.candidate) {
    const [promptBefore, promptAfter] = markedOutputs(probe.base.prompt, probe.candidate.prompt);
    const [expectedBefore, expectedAfter] = markedOutputs(probe.base.expected.join("\n"), probe.candidate.expected.join("\n"));
    // The export's prompt and expected are the candidate's (the definition shown above is the two versions' diff).
    const exported = html`<data data-field="prompt" data-value="${probe.candidate.prompt}"></data>${probe.candidate.expected.map((text) => html`<data data-field="expected" data-value="${text}"></data>`)}`;
    definition = html`<h3>Probe edited: ${probe.edited_fields?.join(", ") ?? ""}</h3>${exported}<div class="side"><div><div class="muted">prompt before</div>${promptBefore}<div class="muted">expected before</div>${expectedBefore}</div><div><div class="muted">prompt after</div>${promptAfter}<div class="muted">expected after</div>${expectedAfter}</div></div>`;
  }
  return html`${definition}<h3>Outputs</h3><div class="side"><div class="${passClass(probe.base)}" data-field="base_output" data-value="${probe.base?.output ?? ""}">${sideLabel("base", probe.base)}${left}${sideFacts(
    probe.base,
  )}</div><div class="${passClass(probe.candidate)}" data-field="candidate_output" data-value="${probe.candidate?.output ?? ""}">${sideLabel("candidate", probe.candidate)}${right}${sideFacts(probe.candidate)}</div></div>`;
}

function probeRow(probe: DiffProbe): TableRow {
  const status = (side: ProbeSide | null) => (side ? html`<span class="status-${side.status}">${side.status.toUpperCase()}</span>` : html`<span class="muted">—</span>`);
  const why = probe.candidate?.failed_checks[0] ?? probe.base?.failed_checks[0];
  const cls = probe.change === "regressed" ? "bad" : probe.change === "fixed" ? "good" : probe.change === "still_failing" ? "" : "warn";
  const start = (side: ProbeSide | null) =>
    html`<td class="output-start searchable ${passClass(side)}" lang="${probe.language}">${side === null ? null : side.output === null ? html`<span class="muted">(no output)</span>` : highlightOutput(side.output, side.highlights, OUTPUT_START)}</td>`;
  const definition = probe.candidate ?? probe.base!;
  const statuses = `${probe.base?.status ?? ""} ${probe.candidate?.status ?? ""}`;
  const cells = [
    html`<td class="${cls}" data-field="change" data-value="${probe.change}">${CHANGE_LABELS[probe.change]}${
      probe.output_changed && (probe.change === "still_passing" || probe.change === "still_failing") ? " · output changed" : ""
    }</td>`,
    html`<td><span data-field="suite">${probe.suite}</span> › <span data-field="id">${probe.id}</span></td>`,
    html`<td data-field="category">${probe.category}</td>`,
    html`<td data-field="language">${probe.language}</td>`,
    html`<td class="prompt-start searchable" lang="${probe.language}">${truncate(definition.prompt, 80)}</td>`,
    start(probe.base),
    start(probe.candidate),
    html`<td data-sort="${statuses}"><data data-field="base_status" data-value="${probe.base?.status ?? ""}"></data>${status(probe.base)} → ${status(
      probe.candidate,
    )}<data data-field="candidate_status" data-value="${probe.candidate?.status ?? ""}"></data></td>`,
    html`<td>${why ? truncate(`${why.type}: ${why.reason}`, 100) : ""}</td>`,
  ];
  return {
    key: `${probe.suite}/${probe.id}`,
    filters: { change: [probe.change, ...(probe.output_changed ? ["output_changed"] : [])], suite: [probe.suite], category: [probe.category], language: [probe.language] },
    cells,
    sort: { status: statuses },
    detail: probeDetail(probe),
    fields: {
      suite: probe.suite,
      id: probe.id,
      change: probe.change,
      category: probe.category,
      language: probe.language,
      base_status: probe.base?.status ?? "",
      candidate_status: probe.candidate?.status ?? "",
      prompt: definition.prompt,
      expected: definition.expected,
      base_output: probe.base?.output ?? "",
      candidate_output: probe.candidate?.output ?? "",
    },
  };
}

/** The changes table's sortable columns (after the expand button). */
const DIFF_COLUMNS: readonly TableColumn[] = [
  { key: "change", label: "change" },
  { key: "probe", label: "probe" },
  { key: "category", label: "category" },
  { key: "language", label: "lang" },
  { key: "prompt", label: "prompt" },
  { key: "base", label: "base output" },
  { key: "candidate", label: "candidate output" },
  { key: "status", label: "status" },
  { key: "reason", label: "failed check" },
];
/** What the export writes per probe (`name[]`: a list), the rows' `fields`. */
const DIFF_FIELDS = ["suite", "id", "change", "category", "language", "base_status", "candidate_status", "prompt", "expected[]", "base_output", "candidate_output"];

const ORDER: Record<DiffProbe["change"], number> = { regressed: 0, fixed: 1, stale: 2, edited: 3, added: 4, removed: 5, still_failing: 6, scored: 7, still_passing: 8 };

export function renderDiffHtml(diff: Diff): string {
  const { counts, base, candidate } = diff;
  const overall = diff.pass.overall;
  const cls = overall.verdict === "regressed" ? "fail" : overall.verdict === "improved" ? "pass" : "none";
  const headline =
    overall.verdict === "regressed" ? "Significant regression" : overall.verdict === "improved" ? "Significant improvement" : overall.pairs === 0
          ? counts.matched > 0
            ? "No pass/fail verdicts to compare (informational scores only)"
            : "No shared probes to compare"
          : "No significant change";
  const verdict = html`<div class="verdict ${cls}" id="verdict" data-verdict="${overall.verdict}">${headline}<small>${
    `${counts.matched} shared unchanged probes: ${percent(overall.base_pass_rate)} → ${percent(overall.candidate_pass_rate)} (${points(overall.delta)}), ${counts.fixed} fixed, ${counts.regressed} regressed, exact McNemar p = ${pValue(
      overall.p_value,
    )} (α ${diff.settings.alpha}). Probes edited ${counts.edited}, added ${counts.added}, removed ${counts.removed}${counts.stale ? `, stale (not compared) ${counts.stale}` : ""}${
      counts.scored ? `; ${counts.scored} scored without a verdict (scores compared, not pass/fail)` : ""
    }.`
  }</small></div>`;
  // Rows worth a look first; unchanged passing probes with the same output are left out of the table.
  const rows = diff.probes
    .filter((probe) => probe.change !== "still_passing" || probe.output_changed)
    .sort((a, b) => ORDER[a.change] - ORDER[b.change]);
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort().map((v) => [v.replace(/\s+/g, "_"), v] as [string, string]);
  const ref = (label: string, r: Diff["base"]) =>
    html`<div><h3>${label}</h3>${keyValueList([
      ["report", r.path],
      ["model", `${r.model ?? "—"}${r.model_sha256 ? ` (${r.model_sha256.slice(0, 12)})` : ""}`],
      ["created", r.created_at],
      ["pass rate (all probes)", `${percent(r.pass_rate)} (${r.passed}/${r.total})`],
      ["suites", r.suites.map((s) => `${s.name} ${s.sha256.slice(0, 12)}`).join(", ")],
      ["gate", r.gate ? (r.gate.pass ? "PASS" : "FAIL") : "—"],
    ])}</div>`;
  const card = (label: string, value: number, className = "") => html`<div class="card" data-count="${label}"><b class="${className}">${value}</b>${label}</div>`;
  const body = html`
${verdict}
<header><h1>${`bonsai-eval diff — ${base.label} → ${candidate.label}`}</h1><div class="muted">${`${base.model ?? base.path} → ${candidate.model ?? candidate.path}`}</div></header>
<main>
${diff.setting_changes.length > 0 ? html`<section id="setting-changes"><h2>Settings that differ</h2><ul>${diff.setting_changes.map((change) => html`<li class="${change.invalidates.length > 0 ? "warn" : ""}">${changeText(change)}${change.why ? ` — ${change.why}: ${change.invalidates.join(", ")} not comparable` : ""}</li>`)}</ul></section>` : null}
<div class="side">${ref("Base", base)}${ref("Candidate", candidate)}</div>
<div class="cards">${card("regressed", counts.regressed, counts.regressed ? "bad" : "")}${card("fixed", counts.fixed, counts.fixed ? "good" : "")}${card("still failing", counts.still_failing)}${card(
    "output changed",
    counts.output_changed,
  )}${card("edited", counts.edited, counts.edited ? "warn" : "")}${card("added", counts.added)}${card("removed", counts.removed)}</div>
${diff.dataset_changes.summary.length > 0 ? html`<section id="dataset-changes"><h2>Dataset changes (not compared)</h2><ul>${joinHtml(diff.dataset_changes.summary.map((line) => html`<li>${line}</li>`), "")}</ul></section>` : ""}
<section id="stats"><h2>Pass rates on shared unchanged probes</h2><div class="muted">${
    `Paired: only probes in both reports with the same content hash. p: ${diff.settings.test}; a change is significant when p < ${diff.settings.alpha}. CI: ${diff.settings.interval}, ${diff.settings.resamples} resamples, seed ${diff.settings.seed}.`
  }</div>
${passTable("Overall", { all: diff.pass.overall }, diff.settings.confidence)}
${passTable("By suite", diff.pass.by_suite, diff.settings.confidence)}
${passTable("By category", diff.pass.by_category, diff.settings.confidence)}
${passTable("By language", diff.pass.by_language, diff.settings.confidence)}
${passTable("By check", diff.pass.by_check, diff.settings.confidence)}
</section>
${scoreSection(diff)}
${corpusSection(diff.corpus, diff.settings.confidence)}
${pairwiseSection(diff.pairwise)}
${trendSection(diff.trend)}
<h2>Probes that changed</h2>
${filterBar(
  [
    {
      key: "change",
      label: "change",
      options: options([
        ["regressed", "regressed"],
        ["fixed", "fixed"],
        ["still_failing", "still failing"],
        ["scored", "scored (no verdict)"],
        ["output_changed", "output changed"],
        ["stale", "stale output"],
        ["edited", "probe edited"],
        ["added", "probe added"],
        ["removed", "probe removed"],
      ]),
    },
    { key: "suite", label: "suite", options: options(sorted(rows.map((p) => p.suite))) },
    { key: "category", label: "category", options: options(sorted(rows.map((p) => p.category))) },
    { key: "language", label: "language", options: options(sorted(rows.map((p) => p.language))) },
  ],
  "search ids, prompts, outputs…",
)}
${rowsTable({ id: "changes", columns: DIFF_COLUMNS, fields: DIFF_FIELDS, exportName: "diff-probes", allRowsIn: "diff.json", rows: rows.map(probeRow) })}
</main>`;
  return page(`bonsai-eval diff — ${base.label} → ${candidate.label}`, body, STYLE + DIFF_STYLE);
}
