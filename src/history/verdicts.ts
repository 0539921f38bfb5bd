/**
 * A round's verdicts packed as Int32 tuples, the trend's fast path
 * (round_verdicts in schema.ts): reading one blob per round instead of one row
 * per probe is what keeps 200 rounds × 5,000 probes interactive. The ids are
 * those of probe_keys, names and probe_hashes.
 */

/** Per probe: key, category, language, hash, verdict (pass + 1: 0 no verdict, 1 fail, 2 pass; +4 when stale). */
export const PROBE_FIELDS = 5;
/** Per check result: key, type, k, verdict (pass + 1). */
export const CHECK_FIELDS = 4;
export const STALE_FLAG = 4;

export const packVerdict = (pass: boolean | null): number => (pass === null ? 0 : pass ? 2 : 1);

/** −1 no verdict, 0 fail, 1 pass. */
export const unpackVerdict = (packed: number): number => (packed & 3) - 1;

export function packInts(values: readonly number[]): Buffer {
  return Buffer.from(Int32Array.from(values).buffer);
}

export function unpackInts(blob: Buffer): Int32Array {
  // A copy: the blob's offset in its buffer need not be 4-aligned.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Int32Array(copy.buffer);
}
