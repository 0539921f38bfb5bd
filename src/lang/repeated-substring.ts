/**
 * The longest repeated substring of a code point sequence, by suffix array and
 * LCP (O(n log n)): the repeat the loop finder starts from.
 */

/**
 * Suffix array of a code point sequence by prefix doubling with counting sort
 * (O(n log n)): the start offsets of all suffixes in lexicographic order.
 */
export function suffixArray(text: Int32Array): Int32Array {
  const n = text.length;
  if (n === 0) return new Int32Array(0);
  // Work on the cyclic string text + sentinel; the sentinel sorts first, so the
  // cyclic order of rotations is the order of suffixes.
  const size = n + 1;
  const order = new Int32Array(size);
  let classes = new Int32Array(size);
  // Initial order by code point: pack (code point, index) in one float64 and sort.
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (text[i] as number) * 2 ** 26 + i;
  packed.sort();
  order[0] = n;
  classes[n] = 0;
  let classCount = 1;
  let previous = -1;
  for (let rank = 0; rank < n; rank++) {
    const index = (packed[rank] as number) % 2 ** 26;
    const point = text[index] as number;
    if (point !== previous) classCount++;
    previous = point;
    order[rank + 1] = index;
    classes[index] = classCount - 1;
  }
  const shifted = new Int32Array(size);
  let nextClasses = new Int32Array(size);
  for (let half = 1; classCount < size && half < size; half <<= 1) {
    // Sort rotations by (class of i, class of i + half): order by second key is
    // `order` shifted left by `half`; a stable counting sort by the first key finishes it.
    for (let i = 0; i < size; i++) {
      let start = (order[i] as number) - half;
      if (start < 0) start += size;
      shifted[i] = start;
    }
    const counts = new Int32Array(classCount + 1);
    for (let i = 0; i < size; i++) {
      const bucket = (classes[shifted[i] as number] as number) + 1;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    for (let c = 0; c < classCount; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
    for (let i = 0; i < size; i++) {
      const start = shifted[i] as number;
      const bucket = classes[start] as number;
      order[counts[bucket] as number] = start;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    nextClasses[order[0] as number] = 0;
    classCount = 1;
    let before = order[0] as number;
    let beforeSecond = classes[before + half < size ? before + half : before + half - size] as number;
    for (let i = 1; i < size; i++) {
      const current = order[i] as number;
      const currentSecond = classes[current + half < size ? current + half : current + half - size] as number;
      if (classes[current] !== classes[before] || currentSecond !== beforeSecond) classCount++;
      nextClasses[current] = classCount - 1;
      before = current;
      beforeSecond = currentSecond;
    }
    const swap = classes;
    classes = nextClasses;
    nextClasses = swap;
  }
  // Drop the sentinel, which always sorts first.
  return order.subarray(1);
}

/**
 * Kasai's LCP array: lcp[r] is the length of the common prefix of the suffixes
 * at ranks r − 1 and r (lcp[0] = 0). O(n).
 */
export function lcpArray(text: Int32Array, suffixes: Int32Array): Int32Array {
  const n = text.length;
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[suffixes[r] as number] = r;
  const lcp = new Int32Array(n);
  let common = 0;
  for (let i = 0; i < n; i++) {
    const r = rank[i] as number;
    if (r === 0) {
      common = 0;
      continue;
    }
    const j = suffixes[r - 1] as number;
    while (i + common < n && j + common < n && text[i + common] === text[j + common]) common++;
    lcp[r] = common;
    if (common > 0) common--;
  }
  return lcp;
}

export interface RepeatedSubstring {
  /** Code point length of the repeated substring. */
  length: number;
  /** Start offsets of non-overlapping copies, ascending (at least two). */
  starts: number[];
}

/**
 * The longest substring that occurs at least twice without overlapping itself,
 * with every non-overlapping copy of it (greedy from the left). Null when no
 * character repeats. O(n log n): suffix array, LCP, and a binary search on the
 * length (a repeat of length L contains one of every shorter length).
 */
export function longestRepeatedSubstring(text: Int32Array): RepeatedSubstring | null {
  const n = text.length;
  if (n < 2) return null;
  const suffixes = suffixArray(text);
  const lcp = lcpArray(text, suffixes);
  let maxLcp = 0;
  for (let r = 1; r < n; r++) if ((lcp[r] as number) > maxLcp) maxLcp = lcp[r] as number;

  // Groups of adjacent ranks with lcp >= length share a prefix of that length;
  // a group whose first and last start are >= length apart holds a non-overlapping pair.
  const findGroup = (length: number): [number, number] | null => {
    let groupStart = 0;
    let low = suffixes[0] as number;
    let high = low;
    for (let r = 1; r <= n; r++) {
      if (r < n && (lcp[r] as number) >= length) {
        const start = suffixes[r] as number;
        if (start < low) low = start;
        if (start > high) high = start;
        continue;
      }
      if (high - low >= length) return [groupStart, r];
      if (r < n) {
        groupStart = r;
        low = suffixes[r] as number;
        high = low;
      }
    }
    return null;
  };

  let best = 0;
  let bestGroup: [number, number] | null = null;
  let lo = 1;
  let hi = Math.min(maxLcp, Math.floor(n / 2));
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const group = findGroup(mid);
    if (group) {
      best = mid;
      bestGroup = group;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (!bestGroup) return null;
  const positions = Array.from(suffixes.subarray(bestGroup[0], bestGroup[1])).sort((a, b) => a - b);
  const starts: number[] = [];
  for (const position of positions) {
    const last = starts[starts.length - 1];
    if (last === undefined || position - last >= best) starts.push(position);
  }
  return { length: best, starts };
}
