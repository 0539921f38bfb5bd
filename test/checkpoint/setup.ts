/**
 * Global setup of `BONSAI_MODEL=… npm test`: loads the model once, generates
 * every probe (batched over parallel sequences; with `vitest --shard i/n`, the
 * probes of that shard), scores, gates, writes the report, and hands its path
 * to the bucket files (probe-tests.ts), which turn every probe into a test, and
 * to reporter.ts, which prints it last. It imports the harness from src/ as
 * Vitest transforms it: nothing is type-checked or built first.
 */
import path from "node:path";
import type { TestProject } from "vitest/node";
import { Progress } from "../../src/cli/progress.js";
import { CheckRegistry } from "../../src/checks/registry.js";
import { applyGate, loadGateInputs } from "../../src/pipeline/gate-report.js";
import { InputError, isInputError } from "../../src/errors.js";
import { checkpointConfig } from "../../src/pipeline/checkpoint-config.js";
import { runEvaluation } from "../../src/pipeline/run.js";
import { writeJunit } from "../../src/report/junit.js";
import { gateBaselineAfterRun, historyBaseline, isLastAccepted, judgeBaselineChoice } from "../../src/history/record.js";
import { visibleControls } from "../../src/util/untrusted-text.js";
import { BUCKETS } from "./probe-tests.js";

declare module "vitest" {
  export interface ProvidedContext {
    bonsaiReport: string;
    /** The bucket whose file carries the gate test: the first this shard runs. */
    bonsaiGateBucket: number;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  try {
    const config = checkpointConfig();
    const vitestShard = project.globalConfig.shard ?? project.config.shard;
    if (vitestShard && vitestShard.count > BUCKETS) throw new InputError(`--shard count can be at most ${BUCKETS} (one per bucket file)`, { field: "--shard" });
    const shard = vitestShard ? { index: vitestShard.index, count: vitestShard.count, buckets: BUCKETS } : undefined;
    // BONSAI_BASELINE=last-accepted, as run takes it: an accepted round must be in the store ($BONSAI_HISTORY) before the
    // model loads; the newest one compatible with this run is chosen once it has run.
    const lastAccepted = isLastAccepted(config.baseline) && config.policy !== undefined;
    const gateInputs = loadGateInputs(config.policy, lastAccepted ? historyBaseline(undefined, null).loaded : config.baseline, "BONSAI_POLICY");
    const result = await runEvaluation({
      modelPath: config.model,
      suitePaths: config.suites,
      outDir: shard ? `${config.outDir}-shard-${shard.index}-of-${shard.count}` : config.outDir,
      parallel: config.parallel,
      gpu: config.gpu,
      threads: config.threads,
      seed: 0,
      template: config.template,
      label: config.label,
      shard,
      cacheDir: config.cacheDir,
      judge: config.judge,
      // Pairwise judge checks compare with BONSAI_BASELINE; last-accepted is chosen once, and the gate then uses that round.
      judgeBaseline: config.judge ? judgeBaselineChoice(config.baseline, undefined) : null,
      registry: new CheckRegistry(),
      events: new Progress(process.stderr),
    });
    if (gateInputs && lastAccepted) {
      const chosen = gateBaselineAfterRun(undefined, result);
      process.stderr.write(visibleControls(chosen.note) + "\n");
      gateInputs.baseline = chosen.loaded;
    }
    if (gateInputs) applyGate(result.report, result.outDir, gateInputs);
    if (config.junit) writeJunit(config.junit, result.report);
    project.provide("bonsaiReport", path.resolve(result.outDir, "report.json"));
    project.provide("bonsaiGateBucket", shard ? shard.index : 1);
  } catch (error) {
    // Bad input: one line, as the CLI says it, instead of a stack trace.
    if (error instanceof InputError) throw new Error(`bonsai-eval: ${error.toLine()}`);
    if (isInputError(error)) throw new Error(`bonsai-eval: ${error.message}`);
    throw error;
  }
}
