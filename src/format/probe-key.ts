/**
 * How files name a probe and one of its outputs: a suite and an id (unique in
 * its suite), and a sample number. Reports are matched, outputs resumed and
 * shards drawn by these keys.
 */
export function probeKey(probe: { suite: string; id: string }): string {
  return `${probe.suite}\u0000${probe.id}`;
}

export function outputKey(suite: string, id: string, sample: number): string {
  return `${probeKey({ suite, id })}\u0000${sample}`;
}
