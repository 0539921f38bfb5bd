/**
 * The settings two rounds were made with, and which of them differ: model file
 * and quantization, templates, token budget, overrides, decoding and seed,
 * parallel sequences, tool and llama.cpp versions, suites' hashes. A difference
 * that changes what a check measures (a token budget changes how long an output
 * can be, so how much of it can loop) makes that check's comparison invalid:
 * it names the checks it invalidates.
 */
import { sha256 } from "../util/json.js";
import type { Manifest, Report } from "../format/report.js";
import type { SettingChange } from "../format/change.js";

/** Checks whose scores a setting's difference makes incomparable; "*" for every check. */
const INVALIDATES: Record<string, readonly string[]> = {
  // A longer or shorter budget changes the outputs' length, and how much room a loop has.
  max_tokens_override: ["length", "repetition"],
  // Greedy against sampled decoding: every output may differ by chance alone.
  decoding: ["*"],
};

const WHY: Record<string, string> = {
  max_tokens_override: "the token budget changes how long an output can be and how much of it can repeat",
  decoding: "greedy and sampled outputs differ by chance alone",
};

type Value = string | number | boolean | null;

/** Every recorded setting of a round, by name; null where the report does not record it (scored from another tool's outputs). */
function settingsOf(manifest: Manifest): Record<string, Value> {
  const model = manifest.model;
  const generation = manifest.generation;
  const settings: Record<string, Value> = {
    model_file: model?.file_name ?? null,
    model_sha256: model?.sha256 ?? null,
    quantization: model?.metadata.quantization ?? null,
    templates: generation ? generation.templates.map((template) => `${template.name}${template.source === null ? "" : ` (sha256 ${sha256(template.source).slice(0, 12)})`}`).join(", ") : null,
    template_override: generation?.template_override ?? null,
    max_tokens_override: generation?.max_tokens_override ?? null,
    decoding: generation?.decoding ?? null,
    seed: generation?.seed ?? null,
    parallel: generation?.parallel ?? null,
    context_size: generation?.context_size ?? null,
    tool_version: manifest.tool.version,
    llama_cpp: manifest.runtime?.llama_cpp ?? null,
    node_llama_cpp: manifest.runtime?.node_llama_cpp ?? null,
  };
  for (const suite of manifest.suites) settings[`suite ${suite.name}`] = suite.sha256;
  return settings;
}

/** The settings that differ between base and candidate, in a fixed order (model first, suites last). */
export function settingChanges(base: Report, candidate: Report): SettingChange[] {
  const before = settingsOf(base.manifest);
  const after = settingsOf(candidate.manifest);
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changes: SettingChange[] = [];
  for (const setting of names) {
    const b = before[setting] ?? null;
    const c = after[setting] ?? null;
    // A suite only one round ran is not a changed setting: the diff lists its probes as added or removed.
    if (b === c || (setting.startsWith("suite ") && (b === null || c === null))) continue;
    changes.push({ setting, base: b, candidate: c, invalidates: [...(INVALIDATES[setting] ?? [])], why: WHY[setting] ?? null });
  }
  return changes;
}

/** "max_tokens_override 8 → 64": one change in words. */
export function changeText(change: SettingChange): string {
  const shown = (value: Value) => (value === null ? "—" : typeof value === "string" && /^[0-9a-f]{64}$/.test(value) ? value.slice(0, 12) : String(value));
  return `${change.setting} ${shown(change.base)} → ${shown(change.candidate)}`;
}

/** The changes that make a comparison of `check` invalid. */
export function invalidating(changes: readonly SettingChange[], check: string | undefined): SettingChange[] {
  return changes.filter((change) => change.invalidates.includes("*") || (check !== undefined && change.invalidates.includes(check)));
}

/** The warning a comparison of `check` carries when a setting difference makes it invalid; null when none does. */
export function invalidWarning(changes: readonly SettingChange[], check: string | undefined): string | null {
  const found = invalidating(changes, check);
  if (found.length === 0) return null;
  return `warning: not comparable, ${found.map((change) => `${changeText(change)} (${change.why})`).join("; ")}`;
}
