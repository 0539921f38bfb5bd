/** JSON Schema of report.json (schemas/report.schema.json). Kept in step with src/format/report.ts by a test. */
import { MANIFEST_SCHEMA } from "./report-manifest-schema.js";
import { PROBE_SCHEMA } from "./report-probe-schema.js";
import { closedObject, int, nullable } from "./report-schema-parts.js";
import { SUMMARY_SCHEMA } from "./report-summary-schema.js";

const probeRef = {
  type: "object",
  properties: { suite: { type: "string" }, id: { type: "string" } },
  required: ["suite", "id"],
} as const;

const GATE_SCHEMA = closedObject(
  {
    pass: { type: "boolean" },
    policy: closedObject({ path: { type: "string" }, sha256: { type: "string" }, name: nullable({ type: "string" }) }),
    baseline: nullable(
      closedObject(
        {
          path: { type: "string" },
          created_at: { type: "string" },
          label: { type: "string", description: "The baseline round's label (absent in reports written before labels)." },
          model: nullable({ type: "string" }),
          model_sha256: nullable({ type: "string" }),
        },
        { required: ["path", "created_at", "model", "model_sha256"] },
      ),
    ),
    setting_changes: {
      type: "array",
      description: "The settings that differ from the baseline's (empty without one).",
      items: closedObject({
        setting: { type: "string" },
        base: { type: ["string", "number", "boolean", "null"] },
        candidate: { type: ["string", "number", "boolean", "null"] },
        invalidates: { type: "array", items: { type: "string" }, description: "Checks whose comparison the difference makes invalid (\"*\": every check)." },
        why: nullable({ type: "string" }),
      }),
    },
    counts: closedObject(
      { rules: int, passed: int, failed: int, skipped: int, warned: { ...int, description: "Rules at level warn that did not hold (absent in reports written before levels)." } },
      { required: ["rules", "passed", "failed", "skipped"] },
    ),
    rules: {
      type: "array",
      items: closedObject(
        {
          rule: { type: "string" },
          kind: { type: "string" },
          line: int,
          scope: {
            type: "object",
            properties: { suite: { type: "string" }, category: { type: "string" }, language: { type: "string" }, check: { type: "string" }, tokenize: { type: "string" } },
            additionalProperties: false,
          },
          status: { enum: ["pass", "fail", "skipped", "warn"], description: "warn: a rule at level warn that did not hold." },
          level: { enum: ["fail", "warn"], description: "fail: the rule decides the round; warn: reported only (absent in reports written before levels: fail)." },
          measured: nullable({ type: "number" }),
          limit: { type: "number" },
          comparison: { type: "string" },
          message: { type: "string" },
          probes: nullable(
            closedObject(
              {
                about: { enum: ["regressed", "worsened", "failing", "worst", "missing"] },
                total: int,
                listed: {
                  type: "array",
                  items: closedObject({ suite: { type: "string" }, id: { type: "string" }, reason: nullable({ type: "string" }), value: nullable({ type: "number" }) }),
                },
              },
              { description: "The probes behind a rule that did not hold, worst first: the first few listed, with the total." },
            ),
          ),
          details: { type: "object" },
        },
        { required: ["rule", "kind", "line", "scope", "status", "measured", "limit", "comparison", "message", "details"] },
      ),
    },
  },
  { description: "The gate's verdict: every rule of the policy with what was measured and the limit.", required: ["pass", "policy", "baseline", "counts", "rules"] },
);

export const REPORT_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://bonsai-eval.dev/schemas/report.schema.json",
  title: "bonsai-eval report",
  type: "object",
  properties: {
    schema_version: { const: 1 },
    manifest: MANIFEST_SCHEMA,
    probes: { type: "array", items: PROBE_SCHEMA },
    summary: SUMMARY_SCHEMA,
    problems: closedObject({
      unknown_outputs: { type: "array", items: { ...probeRef, properties: { ...probeRef.properties, line: int }, required: ["suite", "id", "line"] } },
      missing_outputs: { type: "array", items: probeRef },
      duplicate_outputs: { type: "array", items: { ...probeRef, properties: { ...probeRef.properties, lines: { type: "array", items: int } } } },
      stale_outputs: {
        type: "array",
        items: {
          ...probeRef,
          properties: { ...probeRef.properties, line: int, output_hash: { type: "string" }, probe_hash: { type: "string" }, scored: { type: "boolean" } },
          required: ["suite", "id", "line", "output_hash", "probe_hash", "scored"],
        },
      },
      unknown_samples: {
        type: "array",
        description: "Output lines whose sample index the probe does not have (sample ≥ its samples): listed, left out of pass@k.",
        items: {
          ...probeRef,
          properties: { ...probeRef.properties, sample: int, samples: int, line: int },
          required: ["suite", "id", "sample", "samples", "line"],
        },
      },
      truncated_outputs_tail: { type: "boolean" },
    }),
    gate: GATE_SCHEMA,
  },
  required: ["schema_version", "manifest", "probes", "summary", "problems"],
  additionalProperties: false,
} as const;
