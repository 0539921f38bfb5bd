/** The GitHub Actions workflow for the self-hosted T4 runner is well formed and calls the CLI as it is. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMANDS } from "../src/cli/commands.js";
import { packagePath } from "../src/util/paths.js";

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; name?: string }
interface Job { "runs-on": string | string[]; needs?: string; strategy?: { matrix: Record<string, unknown> }; steps: Step[] }

const workflow = parse(readFileSync(packagePath(".github", "workflows", "evaluate-round.yml"), "utf8")) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

describe("the evaluate-round workflow", () => {
  it("generates on self-hosted GPU runners, one shard each, then merges, gates and diffs", () => {
    expect(workflow.on).toHaveProperty("workflow_dispatch");
    const generate = workflow.jobs.generate!;
    expect(generate["runs-on"]).toEqual(expect.arrayContaining(["self-hosted", "gpu", "t4"]));
    expect(generate.strategy!.matrix.shard).toEqual([1, 2]);
    expect(workflow.jobs.gate!.needs).toBe("generate");
    for (const job of Object.values(workflow.jobs)) {
      expect(job.steps.some((step) => step.uses?.startsWith("actions/checkout@"))).toBe(true);
      expect(job.steps.some((step) => step.run === "npm ci")).toBe(true);
    }
  });

  it("caches node_modules, the models and the CUDA JIT cache", () => {
    const cached = steps.filter((step) => step.uses?.startsWith("actions/cache@")).map((step) => String(step.with!.path));
    expect(cached.join("\n")).toContain("~/.nv/ComputeCache");
    expect(cached.join("\n")).toContain("node_modules");
    expect(cached.join("\n")).toContain("models");
  });

  it("uploads the report, the diff and the JUnit file, and writes the Markdown diff to the job summary", () => {
    const uploaded = steps.filter((step) => step.uses?.startsWith("actions/upload-artifact@")).map((step) => step.with!.name);
    expect(uploaded).toEqual(expect.arrayContaining(["report", "diff", "junit"]));
    expect(steps.some((step) => step.run?.includes("diff.md >> \"$GITHUB_STEP_SUMMARY\""))).toBe(true);
  });

  it("calls only commands and flags the CLI has", () => {
    const calls = steps.flatMap((step) => (step.run ?? "").replace(/\n/g, " ").split(/(?=npx bonsai-eval )/).filter((part) => part.startsWith("npx bonsai-eval ")));
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const call of calls) {
      const [, , command, ...rest] = call.trim().split(/\s+/);
      const definition = COMMANDS[command!];
      expect(definition, `unknown command in: ${call}`).toBeDefined();
      for (const flag of rest.filter((word) => word.startsWith("--"))) {
        expect(definition!.help, `${command} has no ${flag}`).toContain(flag);
      }
    }
    expect(calls.map((call) => call.split(/\s+/)[2])).toEqual(expect.arrayContaining(["run", "merge", "gate", "diff"]));
  });
});
