/**
 * `npm run bench:score`: how fast outputs are scored with every check on.
 *
 * On a deterministic mixed ja/zh/en corpus (bench/corpus.ts) it measures
 * - the cold start of the language services (kuromoji, jieba, both), each in
 *   fresh child processes;
 * - outputs scored per second on one core after a warm-up pass: the real
 *   scoring path (scoreOutputs from src/scoring/score-outputs.ts), which is synchronous,
 *   so one process is one core;
 * - where the time goes: each check's share, and the tokenizers' share inside it;
 * - peak RSS.
 * Prints tables and writes reports/bench-score.json.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PerformanceObserver } from "node:perf_hooks";
import { BUILTIN_CHECKS } from "../src/checks/builtins.js";
import { CheckRegistry } from "../src/checks/registry.js";
import type { CheckDefinition } from "../src/checks/types.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import type { WordTokenizer } from "../src/lang/words.js";
import type { OutputLine } from "../src/format/outputs.js";
import { requiredServices, scoreOutputs } from "../src/scoring/score-outputs.js";
import { summarize } from "../src/scoring/summary.js";
import type { ReportProbe } from "../src/format/report.js";
import { loadSuites } from "../src/suite/load.js";
import type { Suite } from "../src/format/suite.js";
import { buildCorpus, corpusSuites, LANGS, OUTPUT_KINDS, type CorpusItem, type OutputKind } from "./corpus.js";
import { intOption } from "../src/cli/args.js";
import { machineInfo, median, packageVersion, parseBenchArgs, peakRssMib, round, rssMib, runBench, table, writeJson } from "./util.js";

const USAGE = `usage: npm run bench:score -- [options]
  --count N        corpus size (default 3000: a third each ja, zh, en)
  --seconds S      timed scoring for at least S seconds after warm-up (default 8)
  --cold-runs N    fresh processes per cold-start measurement (default 3)
  --seed N         corpus seed (default 20240611)
  --out FILE       JSON report (default reports/bench-score.json)
  -h, --help       this text`;

const AIM_OUTPUTS_PER_SECOND = 1000;
const AIM_COLD_START_MS = 2000;

interface ColdStartRun {
  import_ms: number;
  load_ms: number;
  first_call_ms: Record<string, number>;
  cold_start_ms: number;
  since_process_start_ms: number;
  rss_bytes: number;
  max_rss_bytes: number;
}

function coldStart(services: string, runs: number) {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), "lang-cold-start.js");
  const samples: ColdStartRun[] = [];
  for (let run = 0; run < runs; run++) {
    const stdout = execFileSync(process.execPath, [entry, services], { encoding: "utf8" });
    samples.push(JSON.parse(stdout.trim().split("\n").at(-1) as string) as ColdStartRun);
  }
  const pick = (get: (sample: ColdStartRun) => number) => round(median(samples.map(get)), 1);
  return {
    services,
    runs,
    cold_start_ms: pick((s) => s.cold_start_ms),
    cold_start_ms_min: round(Math.min(...samples.map((s) => s.cold_start_ms)), 1),
    cold_start_ms_max: round(Math.max(...samples.map((s) => s.cold_start_ms)), 1),
    import_ms: pick((s) => s.import_ms),
    load_ms: pick((s) => s.load_ms),
    first_call_ms: pick((s) => Object.values(s.first_call_ms).reduce((a, b) => a + b, 0)),
    since_process_start_ms: pick((s) => s.since_process_start_ms),
    rss_mib: round(median(samples.map((s) => s.rss_bytes)) / 2 ** 20, 1),
    peak_rss_mib: round(median(samples.map((s) => s.max_rss_bytes)) / 2 ** 20, 1),
  };
}

// ---------------------------------------------------------------------------
// Instrumentation: time per check, and the tokenizer calls made inside each

type ServiceKey = WordTokenizer["segmenter"];

class Profile {
  readonly checkMs = new Map<string, number>();
  readonly checkCalls = new Map<string, number>();
  readonly checkByKind = new Map<string, Map<OutputKind, number>>();
  readonly tokenizerMs = new Map<string, number>();
  readonly tokenizerCalls = new Map<string, number>();
  readonly serviceMs = new Map<ServiceKey, number>();
  readonly serviceChars = new Map<ServiceKey, number>();
  /** Tokenizer calls on a text already tokenized (same service) for the same output, and anywhere in the pass. */
  repeatedInOutput = { calls: 0, ms: 0 };
  repeatedInPass = { calls: 0, ms: 0 };
  totalTokenizerCalls = 0;
  private current: string | null = null;
  private outputKey: string | null = null;
  private seenInOutput = new Set<string>();
  private readonly seenInPass = new Set<string>();

  constructor(private readonly kindOf: Map<string, OutputKind>) {}

  wrapCheck<P>(definition: CheckDefinition<P>): CheckDefinition<P> {
    return {
      ...definition,
      run: (input) => {
        const key = `${input.probe.suite}\u0000${input.probe.id}`;
        if (key !== this.outputKey) {
          this.outputKey = key;
          this.seenInOutput = new Set();
        }
        this.current = definition.type;
        const start = performance.now();
        try {
          return definition.run(input);
        } finally {
          const ms = performance.now() - start;
          this.current = null;
          add(this.checkMs, definition.type, ms);
          add(this.checkCalls, definition.type, 1);
          const kind = this.kindOf.get(input.probe.id) as OutputKind;
          const byKind = this.checkByKind.get(definition.type) ?? new Map<OutputKind, number>();
          add(byKind, kind, ms);
          this.checkByKind.set(definition.type, byKind);
        }
      },
    };
  }

  wrapServices(inner: LanguageServices): LanguageServices {
    const timed = <R>(service: ServiceKey, text: string, call: () => R): R => {
      const start = performance.now();
      try {
        return call();
      } finally {
        const ms = performance.now() - start;
        const check = this.current ?? "(outside checks)";
        add(this.tokenizerMs, check, ms);
        add(this.tokenizerCalls, check, 1);
        add(this.serviceMs, service, ms);
        add(this.serviceChars, service, text.length);
        this.totalTokenizerCalls++;
        const key = `${service}\u0000${text}`;
        if (this.seenInOutput.has(key)) {
          this.repeatedInOutput.calls++;
          this.repeatedInOutput.ms += ms;
        }
        if (this.seenInPass.has(key)) {
          this.repeatedInPass.calls++;
          this.repeatedInPass.ms += ms;
        }
        this.seenInOutput.add(key);
        this.seenInPass.add(key);
      }
    };
    return {
      ...inner,
      japanese: (text) => timed("kuromoji", text, () => inner.japanese(text)),
      chinese: (text) => timed("jieba", text, () => inner.chinese(text)),
      words: (text, language) => timed(inner.wordTokenizer(language).segmenter, text, () => inner.words(text, language)),
    };
  }
}

function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

// ---------------------------------------------------------------------------

const OPTIONS = {
  count: { type: "string" },
  seconds: { type: "string" },
  "cold-runs": { type: "string" },
  seed: { type: "string" },
  out: { type: "string", default: "reports/bench-score.json" },
} as const;

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2), OPTIONS, USAGE);
  if (parsed === null) return 0;
  const count = intOption(parsed.values.count, "--count", { min: 1, max: 1_000_000 }) ?? 3000;
  const seconds = intOption(parsed.values.seconds, "--seconds", { max: 3600 }) ?? 8;
  const coldRuns = intOption(parsed.values["cold-runs"], "--cold-runs", { min: 1, max: 100 }) ?? 3;
  const seed = intOption(parsed.values.seed, "--seed", { max: 2 ** 32 - 1 }) ?? 20240611;
  const out = parsed.values.out;
  const machine = machineInfo();
  console.log(`bonsai-eval bench:score — ${machine.cpu_model}, nproc ${machine.nproc}, ${machine.memory_gib} GiB, Node ${machine.node}, load ${machine.load_average_1m}`);

  // 1. Cold start, each in fresh processes.
  console.log(`\ncold start of the language services (${coldRuns} fresh process(es) each, median):`);
  const cold = ["ja", "zh", "ja,zh"].map((services) => coldStart(services, coldRuns));
  console.log(
    table([
      ["services", "cold start ms", "min–max ms", "import ms", "load ms", "first call ms", "RSS MiB"],
      ...cold.map((c) => [c.services, c.cold_start_ms, `${Math.round(c.cold_start_ms_min)}–${Math.round(c.cold_start_ms_max)}`, c.import_ms, c.load_ms, c.first_call_ms, c.rss_mib]),
    ]),
  );

  // 2. The corpus, as suites on disk (loaded and validated like any suite) and outputs lines.
  const buildStart = performance.now();
  const items = buildCorpus(count, seed);
  const dir = mkdtempSync(path.join(os.tmpdir(), "bonsai-bench-score-"));
  let suitesLoadMs: number;
  let suites: Suite[];
  const registry = new CheckRegistry();
  try {
    const files = corpusSuites(items).map(({ name, file }) => {
      const target = path.join(dir, `${name}.yaml`);
      writeFileSync(target, JSON.stringify(file));
      return target;
    });
    const loadStart = performance.now();
    suites = loadSuites(files, { registry });
    suitesLoadMs = performance.now() - loadStart;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const suiteOf = (item: CorpusItem) => `bench-${item.language}`;
  const lines: OutputLine[] = items.map((item) => ({
    suite: suiteOf(item),
    id: item.probe.id,
    output: item.output,
    sample: 0,
    stop_reason: item.stopReason,
    output_tokens: item.outputTokens,
  }));
  const kindOf = new Map(items.map((item) => [item.probe.id, item.kind]));
  const chars = items.reduce((sum, item) => sum + Array.from(item.output).length, 0);
  const checksPerProbe = suites[0]?.probes[0]?.checks.length ?? 0;
  const byKindCount = Object.fromEntries(OUTPUT_KINDS.map((kind) => [kind, items.filter((item) => item.kind === kind).length]));
  console.log(
    `\ncorpus: ${items.length} outputs (${LANGS.map((lang) => `${items.filter((i) => i.language === lang).length} ${lang}`).join(", ")}), ` +
      `${chars.toLocaleString("en-US")} chars (mean ${Math.round(chars / items.length)}); built in ${Math.round(performance.now() - buildStart)} ms, ` +
      `suites loaded in ${Math.round(suitesLoadMs)} ms`,
  );
  const probeChecks = suites[0]?.probes[0]?.checks.map((check) => check.type) ?? [];
  const likelihoodOnly = BUILTIN_CHECKS.map((check) => check.type).filter((type) => !probeChecks.includes(type));
  console.log(
    `every probe has ${checksPerProbe} checks: ${probeChecks.join(", ")}` +
      (likelihoodOnly.length > 0 ? ` (not ${likelihoodOnly.join(", ")}: they score likelihood probes, not generated text)` : ""),
  );
  console.log(`kinds: ${OUTPUT_KINDS.map((kind) => `${kind} ${byKindCount[kind]}`).join(", ")}`);

  // 3. Services, in this process (what `run`/`score` do).
  const wanted = requiredServices(suites, registry);
  const rssBefore = rssMib();
  const servicesStart = performance.now();
  const services = await loadLanguageServices(wanted);
  const servicesMs = performance.now() - servicesStart;
  console.log(`services needed: ${[...wanted].join(", ")}; loaded in-process in ${Math.round(servicesMs)} ms (RSS ${rssBefore} → ${rssMib()} MiB)`);

  // 4. Warm-up pass, then timed passes (no instrumentation).
  const firstStart = performance.now();
  const first = scoreOutputs(suites, lines, registry, services);
  const firstMs = performance.now() - firstStart;
  const crashed = first.probes.flatMap((probe) => probe.checks).filter((check) => check.details.crashed === true);

  let gcMs = 0;
  let gcCount = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcCount++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  const passMs: number[] = [];
  const cpuStart = process.cpuUsage();
  const timedStart = performance.now();
  do {
    const start = performance.now();
    scoreOutputs(suites, lines, registry, services);
    passMs.push(performance.now() - start);
  } while (performance.now() - timedStart < seconds * 1000 || passMs.length < 2);
  const timedMs = performance.now() - timedStart;
  const cpu = process.cpuUsage(cpuStart);
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the observer deliver (it batches on a timer)
  observer.disconnect();
  const scored = passMs.length * lines.length;
  const perSecond = scored / (timedMs / 1000);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const perPass = passMs.map((ms) => lines.length / (ms / 1000));

  const summaryStart = performance.now();
  summarize(first.probes);
  const summaryMs = performance.now() - summaryStart;

  console.log(`\nscoring throughput (one process = one core; ${passMs.length} timed passes after a warm-up pass):`);
  console.log(
    table([
      ["measure", "value"],
      ["first pass (cold JIT), outputs/s", round(lines.length / (firstMs / 1000))],
      ["after warm-up, outputs/s (wall)", round(perSecond)],
      ["after warm-up, outputs/s per CPU-second", round(scored / cpuSeconds)],
      ["per-pass outputs/s, median (min–max)", `${Math.round(median(perPass))} (${Math.round(Math.min(...perPass))}–${Math.round(Math.max(...perPass))})`],
      ["mean ms per output", round(timedMs / scored, 3)],
      ["GC share of timed wall", `${round((100 * gcMs) / timedMs, 1)}% (${gcCount} GCs)`],
      ["summarize() of one pass, ms", round(summaryMs, 1)],
    ]),
  );

  // 5. One instrumented pass: per check, per kind, per tokenizer.
  const profile = new Profile(kindOf);
  const profiled = new CheckRegistry(BUILTIN_CHECKS.map((definition) => profile.wrapCheck(definition)));
  const profiledServices = profile.wrapServices(services);
  const profileStart = performance.now();
  const profiledResult = scoreOutputs(suites, lines, profiled, profiledServices);
  const profileMs = performance.now() - profileStart;
  const checkTotal = [...profile.checkMs.values()].reduce((a, b) => a + b, 0);
  const tokenizerTotal = [...profile.tokenizerMs.values()].reduce((a, b) => a + b, 0);
  const checkTypes = [...profile.checkMs.keys()].sort((a, b) => (profile.checkMs.get(b) ?? 0) - (profile.checkMs.get(a) ?? 0));

  const passRates = passRatesByCheck(profiledResult.probes);
  const checkRows = checkTypes.map((type) => {
    const ms = profile.checkMs.get(type) ?? 0;
    const calls = profile.checkCalls.get(type) ?? 1;
    const tokenizerMs = profile.tokenizerMs.get(type) ?? 0;
    return {
      check: type,
      total_ms: round(ms, 1),
      share: round(ms / checkTotal, 4),
      us_per_output: round((1000 * ms) / calls, 1),
      tokenizer_ms: round(tokenizerMs, 1),
      tokenizer_share_of_check: round(ms > 0 ? tokenizerMs / ms : 0, 3),
      tokenizer_calls: profile.tokenizerCalls.get(type) ?? 0,
      pass_rate: passRates.get(type) ?? null,
      ms_by_kind: Object.fromEntries(OUTPUT_KINDS.map((kind) => [kind, round(profile.checkByKind.get(type)?.get(kind) ?? 0, 1)])),
    };
  });
  console.log(
    `\nwhere the time goes (one instrumented pass: ${Math.round(profileMs)} ms, of which checks ${Math.round(checkTotal)} ms, ` +
      `tokenizers inside checks ${Math.round(tokenizerTotal)} ms = ${round((100 * tokenizerTotal) / checkTotal, 1)}%):`,
  );
  console.log(
    table([
      ["check", "share", "µs/output", "of which tokenizer", "tokenizer calls", "pass rate", "slowest kind"],
      ...checkRows.map((row) => {
        const slowest = Object.entries(row.ms_by_kind).sort((a, b) => b[1] - a[1])[0] as [string, number];
        return [
          row.check,
          `${round(row.share * 100, 1)}%`,
          row.us_per_output,
          `${round(row.tokenizer_share_of_check * 100, 0)}%`,
          row.tokenizer_calls,
          row.pass_rate === null ? "–" : `${round(row.pass_rate * 100, 0)}%`,
          `${slowest[0]} (${round((100 * slowest[1]) / Math.max(row.total_ms, 1e-9), 0)}%)`,
        ];
      }),
    ]),
  );

  const services_ = [...profile.serviceMs.keys()].map((service) => ({
    service,
    ms: round(profile.serviceMs.get(service) ?? 0, 1),
    share_of_checks: round((profile.serviceMs.get(service) ?? 0) / checkTotal, 4),
    chars: profile.serviceChars.get(service) ?? 0,
    chars_per_second: round((profile.serviceChars.get(service) ?? 0) / ((profile.serviceMs.get(service) ?? 1) / 1000)),
  }));
  console.log("\ntokenizers (inside checks, same pass):");
  console.log(
    table([
      ["tokenizer", "ms", "share of check time", "chars", "chars/s"],
      ...services_.map((s) => [s.service, s.ms, `${round(s.share_of_checks * 100, 1)}%`, s.chars, s.chars_per_second]),
    ]),
  );
  const repeated = {
    calls: profile.totalTokenizerCalls,
    same_text_same_output: { calls: profile.repeatedInOutput.calls, ms: round(profile.repeatedInOutput.ms, 1), share_of_checks: round(profile.repeatedInOutput.ms / checkTotal, 4) },
    same_text_anywhere_in_pass: { calls: profile.repeatedInPass.calls, ms: round(profile.repeatedInPass.ms, 1), share_of_checks: round(profile.repeatedInPass.ms / checkTotal, 4) },
  };
  console.log(
    `tokenizer calls: ${repeated.calls}; on a text already tokenized for the same output: ${repeated.same_text_same_output.calls} ` +
      `(${repeated.same_text_same_output.ms} ms, ${round(repeated.same_text_same_output.share_of_checks * 100, 1)}% of check time); ` +
      `already tokenized anywhere in the pass (references repeat): ${repeated.same_text_anywhere_in_pass.calls} ` +
      `(${repeated.same_text_anywhere_in_pass.ms} ms, ${round(repeated.same_text_anywhere_in_pass.share_of_checks * 100, 1)}%)`,
  );

  const byKind = OUTPUT_KINDS.map((kind) => {
    const ms = checkRows.reduce((sum, row) => sum + (row.ms_by_kind[kind] ?? 0), 0);
    const n = byKindCount[kind] ?? 0;
    return { kind, outputs: n, us_per_output: round((1000 * ms) / Math.max(n, 1), 1), share: round(ms / checkTotal, 4) };
  });
  console.log("\nby output kind (check time, same pass):");
  console.log(table([["kind", "outputs", "µs/output", "share"], ...byKind.map((k) => [k.kind, k.outputs, k.us_per_output, `${round(k.share * 100, 1)}%`])]));

  const dataBacked = await dataBackedRow(seed, registry, services);

  const peak = peakRssMib();
  const coldBoth = cold.find((c) => c.services === "ja,zh")!;
  const verdict = {
    outputs_per_second_per_core: round(perSecond),
    aim_outputs_per_second: AIM_OUTPUTS_PER_SECOND,
    outputs_ok: perSecond >= AIM_OUTPUTS_PER_SECOND,
    cold_start_ms: coldBoth.cold_start_ms,
    aim_cold_start_ms: AIM_COLD_START_MS,
    cold_start_ok: coldBoth.cold_start_ms < AIM_COLD_START_MS,
  };
  console.log(
    `\nresult: ${verdict.outputs_per_second_per_core} outputs/s/core after warm-up (aim ≥ ${AIM_OUTPUTS_PER_SECOND}: ${verdict.outputs_ok ? "met" : "NOT met"}); ` +
      `cold start ja+zh ${verdict.cold_start_ms} ms (aim < ${AIM_COLD_START_MS}: ${verdict.cold_start_ok ? "met" : "NOT met"}); peak RSS ${peak} MiB` +
      (crashed.length > 0 ? `; ${crashed.length} check(s) CRASHED` : ""),
  );

  const file = writeJson(out, {
    benchmark: "bench:score",
    created_at: new Date().toISOString(),
    machine,
    versions: { kuromoji: packageVersion("kuromoji"), nodejieba: packageVersion("nodejieba") },
    settings: { count, seed, seconds, cold_runs: coldRuns, checks_per_probe: checksPerProbe },
    corpus: { outputs: items.length, chars, by_kind: byKindCount, by_language: Object.fromEntries(LANGS.map((lang) => [lang, items.filter((i) => i.language === lang).length])) },
    cold_start: cold,
    in_process_services_load_ms: round(servicesMs, 1),
    throughput: {
      first_pass_outputs_per_second: round(lines.length / (firstMs / 1000)),
      outputs_per_second: round(perSecond),
      outputs_per_cpu_second: round(scored / cpuSeconds),
      passes: passMs.length,
      pass_outputs_per_second: perPass.map((value) => round(value)),
      timed_ms: round(timedMs),
      gc_ms: round(gcMs),
      gc_count: gcCount,
      summarize_ms: round(summaryMs, 1),
    },
    checks: checkRows,
    tokenizers: services_,
    repeated_tokenization: repeated,
    by_kind: byKind,
    crashed_checks: crashed.length,
    data_backed: dataBacked,
    memory: { peak_rss_mib: peak, rss_mib_end: rssMib() },
    verdict,
  });
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  return 0;
}

const DATA_BACKED_RECORDS = 10_000;

/**
 * A data-backed suite of 10,000 records: the corpus' probes written as an
 * Alpaca-style JSONL file (instruction, output as the expected answers,
 * category, language) and loaded with `mapping: alpaca`, so its checks come
 * by category. Times load + validation, one scoring pass and summarize().
 */
async function dataBackedRow(seed: number, registry: CheckRegistry, services: LanguageServices) {
  const items = buildCorpus(Math.ceil(DATA_BACKED_RECORDS * 1.5), seed)
    .filter((item) => item.probe.expected !== undefined && item.probe.expected.length > 0)
    .slice(0, DATA_BACKED_RECORDS);
  const dir = mkdtempSync(path.join(os.tmpdir(), "bonsai-bench-data-"));
  let suites: Suite[];
  let loadMs: number;
  try {
    const records = items.map((item) => JSON.stringify({ id: item.probe.id, instruction: item.probe.prompt, input: "", output: item.probe.expected, category: item.probe.category, language: item.language }));
    writeFileSync(path.join(dir, "sft.jsonl"), records.join("\n") + "\n");
    writeFileSync(path.join(dir, "sft.yaml"), "suite: bench-data\ndata: {file: sft.jsonl, mapping: alpaca, id: id, language: language}\n");
    const loadStart = performance.now();
    suites = loadSuites([path.join(dir, "sft.yaml")], { registry });
    loadMs = performance.now() - loadStart;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines: OutputLine[] = items.map((item) => ({ suite: "bench-data", id: item.probe.id, output: item.output, sample: 0, stop_reason: item.stopReason, output_tokens: item.outputTokens }));
  const scoreStart = performance.now();
  const result = scoreOutputs(suites, lines, registry, services);
  const scoreMs = performance.now() - scoreStart;
  const summaryStart = performance.now();
  summarize(result.probes, registry);
  const summaryMs = performance.now() - summaryStart;
  const row = {
    probes: suites[0]!.probes.length,
    load_and_validate_ms: round(loadMs),
    scoring_ms: round(scoreMs),
    outputs_per_second: round(lines.length / (scoreMs / 1000)),
    summarize_ms: round(summaryMs, 1),
  };
  console.log(`
data-backed suite (${row.probes} JSONL records, mapping: alpaca, checks by category; one pass):`);
  console.log(
    table([
      ["probes", "load + validate ms", "scoring ms", "outputs/s", "summarize ms"],
      [row.probes, row.load_and_validate_ms, row.scoring_ms, row.outputs_per_second, row.summarize_ms],
    ]),
  );
  return row;
}

function passRatesByCheck(probes: ReportProbe[]): Map<string, number> {
  const counts = new Map<string, { pass: number; total: number }>();
  for (const check of probes.flatMap((probe) => probe.checks)) {
    const entry = counts.get(check.type) ?? { pass: 0, total: 0 };
    entry.total++;
    if (check.pass) entry.pass++;
    counts.set(check.type, entry);
  }
  return new Map([...counts].map(([type, { pass, total }]) => [type, round(pass / total, 3)]));
}

runBench("npm run bench:score", main);
