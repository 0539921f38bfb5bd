/**
 * Which records become probes: `where` on the records' fields, then a seeded
 * `sample` (optionally stratified by category), then `limit`. Deterministic:
 * a sample ranks records by sha256(seed, id), so a record keeps its rank when
 * others are added or removed, and a new dataset version's sample keeps most
 * of the old one's records. Probes keep the file's order.
 */
import type { DataSelection } from "../../format/suite.js";
import { sha256 } from "../../util/json.js";
import type { DataRecord } from "./records.js";
import { fieldText } from "./template.js";

/** The records every `where` condition holds for (values compared as text). */
export function whereMatches(records: readonly DataRecord[], where: DataSelection["where"]): DataRecord[] {
  if (!where) return [...records];
  const conditions = Object.entries(where).map(([field, wanted]) => ({
    field,
    wanted: new Set((Array.isArray(wanted) ? wanted : [wanted]).map(String)),
  }));
  return records.filter((record) => conditions.every(({ field, wanted }) => wanted.has(fieldText(record.fields[field]) ?? "")));
}

/** Fields a `where` names that no record has: a misspelt condition, not an empty slice. */
export function unknownWhereFields(records: readonly DataRecord[], where: DataSelection["where"]): string[] {
  return Object.keys(where ?? {}).filter((field) => !records.some((record) => field in record.fields));
}

export interface Candidate {
  id: string;
  category: string;
}

/** Indexes (ascending) of the candidates the sample and limit keep. */
export function sampleAndLimit(candidates: readonly Candidate[], selection: DataSelection): number[] {
  let kept = candidates.map((_, index) => index);
  if (selection.sample !== undefined && selection.sample < candidates.length) {
    const seed = selection.seed ?? 0;
    const rank = candidates.map(({ id }) => sha256(`${seed}\u0000${id}`));
    const byRank = (indexes: number[]) => [...indexes].sort((a, b) => (rank[a]! < rank[b]! ? -1 : rank[a]! > rank[b]! ? 1 : a - b));
    if (selection.stratified) {
      const groups = new Map<string, number[]>();
      for (const index of kept) {
        const category = candidates[index]!.category;
        (groups.get(category) ?? groups.set(category, []).get(category)!).push(index);
      }
      const quotas = proportionalQuotas([...groups].map(([name, members]) => [name, members.length]), selection.sample);
      kept = [...groups].flatMap(([name, members]) => byRank(members).slice(0, quotas.get(name)));
    } else {
      kept = byRank(kept).slice(0, selection.sample);
    }
    kept.sort((a, b) => a - b);
  }
  return selection.limit === undefined ? kept : kept.slice(0, selection.limit);
}

/** `total` shared in proportion to the sizes, by largest remainder (ties: the larger group, then the name). */
function proportionalQuotas(sizes: Array<[string, number]>, total: number): Map<string, number> {
  const all = sizes.reduce((sum, [, size]) => sum + size, 0);
  const exact = sizes.map(([name, size]) => ({ name, size, share: (total * size) / all }));
  const quotas = new Map(exact.map(({ name, share }) => [name, Math.floor(share)]));
  let left = total - [...quotas.values()].reduce((sum, quota) => sum + quota, 0);
  const remainder = (share: number) => share - Math.floor(share);
  const order = [...exact].sort((a, b) => remainder(b.share) - remainder(a.share) || b.size - a.size || a.name.localeCompare(b.name));
  for (const { name } of order) {
    if (left === 0) break;
    quotas.set(name, quotas.get(name)! + 1);
    left--;
  }
  return quotas;
}
