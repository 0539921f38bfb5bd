/**
 * A check's facts (direction, unit, note, aggregate) as the report records
 * them, so what reads a report (diff, gate, report.html) needs no module.
 */
import type { Better, CheckFacts } from "../format/check-result.js";
import type { Summary } from "../format/report.js";
import { BUILTIN_CHECKS } from "./builtins.js";
import type { CheckDefinition } from "./types.js";

/** What the report records about a check, from its definition. */
export function checkFacts(definition: Pick<CheckDefinition<any, any>, "better" | "unit" | "note" | "aggregate">): CheckFacts {
  return { better: definition.better, unit: definition.unit, note: definition.note, aggregate: definition.aggregate?.name ?? null };
}

const BUILTIN_FACTS = new Map(BUILTIN_CHECKS.map((definition) => [definition.type, checkFacts(definition)]));

/**
 * A check's facts as a report states them; for reports written before they
 * were recorded, the built-in check's; null for a check the report does not
 * describe (a user check in an old report, `generation` errors).
 */
export function recordedFacts(summary: Pick<Summary, "by_check">, type: string): CheckFacts | null {
  return summary.by_check[type]?.facts ?? BUILTIN_FACTS.get(type) ?? null;
}

/**
 * Which way a check's score improves, as the report records it. An override
 * (a policy rule's `better`) wins; a check the report does not describe
 * counts as higher-is-better, as every unknown check did before facts were
 * recorded.
 */
export function recordedDirection(summary: Pick<Summary, "by_check">, type: string, override: Better = null): Better {
  if (override) return override;
  const facts = recordedFacts(summary, type);
  return facts ? facts.better : "higher";
}
