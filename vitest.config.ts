import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Two modes. `npm test` runs the project's own tests. `BONSAI_MODEL=m.gguf npm test`
 * evaluates that checkpoint instead: test/checkpoint/setup.ts generates every
 * probe once (batched), and each probe becomes a test named `suite › id`.
 * test/npm-test.mjs type-checks the project before its own tests only.
 */
const checkpoint = Boolean(process.env.BONSAI_MODEL);

/**
 * With `vitest --shard i/n`, bucket files are dealt round-robin (bucket-1, -1+n, …
 * to shard 1), the same rule setup.ts uses to choose which probes to generate.
 */
class BucketSequencer extends BaseSequencer {
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const shard = this.ctx.config.shard;
    if (!shard) return files;
    const bucketOf = (file: TestSpecification) => Number(/bucket-(\d+)\.eval\.ts$/.exec(file.moduleId)?.[1] ?? 0);
    return files.filter((file) => ((bucketOf(file) - 1) % shard.count) + 1 === shard.index);
  }
}

export default defineConfig({
  test: checkpoint
    ? {
        include: ["test/checkpoint/bucket-*.eval.ts"],
        globalSetup: ["test/checkpoint/setup.ts"],
        sequence: { sequencer: BucketSequencer },
        pool: "forks",
        maxWorkers: 1,
        testTimeout: 60_000,
        // Generating every probe of a real model happens here, in one process: give it hours, not seconds.
        hookTimeout: 6 * 60 * 60 * 1000,
        // Probes by suite, failures without assertion text, the gate, the report's path; then the count line.
        reporters: ["./test/checkpoint/reporter.ts", "./test/summary-reporter.ts"],
      }
    : {
        include: ["test/**/*.test.ts"],
        // Native code (node-llama-cpp, nodejieba) runs in forked processes so a crash stays in one file.
        pool: "forks",
        maxWorkers: 2,
        testTimeout: 60_000,
        hookTimeout: 120_000,
        globalSetup: ["test/global-setup.ts"],
        reporters: ["default", "./test/summary-reporter.ts"],
      },
});
