/**
 * The trend across stored rounds, read from each round's packed verdicts
 * (verdicts.ts; never from the reports themselves, so 200 rounds of 5,000 probes
 * stay quick): pass rates per group per round, the paired change between
 * neighbours on the probes both share unchanged (McNemar, bootstrap
 * interval), corpus metrics per signature group, dataset-version changes,
 * and each probe's history (flaky probes, and the round a probe broke at).
 */
import { mcnemarExact } from "../compare/stats.js";
import type { Verdict } from "../format/diff.js";
import { flipInterval } from "./flip-interval.js";
import { listRounds, type RoundRow } from "./rounds.js";
import type { HistoryStore } from "./store.js";
import { CHECK_FIELDS, PROBE_FIELDS, STALE_FLAG, unpackInts, unpackVerdict } from "./verdicts.js";

export interface TrendOptions {
  /** Only the newest N rounds. */
  last?: number;
  alpha?: number;
  /** Most probes listed as flaky, and as broken. */
  maxProbes?: number;
}

export interface TrendRound {
  label: string;
  created_at: string;
  added_at: string;
  model: string | null;
  kind: RoundRow["kind"];
  complete: boolean;
  accepted: boolean;
  gate_pass: boolean | null;
  /** Against the previous round: suites added, removed or at another version, and probes edited, added, removed. */
  dataset: DatasetChange | null;
}

export interface DatasetChange {
  suites: Array<{ suite: string; change: "added" | "removed" | "changed" }>;
  edited: number;
  added: number;
  removed: number;
}

export interface TrendStep {
  /** Probes (or check results) both rounds have unchanged, with a verdict on both sides. */
  pairs: number;
  fixed: number;
  regressed: number;
  delta: number | null;
  ci: { low: number | null; high: number | null };
  p_value: number;
  verdict: Verdict;
}

export interface TrendSeries {
  kind: "overall" | "suite" | "category" | "language" | "check";
  name: string;
  /** Per round: pass rate over the probes (results) with a verdict; null when the group is absent from the round. */
  values: Array<{ pass_rate: number | null; judged: number; total: number } | null>;
  /** Per round after the first: the paired change from the round before. */
  steps: Array<TrendStep | null>;
}

export interface TrendCorpusSeries {
  suite: string;
  check: string;
  language: string | null;
  tokenize: string | null;
  signature: string;
  values: Array<{ score: number; segments: number } | null>;
}

export interface ProbeHistory {
  suite: string;
  id: string;
  category: string;
  language: string;
  /** One mark per round: P pass, F fail, - no verdict or stale, blank: not in the round. */
  marks: string;
  /** Rounds (indices) at which the probe's definition differs from the round before. */
  edited_at: number[];
  /** Pass/fail changes between rounds on the same definition. */
  flips: number;
  /** The round the probe last went from pass to fail, when it is failing in the newest round that judged it. */
  broke_at: number | null;
}

export interface HistoryTrend {
  store: string;
  rounds: TrendRound[];
  /** Rounds in the store, of which these are the newest. */
  total_rounds: number;
  settings: { alpha: number; confidence: number; test: string; interval: string };
  series: TrendSeries[];
  corpus: TrendCorpusSeries[];
  probes: { total: number; flaky_count: number; broken_count: number; flaky: ProbeHistory[]; broken: ProbeHistory[] };
}

const KIND_ORDER: Record<TrendSeries["kind"], number> = { overall: 0, suite: 1, category: 2, language: 3, check: 4 };
const ABSENT = -2;

/** Interns strings as small integers. */
class Names {
  readonly list: string[] = [];
  readonly #ids = new Map<string, number>();
  id(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.list.length;
      this.#ids.set(name, id);
      this.list.push(name);
    }
    return id;
  }
}

function step(n: number, fixed: number, regressed: number, alpha: number): TrendStep {
  const { p_value } = mcnemarExact(regressed, fixed);
  return {
    pairs: n,
    fixed,
    regressed,
    delta: n === 0 ? null : (fixed - regressed) / n,
    ci: flipInterval(n, fixed, regressed, 1 - alpha),
    p_value,
    verdict: n === 0 ? "no data" : p_value < alpha ? (fixed > regressed ? "improved" : "regressed") : "no significant change",
  };
}

/** Verdicts of units (probes or check results) across rounds: verdict[r * units + u]. */
class VerdictGrid {
  readonly verdict: Int8Array;
  constructor(readonly rounds: number, readonly units: number) {
    this.verdict = new Int8Array(rounds * units).fill(ABSENT);
  }
}

export function historyTrend(store: HistoryStore, options: TrendOptions = {}): HistoryTrend {
  const alpha = options.alpha ?? 0.05;
  const maxProbes = options.maxProbes ?? 100;
  const all = listRounds(store);
  const rounds = options.last === undefined ? all : all.slice(Math.max(0, all.length - options.last));
  const R = rounds.length;
  const roundIndex = new Map(rounds.map((round, i) => [round.id, i]));
  const first = rounds[0]?.id ?? 0;
  const last = rounds[R - 1]?.id ?? -1;

  // Probes: one unit per suite/id; per round its verdict, definition hash, stale flag and groups. Rows are integers (schema.ts).
  const text = new Map((store.db.prepare("SELECT id, text FROM names").raw().all() as Array<[number, string]>));
  const keys = store.db.prepare("SELECT id, suite, probe_id FROM probe_keys").raw().all() as Array<[number, string, string]>;
  const maxKey = keys.reduce((max, [id]) => Math.max(max, id), 0);
  const unitOfKey = new Int32Array(maxKey + 1).fill(-1);
  const groupNames = new Names();
  const overall = groupNames.id("overall\u0000");
  const groupOfName = (kind: string) => {
    const ids = new Map<number, number>();
    return (nameId: number) => ids.get(nameId) ?? ids.set(nameId, groupNames.id(`${kind}\u0000${text.get(nameId) ?? "?"}`)).get(nameId)!;
  };
  const categoryGroup = groupOfName("category"), languageGroup = groupOfName("language"), checkGroup = groupOfName("check");
  const packed = (store.db.prepare("SELECT round_id, probes, checks FROM round_verdicts WHERE round_id BETWEEN ? AND ? ORDER BY round_id").raw().all(first, last) as Array<[number, Buffer, Buffer]>)
    .filter(([roundId]) => roundIndex.has(roundId))
    .map(([roundId, probeBlob, checkBlob]) => ({ r: roundIndex.get(roundId)!, probes: unpackInts(probeBlob), checks: unpackInts(checkBlob) }));
  const keyText = new Map(keys.map(([id, suite, probe]) => [id, [suite, probe] as const]));
  const meta: Array<{ suite: string; id: string; category: string; language: string }> = [];
  const suiteGroup: number[] = [];
  for (const { probes: tuples } of packed) for (let i = 0; i < tuples.length; i += PROBE_FIELDS) {
    const key = tuples[i]!, category = tuples[i + 1]!, language = tuples[i + 2]!;
    if (unitOfKey[key] === -1) {
      const [suite, id] = keyText.get(key)!;
      unitOfKey[key] = meta.length;
      suiteGroup.push(groupNames.id(`suite\u0000${suite}`));
      meta.push({ suite, id, category: "", language: "" });
    }
    // The newest round's category and language: rows come in round order.
    const unit = meta[unitOfKey[key]!]!;
    unit.category = text.get(category) ?? "?";
    unit.language = text.get(language) ?? "?";
  }
  const P = meta.length;
  const probes = new VerdictGrid(R, P);
  const hashOf = new Int32Array(R * P).fill(-1);
  const stale = new Uint8Array(R * P);
  // Group ids per round and probe: suite, category, language (category and language may change with an edit).
  const groupsOf = new Int32Array(R * P * 3);
  for (const { r, probes: tuples } of packed) for (let i = 0; i < tuples.length; i += PROBE_FIELDS) {
    const p = unitOfKey[tuples[i]!]!;
    const at = r * P + p;
    const verdict = tuples[i + 4]!;
    probes.verdict[at] = unpackVerdict(verdict);
    hashOf[at] = tuples[i + 3]!;
    stale[at] = verdict & STALE_FLAG ? 1 : 0;
    groupsOf[at * 3] = suiteGroup[p]!;
    groupsOf[at * 3 + 1] = categoryGroup(tuples[i + 1]!);
    groupsOf[at * 3 + 2] = languageGroup(tuples[i + 2]!);
  }
  const comparable = (r: number, p: number) => hashOf[(r - 1) * P + p] !== -1 && hashOf[(r - 1) * P + p] === hashOf[r * P + p] && !stale[(r - 1) * P + p] && !stale[r * P + p];

  // Check results: one unit per probe, type and k.
  const checkUnits = new Map<number, number>();
  const checkProbe: number[] = [];
  const checkType: number[] = [];
  const typeSpan = Math.max(1, ...text.keys()) + 1;
  const unitOfCheck = (key: number, type: number, k: number): number => {
    const code = (key * typeSpan + type) * 1024 + Math.min(k, 1023);
    let unit = checkUnits.get(code);
    if (unit === undefined) {
      unit = checkProbe.length;
      checkUnits.set(code, unit);
      checkProbe.push(unitOfKey[key]!);
      checkType.push(checkGroup(type));
    }
    return unit;
  };
  for (const { checks: tuples } of packed) for (let i = 0; i < tuples.length; i += CHECK_FIELDS) unitOfCheck(tuples[i]!, tuples[i + 1]!, tuples[i + 2]!);
  const C = checkProbe.length;
  const checks = new VerdictGrid(R, C);
  for (const { r, checks: tuples } of packed) for (let i = 0; i < tuples.length; i += CHECK_FIELDS) {
    checks.verdict[r * C + unitOfCheck(tuples[i]!, tuples[i + 1]!, tuples[i + 2]!)] = unpackVerdict(tuples[i + 3]!);
  }

  const G = groupNames.list.length;
  const values: Array<Array<TrendSeries["values"][number]>> = Array.from({ length: G }, () => new Array(R).fill(null));
  const steps: Array<Array<TrendStep | null>> = Array.from({ length: G }, () => new Array(R).fill(null));
  const total = new Int32Array(G), judged = new Int32Array(G), passed = new Int32Array(G);
  const pairs = new Int32Array(G), fixed = new Int32Array(G), regressed = new Int32Array(G);
  const datasets: Array<DatasetChange | null> = new Array(R).fill(null);
  for (let r = 0; r < R; r++) {
    total.fill(0), judged.fill(0), passed.fill(0), pairs.fill(0), fixed.fill(0), regressed.fill(0);
    let edited = 0, added = 0, removed = 0;
    const count = (group: number, verdict: number, before: number | null) => {
      total[group]!++;
      if (verdict >= 0) {
        judged[group]!++;
        passed[group]! += verdict;
      }
      if (before !== null && before >= 0 && verdict >= 0) {
        pairs[group]!++;
        if (before === 0 && verdict === 1) fixed[group]!++;
        if (before === 1 && verdict === 0) regressed[group]!++;
      }
    };
    for (let p = 0; p < P; p++) {
      const at = r * P + p;
      const verdict = probes.verdict[at]!;
      if (r > 0) {
        const was = hashOf[at - P]!, is = hashOf[at]!;
        if (was !== -1 && is !== -1 && was !== is) edited++;
        else if (was === -1 && is !== -1) added++;
        else if (was !== -1 && is === -1) removed++;
      }
      if (verdict === ABSENT) continue;
      const before = r > 0 && comparable(r, p) ? probes.verdict[at - P]! : null;
      count(overall, verdict, before);
      for (let g = 0; g < 3; g++) count(groupsOf[at * 3 + g]!, verdict, before);
    }
    for (let u = 0; u < C; u++) {
      const verdict = checks.verdict[r * C + u]!;
      if (verdict === ABSENT) continue;
      const before = r > 0 && comparable(r, checkProbe[u]!) ? checks.verdict[(r - 1) * C + u]! : null;
      count(checkType[u]!, verdict, before);
    }
    for (let g = 0; g < G; g++) {
      if (total[g] === 0) continue;
      values[g]![r] = { pass_rate: judged[g] === 0 ? null : passed[g]! / judged[g]!, judged: judged[g]!, total: total[g]! };
      if (r > 0 && values[g]![r - 1] !== null) steps[g]![r] = step(pairs[g]!, fixed[g]!, regressed[g]!, alpha);
    }
    if (r > 0) datasets[r] = { suites: suiteChanges(rounds[r - 1]!, rounds[r]!), edited, added, removed };
  }

  const series: TrendSeries[] = groupNames.list.map((name, g) => {
    const [kind, label] = name.split("\u0000") as [TrendSeries["kind"], string];
    return { kind, name: kind === "overall" ? "overall" : label, values: values[g]!, steps: steps[g]! };
  });
  series.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name));

  const histories = probeHistories(probes, hashOf, stale, meta);
  const flaky = histories.filter((h) => h.flips >= 2).sort((a, b) => b.flips - a.flips || a.suite.localeCompare(b.suite) || a.id.localeCompare(b.id));
  const broken = histories.filter((h) => h.broke_at !== null).sort((a, b) => b.broke_at! - a.broke_at! || a.suite.localeCompare(b.suite) || a.id.localeCompare(b.id));
  return {
    store: store.file,
    rounds: rounds.map((round, r) => ({
      label: round.label,
      created_at: round.created_at,
      added_at: round.added_at,
      model: round.model,
      kind: round.kind,
      complete: round.complete,
      accepted: round.accepted_at !== null,
      gate_pass: round.gate_pass,
      dataset: datasets[r]!,
    })),
    total_rounds: all.length,
    settings: {
      alpha,
      confidence: 1 - alpha,
      test: "exact McNemar (two-sided binomial on discordant pairs)",
      interval: "paired bootstrap percentile interval, computed exactly from the flip counts (normal limit above 400 flips)",
    },
    series,
    corpus: corpusSeries(store, roundIndex, R, first, last),
    probes: { total: P, flaky_count: flaky.length, broken_count: broken.length, flaky: flaky.slice(0, maxProbes), broken: broken.slice(0, maxProbes) },
  };
}

function suiteChanges(before: RoundRow, after: RoundRow): DatasetChange["suites"] {
  const old = new Map(before.suites.map((suite) => [suite.name, suite.sha256]));
  const changes: DatasetChange["suites"] = [];
  for (const suite of after.suites) {
    const was = old.get(suite.name);
    if (was === undefined) changes.push({ suite: suite.name, change: "added" });
    else if (was !== suite.sha256) changes.push({ suite: suite.name, change: "changed" });
    old.delete(suite.name);
  }
  for (const name of old.keys()) changes.push({ suite: name, change: "removed" });
  return changes.sort((a, b) => a.suite.localeCompare(b.suite));
}

function probeHistories(grid: VerdictGrid, hashOf: Int32Array, stale: Uint8Array, meta: ReadonlyArray<{ suite: string; id: string; category: string; language: string }>): ProbeHistory[] {
  const { rounds: R, units: P } = grid;
  const histories: ProbeHistory[] = [];
  for (let p = 0; p < P; p++) {
    let marks = "";
    const editedAt: number[] = [];
    let flips = 0;
    let lastVerdict = -1, lastHash = -1, lastFlipToFail: number | null = null;
    for (let r = 0; r < R; r++) {
      const at = r * P + p;
      const verdict = grid.verdict[at]!;
      const hash = hashOf[at]!;
      if (verdict === ABSENT) {
        marks += " ";
        continue;
      }
      if (lastHash !== -1 && hash !== lastHash) {
        editedAt.push(r);
        lastVerdict = -1;
        lastFlipToFail = null;
      }
      lastHash = hash;
      const judged = verdict >= 0 && !stale[at];
      marks += !judged ? "-" : verdict === 1 ? "P" : "F";
      if (!judged) continue;
      if (lastVerdict >= 0 && lastVerdict !== verdict) {
        flips++;
        lastFlipToFail = verdict === 0 ? r : null;
      }
      lastVerdict = verdict;
    }
    histories.push({ ...meta[p]!, marks, edited_at: editedAt, flips, broke_at: lastVerdict === 0 ? lastFlipToFail : null });
  }
  return histories;
}

function corpusSeries(store: HistoryStore, roundIndex: Map<number, number>, R: number, first: number, last: number): TrendCorpusSeries[] {
  const series = new Map<string, TrendCorpusSeries>();
  const rows = store.db
    .prepare("SELECT round_id, suite, check_type, language, tokenize, signature, score, segments FROM corpus_metrics WHERE round_id BETWEEN ? AND ?")
    .raw()
    .all(first, last) as Array<[number, string, string, string | null, string | null, string, number, number]>;
  for (const [roundId, suite, check, language, tokenize, signature, score, segments] of rows) {
    const r = roundIndex.get(roundId);
    if (r === undefined) continue;
    const key = JSON.stringify([suite, check, language, signature]);
    const entry = series.get(key) ?? series.set(key, { suite, check, language, tokenize, signature, values: new Array(R).fill(null) }).get(key)!;
    entry.values[r] = { score, segments };
  }
  return [...series.values()].sort((a, b) => a.suite.localeCompare(b.suite) || a.check.localeCompare(b.check) || (a.language ?? "").localeCompare(b.language ?? "") || a.signature.localeCompare(b.signature));
}
