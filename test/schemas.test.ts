/**
 * Each format has one TypeScript type and one JSON Schema. The committed
 * schemas/ files are what the code generates, and every key of each type is a
 * property of its schema (the `satisfies` lists fail to compile when a type
 * gains or loses a key, so this file keeps the two in step).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CheckRegistry } from "../src/checks/registry.js";
import type { CheckResult } from "../src/format/check-result.js";
import { OUTPUT_LINE_SCHEMA } from "../src/format/outputs-schema.js";
import type { OutputLine } from "../src/format/outputs.js";
import { REPORT_SCHEMA } from "../src/format/report-schema.js";
import { POLICY_SCHEMA } from "../src/format/policy-schema.js";
import type { Manifest, Report, ReportProbe, Summary } from "../src/format/report.js";
import { suiteSchemaForEditors } from "../src/suite/editor-schema.js";
import type { ProbeSpec, SuiteDefaults, SuiteFile } from "../src/format/suite.js";
import { packagePath } from "../src/util/paths.js";
import { createAjv } from "../src/util/ajv.js";

const keys = <T>(record: Record<keyof T, true>) => Object.keys(record).sort();
const props = (schema: { properties: object }) => Object.keys(schema.properties).sort();

describe("schemas", () => {
  it("the committed schema files are the generated ones (run `npm run schemas` after a change)", () => {
    const committed = (name: string) => JSON.parse(readFileSync(packagePath("schemas", name), "utf8")) as unknown;
    expect(committed("suite.schema.json")).toEqual(suiteSchemaForEditors(new CheckRegistry().all()));
    expect(committed("outputs-line.schema.json")).toEqual(OUTPUT_LINE_SCHEMA);
    expect(committed("report.schema.json")).toEqual(REPORT_SCHEMA);
    expect(committed("policy.schema.json")).toEqual(POLICY_SCHEMA);
  });

  it("the suite schema compiles and covers every suite type key", () => {
    const schema = suiteSchemaForEditors(new CheckRegistry().all()) as any;
    expect(() => createAjv().compile(schema)).not.toThrow();
    expect(props(schema)).toEqual(keys<SuiteFile>({ suite: true, description: true, categories: true, defaults: true, data: true, probes: true }));
    expect(props(schema.properties.probes.items)).toEqual(
      keys<ProbeSpec>({
        id: true, type: true, prompt: true, choices: true, answer: true, target_delimiter: true, text: true, samples: true, category: true, language: true, expected: true, checks: true, tags: true, notes: true,
        max_tokens: true, template: true, stop: true, system: true, temperature: true, seed: true,
      }),
    );
    expect(props(schema.properties.defaults)).toEqual(
      keys<SuiteDefaults>({
        category: true, language: true, checks: true, tags: true, max_tokens: true, template: true, stop: true, system: true, temperature: true,
        seed: true, samples: true, target_delimiter: true, checks_by_category: true,
      }),
    );
  });

  it("the outputs-line schema covers every OutputLine key", () => {
    expect(props(OUTPUT_LINE_SCHEMA)).toEqual(
      keys<OutputLine>({
        suite: true, id: true, output: true, sample: true, stop_reason: true, stop_string: true, prompt_tokens: true, output_tokens: true,
        time_ms: true, trimmed_replacement_char: true, probe_hash: true, rendered_prompt: true, likelihood: true, cached: true, error: true,
      }),
    );
  });

  it("the report schema covers every Report key", () => {
    const schema = REPORT_SCHEMA as any;
    expect(props(schema)).toEqual(keys<Report>({ schema_version: true, manifest: true, probes: true, summary: true, problems: true, gate: true }));
    expect(props(schema.properties.manifest)).toEqual(
      keys<Manifest>({
        tool: true, kind: true, complete: true, created_at: true, outputs_file: true, label: true, model: true, suites: true, generation: true,
        runtime: true, hardware: true, shard: true, cache: true, judge: true, timings: true,
      }),
    );
    expect(props(schema.properties.probes.items)).toEqual(
      keys<ReportProbe>({
        suite: true, id: true, type: true, category: true, language: true, tags: true, notes: true, prompt: true, system: true, expected: true,
        choices: true, answer: true, text: true, hash: true, output: true, stop_reason: true, stop_string: true, prompt_tokens: true,
        output_tokens: true, time_ms: true, trimmed_replacement_char: true, rendered_prompt: true, likelihood: true, samples: true,
        output_version: true, cached: true, change: true, checks: true, pass: true, status: true,
      }),
    );
    expect(props(schema.properties.summary)).toEqual(
      keys<Summary>({
        total: true, passed: true, failed: true, scored: true, stale: true, missing: true, errors: true, unverified: true, pass_rate: true, by_suite: true, by_category: true,
        by_language: true, by_check: true, aggregates: true, corpus_metrics: true, choice_accuracy: true, perplexity: true, sampling: true,
      }),
    );
    expect(props(schema.properties.probes.items.properties.checks.items)).toEqual(keys<CheckResult>({ type: true, score: true, pass: true, details: true }));
  });
});
