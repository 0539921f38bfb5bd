/**
 * What a run tells whoever watches it. The pipeline only announces; the CLI's
 * progress line (src/cli/progress.ts), the checkpoint harness and the
 * benchmarks decide what to show.
 */
import type { OutputLine } from "../format/outputs.js";

export interface RunEvents {
  /** A line for the person watching: the model and where it loaded, what a resume keeps. */
  note(message: string): void;
  /** A line that must be seen even with --quiet: a dropped cut line, an unusable cache. */
  warning(message: string): void;
  /** Generation starts: `jobs` outputs to produce (generations and likelihood scores, cache hits included). */
  generationStarted(jobs: number): void;
  /** One output line was written to outputs.jsonl (generated, served from the cache, or scored by likelihood). */
  outputWritten(line: OutputLine): void;
  /** Generation has wound down: every job done, interrupted, or stopped by a failed write. */
  generationEnded(): void;
}
