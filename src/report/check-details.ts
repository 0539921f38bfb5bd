/**
 * A check result as HTML where people look for it: the verdict line (score and
 * signature side by side), then what the check found, by check type —
 * katakana: expected form against the closest run the model wrote;
 * language: the drifted segments; repetition: the repeated unit and count;
 * others: their remaining details. All text escaped.
 */
import type { CheckResult } from "../format/check-result.js";
import { escapeHtml } from "../util/html.js";
import { keyValues } from "./page.js";
import { score as formatScore, truncate } from "./format.js";

type Details = CheckResult["details"];

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
const numOrNull = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

function katakana(details: Details): string {
  const expected = str(details.expected);
  const expectedKatakana = Array.isArray(details.expected_katakana) ? details.expected_katakana.join(" / ") : str(details.expected_katakana);
  const matched = str(details.matched);
  const caseName = str(details.case) ?? "";
  const distance = numOrNull(details.distance);
  const words = Array.isArray(details.katakana_words) ? (details.katakana_words as unknown[]).map(String) : [];
  const left = `<div><div class="muted">expected</div><div class="big">${escapeHtml(expected ?? expectedKatakana ?? "—")}</div>${
    expected && expectedKatakana && expectedKatakana !== expected ? `<div class="muted">read as ${escapeHtml(expectedKatakana)}</div>` : ""
  }</div>`;
  const right = `<div><div class="muted">${caseName === "no_katakana" ? "model wrote no katakana" : "closest in the output"}</div><div class="big ${
    caseName === "wrong_transliteration" ? "bad" : caseName === "no_katakana" ? "warn" : "good"
  }">${escapeHtml(matched ?? "—")}</div>${str(details.word) && details.word !== matched ? `<div class="muted">in the word ${escapeHtml(details.word)}</div>` : ""}</div>`;
  const facts: Array<[string, unknown]> = [["case", caseName.replace(/_/g, " ")]];
  if (distance !== null) facts.push(["distance", `${distance} mora${distance === 1 ? "" : "e"}`]);
  if (details.mode !== undefined) facts.push(["mode", `${String(details.mode)}, max distance ${String(details.max_distance ?? 0)}`]);
  if (details.dominant_script) facts.push(["output is mostly", String(details.dominant_script)]);
  if (words.length > 0) facts.push(["katakana words in the output", words.join("、")]);
  return `<div class="side">${left}${right}</div>${keyValues(facts)}`;
}

function language(details: Details): string {
  const drifted = Array.isArray(details.drifted) ? (details.drifted as Array<Record<string, unknown>>) : [];
  const letters = details.letters && typeof details.letters === "object" ? Object.entries(details.letters as Record<string, number>) : [];
  const total = numOrNull(details.total_letters);
  const driftLetters = numOrNull(details.drift_letters);
  const facts: Array<[string, unknown]> = [
    ["expected", Array.isArray(details.expected) ? details.expected.join(" + ") : String(details.expected ?? "—")],
    ["letters", letters.map(([language, count]) => `${language} ${count}`).join(", ") || "—"],
    ["drifted", total ? `${driftLetters ?? 0} of ${total} letters (max ${formatScore(numOrNull(details.max_drift) ?? 0)} share)` : "—"],
  ];
  const rows = drifted
    .map(
      (segment) =>
        `<tr><td class="num">${escapeHtml(segment.start)}–${escapeHtml(segment.end)}</td><td>${escapeHtml(segment.language)}</td><td class="num">${escapeHtml(segment.letters)}</td><td>${escapeHtml(segment.text)}</td></tr>`,
    )
    .join("");
  const more = numOrNull(details.drifted_total);
  return `${keyValues(facts)}${
    rows ? `<table><thead><tr><th class="num">chars</th><th>language</th><th class="num">letters</th><th>drifted segment</th></tr></thead><tbody>${rows}</tbody></table>` : ""
  }${more ? `<div class="muted">… ${more - drifted.length} more segments</div>` : ""}`;
}

function repetition(details: Details): string {
  const facts: Array<[string, unknown]> = [];
  if (details.unit !== null && details.unit !== undefined) {
    facts.push(["repeated unit", `“${truncate(String(details.unit), 120)}”`]);
    facts.push(["copies", `${String(details.count)} × ${String(details.unit_length)} chars${numOrNull(details.partial) ? " + a partial copy" : ""}${details.loop_at ? `, at the ${String(details.loop_at)}` : ""}`]);
  }
  const longest = details.longest_repeat as { text?: string; length?: number; copies?: number } | null | undefined;
  if (longest && longest.text !== undefined) facts.push(["longest repeat", `“${truncate(longest.text, 80)}” (${longest.length} chars × ${longest.copies})`]);
  if (details.seq_rep !== undefined) facts.push([`seq-rep-${String(details.n ?? 4)}`, formatScore(numOrNull(details.seq_rep))]);
  if (details.window_compression_ratio !== undefined) facts.push(["compression ratio (worst window / whole)", `${formatScore(numOrNull(details.window_compression_ratio))} / ${formatScore(numOrNull(details.compression_ratio))}`]);
  if (details.runaway) facts.push(["runaway", "generation hit max_tokens while looping"]);
  return facts.length > 0 ? keyValues(facts) : "";
}

function metric(details: Details): string {
  const facts: Array<[string, unknown]> = [];
  if (typeof details.reference === "string") facts.push(["best reference", details.reference]);
  if (typeof details.nrefs === "number") facts.push(["references", details.nrefs]);
  return facts.length > 0 ? keyValues(facts) : "";
}

const HIDDEN = new Set(["reason", "signature", "highlights", "stats", "metric", "crashed"]);

function generic(details: Details): string {
  const rest = Object.entries(details).filter(([key, value]) => !HIDDEN.has(key) && value !== undefined);
  if (rest.length === 0) return "";
  const simple = rest.filter(([, value]) => value === null || typeof value !== "object");
  const nested = rest.filter(([, value]) => value !== null && typeof value === "object");
  return `${simple.length > 0 ? keyValues(simple.map(([key, value]) => [key, value === null ? "—" : String(value)])) : ""}${
    nested.length > 0 ? `<details><summary>details</summary><pre>${escapeHtml(JSON.stringify(Object.fromEntries(nested), null, 2))}</pre></details>` : ""
  }`;
}

const RENDERERS: Record<string, (details: Details) => string> = {
  katakana,
  language,
  repetition,
  bleu: metric,
  chrf: metric,
  "chrf++": metric,
  token_f1: metric,
};

export function renderCheck(check: CheckResult): string {
  const { reason, signature } = check.details;
  const scoreText = check.score === null ? "" : ` <span class="muted">score</span> ${escapeHtml(formatScore(check.score))}`;
  const mark = check.pass === null ? `<span class="status-scored" title="informational: a value, no threshold">·</span>` : `<span class="status-${check.pass ? "pass" : "fail"}">${check.pass ? "✔" : "✘"}</span>`;
  const head = `${mark} <b>${escapeHtml(check.type)}</b>${scoreText}${
    signature ? ` <span class="sig">${escapeHtml(signature)}</span>` : ""
  }<div>${escapeHtml(reason)}</div>`;
  const body = (RENDERERS[check.type] ?? generic)(check.details);
  return `<div class="check" data-check="${escapeHtml(check.type)}">${head}${body}</div>`;
}
