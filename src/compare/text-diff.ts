/**
 * Character-level diff of two outputs, on code points (Japanese and Chinese
 * have no spaces to split words on; surrogate pairs stay whole). Myers'
 * O((N+M)·D) algorithm after trimming the common prefix and suffix; when the
 * texts differ by more than `maxEdits`, the differing middle is one change.
 */

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
}

function myers(a: readonly string[], b: readonly string[], maxEdits: number): Array<{ op: DiffOp; index: number }> | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a.length, b.length, d);
    }
  }
  return null;
}

/** Walks the saved frontiers back from (n, m) to (0, 0), emitting ops in order. */
function backtrack(trace: Int32Array[], n: number, m: number, dEnd: number): Array<{ op: DiffOp; index: number }> {
  const ops: Array<{ op: DiffOp; index: number }> = [];
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const saved = trace[d]!; // frontier before step d, covering k = -d-1 … d+1
    const at = (k: number) => saved[k + d + 1]!;
    const k = x - y;
    const fromInsert = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = fromInsert ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ op: "equal", index: x });
    }
    if (fromInsert) {
      y--;
      ops.push({ op: "insert", index: y });
    } else {
      x--;
      ops.push({ op: "delete", index: x });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ op: "equal", index: x });
  }
  return ops.reverse();
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
  let ops = myers(midA, midB, Math.max(1, Math.min(options.maxEdits ?? 2000, budget)));
  if (ops !== null) {
    const common = ops.reduce((count, op) => count + (op.op === "equal" ? 1 : 0), 0);
    if (common < (options.minCommon ?? 0.2) * Math.max(midA.length, midB.length)) ops = null;
  }
  if (ops === null) {
    regions[0]!.del = midA.join("");
    regions[0]!.ins = midB.join("");
  } else {
    for (const { op, index } of ops) {
      const last = regions[regions.length - 1]!;
      if (op === "equal") {
        if (last.del || last.ins) regions.push({ equal: midA[index]!, del: "", ins: "" });
        else last.equal += midA[index]!;
      } else if (op === "delete") last.del += midA[index]!;
      else last.ins += midB[index]!;
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
