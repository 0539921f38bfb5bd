/**
 * What a run announces (src/pipeline/events.ts), as the checkpoint harness and
 * the benchmarks see it through runEvaluation: notes, one event per output
 * line in the order they reach outputs.jsonl, and warnings apart from notes.
 * Real generation on the fixture model, real files.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CheckRegistry } from "../src/checks/registry.js";
import type { OutputLine } from "../src/format/outputs.js";
import type { RunEvents } from "../src/pipeline/events.js";
import { runEvaluation } from "../src/pipeline/run.js";
import { tempDir } from "./helpers.js";

const dir = tempDir("bonsai-events-");
const suite = path.join(dir, "events.yaml");
writeFileSync(
  suite,
  `suite: events\ndefaults:\n  language: en\n  category: open_qa\n  max_tokens: 4\n  template: raw\n  checks: [{type: regex, pattern: "."}]\nprobes:\n` +
    ["e1", "e2", "e3"].map((id) => `  - id: ${id}\n    prompt: "Tell me about ${id}"\n`).join(""),
);

type Event = [name: keyof RunEvents, value: string | number | null];

/** RunEvents that records what it is told, in order. */
function recorder(): RunEvents & { events: Event[]; lines: OutputLine[] } {
  const events: Event[] = [];
  const lines: OutputLine[] = [];
  return {
    events,
    lines,
    note: (message) => events.push(["note", message]),
    warning: (message) => events.push(["warning", message]),
    generationStarted: (jobs) => events.push(["generationStarted", jobs]),
    outputWritten: (line) => {
      lines.push(line);
      events.push(["outputWritten", line.id]);
    },
    generationEnded: () => events.push(["generationEnded", null]),
  };
}

const run = (out: string, events: RunEvents) =>
  runEvaluation({ suitePaths: [suite], outDir: out, gpu: "cpu", seed: 0, parallel: 1, cacheDir: null, registry: new CheckRegistry(), events });

describe("run events", () => {
  it("announce the model, then one outputWritten per line of outputs.jsonl between generationStarted and generationEnded", async () => {
    const out = path.join(dir, "fresh");
    const events = recorder();
    const { report } = await run(out, events);
    const names = events.events.map(([name]) => name);
    expect(names).toEqual(["note", "note", "generationStarted", "outputWritten", "outputWritten", "outputWritten", "generationEnded"]);
    expect(events.events[0]![1]).toContain("the repo's tiny fixture model");
    expect(events.events[1]![1]).toMatch(/^loaded .+ on CPU with 1 thread\(s\)/);
    expect(events.events[2]).toEqual(["generationStarted", 3]);
    const written = readFileSync(path.join(out, "outputs.jsonl"), "utf8").split("\n").filter(Boolean);
    expect(events.lines.map((line) => JSON.stringify(line))).toEqual(written);
    expect(report.summary.total).toBe(3);
  });

  it("a resume notes what it keeps, and a dropped cut line is a warning, not a note", async () => {
    const out = path.join(dir, "resumed");
    await run(out, recorder());
    const outputs = path.join(out, "outputs.jsonl");
    const [first, second] = readFileSync(outputs, "utf8").split("\n");
    writeFileSync(outputs, `${first}\n${second}\n`);
    appendFileSync(outputs, '{"suite":"events","id":"e3","outp');
    const events = recorder();
    await run(out, events);
    expect(events.events.filter(([name]) => name === "warning")).toEqual([
      ["warning", `${outputs}: dropped a cut last line (a write interrupted by a crash); that probe is generated again`],
    ]);
    expect(events.events).toContainEqual(["note", `resuming: 2 probe(s) already finished in ${out}, 1 to generate`]);
    expect(events.events.slice(-3)).toEqual([["generationStarted", 1], ["outputWritten", "e3"], ["generationEnded", null]]);
  });
});
