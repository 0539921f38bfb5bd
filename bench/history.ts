/**
 * `npm run bench:history`: whether the history store stays interactive at
 * 200 rounds × 5,000 probes. Fills a fresh store with synthetic rounds (each
 * probe has its own pass probability that drifts across rounds; every 40th
 * round edits 5% of the probes, a new dataset version), timing each
 * `addRound`, then times the trend over every round: the store queries
 * (historyTrend), rendering trend.html and trend.md, and writing them.
 * Prints a table and writes reports/bench-history.json.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { intOption } from "../src/cli/args.js";
import type { Report, ReportProbe } from "../src/format/report.js";
import { addRound } from "../src/history/rounds.js";
import { openHistory } from "../src/history/store.js";
import { historyTrend } from "../src/history/trend.js";
import { renderTrendHtml } from "../src/report/trend-html.js";
import { renderTrendMarkdown } from "../src/report/trend-md.js";
import { writeTrend } from "../src/report/trend-write.js";
import { summarize } from "../src/scoring/summary.js";
import { mulberry32 } from "../src/util/random.js";
import { machineInfo, median, MIB, packageVersion, parseBenchArgs, peakRssMib, percentile, round, runBench, table, writeJson } from "./util.js";

const USAGE = `usage: npm run bench:history -- [options]
  --rounds N       rounds added (default 200)
  --probes N       probes per round (default 5000)
  --seed N         seed of the synthetic verdicts (default 16)
  --out FILE       JSON report (default reports/bench-history.json)
  -h, --help       this text`;

const SUITES = ["ja_knowledge", "ja_katakana", "zh_knowledge", "translation", "loops"];
const CATEGORIES = ["open_qa", "closed_qa", "classification", "translation", "creative"];
const LANGUAGES = ["ja", "zh", "en"];

function syntheticReport(r: number, probes: number, ability: Float64Array, version: Int32Array, random: () => number): Report {
  const created = new Date(Date.UTC(2026, 0, 1) + r * 86_400_000).toISOString();
  const drift = 0.1 * Math.sin(r / 15);
  const list: ReportProbe[] = [];
  for (let i = 0; i < probes; i++) {
    const pass = random() < Math.min(0.98, Math.max(0.02, ability[i]! + drift));
    const suite = SUITES[i % SUITES.length]!;
    list.push({
      suite, id: `p${i}`, type: "generate", category: CATEGORIES[i % CATEGORIES.length]!, language: LANGUAGES[i % LANGUAGES.length]!, tags: [],
      prompt: `probe ${i}, version ${version[i]}`, system: null, expected: ["answer"], choices: [], answer: null, text: null,
      hash: `${i.toString(16).padStart(8, "0")}${version[i]!.toString(16).padStart(56, "0")}`,
      output: pass ? "answer" : "something else", stop_reason: "eog", stop_string: null, prompt_tokens: 12, output_tokens: 4, time_ms: 20,
      trimmed_replacement_char: false, rendered_prompt: null, likelihood: null, samples: null, output_version: "current",
      checks: [
        { type: "contains", score: pass ? 1 : 0, pass, details: { reason: pass ? "found" : "not found" } },
        { type: "repetition", score: random() * 0.2, pass: random() > 0.05, details: { reason: "repeated span ratio" } },
      ],
      pass, status: pass ? "pass" : "fail",
    });
  }
  const summary = summarize(list);
  summary.corpus_metrics = { translation: [{ type: "chrf", language: "en", tokenize: null, score: 40 + 10 * Math.sin(r / 9), segments: probes / 5, signature: "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.4.0" }] };
  return {
    schema_version: 1,
    manifest: {
      tool: { name: "bonsai-eval", version: "bench" }, kind: "score", complete: true, created_at: created, outputs_file: "outputs.jsonl", model: null,
      suites: SUITES.map((name) => ({ name, path: `${name}.yaml`, sha256: `${name}-${Math.floor(r / 40)}`, probe_count: probes / SUITES.length })),
      generation: null, runtime: null, hardware: null, shard: null, cache: null,
      timings: { started_at: created, finished_at: created, wall_ms: 0, model_load_ms: null, generation_ms: null, scoring_ms: 0, generated_tokens: 0, tokens_per_second: null },
    },
    probes: list,
    summary,
    problems: { unknown_outputs: [], missing_outputs: [], duplicate_outputs: [], stale_outputs: [], unknown_samples: [], truncated_outputs_tail: false },
  };
}

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2), { rounds: { type: "string" }, probes: { type: "string" }, seed: { type: "string" }, out: { type: "string" } }, USAGE);
  if (!parsed) return 0;
  const rounds = intOption(parsed.values.rounds, "--rounds", { min: 2, max: 10_000 }) ?? 200;
  const probes = intOption(parsed.values.probes, "--probes", { min: 5, max: 1_000_000 }) ?? 5000;
  const seed = intOption(parsed.values.seed, "--seed") ?? 16;
  const outFile = parsed.values.out ?? path.join("reports", "bench-history.json");
  const dir = mkdtempSync(path.join(os.tmpdir(), "bonsai-bench-history-"));
  try {
    const file = path.join(dir, "history.sqlite");
    const random = mulberry32(seed);
    const ability = Float64Array.from({ length: probes }, () => random());
    const version = new Int32Array(probes);
    const store = openHistory(file);
    const addMs: number[] = [];
    let buildMs = 0;
    for (let r = 0; r < rounds; r++) {
      if (r > 0 && r % 40 === 0) for (let i = 0; i < probes; i++) if (random() < 0.05) version[i]!++;
      const started = performance.now();
      const report = syntheticReport(r, probes, ability, version, random);
      buildMs += performance.now() - started;
      const t0 = performance.now();
      addRound(store, { path: `round-${r}`, report }, { label: `round-${r + 1}` });
      addMs.push(performance.now() - t0);
      if ((r + 1) % 50 === 0) console.error(`added ${r + 1}/${rounds} rounds`);
    }
    store.db.close();
    const storeMib = (statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / MIB;

    const reopened = openHistory(file, { create: false });
    const t0 = performance.now();
    const trend = historyTrend(reopened);
    const queryMs = performance.now() - t0;
    const t1 = performance.now();
    const htmlText = renderTrendHtml(trend);
    renderTrendMarkdown(trend);
    const renderMs = performance.now() - t1;
    const t2 = performance.now();
    const written = writeTrend(path.join(dir, "trend"), trend);
    const writeMs = performance.now() - t2;
    reopened.db.close();

    const result = {
      machine: machineInfo(),
      better_sqlite3: packageVersion("better-sqlite3"),
      rounds, probes, seed,
      add_round_ms: { median: round(median(addMs), 1), p95: round(percentile(addMs, 95), 1), first: round(addMs[0]!, 1), last: round(addMs[addMs.length - 1]!, 1) },
      synthetic_report_build_ms_total: round(buildMs),
      store_mib: round(storeMib, 1),
      trend: { query_ms: round(queryMs), render_ms: round(renderMs), write_ms: round(writeMs), total_ms: round(queryMs + renderMs + writeMs), html_kib: round(htmlText.length / 1024), flaky: trend.probes.flaky_count, broken: trend.probes.broken_count },
      peak_rss_mib: round(peakRssMib()),
    };
    console.log(table([
      ["measure", "value"],
      [`add a round of ${probes} probes (median ms)`, result.add_round_ms.median],
      ["add a round (p95 ms)", result.add_round_ms.p95],
      [`add: first / ${rounds}th round (ms)`, `${result.add_round_ms.first} / ${result.add_round_ms.last}`],
      [`store after ${rounds} rounds (MiB)`, result.store_mib],
      ["trend: store queries (ms)", result.trend.query_ms],
      ["trend: render html + md (ms)", result.trend.render_ms],
      ["trend: write files (ms)", result.trend.write_ms],
      ["trend page, total (ms)", result.trend.total_ms],
      ["trend.html (KiB)", result.trend.html_kib],
      ["peak RSS (MiB)", result.peak_rss_mib],
    ]));
    console.log(`wrote ${writeJson(outFile, result)} (trend page was ${written.html})`);
    return 0;
  } finally {
    if (!process.env.BONSAI_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

runBench("npm run bench:history", main);
