/**
 * Which rounds may be compared: the generation settings that change what a
 * model writes (decoding, seed, token and template overrides) must be equal,
 * and the rounds must share a suite. A round scored from recorded outputs has
 * no generation settings and is compared on its suites alone.
 */
import type { Report } from "../format/report.js";

export interface RoundSettings {
  decoding: string;
  seed: number;
  max_tokens_override: number | null;
  template_override: string | null;
  repeat_penalty: string;
}

export function roundSettings(report: Report): RoundSettings | null {
  const generation = report.manifest.generation;
  if (!generation) return null;
  return {
    decoding: generation.decoding,
    seed: generation.seed,
    max_tokens_override: generation.max_tokens_override,
    template_override: generation.template_override,
    repeat_penalty: generation.repeat_penalty,
  };
}

/** The settings that differ between two rounds ("seed 0 → 1"); empty when they are compatible. */
export function settingsDifferences(a: RoundSettings | null, b: RoundSettings | null): string[] {
  if (a === null || b === null) return [];
  return (Object.keys(a) as Array<keyof RoundSettings>)
    .filter((key) => a[key] !== b[key])
    .map((key) => `${key} ${JSON.stringify(a[key])} → ${JSON.stringify(b[key])}`);
}

export function sharesSuite(a: readonly { name: string }[], b: readonly { name: string }[]): boolean {
  const names = new Set(a.map((suite) => suite.name));
  return b.some((suite) => names.has(suite.name));
}
