/**
 * Spreading jobs over a context's sequences: each sequence takes the next job as
 * soon as it finishes one, so long and short jobs mix and no sequence idles
 * while work is left.
 */
import type { LlamaContext, LlamaContextSequence } from "node-llama-cpp";

/**
 * Runs `work` on every job, one worker per sequence of `context`, until no job is
 * left, the signal aborts, or `work` returns false (that worker stops).
 */
export async function runOnSequences<J>(
  context: LlamaContext,
  jobs: J[],
  signal: AbortSignal | undefined,
  work: (sequence: LlamaContextSequence, job: J) => Promise<boolean>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    const sequence = context.getSequence();
    try {
      while (!signal?.aborted) {
        const job = jobs[next++];
        if (job === undefined || !(await work(sequence, job))) break;
      }
    } finally {
      sequence.dispose();
    }
  };
  await Promise.all(Array.from({ length: context.totalSequences }, worker));
}
