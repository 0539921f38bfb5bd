/**
 * Character-level diff of two outputs, on code points (Japanese and Chinese
 * have no spaces to split words on; surrogate pairs stay whole): jsdiff's
 * diffChars on the middle left after trimming the common prefix and suffix.
 * When the texts differ by more edits than the budget allows, or share too
 * little, the differing middle is one change.
 */
import { diffChars } from "diff";

export type DiffOp = "equal" | "delete" | "insert";

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

export interface TextDiffOptions {
  /** Most edits searched for before giving up on detail. Default 2000. */
  maxEdits?: number;
  /**
   * Work budget (about (N+M)·D steps) per diff, so a page of 5,000 changed
   * outputs renders in seconds: long, very different texts get fewer edits
   * searched and fall back to one change. Default 100,000.
   */
  maxWork?: number;
  /** Below this share of the differing middle in common, the middle is shown as one change (scattered one-letter matches read as noise). Default 0.2. */
  minCommon?: number;
  /** Equal runs this short (code points) between two changes are folded into them, for readability. Default 1. */
  foldEqual?: number;
  /**
   * Milliseconds one diff may take before the middle is shown as one change.
   * A backstop: the work budget ends a diff long before this on any ordinary
   * machine, so results stay the same from run to run. Default 250.
   */
  timeoutMs?: number;
}

interface Region {
  equal: string;
  del: string;
  ins: string;
}

export function diffText(before: string, after: string, options: TextDiffOptions = {}): DiffSegment[] {
  const a = Array.from(before);
  const b = Array.from(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);

  // Regions: an equal run, then the deletions and insertions that follow it.
  const regions: Region[] = [{ equal: a.slice(0, prefix).join(""), del: "", ins: "" }];
  const budget = Math.floor((options.maxWork ?? 100_000) / Math.max(1, midA.length + midB.length));
  let changes = diffChars(midA.join(""), midB.join(""), {
    maxEditLength: Math.max(1, Math.min(options.maxEdits ?? 2000, budget)),
    timeout: options.timeoutMs ?? 250,
  });
  if (changes !== undefined) {
    const common = changes.reduce((count, change) => count + (change.added || change.removed ? 0 : change.count), 0);
    if (common < (options.minCommon ?? 0.2) * Math.max(midA.length, midB.length)) changes = undefined;
  }
  if (changes === undefined) {
    regions[0]!.del = midA.join("");
    regions[0]!.ins = midB.join("");
  } else {
    for (const change of changes) {
      const last = regions[regions.length - 1]!;
      if (change.removed) last.del += change.value;
      else if (change.added) last.ins += change.value;
      else if (last.del || last.ins) regions.push({ equal: change.value, del: "", ins: "" });
      else last.equal += change.value;
    }
  }
  const tail = a.slice(a.length - suffix).join("");

  // Fold tiny equal runs between two changes into them: "ウォントン" → "ワンタン" reads as one change, not five.
  const fold = options.foldEqual ?? 1;
  const folded: Region[] = [];
  for (const region of regions) {
    const previous = folded[folded.length - 1];
    const between = previous && (previous.del || previous.ins) && (region.del || region.ins);
    if (previous && between && Array.from(region.equal).length <= fold) {
      previous.del += region.equal + region.del;
      previous.ins += region.equal + region.ins;
    } else {
      folded.push({ ...region });
    }
  }

  const segments: DiffSegment[] = [];
  const push = (op: DiffOp, text: string) => {
    if (text === "") return;
    const last = segments[segments.length - 1];
    if (last && last.op === op) last.text += text;
    else segments.push({ op, text });
  };
  for (const region of folded) {
    push("equal", region.equal);
    push("delete", region.del);
    push("insert", region.ins);
  }
  push("equal", tail);
  return segments;
}
