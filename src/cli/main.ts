/**
 * The bonsai-eval command line: parses, dispatches, and turns errors into exit
 * codes. 0 done / gate passed, 1 gate failed, 2 bad input or usage, 130 interrupted.
 * Error lines quote untrusted text (suite values, model metadata): controls are shown, not obeyed.
 */
import { InputError, InputErrors } from "../errors.js";
import { visibleControls } from "../util/untrusted-text.js";
import { COMMANDS, usage } from "./commands.js";
import { fileSystemError } from "../util/atomic.js";

export const EXIT = { ok: 0, gateFailed: 1, badInput: 2, interrupted: 130 } as const;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    const { TOOL_VERSION } = await import("../pipeline/version.js");
    process.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`bonsai-eval: usage: unknown command "${visibleControls(name)}"; commands: ${Object.keys(COMMANDS).join(", ")}\n`);
    return EXIT.badInput;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof InputErrors) {
      for (const each of error.errors) process.stderr.write(`bonsai-eval: ${visibleControls(each.toLine())}\n`);
      return EXIT.badInput;
    }
    if (error instanceof InputError) {
      process.stderr.write(`bonsai-eval: ${visibleControls(error.toLine())}\n`);
      return EXIT.badInput;
    }
    // A file-system failure no command turned into an InputError (a full disk, a read-only folder) is still one line.
    const failure = error as NodeJS.ErrnoException | null;
    if (typeof failure?.code === "string" && typeof failure.path === "string") {
      const line = (fileSystemError(failure, failure.path, `${failure.syscall ?? "file access"} failed`) as InputError).toLine();
      process.stderr.write(`bonsai-eval: ${visibleControls(line)}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}
