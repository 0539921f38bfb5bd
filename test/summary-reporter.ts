/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after
 * vitest's own summary, so CI logs end with a count any tool can read.
 *
 * The line says "0 failed" only when vitest passes. A file or describe block
 * that fails outside its tests (a beforeAll that throws, an import that fails)
 * leaves its tests unrun, which vitest lists as skipped: each of them counts as
 * failed here, and a failed file or block with no such test (an import error,
 * an afterAll that throws) counts as one failure. Errors vitest could not pin
 * on any file count too.
 */
import type { Reporter, SerializedError, TestModule, TestSuite } from "vitest/node";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) countGroup(module, false, counts);
    counts.failed += unhandledErrors.length;
    const { passed, failed, skipped } = counts;
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}

/**
 * Counts the tests of a file or describe block; `blocked` when an enclosing one
 * failed in a hook. Returns how many failures were counted inside it.
 */
function countGroup(group: TestModule | TestSuite, blocked: boolean, counts: Counts): number {
  const blocks = blocked || group.errors().length > 0;
  let failedInside = 0;
  for (const child of group.children) {
    if (child.type === "suite") {
      failedInside += countGroup(child, blocks, counts);
      continue;
    }
    const state = child.result().state;
    if (state === "passed") counts.passed++;
    else if (state === "failed" || (blocks && child.options.mode === "run")) {
      counts.failed++;
      failedInside++;
    } else counts.skipped++;
  }
  if (failedInside === 0 && group.state() === "failed") {
    counts.failed++;
    failedInside++;
  }
  return failedInside;
}
