/**
 * What a rule's scope selects: the probes and check results it names, in the
 * report or in its pairs with the baseline, and the policy errors of a scope
 * that would mix scores in several units or pool several corpora.
 */
import type { CheckResult } from "../../format/check-result.js";
import type { CorpusComparison } from "../../format/diff.js";
import { InputError } from "../../errors.js";
import { scoreUnit, tokenizerOf } from "../../metrics/index.js";
import type { ReportProbe } from "../../format/report.js";
import { SCOPE_KEYS, type Policy, type PolicyRule, type Scope } from "../../format/policy.js";
import type { MatchedPair } from "../match.js";
import { checkUnits, compareCorpus, corpusLabel, probeUnits, sameScoreUnit, type CompareOptions, type Unit } from "../paired.js";
import type { RuleOutcome } from "./rule.js";

export function inScope(probe: ReportProbe, scope: Scope): boolean {
  return (
    (scope.suite === undefined || probe.suite === scope.suite) &&
    (scope.category === undefined || probe.category === scope.category) &&
    (scope.language === undefined || probe.language === scope.language)
  );
}

/** Whether a check result is one the rule's scope names (its check type and, if set, its tokenizer). */
export function resultInScope(result: CheckResult, scope: Scope): boolean {
  return result.type === scope.check && (scope.tokenize === undefined || tokenizerOf(result) === scope.tokenize);
}

/** " (suite zh, language ja)": the probes a result is about (the check, and a corpus's language and tokenizer, are named in the message itself). */
export function scopeText(scope: Scope, named: readonly string[] = ["check"]): string {
  const parts = SCOPE_KEYS.filter((key) => !named.includes(key) && scope[key] !== undefined).map((key) => `${key} ${scope[key]}`);
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}

/** The scope keys a corpus's own label already names. */
export const CORPUS_NAMED = ["check", "language", "tokenize"];

/** "repetition results", or "probes" when the scope names no check. */
export function unitNoun(scope: Scope): string {
  return scope.check ? `${scope.check} results` : "probes";
}

/** The rule's scope with "*" replaced by each value found in the probes. */
export function expandScopes(rule: PolicyRule, probes: readonly ReportProbe[]): Scope[] {
  const wildcard = SCOPE_KEYS.find((key) => rule.scope[key] === "*");
  if (!wildcard) return [rule.scope];
  const values = new Set<string>();
  for (const probe of probes) {
    if (wildcard === "check") for (const check of probe.checks) values.add(check.type);
    else if (wildcard === "tokenize") {
      for (const check of probe.checks) {
        const tokenize = check.type === rule.scope.check ? tokenizerOf(check) : null;
        if (tokenize !== null) values.add(tokenize);
      }
    } else values.add(probe[wildcard]);
  }
  return [...values].sort().map((value) => ({ ...rule.scope, [wildcard]: value }));
}

export interface CurrentUnit {
  probe: ReportProbe;
  /** The check result, when the scope names a check. */
  result: CheckResult | null;
  pass: boolean | null;
  score: number | null;
  unit: string | null;
}

/** Probe-level or check-level units of the current report in scope. */
export function currentUnits(probes: readonly ReportProbe[], scope: Scope): CurrentUnit[] {
  const units: CurrentUnit[] = [];
  for (const probe of probes) {
    if (!inScope(probe, scope)) continue;
    if (scope.check === undefined) units.push({ probe, result: null, pass: probe.pass, score: null, unit: null });
    else for (const check of probe.checks) if (resultInScope(check, scope)) units.push({ probe, result: check, pass: check.pass, score: check.score, unit: scoreUnit(check) });
  }
  return units;
}

/** Probe-level or check-level units shared with the baseline in scope. */
export function pairedUnits(pairs: readonly MatchedPair[], scope: Scope): Unit[] {
  const scoped = pairs.filter((pair) => inScope(pair.candidate, scope));
  if (scope.check === undefined) return probeUnits(scoped);
  return checkUnits(scoped, scope.check).filter((unit) => resultInScope(unit.candidate.result!, scope));
}

/** The paired tests a baseline rule runs: its alpha, the policy's bootstrap. */
export function compareOptions(rule: PolicyRule, policy: Policy): CompareOptions {
  return { alpha: rule.alpha, resamples: policy.bootstrap.resamples, seed: policy.bootstrap.seed };
}

function policyError(message: string, rule: PolicyRule, policy: Policy): InputError {
  return new InputError(message, { file: policy.path, line: rule.line, field: `rules[${rule.index}]` });
}

/**
 * A score rule takes a mean (or a percentile) of one unit: scores in several
 * (length in chars and in words, BLEU under two tokenizers) are a policy error
 * that names them, like a corpus_score rule matching several corpora.
 */
export function assertOneUnit(rule: PolicyRule, scope: Scope, units: ReadonlyArray<string | null>, policy: Policy): void {
  const found = [...new Set(units)];
  if (found.length <= 1) return;
  throw policyError(
    `${rule.kind} of ${scope.check}${scopeText(scope)} would mix scores in ${found.length} units (${found.map((unit) => unit ?? "unlabelled").join(", ")}); narrow the scope (tokenize:, suite:, category: or language:)`,
    rule,
    policy,
  );
}

/**
 * The paired units a mean-score rule reads: those whose base score is in the
 * candidate's unit (`sameScoreUnit`), checked to be of one unit. When scores
 * exist but none pair in one unit (two judges, two rubrics), the rule is
 * skipped with a message naming the units on both sides.
 */
export function meanScoreUnits(rule: PolicyRule, scope: Scope, units: readonly Unit[], policy: Policy, comparison: string): { units: Unit[] } | { skipped: RuleOutcome } {
  const scored = units.filter((unit) => unit.base.score !== null && unit.candidate.score !== null);
  const { same, mismatched } = sameScoreUnit(scored);
  assertOneUnit(rule, scope, same.map((unit) => scoreUnit(unit.candidate.result!)), policy);
  if (same.length > 0 || mismatched.length === 0) return { units: same };
  const named = (unit: string | null) => unit ?? "unlabelled";
  const pairs = mismatched.map(({ base, candidate }) => `baseline ${named(base)}, candidate ${named(candidate)}`).join("; ");
  return {
    skipped: {
      status: "skipped",
      measured: null,
      comparison,
      message: `mean ${scope.check}${scopeText(scope)}: no score shared with the baseline in one unit (${pairs}); scores of different units are not compared, rule skipped`,
      details: { units: mismatched },
    },
  };
}

/**
 * The one corpus a corpus_score rule's scope names. Corpora of different
 * languages or tokenizers are never pooled: a scope that matches several is a
 * policy error (exit 2) that lists them and says how to name one.
 */
export function oneCorpus(rule: PolicyRule, scope: Scope, units: readonly Unit[], policy: Policy, options: CompareOptions): CorpusComparison | null {
  const corpora = compareCorpus(units, scope.check!, options);
  if (corpora.length <= 1) return corpora[0] ?? null;
  const listed = corpora.map((corpus) => `${corpusLabel(corpus)} ${corpus.signature}`).join("; ");
  throw policyError(
    `corpus_score of ${scope.check}${scopeText(scope)} matches ${corpora.length} corpora (${listed}); name one with language: or tokenize:, or write "*" for each separately`,
    rule,
    policy,
  );
}
