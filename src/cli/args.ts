/** Flag parsing on node:util parseArgs; any mistake becomes a one-line usage error (exit 2). */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../errors.js";
import { checkRunLabel } from "../format/report-file.js";
import { closestName } from "../util/did-you-mean.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

const HELP = { help: { type: "boolean", short: "h" } } as const;

/** A mistake in how a command was called: the message, and where its help is. */
export function usageError(command: string, message: string, field = "usage"): InputError {
  return new InputError(`${message} (see bonsai-eval ${command} --help)`, { field });
}

export function parseCommandArgs<const T extends OptionSpec>(command: string, argv: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options: { ...options, ...HELP } as T & typeof HELP, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const meant = unknown === undefined ? null : closestName(unknown, Object.keys({ ...options, ...HELP }));
    throw usageError(command, `${message}${meant === null ? "" : `; did you mean --${meant}?`}`);
  }
}

export function intOption(value: string | undefined, flag: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`, { field: flag });
  }
  return Number(value);
}

/** `--label NAME`, else $BONSAI_LABEL: a round's name; undefined when neither is set (the default label is the model file's name). */
export function runLabel(flag: string | undefined): string | undefined {
  if (flag !== undefined) return checkRunLabel(flag, "--label");
  const env = process.env.BONSAI_LABEL;
  return env === undefined || env === "" ? undefined : checkRunLabel(env, "BONSAI_LABEL");
}

export function choiceOption<T extends string>(value: string | undefined, flag: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new InputError(`${flag} must be one of ${choices.join(", ")}, got "${value}"`, { field: flag });
  }
  return value as T;
}
