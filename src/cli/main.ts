/**
 * The bonsai-eval command line: parses, dispatches, and turns errors into exit
 * codes (src/cli/exit-code.ts). Error lines quote untrusted text (suite
 * values, model metadata): controls are shown, not obeyed.
 */
import { InputError, InputErrors } from "../errors.js";
import { visibleControls } from "../util/untrusted-text.js";
import { COMMANDS, usage } from "./commands.js";
import { ExitCode } from "./exit-code.js";
import { fileSystemError } from "../util/atomic.js";

export async function main(argv: string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name === undefined ? ExitCode.InputError : ExitCode.Ok;
  }
  if (name === "--version" || name === "-v") {
    const { TOOL_VERSION } = await import("../pipeline/version.js");
    process.stdout.write(`${TOOL_VERSION}\n`);
    return ExitCode.Ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`bonsai-eval: usage: unknown command "${visibleControls(name)}"; commands: ${Object.keys(COMMANDS).join(", ")}\n`);
    return ExitCode.InputError;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    return reportError(error);
  }
}

/** Bad input is one line per problem and exit 2; anything else is a bug, shown with its stack, exit 3. */
function reportError(error: unknown): ExitCode {
  if (error instanceof InputErrors) {
    for (const each of error.errors) process.stderr.write(`bonsai-eval: ${visibleControls(each.toLine())}\n`);
    return ExitCode.InputError;
  }
  if (error instanceof InputError) {
    process.stderr.write(`bonsai-eval: ${visibleControls(error.toLine())}\n`);
    return ExitCode.InputError;
  }
  // A file-system failure no command turned into an InputError (a full disk, a read-only folder) is still one line.
  const failure = error as NodeJS.ErrnoException | null;
  if (typeof failure?.code === "string" && typeof failure.path === "string") {
    const line = (fileSystemError(failure, failure.path, `${failure.syscall ?? "file access"} failed`) as InputError).toLine();
    process.stderr.write(`bonsai-eval: ${visibleControls(line)}\n`);
    return ExitCode.InputError;
  }
  process.stderr.write(`bonsai-eval: internal error: ${(error as Error | null)?.stack ?? String(error)}\n`);
  return ExitCode.Internal;
}
