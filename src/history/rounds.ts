/**
 * Rounds in the store: adding a report (one transaction: the round, its
 * probes, check results and corpus metrics, or nothing), listing, showing,
 * accepting, removing, and reading a stored report back.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Report } from "../format/report.js";
import type { LoadedReport } from "../format/report-file.js";
import type { HistoryStore } from "./store.js";
import { roundSettings, type RoundSettings } from "./settings.js";
import { packInts, packVerdict, STALE_FLAG } from "./verdicts.js";

/** A label: what `show`, `accept` and `rm` take; it names export files, so the suite id form. */
export const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,127}$/;

export interface RoundRow {
  id: number;
  label: string;
  added_at: string;
  created_at: string;
  kind: Report["manifest"]["kind"];
  complete: boolean;
  model: string | null;
  model_sha256: string | null;
  settings: RoundSettings | null;
  suites: Array<{ name: string; sha256: string; probe_count: number }>;
  total: number;
  passed: number;
  pass_rate: number | null;
  gate_pass: boolean | null;
  accepted_at: string | null;
}

interface RawRound extends Omit<RoundRow, "complete" | "settings" | "suites" | "gate_pass"> {
  complete: number;
  settings: string;
  suites: string;
  gate_pass: number | null;
}

const ROUND_COLUMNS = "id, label, added_at, created_at, kind, complete, model, model_sha256, settings, suites, total, passed, pass_rate, gate_pass, accepted_at";

function roundRow(raw: RawRound): RoundRow {
  return {
    ...raw,
    complete: raw.complete === 1,
    settings: JSON.parse(raw.settings) as RoundSettings | null,
    suites: JSON.parse(raw.suites) as RoundRow["suites"],
    gate_pass: raw.gate_pass === null ? null : raw.gate_pass === 1,
  };
}

export function checkLabel(label: string, field = "--label"): string {
  if (!LABEL_PATTERN.test(label)) {
    throw new InputError(`a round label is 1–128 of A-Z a-z 0-9 _ . : + - (not starting with a punctuation mark), got ${JSON.stringify(label.slice(0, 80))}`, { field });
  }
  return label;
}

/**
 * A run's label (--label; the model file's name by default), without .gguf, in label characters; the round number
 * for a report with no model (score of another tool's outputs), whose label is only its folder's name.
 */
function defaultLabel(store: HistoryStore, report: Report): string {
  const { model, label } = report.manifest;
  const stem = (model ? (label ?? model.file_name) : "").replace(/\.gguf$/i, "").replace(/[^A-Za-z0-9_.:+-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 100);
  const base = stem || `round-${(store.db.prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM rounds").pluck().get() as number)}`;
  const taken = store.db.prepare("SELECT 1 FROM rounds WHERE label = ?").pluck();
  if (!taken.get(base)) return base;
  for (let n = 2; ; n++) if (!taken.get(`${base}-${n}`)) return `${base}-${n}`;
}

export interface AddOptions {
  label?: string;
  now?: Date;
}

/**
 * Adds the report as a new round, all of it or nothing. A label already in
 * the store is refused. $BONSAI_HISTORY_PAUSE_IN_ADD_MS holds the transaction
 * open that long after the probes are written (the crash test kills it there).
 */
export function addRound(store: HistoryStore, loaded: LoadedReport, options: AddOptions = {}): RoundRow {
  const { db } = store;
  const report = loaded.report;
  const compressed = gzipSync(JSON.stringify(report));
  const insertRound = db.prepare(
    `INSERT INTO rounds (label, added_at, created_at, kind, complete, model, model_sha256, settings, suites, total, passed, pass_rate, gate_pass, report)
     VALUES (@label, @added_at, @created_at, @kind, @complete, @model, @model_sha256, @settings, @suites, @total, @passed, @pass_rate, @gate_pass, @report)`,
  );
  const insertProbe = db.prepare("INSERT OR IGNORE INTO probes (round_id, key_id, category_id, language_id, hash_id, status, pass) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const insertCheck = db.prepare("INSERT OR IGNORE INTO check_results (round_id, key_id, type_id, k, pass, score) VALUES (?, ?, ?, ?, ?, ?)");
  const keyId = db.prepare("INSERT INTO probe_keys (suite, probe_id) VALUES (?, ?) ON CONFLICT (suite, probe_id) DO UPDATE SET suite = excluded.suite RETURNING id").pluck();
  const nameId = db.prepare("INSERT INTO names (text) VALUES (?) ON CONFLICT (text) DO UPDATE SET text = excluded.text RETURNING id").pluck();
  const hashId = db.prepare("INSERT INTO probe_hashes (hash) VALUES (?) ON CONFLICT (hash) DO UPDATE SET hash = excluded.hash RETURNING id").pluck();
  const insertVerdicts = db.prepare("INSERT INTO round_verdicts (round_id, probes, checks) VALUES (?, ?, ?)");
  const insertCorpus = db.prepare("INSERT INTO corpus_metrics (round_id, suite, check_type, language, tokenize, signature, score, segments) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const pauseMs = Number(process.env.BONSAI_HISTORY_PAUSE_IN_ADD_MS ?? 0);
  const add = db.transaction((): number => {
    const label = options.label ?? defaultLabel(store, report);
    if (db.prepare("SELECT 1 FROM rounds WHERE label = ?").get(label)) {
      throw new InputError(`the store already has a round labelled "${label}" (history rm it first, or pick another --label)`, { file: store.file, field: "--label" });
    }
    const id = Number(
      insertRound.run({
        label,
        added_at: (options.now ?? new Date()).toISOString(),
        created_at: report.manifest.created_at,
        kind: report.manifest.kind,
        complete: report.manifest.complete ? 1 : 0,
        model: report.manifest.model?.file_name ?? null,
        model_sha256: report.manifest.model?.sha256 ?? null,
        settings: JSON.stringify(roundSettings(report)),
        suites: JSON.stringify(report.manifest.suites.map((suite) => ({ name: suite.name, sha256: suite.sha256, probe_count: suite.probe_count }))),
        total: report.summary.total,
        passed: report.summary.passed,
        pass_rate: report.summary.pass_rate,
        gate_pass: report.gate ? (report.gate.pass ? 1 : 0) : null,
        report: compressed,
      }).lastInsertRowid,
    );
    const names = new Map<string, number>();
    const name = (text: string) => names.get(text) ?? names.set(text, nameId.get(text) as number).get(text)!;
    const packedProbes: number[] = [];
    const packedChecks: number[] = [];
    for (const probe of report.probes) {
      const key = keyId.get(probe.suite, probe.id) as number;
      const category = name(probe.category), language = name(probe.language), hash = hashId.get(probe.hash) as number;
      if (insertProbe.run(id, key, category, language, hash, probe.status, probe.pass === null ? null : probe.pass ? 1 : 0).changes === 0) continue;
      packedProbes.push(key, category, language, hash, packVerdict(probe.pass) + (probe.status === "stale" ? STALE_FLAG : 0));
      const seen = new Map<string, number>();
      for (const check of probe.checks) {
        const k = seen.get(check.type) ?? 0;
        seen.set(check.type, k + 1);
        const score = typeof check.score === "number" && Number.isFinite(check.score) ? check.score : null;
        const type = name(check.type);
        insertCheck.run(id, key, type, k, check.pass === null ? null : check.pass ? 1 : 0, score);
        packedChecks.push(key, type, k, packVerdict(check.pass));
      }
    }
    insertVerdicts.run(id, packInts(packedProbes), packInts(packedChecks));
    for (const [suite, metrics] of Object.entries(report.summary.corpus_metrics)) {
      for (const metric of metrics) insertCorpus.run(id, suite, metric.type, metric.language, metric.tokenize, metric.signature, metric.score, metric.segments);
    }
    if (pauseMs > 0) {
      process.stderr.write("history add: paused inside the transaction\n");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseMs);
    }
    return id;
  });
  const id = add.immediate();
  return findRound(store, String(id), "id")!;
}

function findRound(store: HistoryStore, key: string, by: "id" | "label"): RoundRow | null {
  const raw = store.db.prepare(`SELECT ${ROUND_COLUMNS} FROM rounds WHERE ${by} = ?`).get(by === "id" ? Number(key) : key) as RawRound | undefined;
  return raw ? roundRow(raw) : null;
}

/** The round with this label; an InputError naming the labels there are when none has it. */
export function getRound(store: HistoryStore, label: string): RoundRow {
  const round = findRound(store, label, "label");
  if (round) return round;
  const labels = store.db.prepare("SELECT label FROM rounds ORDER BY id DESC LIMIT 5").pluck().all() as string[];
  throw new InputError(`no round labelled "${label}" in the store${labels.length > 0 ? ` (newest: ${labels.join(", ")})` : " (it is empty)"}`, { file: store.file, field: "label" });
}

/** Every round, oldest first (the order they were added in). */
export function listRounds(store: HistoryStore): RoundRow[] {
  return (store.db.prepare(`SELECT ${ROUND_COLUMNS} FROM rounds ORDER BY id`).all() as RawRound[]).map(roundRow);
}

/** Marks the round as the one that shipped (accepting it again keeps its first acceptance time). */
export function acceptRound(store: HistoryStore, label: string, now = new Date()): RoundRow {
  const round = getRound(store, label);
  store.db.prepare("UPDATE rounds SET accepted_at = COALESCE(accepted_at, ?) WHERE id = ?").run(now.toISOString(), round.id);
  return getRound(store, label);
}

export function removeRound(store: HistoryStore, label: string): RoundRow {
  const round = getRound(store, label);
  store.db.transaction(() => store.db.prepare("DELETE FROM rounds WHERE id = ?").run(round.id)).immediate();
  return round;
}

/** The report as it was added; its path names the store and the round ("history.sqlite#round-18"). */
export function storedReport(store: HistoryStore, round: Pick<RoundRow, "id" | "label">): LoadedReport {
  const blob = store.db.prepare("SELECT report FROM rounds WHERE id = ?").pluck().get(round.id) as Buffer;
  let report: Report;
  try {
    report = JSON.parse(gunzipSync(blob).toString("utf8")) as Report;
  } catch (error) {
    throw new InputError(`damaged history store: the report of round "${round.label}" cannot be read (${(error as Error).message})`, { file: store.file, field: "history" });
  }
  return { path: `${path.basename(store.file)}#${round.label}`, report };
}
