/** What bonsai-eval exits with: the one table the commands, the README and `bonsai-eval --help` agree on. */
export const ExitCode = {
  /** Done; with a gate, every rule held. */
  Ok: 0,
  /** The gate failed: a rule did not hold. */
  GateFailed: 1,
  /** Bad input or usage: one line per problem (FILE:LINE:COLUMN: FIELD: MESSAGE). */
  InputError: 2,
  /** bonsai-eval itself failed (a bug): the stack trace follows. */
  Internal: 3,
  /** Stopped by SIGINT or SIGTERM, with the report marked incomplete (128 + SIGINT, as shells report it). */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const MEANING: Record<keyof typeof ExitCode, string> = {
  Ok: "done (gate passed)",
  GateFailed: "gate failed",
  InputError: "bad input or usage",
  Internal: "internal error",
  Interrupted: "interrupted",
};

/** The table as `--help` prints it: `Exit codes: 0 done (gate passed), 1 gate failed, …`. */
export function exitCodesHelp(): string {
  const names = Object.keys(ExitCode) as Array<keyof typeof ExitCode>;
  return `Exit codes: ${names.map((name) => `${ExitCode[name]} ${MEANING[name]}`).join(", ")}.`;
}
