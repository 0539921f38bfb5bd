/**
 * Deterministic probe sharding for `--shard i/n`: a probe's shard is a hash of
 * its suite and id, so adding or removing probes never moves the others.
 */
import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import { probeKey } from "../format/probe-key.js";

export interface Shard {
  /** 1-based, as in `--shard 1/4` (and Vitest's `--shard`). */
  index: number;
  count: number;
  /**
   * When set, probes are first hashed into this many buckets and buckets are
   * dealt round-robin to shards: how `npm test` shards, where each bucket is one
   * Vitest test file and Vitest deals out files.
   */
  buckets?: number;
}

export function parseShard(text: string, field = "--shard"): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InputError(`${field} must be i/n with 1 ≤ i ≤ n, got "${text}"`, { field });
  }
  return { index, count };
}

export function shardOf(suite: string, id: string, count: number): number {
  const digest = createHash("sha256").update(probeKey({ suite, id })).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

export function inShard(probe: { suite: string; id: string }, shard: Shard | undefined): boolean {
  if (shard === undefined || shard.count === 1) return true;
  if (shard.buckets === undefined) return shardOf(probe.suite, probe.id, shard.count) === shard.index;
  return bucketShard(shardOf(probe.suite, probe.id, shard.buckets), shard.count) === shard.index;
}

/** The shard a bucket (1-based) is dealt to: buckets 1, n+1, 2n+1… go to shard 1. */
export function bucketShard(bucket: number, count: number): number {
  return ((bucket - 1) % count) + 1;
}
