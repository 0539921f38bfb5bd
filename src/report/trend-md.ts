/** trend.md: the trend for a CI job summary: the newest rounds, the last step per suite, broken and flaky probes. */
import type { HistoryTrend, TrendSeries } from "../history/trend.js";
import { interval, percent, points, pointsBare, pValue } from "./format.js";

/** Table cells hold model and suite text: pipes and line breaks would end the cell. */
const cellText = (text: string) => text.replace(/[|\\`*_<>[\]]/g, (char) => `\\${char}`).replace(/[\r\n]+/g, " ");

/** Columns shown: a job summary stays readable with the newest few rounds. */
const MD_ROUNDS = 8;

function lastStep(series: TrendSeries): string {
  const r = series.steps.length - 1;
  const step = series.steps[r];
  if (!step || step.pairs === 0) return "—";
  return `${points(step.delta)} ${interval(step.ci.low, step.ci.high, pointsBare)}, p ${pValue(step.p_value)}: ${step.verdict}`;
}

export function renderTrendMarkdown(trend: HistoryTrend): string {
  const from = Math.max(0, trend.rounds.length - MD_ROUNDS);
  const rounds = trend.rounds.slice(from);
  const lines = [`## bonsai-eval trend: ${trend.rounds.length} round${trend.rounds.length === 1 ? "" : "s"}`, ""];
  if (rounds.length === 0) return lines.concat("The store holds no rounds.", "").join("\n");
  const head = rounds.map((round) => `${cellText(round.label)}${round.accepted ? " ✔" : ""}${round.dataset && (round.dataset.suites.length > 0 || round.dataset.edited + round.dataset.added + round.dataset.removed > 0) ? " ◆" : ""}`);
  lines.push(`| group | ${head.join(" | ")} | last step (${Math.round(trend.settings.confidence * 100)}% CI) |`, `|---|${rounds.map(() => "---:").join("|")}|---|`);
  for (const series of trend.series.filter((s) => s.kind === "overall" || s.kind === "suite")) {
    const name = series.kind === "overall" ? "**overall**" : `suite ${cellText(series.name)}`;
    lines.push(`| ${name} | ${series.values.slice(from).map((value) => (value ? percent(value.pass_rate) : "—")).join(" | ")} | ${lastStep(series)} |`);
  }
  lines.push("", "✔ accepted · ◆ dataset changed since the round before", "");
  const changes = trend.rounds.filter((round) => round.dataset && (round.dataset.suites.length > 0 || round.dataset.edited > 0));
  if (changes.length > 0) {
    lines.push("**Dataset versions:** " + changes.map((round) => `${cellText(round.label)} (${round.dataset!.suites.map((s) => `${cellText(s.suite)} ${s.change}`).join(", ")}${round.dataset!.edited ? `; ${round.dataset!.edited} probe${round.dataset!.edited === 1 ? "" : "s"} edited` : ""})`).join("; "), "");
  }
  const probeList = (list: HistoryTrend["probes"]["broken"], what: (h: HistoryTrend["probes"]["broken"][number]) => string) =>
    list.slice(0, 10).map((h) => `\`${cellText(h.suite)}/${cellText(h.id)}\` ${what(h)}`).join(", ");
  lines.push(`**Broken** (failing now, passing before): ${trend.probes.broken_count}${trend.probes.broken_count > 0 ? ` — ${probeList(trend.probes.broken, (h) => `at ${cellText(trend.rounds[h.broke_at!]!.label)}`)}` : ""}`);
  lines.push(`**Flaky** (flipping back and forth): ${trend.probes.flaky_count}${trend.probes.flaky_count > 0 ? ` — ${probeList(trend.probes.flaky, (h) => `${h.flips} flips`)}` : ""}`, "");
  return lines.join("\n");
}
