/**
 * One Vitest test per probe of the evaluated checkpoint (named `suite › id`),
 * failing with the checks that failed and why; plus one test for the gate
 * verdict when a policy is set. The generation happened once, in setup.ts.
 *
 * Probes are hashed into BUCKETS test files (bucket-1.eval.ts …) so that
 * `vitest --shard i/n` can deal files to shards; setup.ts generates exactly the
 * probes of the files this shard runs.
 */
import { readFileSync } from "node:fs";
import { describe, inject, it, type TestContext } from "vitest";
import { shardOf } from "../../src/pipeline/shard.js";
import type { Report, ReportProbe } from "../../src/format/report.js";
import { visibleControls } from "../../src/util/untrusted-text.js";
import { changeWords } from "../../src/report/triage-words.js";

export const BUCKETS = 8;

/** How much of a failed probe's output its failure shows, in characters. */
const OUTPUT_START = 300;

function failure(probe: ReportProbe): string[] {
  // Against a baseline (BONSAI_BASELINE), the first line says whether the failure is new.
  const change = probe.change === undefined ? [] : [`${changeWords(probe.change)} against the baseline`];
  return [...change, ...failureText(probe)];
}

/** The failed checks with their reasons, then the start of the output. */
function failureText(probe: ReportProbe): string[] {
  if (probe.status === "missing") return ["no output (the run was interrupted or the probe errored)"];
  // Printed on the terminal: model text goes through the same boundary as every other printer.
  const failed = probe.checks.filter((check) => check.pass === false).map((check) => visibleControls(`${check.type}: ${check.details.reason}`));
  if (probe.output === null) return failed;
  const characters = Array.from(probe.output);
  const start = visibleControls(JSON.stringify(characters.slice(0, OUTPUT_START).join("")));
  return [...failed, `output: ${start}${characters.length > OUTPUT_START ? ` … (${characters.length} characters)` : ""}`];
}

/**
 * Fails the test with `lines` and nothing else: the checkpoint reporter prints
 * them (no assertion text, no stack), and they are the error's message for any
 * other reporter (--reporter=junit).
 */
function fail(context: TestContext, lines: string[]): never {
  context.task.meta.bonsaiFailure = lines;
  const error = new Error(lines.join("\n"));
  error.stack = error.message;
  throw error;
}

export function defineProbeTests(bucket: number): void {
  const report = JSON.parse(readFileSync(inject("bonsaiReport"), "utf8")) as Report;
  const probes = report.probes.filter((probe) => shardOf(probe.suite, probe.id, BUCKETS) === bucket);
  // Vitest rejects a file that defines no test.
  if (probes.length === 0 && !(report.gate && bucket === inject("bonsaiGateBucket"))) it.skip(`no probe hashed to bucket ${bucket}`);
  for (const suite of [...new Set(probes.map((probe) => probe.suite))]) {
    describe(suite, () => {
      for (const probe of probes.filter((each) => each.suite === suite)) {
        // No verdict (status scored: informational checks only; stale: not scored) is neither a pass nor a failure.
        if (probe.pass === null) {
          it.skip(`${probe.suite} › ${probe.id} (${probe.status}: no verdict)`);
          continue;
        }
        it(`${probe.suite} › ${probe.id}`, (context) => {
          if (!probe.pass) fail(context, failure(probe));
        });
      }
    });
  }
  // The gate verdict is one test, in the first bucket this shard runs.
  const gate = report.gate;
  if (gate && bucket === inject("bonsaiGateBucket")) {
    it("gate", (context) => {
      const failed = gate.rules.filter((rule) => rule.status === "fail").map((rule) => visibleControls(`${rule.rule} (policy line ${rule.line}): ${rule.message}`));
      if (!gate.pass) fail(context, failed);
    });
  }
}
