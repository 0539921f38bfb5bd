/** What changed between two rounds: a probe (fixed, regressed, edited…) and a setting (model file, template, token budget…). */

export type Transition = "fixed" | "regressed" | "still_failing" | "still_passing" | "scored";

export type Change = Transition | "edited" | "stale" | "added" | "removed";

/** A setting that differs between two rounds (model file, quantization, template, token budget, seed, versions, a suite's hash…). */
export interface SettingChange {
  setting: string;
  base: string | number | boolean | null;
  candidate: string | number | boolean | null;
  /** The checks whose comparison this difference makes invalid ("*": every check); empty when it only needs saying. */
  invalidates: string[];
  /** Why it invalidates them; null when it does not. */
  why: string | null;
}
