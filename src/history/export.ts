/** `history export`: every round back to DIR/LABEL/report.json, as it was added. */
import path from "node:path";
import { ensureDir, writeFileAtomic } from "../util/atomic.js";
import { listRounds, storedReport } from "./rounds.js";
import type { HistoryStore } from "./store.js";

export function exportRounds(store: HistoryStore, dir: string): Array<{ label: string; file: string }> {
  const written: Array<{ label: string; file: string }> = [];
  for (const round of listRounds(store)) {
    const { report } = storedReport(store, round);
    const roundDir = path.join(dir, round.label);
    ensureDir(roundDir);
    const file = path.join(roundDir, "report.json");
    writeFileAtomic(file, JSON.stringify(report, null, 2) + "\n");
    written.push({ label: round.label, file });
  }
  return written;
}
