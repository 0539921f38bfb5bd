/**
 * mulberry32: a small, fast 32-bit PRNG, uniform in [0, 1) with 32 bits of
 * resolution and identical in every JavaScript engine — so a seed reproduces
 * the fixture model's weights, a bootstrap interval or a benchmark corpus.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
