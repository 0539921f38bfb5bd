/**
 * The history store through the real CLI on real SQLite files: rounds added,
 * listed, shown, accepted, removed and exported back to report.json; a crash
 * in the middle of `history add` leaves no half round; two writer processes at
 * once both land; a damaged file and a store of a newer schema are refused in
 * one line, exit 2, and left byte for byte as they were.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/format/report.js";
import { HISTORY_SCHEMA_VERSION } from "../src/history/schema.js";
import { BIN, runCli, tempDir, waitFor } from "./helpers.js";

const dir = tempDir("bonsai-history-");
const at = (...parts: string[]) => path.join(dir, ...parts);
const IDS = ["fuji", "tokyo", "paris", "biwa"] as const;
const EXPECTED: Record<(typeof IDS)[number], string> = { fuji: "富士山", tokyo: "東京", paris: "パリ", biwa: "琵琶湖" };

const SUITE = `suite: rounds
defaults: {language: ja, category: open_qa, max_tokens: 8, checks: [contains]}
probes:
${IDS.map((id) => `  - {id: ${id}, prompt: "${id}?", expected: [${EXPECTED[id]}]}`).join("\n")}
`;

async function scoreRound(name: string, right: ReadonlyArray<(typeof IDS)[number]>): Promise<string> {
  writeFileSync(at(`${name}.jsonl`), IDS.map((id) => JSON.stringify({ suite: "rounds", id, output: right.includes(id) ? EXPECTED[id] : "わかりません" }) + "\n").join(""));
  const result = await runCli(["score", "--outputs", at(`${name}.jsonl`), "--suite", at("rounds.yaml"), "--out", at(name)]);
  expect(result.code, result.stderr).toBe(0);
  return at(name);
}

const roundCount = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return { rounds: db.prepare("SELECT COUNT(*) FROM rounds").pluck().get(), probes: db.prepare("SELECT COUNT(*) FROM probes").pluck().get() };
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  writeFileSync(at("rounds.yaml"), SUITE);
  await scoreRound("r1", ["fuji", "tokyo"]);
  await scoreRound("r2", ["fuji", "tokyo", "paris"]);
}, 60_000);

describe("history add, list, show, accept, rm, export", () => {
  it("keeps rounds in the store and writes them back as the reports they were", async () => {
    const store = at("rounds.sqlite");
    expect((await runCli(["history", "add", at("r1"), "--label", "round-1", "--history", store])).stdout).toContain('added round "round-1" (4 probes, pass rate 50.0%)');
    // BONSAI_HISTORY names the store when --history does not; the label defaults to the round number without a model.
    const second = await runCli(["history", "add", at("r2", "report.json")], { env: { BONSAI_HISTORY: store } });
    expect(second.stdout).toContain('added round "round-2"');
    const list = await runCli(["history", "list", "--history", store]);
    expect(list.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^round-1 .* 50\.0% \(2\/4\)$/), expect.stringMatching(/^round-2 .* 75\.0% \(3\/4\)$/)]);
    expect((await runCli(["history", "accept", "round-1", "--history", store])).code).toBe(0);
    const show = await runCli(["history", "show", "round-1", "--history", store]);
    expect(show.stdout).toMatch(/round-1 .* accepted/);
    expect(show.stdout).toContain("suite rounds (4 probes");
    const exported = await runCli(["history", "export", "--out", at("exported"), "--history", store]);
    expect(exported.stdout).toContain("wrote 2 reports");
    const original = JSON.parse(readFileSync(at("r2", "report.json"), "utf8")) as Report;
    expect(JSON.parse(readFileSync(at("exported", "round-2", "report.json"), "utf8"))).toEqual(original);
    // An exported report is a report: the diff reads it.
    expect((await runCli(["diff", at("exported", "round-1"), at("exported", "round-2"), "--out", at("diff")])).code).toBe(0);
    const duplicate = await runCli(["history", "add", at("r1"), "--label", "round-1", "--history", store]);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr.trim()).toBe(`bonsai-eval: ${store}: --label: the store already has a round labelled "round-1" (history rm it first, or pick another --label)`);
    expect((await runCli(["history", "rm", "round-2", "--history", store])).code).toBe(0);
    expect(roundCount(store)).toEqual({ rounds: 1, probes: 4 });
    const missing = await runCli(["history", "show", "round-2", "--history", store]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no round labelled "round-2" in the store (newest: round-1)');
  });

  it("refuses bad labels, unknown actions and a store that is not there, in one line each", async () => {
    const results = await Promise.all([
      runCli(["history", "add", at("r1"), "--label", "../x", "--history", at("labels.sqlite")]),
      runCli(["history", "frobnicate"]),
      runCli(["history", "list", "--history", at("nowhere.sqlite")]),
    ]);
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(results[0]!.stderr).toContain("a round label is 1–128 of");
    expect(results[2]!.stderr).toContain("no history store here");
  });
});

describe("robustness on real SQLite files", () => {
  it("leaves no half round when history add is killed inside its transaction", async () => {
    const store = at("crash.sqlite");
    expect((await runCli(["history", "add", at("r1"), "--label", "before", "--history", store])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, "history", "add", at("r2"), "--label", "killed", "--history", store], {
      env: { ...process.env, BONSAI_HISTORY_PAUSE_IN_ADD_MS: "60000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise((resolve) => child.on("close", resolve));
    await waitFor(() => stderr.includes("paused inside the transaction"), 30_000);
    // The round and its probes were written inside the open transaction; the kill comes before its commit.
    child.kill("SIGKILL");
    await closed;
    expect(roundCount(store)).toEqual({ rounds: 1, probes: 4 });
    const list = await runCli(["history", "list", "--history", store]);
    expect(list.stdout.trim().split("\n").map((line) => line.split(" ")[0])).toEqual(["before"]);
    // The store is still writable: the killed label is free.
    expect((await runCli(["history", "add", at("r2"), "--label", "killed", "--history", store])).code).toBe(0);
  });

  it("lands both rounds when two processes add at once (WAL, busy timeout)", async () => {
    const store = at("concurrent.sqlite");
    // The first writer holds its transaction open for a second: the second waits on the busy timeout instead of failing.
    const [first, second] = await Promise.all([
      runCli(["history", "add", at("r1"), "--label", "job-a", "--history", store], { env: { BONSAI_HISTORY_PAUSE_IN_ADD_MS: "1000" } }),
      runCli(["history", "add", at("r2"), "--label", "job-b", "--history", store], { env: { BONSAI_HISTORY_PAUSE_IN_ADD_MS: "1000" } }),
    ]);
    expect([first.code, second.code], first.stderr + second.stderr).toEqual([0, 0]);
    expect(roundCount(store)).toEqual({ rounds: 2, probes: 8 });
    const db = new Database(store, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });

  it("refuses a damaged file and leaves it as it was", async () => {
    const store = at("damaged.sqlite");
    expect((await runCli(["history", "add", at("r1"), "--history", store])).code).toBe(0);
    // Overwrite the header: the file is no SQLite database any more.
    const bytes = readFileSync(store);
    bytes.write("this is not sqlite", 0);
    writeFileSync(store, bytes);
    for (const args of [["list"], ["add", at("r2")], ["trend", "--out", at("trend-damaged")]]) {
      const result = await runCli(["history", ...args, "--history", store]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`bonsai-eval: ${store}: history: damaged history store or not an SQLite file (SQLITE_NOTADB); the file was left as it is`);
    }
    expect(readFileSync(store).equals(bytes)).toBe(true);
  });

  it("refuses a store of a newer schema version and leaves it as it was", async () => {
    const store = at("newer.sqlite");
    expect((await runCli(["history", "add", at("r1"), "--history", store])).code).toBe(0);
    const db = new Database(store);
    db.pragma("journal_mode = DELETE");
    db.prepare("UPDATE schema_version SET version = ?").run(HISTORY_SCHEMA_VERSION + 1);
    db.close();
    const before = readFileSync(store);
    const result = await runCli(["history", "add", at("r2"), "--history", store]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `bonsai-eval: ${store}: history: history store has schema version ${HISTORY_SCHEMA_VERSION + 1}, newer than this bonsai-eval reads (${HISTORY_SCHEMA_VERSION}); use a newer bonsai-eval; the file was left as it is`,
    );
    expect(readFileSync(store).equals(before)).toBe(true);
  });

  it("refuses an SQLite database that is not a history store", async () => {
    const store = at("foreign.sqlite");
    const db = new Database(store);
    db.exec("CREATE TABLE notes (text TEXT)");
    db.close();
    const result = await runCli(["history", "add", at("r1"), "--history", store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("not a bonsai-eval history store (an SQLite database without a schema_version table)");
  });
});
