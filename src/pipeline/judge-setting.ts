/**
 * Which judge grades judge checks, from `run --judge-model/--judge-template`
 * or, under them, $BONSAI_JUDGE_MODEL and $BONSAI_JUDGE_TEMPLATE (the only
 * source for `npm test` against a checkpoint). Checked before anything runs,
 * so a missing judge costs no generation; every later error about the judge
 * names the flag or variable its value came from.
 */
import { existsSync } from "node:fs";
import { InputError } from "../errors.js";

export interface JudgeSetting {
  /** The judge's GGUF file, or "self": the evaluated model judges (no second model is loaded). */
  model: string;
  /** The judge's prompt template (default: auto, the judge's own chat template). */
  template?: string;
  /** Parallel sequences for judging (default: as generation). */
  parallel?: number;
  /** Where `model` and `template` came from (--judge-model or BONSAI_JUDGE_MODEL…), for error lines; default the flags. */
  fields?: { model: string; template: string };
}

/** A value and the flag or variable it was read from. */
interface Sourced {
  value: string;
  field: string;
}

function sourced(flag: { name: string; value: string | undefined } | null, variable: string, env: NodeJS.ProcessEnv): Sourced | undefined {
  if (flag && flag.value !== undefined) return { value: flag.value, field: flag.name };
  const value = env[variable];
  return value ? { value, field: variable } : undefined;
}

/**
 * The judge setting, or undefined without a judge. `flags` null: no command
 * line (a checkpoint's `npm test`), so only the variables are read and named.
 */
export function judgeSetting(
  flags: { model: string | undefined; template: string | undefined; parallel?: number } | null,
  env: NodeJS.ProcessEnv = process.env,
): JudgeSetting | undefined {
  const model = sourced(flags && { name: "--judge-model", value: flags.model }, "BONSAI_JUDGE_MODEL", env);
  const template = sourced(flags && { name: "--judge-template", value: flags.template }, "BONSAI_JUDGE_TEMPLATE", env);
  const modelNames = flags ? "--judge-model (or BONSAI_JUDGE_MODEL)" : "BONSAI_JUDGE_MODEL";
  if (!model) {
    if (template) throw new InputError(`${template.field} needs ${modelNames}`, { field: template.field });
    return undefined;
  }
  if (model.value !== "self" && !existsSync(model.value)) throw new InputError("no such judge model file", { file: model.value, field: model.field });
  const fields = { model: model.field, template: template?.field ?? (flags ? "--judge-template" : "BONSAI_JUDGE_TEMPLATE") };
  return {
    model: model.value,
    ...(template ? { template: template.value } : {}),
    ...(flags?.parallel !== undefined ? { parallel: flags.parallel } : {}),
    fields,
  };
}
