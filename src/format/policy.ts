/**
 * Gate policies: a YAML file of rules, validated like a suite (every problem
 * named by file, line and field) and resolved into typed rules.
 */
import { InputError, InputErrors } from "../errors.js";
import { createAjv, type ValidateFunction } from "../util/ajv.js";
import { sha256 } from "../util/json.js";
import { languageCodeProblem } from "../lang/language-tags.js";
import { readYamlFile, schemaErrors, type PathSegments, type SourceMap } from "../util/yaml-source.js";
import { BOOTSTRAP_DEFAULTS, POLICY_SCHEMA, RULE_DEFINITIONS, RULE_KINDS, SCOPE_KEYS, type Metric, type RuleKind, type RuleLevel } from "./policy-schema.js";

export { RULE_KINDS, SCOPE_KEYS, type Metric, type RuleKind, type RuleLevel } from "./policy-schema.js";

export type ScopeKey = (typeof SCOPE_KEYS)[number];
/** Which probes a rule looks at; "*" in the policy is expanded per value when the gate runs. */
export type Scope = Partial<Record<ScopeKey, string>>;

export interface PolicyRule {
  kind: RuleKind;
  /** The rule key's value: the threshold (1 for no_significant_regression and require_complete). */
  limit: number;
  scope: Scope;
  /** max_score / min_score: mean, median, min, max, pNN. */
  stat: string;
  /** Baseline rules: what is compared. */
  metric: Metric;
  alpha: number;
  better: "higher" | "lower" | null;
  optional: boolean;
  name: string | null;
  /** fail: a rule that does not hold fails the round; warn: it is reported only. */
  level: RuleLevel;
  /** Position in the policy, for messages. */
  index: number;
  line: number;
}

export interface Policy {
  path: string;
  sha256: string;
  name: string | null;
  description: string | null;
  alpha: number;
  bootstrap: { resamples: number; seed: number };
  require_baseline: boolean;
  rules: PolicyRule[];
}

interface RuleInput {
  [key: string]: unknown;
  suite?: string;
  category?: string;
  language?: string;
  check?: string;
  tokenize?: string;
  stat?: string;
  metric?: Metric;
  better?: "higher" | "lower";
  alpha?: number;
  optional?: boolean;
  name?: string;
  level?: RuleLevel;
}

interface PolicyInput {
  name?: string;
  description?: string;
  alpha?: number;
  bootstrap?: { resamples?: number; seed?: number };
  require_baseline?: boolean;
  rules: RuleInput[];
}

let compiled: ValidateFunction | null = null;
/** Compiled on first use, not when the CLI starts. */
// verbose: an unknown key's error carries the schema's keys, for a did-you-mean.
const policyValidator = (): ValidateFunction => (compiled ??= createAjv({ verbose: true }).compile(POLICY_SCHEMA));

export function isBaselineRule(rule: PolicyRule): boolean {
  return RULE_DEFINITIONS[rule.kind].baseline;
}

/** Loads and validates a policy file; throws InputErrors listing every problem. */
export function loadPolicy(file: string): Policy {
  const { text, source, data } = readYamlFile(file, "policy");
  const validatePolicy = policyValidator();
  if (!validatePolicy(data)) throw new InputErrors(schemaErrors(validatePolicy.errors, source));
  const input = data as PolicyInput;
  const alpha = input.alpha ?? 0.05;
  const errors: InputError[] = [];
  const rules: PolicyRule[] = [];
  input.rules.forEach((entry, index) => {
    const rule = resolveRule(entry, index, alpha, source, errors);
    if (rule) rules.push(rule);
  });
  if (errors.length > 0) throw new InputErrors(errors);
  return {
    path: file,
    sha256: sha256(text),
    name: input.name ?? null,
    description: input.description ?? null,
    alpha,
    bootstrap: {
      resamples: input.bootstrap?.resamples ?? BOOTSTRAP_DEFAULTS.resamples,
      seed: input.bootstrap?.seed ?? BOOTSTRAP_DEFAULTS.seed,
    },
    require_baseline: input.require_baseline ?? false,
    rules,
  };
}

function resolveRule(entry: RuleInput, index: number, alpha: number, source: SourceMap, errors: InputError[]): PolicyRule | null {
  const at: PathSegments = ["rules", index];
  const kinds = RULE_KINDS.filter((kind) => entry[kind] !== undefined);
  if (kinds.length !== 1) {
    errors.push(
      source.error(
        kinds.length === 0
          ? `a rule needs one of ${RULE_KINDS.join(", ")}`
          : `a rule has exactly one rule key; this one has ${kinds.join(" and ")} (write them as separate rules)`,
        at,
      ),
    );
    return null;
  }
  const kind = kinds[0]!;
  const { options, scoresOneCheck } = RULE_DEFINITIONS[kind];
  let ok = true;
  for (const key of Object.keys(entry)) {
    if (key === kind || (options as readonly string[]).includes(key)) continue;
    errors.push(source.error(`"${key}" does not apply to ${kind} (it takes ${options.join(", ") || "no options"})`, [...at, key], true));
    ok = false;
  }
  const wildcards = SCOPE_KEYS.filter((key) => entry[key] === "*");
  if (wildcards.length > 1) {
    errors.push(source.error(`only one scope key may be "*"; this rule has ${wildcards.join(" and ")}`, at));
    ok = false;
  }
  const languageProblem = typeof entry.language === "string" && entry.language !== "*" ? languageCodeProblem(entry.language) : null;
  if (languageProblem) {
    errors.push(source.error(languageProblem, [...at, "language"]));
    ok = false;
  }
  const metric = entry.metric ?? "pass_rate";
  if (metric !== "pass_rate" && entry.check === "*") {
    errors.push(source.error(`metric ${metric} needs one named check type, not "*"`, [...at, "check"]));
    ok = false;
  }
  if (scoresOneCheck && entry.check === "*") {
    errors.push(source.error(`${kind} needs one named check type, not "*" (scores of different checks are in different units)`, [...at, "check"]));
    ok = false;
  }
  if (entry.better !== undefined && metric === "pass_rate") {
    errors.push(source.error(`"better" applies to metric mean_score or corpus_score`, [...at, "better"], true));
    ok = false;
  }
  if (!ok) return null;
  const value = entry[kind];
  const scope: Scope = {};
  for (const key of SCOPE_KEYS) if (entry[key] !== undefined) scope[key] = entry[key];
  return {
    kind,
    limit: typeof value === "number" ? value : 1,
    scope,
    stat: entry.stat ?? "mean",
    metric,
    alpha: entry.alpha ?? alpha,
    better: entry.better ?? null,
    optional: entry.optional ?? false,
    name: entry.name ?? null,
    level: entry.level ?? "fail",
    index,
    line: source.locate(at).line,
  };
}

/** `min_pass_rate category=translation`, or the rule's own name. */
export function ruleLabel(rule: PolicyRule, scope: Scope = rule.scope): string {
  if (rule.name) return rule.name;
  const parts: string[] = [rule.kind];
  const { baseline, scoresOneCheck } = RULE_DEFINITIONS[rule.kind];
  if (scoresOneCheck && rule.stat !== "mean") parts.push(rule.stat);
  if (baseline && rule.metric !== "pass_rate") parts.push(rule.metric);
  for (const key of SCOPE_KEYS) if (scope[key] !== undefined) parts.push(`${key}=${scope[key]}`);
  return parts.join(" ");
}
