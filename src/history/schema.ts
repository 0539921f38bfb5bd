/**
 * The history store's schema, as a list of migrations: version n is reached
 * by running migrations 1…n in order, once, in one transaction. A store's
 * version is the one row of `schema_version`. Add a migration to change the
 * schema; never edit one that has shipped.
 */

export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE schema_version (version INTEGER NOT NULL);
      -- One row per round: what list, show and last-accepted need without reading the report.
      CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        kind TEXT NOT NULL,
        complete INTEGER NOT NULL,
        model TEXT,
        model_sha256 TEXT,
        -- JSON: the generation settings two rounds must share to be compared (settings.ts).
        settings TEXT NOT NULL,
        -- JSON: [{name, sha256, probe_count}], the suites and their versions.
        suites TEXT NOT NULL,
        total INTEGER NOT NULL,
        passed INTEGER NOT NULL,
        pass_rate REAL,
        gate_pass INTEGER,
        accepted_at TEXT,
        -- report.json as added, gzip-compressed: what export writes back and a baseline is read from.
        report BLOB NOT NULL
      );
      CREATE INDEX rounds_accepted ON rounds (accepted_at) WHERE accepted_at IS NOT NULL;
      -- The per-probe verdicts and per-check results the trend reads without opening the reports, as integers:
      -- strings once in the tables below, so 200 rounds of 5,000 probes are read in seconds.
      CREATE TABLE probe_keys (id INTEGER PRIMARY KEY, suite TEXT NOT NULL, probe_id TEXT NOT NULL, UNIQUE (suite, probe_id));
      -- Categories, languages and check types.
      CREATE TABLE names (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
      -- Probe definition hashes: one id per version of a probe.
      CREATE TABLE probe_hashes (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE);
      CREATE TABLE probes (
        round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        key_id INTEGER NOT NULL REFERENCES probe_keys (id),
        category_id INTEGER NOT NULL REFERENCES names (id),
        language_id INTEGER NOT NULL REFERENCES names (id),
        hash_id INTEGER NOT NULL REFERENCES probe_hashes (id),
        status TEXT NOT NULL,
        pass INTEGER,
        PRIMARY KEY (round_id, key_id)
      ) WITHOUT ROWID;
      CREATE TABLE check_results (
        round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        key_id INTEGER NOT NULL REFERENCES probe_keys (id),
        type_id INTEGER NOT NULL REFERENCES names (id),
        -- The k-th result of this type in the probe (0-based): results pair by (probe, type, k), as diff pairs them.
        k INTEGER NOT NULL,
        pass INTEGER,
        score REAL,
        PRIMARY KEY (round_id, key_id, type_id, k)
      ) WITHOUT ROWID;
      -- The same verdicts packed per round (verdicts.ts), which the trend reads: one blob per round instead of
      -- thousands of rows keeps 200 rounds of 5,000 probes in seconds.
      CREATE TABLE round_verdicts (
        round_id INTEGER PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
        probes BLOB NOT NULL,
        checks BLOB NOT NULL
      );
      CREATE TABLE corpus_metrics (
        round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        suite TEXT NOT NULL,
        check_type TEXT NOT NULL,
        language TEXT,
        tokenize TEXT,
        signature TEXT NOT NULL,
        score REAL NOT NULL,
        segments INTEGER NOT NULL
      );
      CREATE INDEX corpus_metrics_round ON corpus_metrics (round_id);
    `,
  },
];

/** The schema version this build writes and reads. */
export const HISTORY_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
