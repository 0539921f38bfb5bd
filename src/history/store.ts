/**
 * Opening the history store: one SQLite file in WAL mode with a busy timeout,
 * so two CI jobs adding rounds at once wait for each other instead of failing
 * or corrupting it. A file that is not a bonsai-eval store, is damaged, or has
 * a newer schema than this build knows is refused as one line, and left as it
 * is: nothing is written to it before its version has been read and accepted.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../errors.js";
import { ensureDir } from "../util/atomic.js";
import { HISTORY_SCHEMA_VERSION, MIGRATIONS } from "./schema.js";

export type HistoryDatabase = Database.Database;

export interface HistoryStore {
  file: string;
  db: HistoryDatabase;
}

/** How long a writer waits for another one's transaction before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

/** The store file: --history, else $BONSAI_HISTORY, else history.sqlite in `reportsDir`. */
export function historyFile(flag: string | undefined, reportsDir = "reports"): string {
  return flag ?? (process.env.BONSAI_HISTORY || path.join(reportsDir, "history.sqlite"));
}

function refuse(file: string, why: string): never {
  throw new InputError(`${why}; the file was left as it is`, { file, field: "history" });
}

function sqliteCode(error: unknown): string | undefined {
  return (error as { code?: unknown } | null)?.code as string | undefined;
}

/** The store's schema version; null for an empty database (no tables). Refuses a database with other tables. */
function readVersion(db: HistoryDatabase, file: string): number | null {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) return null;
  if (!tables.includes("schema_version")) refuse(file, "not a bonsai-eval history store (an SQLite database without a schema_version table)");
  const versions = db.prepare("SELECT version FROM schema_version").pluck().all() as unknown[];
  if (versions.length !== 1 || !Number.isInteger(versions[0])) refuse(file, `damaged history store: schema_version holds ${versions.length} rows`);
  return versions[0] as number;
}

/**
 * Opens (with `create`, creating) the store and brings an older schema up to
 * this build's version. Bad or foreign files are InputErrors (exit 2).
 */
export function openHistory(file: string, { create = true } = {}): HistoryStore {
  if (!existsSync(file)) {
    if (!create) throw new InputError("no history store here (add a round first: bonsai-eval history add REPORT)", { file, field: "history" });
    ensureDir(path.dirname(path.resolve(file)));
  } else if (statSync(file).isDirectory()) {
    throw new InputError("the history store is a directory, not a file", { file, field: "history" });
  }
  let db: HistoryDatabase;
  try {
    db = new Database(file, { fileMustExist: !create });
  } catch (error) {
    throw new InputError(`cannot open the history store: ${(error as Error).message}`, { file, field: "history" });
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Read before anything is written: a damaged or foreign file fails here (SQLITE_NOTADB, SQLITE_CORRUPT) untouched.
    const version = readVersion(db, file);
    if (version !== null && version > HISTORY_SCHEMA_VERSION) {
      refuse(file, `history store has schema version ${version}, newer than this bonsai-eval reads (${HISTORY_SCHEMA_VERSION}); use a newer bonsai-eval`);
    }
    if (db.pragma("journal_mode = WAL", { simple: true }) !== "wal") refuse(file, "cannot put the history store in WAL mode");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    if (version === null || version < HISTORY_SCHEMA_VERSION) migrate(db, file);
    return { file, db };
  } catch (error) {
    db.close();
    if (error instanceof InputError) throw error;
    const code = sqliteCode(error);
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") refuse(file, `damaged history store or not an SQLite file (${code})`);
    if (code === "SQLITE_BUSY") throw new InputError(`history store busy: another process held it for over ${BUSY_TIMEOUT_MS / 1000} s`, { file, field: "history" });
    throw error;
  }
}

/** Runs the migrations the store lacks, in one transaction that takes the write lock first (two first writers race here). */
function migrate(db: HistoryDatabase, file: string): void {
  db.transaction(() => {
    const version = readVersion(db, file) ?? 0;
    for (const migration of MIGRATIONS) {
      if (migration.version <= version) continue;
      db.exec(migration.sql);
    }
    db.prepare("DELETE FROM schema_version").run();
    db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(HISTORY_SCHEMA_VERSION);
  }).immediate();
}

/** Runs `work` on an open store and closes it, turning a busy or damaged database met on the way into one line. */
export function withHistory<T>(file: string, options: { create?: boolean }, work: (store: HistoryStore) => T): T {
  const store = openHistory(file, options);
  try {
    return work(store);
  } catch (error) {
    const code = sqliteCode(error);
    if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB") refuse(file, `damaged history store (${code})`);
    if (code === "SQLITE_BUSY") throw new InputError(`history store busy: another process held it for over ${BUSY_TIMEOUT_MS / 1000} s`, { file, field: "history" });
    throw error;
  } finally {
    store.db.close();
  }
}
