/**
 * JUnit XML for CI test views: one <testsuite> per suite, one <testcase> per
 * probe (failure: the failed checks and their reasons; error: generation
 * failed or no output), and a "gate" testsuite with one testcase per rule.
 */
import path from "node:path";
import { ensureDir, writeFileAtomic } from "../util/atomic.js";
import type { GateResult, GateRuleProbes, GateRuleResult, Report, ReportProbe } from "../format/report.js";
import { blamedHeading, changeWords } from "./triage-words.js";

/** Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD. */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(value: unknown): string {
  return String(value ?? "")
    .replace(INVALID_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

function testcase(probe: ReportProbe): string {
  const open = `    <testcase classname="${escapeXml(`${probe.suite}.${probe.category}.${probe.language}`)}" name="${escapeXml(probe.id)}" time="${seconds(probe.time_ms)}"`;
  // Against a baseline, a property says how the probe changed and a failure's message starts with it: a CI log tells a regression from an old failure.
  const properties = probe.change === undefined ? "" : `\n      <properties><property name="change" value="${escapeXml(changeWords(probe.change))}"/></properties>`;
  const changed = probe.change === undefined ? "" : `${changeWords(probe.change)}: `;
  if (probe.status === "pass") return properties ? `${open}>${properties}\n    </testcase>` : `${open}/>`;
  const out = probe.output === null ? "" : `\n      <system-out>${escapeXml(probe.output)}</system-out>`;
  if (probe.status === "missing") return `${open}>${properties}\n      <error message="${escapeXml(`${changed}no output for this probe`)}" type="missing"/>${out}\n    </testcase>`;
  // No verdict is neither a pass nor a failure: JUnit's "skipped", with what was measured or why it was not scored.
  if (probe.status === "stale") {
    return `${open}>${properties}\n      <skipped message="stale: the output was generated for another version of this probe; not scored (--allow-stale scores it)"/>${out}\n    </testcase>`;
  }
  if (probe.status === "scored") {
    const values = probe.checks.map((check) => `${check.type} ${check.score ?? "—"}`).join(", ");
    return `${open}>${properties}\n      <skipped message="${escapeXml(`scored, no threshold set: ${values}`)}"/>${out}\n    </testcase>`;
  }
  const failed = probe.checks.filter((check) => check.pass === false);
  const message = changed + (failed.map((check) => `${check.type}: ${check.details.reason}`).join("; ") || probe.status);
  const body = [
    `prompt: ${probe.prompt}`,
    ...(probe.expected.length > 0 ? [`expected: ${probe.expected.join(" | ")}`] : []),
    ...failed.map((check) => `${check.type}${check.score === null ? "" : ` (score ${check.score})`}: ${check.details.reason}`),
    `stop reason: ${probe.stop_reason ?? "—"}, output tokens: ${probe.output_tokens ?? "—"}`,
  ].join("\n");
  const tag = probe.status === "error" ? "error" : "failure";
  const type = failed[0]?.type ?? probe.status;
  return `${open}>${properties}\n      <${tag} message="${escapeXml(message)}" type="${escapeXml(type)}">${escapeXml(body)}</${tag}>${out}\n    </testcase>`;
}

/** "regressed (3): zh/q1, zh/q2 and 1 more": the probes behind a rule, for its one-line message. */
function blamedSentence(probes: GateRuleProbes): string {
  const rest = probes.total - probes.listed.length;
  return `${blamedHeading(probes)}: ${probes.listed.map((probe) => `${probe.suite}/${probe.id}`).join(", ")}${rest > 0 ? ` and ${rest} more` : ""}`;
}

/** What was measured, then each blamed probe on its own line with why. */
function ruleBody(rule: GateRuleResult): string {
  const probes = rule.probes && rule.probes.total > 0 ? rule.probes : null;
  return [
    `measured ${rule.measured ?? "—"}, limit ${rule.limit} (${rule.comparison})`,
    ...(probes ? [`${blamedHeading(probes)}:`, ...probes.listed.map((probe) => `  ${probe.suite}/${probe.id}${probe.reason ? `: ${probe.reason}` : ""}`)] : []),
    ...(probes && probes.total > probes.listed.length ? [`  … and ${probes.total - probes.listed.length} more`] : []),
  ].join("\n");
}

function gateSuite(gate: GateResult): string {
  const cases = gate.rules.map((rule) => {
    const open = `    <testcase classname="gate" name="${escapeXml(`${rule.rule} (policy line ${rule.line})`)}" time="0"`;
    if (rule.status === "pass") return `${open}/>`;
    if (rule.status === "skipped") return `${open}>\n      <skipped message="${escapeXml(rule.message)}"/>\n    </testcase>`;
    const message = rule.probes && rule.probes.total > 0 ? `${rule.message}; ${blamedSentence(rule.probes)}` : rule.message;
    // A warning is not a failure: the testcase passes and carries the warning as a property and as its output.
    if (rule.status === "warn") {
      return `${open}>\n      <properties><property name="level" value="warn"/><property name="warning" value="${escapeXml(message)}"/></properties>\n      <system-out>${escapeXml(
        `WARNING (level: warn, does not fail the round): ${rule.message}\n${ruleBody(rule)}`,
      )}</system-out>\n    </testcase>`;
    }
    return `${open}>\n      <failure message="${escapeXml(message)}" type="${escapeXml(rule.kind)}">${escapeXml(ruleBody(rule))}</failure>\n    </testcase>`;
  });
  return `  <testsuite name="gate" tests="${gate.rules.length}" failures="${gate.counts.failed}" errors="0" skipped="${gate.counts.skipped}">\n${cases.join("\n")}\n  </testsuite>`;
}

export function renderJunit(report: Report): string {
  const suites = new Map<string, ReportProbe[]>();
  for (const probe of report.probes) (suites.get(probe.suite) ?? suites.set(probe.suite, []).get(probe.suite)!).push(probe);
  const blocks: string[] = [];
  let tests = 0, failures = 0, errors = 0;
  for (const [name, probes] of suites) {
    const failed = probes.filter((probe) => probe.status === "fail").length;
    const errored = probes.filter((probe) => probe.status === "error" || probe.status === "missing").length;
    const skipped = probes.filter((probe) => probe.status === "scored" || probe.status === "stale").length;
    const time = probes.reduce((sum, probe) => sum + (probe.time_ms ?? 0), 0);
    tests += probes.length;
    failures += failed;
    errors += errored;
    blocks.push(
      `  <testsuite name="${escapeXml(name)}" tests="${probes.length}" failures="${failed}" errors="${errored}" skipped="${skipped}" time="${seconds(time)}" timestamp="${escapeXml(report.manifest.created_at)}">\n${probes.map(testcase).join("\n")}\n  </testsuite>`,
    );
  }
  if (report.gate) {
    blocks.push(gateSuite(report.gate));
    tests += report.gate.rules.length;
    failures += report.gate.counts.failed;
  }
  const model = report.manifest.model?.file_name ?? "recorded outputs";
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(`bonsai-eval ${model}`)}" tests="${tests}" failures="${failures}" errors="${errors}">\n${blocks.join("\n")}\n</testsuites>\n`;
}

/** Writes the JUnit XML of a report (atomically), creating the folder. */
export function writeJunit(file: string, report: Report): void {
  ensureDir(path.dirname(path.resolve(file)));
  writeFileAtomic(file, renderJunit(report));
}
