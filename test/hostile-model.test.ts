/**
 * A hostile GGUF through `bonsai-eval run`: its chat template is code that
 * never finishes or exhausts memory, its metadata is megabytes long, and it
 * calls itself the fixture. The run fails in bounded time naming the model's
 * template, SIGINT still ends it, and reports carry bounded metadata.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildLlamaModel } from "../src/fixture/llama-model.js";
import { FIXTURE_MODEL_SPEC } from "../src/fixture/tiny-model.js";
import { FIXTURE_CHAT_TEMPLATE } from "../src/fixture/vocabulary.js";
import type { Report } from "../src/format/report.js";
import { runCli, tempDir } from "./helpers.js";

const dir = tempDir();
const at = (...parts: string[]) => path.join(dir, ...parts);

const NESTED_LOOPS = `{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}${FIXTURE_CHAT_TEMPLATE}`;
const HUGE_RANGE = `{% for i in range(100000000000) %}{{ i }}{% endfor %}${FIXTURE_CHAT_TEMPLATE}`;
/** A template that renders fine but is 20 MB long (a comment). */
const HUGE_TEMPLATE = `${FIXTURE_CHAT_TEMPLATE}{# ${"x".repeat(20 << 20)} #}`;
const HUGE_NAME = `round-18 ${"n".repeat(5 << 20)}`;

/** The fixture's wiring and weights with other metadata: same name as the fixture unless `name` is given. */
function writeModel(file: string, spec: { chatTemplate?: string; name?: string }): string {
  const bytes = buildLlamaModel({ ...FIXTURE_MODEL_SPEC, ...spec });
  writeFileSync(at(file), bytes);
  return at(file);
}

const SUITE = `suite: tiny
defaults: {language: en, category: open_qa, max_tokens: 4}
probes:
  - {id: one, prompt: Say one word., expected: [word], checks: [contains]}
`;

describe("a GGUF whose chat template is hostile code", () => {
  const suite = at("tiny.yaml");
  beforeAll(() => writeFileSync(suite, SUITE));

  for (const [label, template] of [
    ["nested range(100000) loops", NESTED_LOOPS],
    ["range(1e11)", HUGE_RANGE],
  ] as const) {
    it(`${label}: exit 2 in bounded time, naming the model's template, nothing written`, async () => {
      const model = writeModel(`${label.replace(/\W+/g, "-")}.gguf`, { chatTemplate: template });
      const out = at(`out-${label.replace(/\W+/g, "-")}`);
      const started = performance.now();
      const result = await runCli(["run", "--model", model, "--suite", suite, "--out", out, "--no-cache"]);
      expect((performance.now() - started) / 1000).toBeLessThan(40);
      expect(result.code, result.stderr).toBe(2);
      const errors = result.stderr.split("\n").filter((line) => line.startsWith("bonsai-eval: "));
      expect(errors).toEqual([`bonsai-eval: ${path.basename(model)}: tokenizer.chat_template: cannot use chat template: did not finish within 3000 ms: it loops, or ran out of its 256 MB of memory`]);
      expect(result.stderr).not.toContain("tiny.yaml");
      // Named like the fixture, but not the fixture's bytes: not called the fixture.
      expect(result.stderr).not.toContain("the repo's tiny fixture model");
      expect(existsSync(out)).toBe(false);
    });
  }

  it("a .jinja template file is sandboxed the same way, and the error names the file", async () => {
    writeFileSync(at("loop.jinja"), NESTED_LOOPS);
    const fileSuite = at("with-file.yaml");
    writeFileSync(fileSuite, SUITE.replace("max_tokens: 4}", "max_tokens: 4, template: loop.jinja}"));
    const result = await runCli(["run", "--suite", fileSuite, "--out", at("out-jinja-file"), "--no-cache"]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`bonsai-eval: ${at("loop.jinja")}: template: cannot use chat template: did not finish within 3000 ms`);
    expect(existsSync(at("out-jinja-file"))).toBe(false);
  });

  it("SIGINT during a hanging template still ends the run within the time limit", async () => {
    const model = writeModel("hang-sigint.gguf", { chatTemplate: NESTED_LOOPS });
    let child: ChildProcess | undefined;
    let stderr = "";
    let interruptedAt = 0;
    const running = runCli(["run", "--model", model, "--suite", suite, "--out", at("out-sigint"), "--no-cache"], {
      onSpawn: (spawned) => {
        child = spawned;
        spawned.stderr!.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          // The model is loaded and the template about to render: interrupt while it spins.
          if (interruptedAt === 0 && stderr.includes("loaded hang-sigint.gguf")) {
            interruptedAt = performance.now();
            setTimeout(() => child!.kill("SIGINT"), 300);
          }
        });
      },
    });
    const result = await running;
    expect(interruptedAt).toBeGreaterThan(0);
    expect((performance.now() - interruptedAt) / 1000).toBeLessThan(15);
    expect(result.signal).toBeNull();
    expect([2, 130]).toContain(result.code);
  });
});

describe("a GGUF with megabytes of metadata", () => {
  const suite = at("tiny-meta.yaml");
  beforeAll(() => writeFileSync(suite, SUITE));
  const sha = (text: string) => createHash("sha256").update(text).digest("hex");

  it("a 20 MB chat template reaches report.json and report.html cut, with its size and sha256", async () => {
    const model = writeModel("huge-template.gguf", { chatTemplate: HUGE_TEMPLATE });
    const out = at("out-huge-template");
    const result = await runCli(["run", "--model", model, "--suite", suite, "--out", out, "--no-cache", "--template", "chatml"]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(at("out-huge-template", "report.json"), "utf8")) as Report;
    const template = report.manifest.model!.metadata.chat_template!;
    expect(template.length).toBeLessThan(70 * 1024);
    expect(template.startsWith(FIXTURE_CHAT_TEMPLATE)).toBe(true);
    expect(template).toContain(`[truncated: ${Buffer.byteLength(HUGE_TEMPLATE)} bytes in all, sha256 ${sha(HUGE_TEMPLATE)}]`);
    // Named like the fixture, but other bytes: not the fixture.
    expect(report.manifest.model!.is_fixture).toBe(false);
    expect(result.stdout).not.toContain("fixture model");
    expect(readFileSync(at("out-huge-template", "report.html")).length).toBeLessThan(2 << 20);
  });

  it("a 5 MB general.name is cut the same way, and the model still runs on its own template", async () => {
    const model = writeModel("huge-name.gguf", { name: HUGE_NAME });
    const out = at("out-huge-name");
    const result = await runCli(["run", "--model", model, "--suite", suite, "--out", out, "--no-cache"]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(at("out-huge-name", "report.json"), "utf8")) as Report;
    const name = report.manifest.model!.metadata.name!;
    expect(name.length).toBeLessThan(2048);
    expect(name).toContain(`[truncated: ${Buffer.byteLength(HUGE_NAME)} bytes in all, sha256 ${sha(HUGE_NAME)}]`);
    expect(report.manifest.model!.is_fixture).toBe(false);
    expect(report.manifest.generation!.templates).toEqual([{ name: "auto (gguf tokenizer.chat_template)", source: FIXTURE_CHAT_TEMPLATE }]);
    expect(readFileSync(at("out-huge-name", "report.html")).length).toBeLessThan(2 << 20);
  });
});
