/**
 * What `BONSAI_MODEL=… npm test` prints instead of Vitest's default reporter:
 * the probes grouped by suite, in the report's order (the bucket files that
 * `--shard` deals are not shown), each failed probe with its failed checks,
 * their reasons and the start of its output, and no assertion text or stack;
 * then the gate, then the report's path.
 */
import { readFileSync } from "node:fs";
import type { Reporter, SerializedError, TestCase, TestModule, Vitest } from "vitest/node";
import type { Report } from "../../src/format/report.js";

declare module "vitest" {
  interface TaskMeta {
    /** Set by a probe or gate test that fails: the lines that say why. */
    bonsaiFailure?: string[];
  }
}

interface Group {
  name: string;
  tests: TestCase[];
}

export default class CheckpointReporter implements Reporter {
  private vitest: Vitest | null = null;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const out: string[] = [];
    const groups = new Map<string, Group>();
    let gate: TestCase | null = null;
    for (const module of testModules) {
      for (const error of module.errors()) out.push(`error in ${module.moduleId}: ${firstLine(error)}`);
      for (const test of module.children.allTests()) {
        if (test.name === "gate" && test.parent.type === "module") gate = test;
        else if (test.parent.type === "suite") {
          const group = groups.get(test.parent.name) ?? { name: test.parent.name, tests: [] };
          group.tests.push(test);
          groups.set(group.name, group);
        }
      }
    }
    const reportJson = this.reportJson();
    const order = reportJson === null ? null : probeOrder(reportJson);
    // A probe without a verdict is a skipped test named `suite › id (status: no verdict)`.
    const rank = (name: string) => order?.get(name.replace(/ \([^()]*: no verdict\)$/, "")) ?? Number.MAX_SAFE_INTEGER;
    const byReport = (a: TestCase, b: TestCase) => rank(a.name) - rank(b.name);
    for (const group of groups.values()) group.tests.sort(byReport);
    const sorted = [...groups.values()].sort((a, b) => byReport(a.tests[0]!, b.tests[0]!));
    for (const group of sorted) out.push("", ...groupLines(group));
    if (gate) out.push("", ...gateLines(gate));
    for (const error of unhandledErrors) out.push("", firstLine(error));
    if (reportJson) out.push("", `report: ${reportJson.replace(/report\.json$/, "report.html")}`);
    process.stdout.write(`${out.join("\n")}\n`);
  }

  /** The report setup.ts wrote; null when setup failed before writing it. */
  private reportJson(): string | null {
    try {
      return this.vitest?.getRootProject().getProvidedContext().bonsaiReport ?? null;
    } catch {
      return null;
    }
  }
}

/** Each probe test's name (`suite › id`) and its place in the report. */
function probeOrder(reportJson: string): Map<string, number> | null {
  try {
    const report = JSON.parse(readFileSync(reportJson, "utf8")) as Report;
    return new Map(report.probes.map((probe, index) => [`${probe.suite} › ${probe.id}`, index]));
  } catch {
    return null;
  }
}

function groupLines(group: Group): string[] {
  const count = (state: string) => group.tests.filter((test) => test.result().state === state).length;
  const skipped = count("skipped") + count("pending");
  const lines = [`${group.name}: ${count("passed")} passed, ${count("failed")} failed${skipped ? `, ${skipped} without a verdict` : ""}`];
  for (const test of group.tests) {
    const state = test.result().state;
    lines.push(`  ${state === "passed" ? "✓" : state === "failed" ? "✗" : "-"} ${test.name}`);
    if (state === "failed") lines.push(...failureLines(test).map((line) => `      ${line}`));
  }
  return lines;
}

function gateLines(gate: TestCase): string[] {
  const state = gate.result().state;
  if (state === "passed") return ["gate: passed"];
  return [`gate: ${state === "failed" ? "failed" : state}`, ...failureLines(gate).map((line) => `  ${line}`)];
}

/** The test's own account of its failure; an error it did not expect (a bug, not a verdict) in one line. */
function failureLines(test: TestCase): string[] {
  const own = test.meta().bonsaiFailure;
  if (own) return own;
  const result = test.result();
  return result.state === "failed" ? result.errors.map(firstLine) : [];
}

function firstLine(error: { message?: string; name?: string }): string {
  return `${error.name && error.name !== "Error" ? `${error.name}: ` : ""}${(error.message ?? "unknown error").split("\n")[0]}`;
}
