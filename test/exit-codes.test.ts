/**
 * Exit codes come from one table (src/cli/exit-code.ts): what --help says, what
 * the commands return, and 3 for an error that is not bad input (a bug), shown
 * with its stack instead of one input line.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { COMMANDS } from "../src/cli/commands.js";
import { ExitCode } from "../src/cli/exit-code.js";
import { main } from "../src/cli/main.js";
import { InputError } from "../src/errors.js";
import { runCli } from "./helpers.js";

/** Runs main() with a command that fails as `fail` does, returning the exit code and what went to stderr. */
async function mainWithFailingCommand(fail: () => never): Promise<{ code: ExitCode; stderr: string }> {
  let stderr = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  COMMANDS.failing = { summary: "fails", help: "", run: async () => fail() };
  try {
    return { code: await main(["failing"]), stderr };
  } finally {
    delete COMMANDS.failing;
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("exit codes", () => {
  it("--help and run --help list every code of the table", async () => {
    for (const args of [["--help"], ["run", "--help"]]) {
      const result = await runCli(args);
      expect(result.code).toBe(ExitCode.Ok);
      expect(result.stdout).toContain(
        `Exit codes: ${ExitCode.Ok} done (gate passed), ${ExitCode.GateFailed} gate failed, ${ExitCode.InputError} bad input or usage, ${ExitCode.Internal} internal error, ${ExitCode.Interrupted} interrupted.`,
      );
    }
  });

  it("an error that is not bad input is an internal error: exit 3 with the stack", async () => {
    const { code, stderr } = await mainWithFailingCommand(() => {
      throw new TypeError("cannot read properties of undefined");
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(/^bonsai-eval: internal error: TypeError: cannot read properties of undefined\n\s+at /);
  });

  it("bad input stays one line and exit 2", async () => {
    const { code, stderr } = await mainWithFailingCommand(() => {
      throw new InputError("not a suite", { file: "x.yaml", line: 3, field: "probes" });
    });
    expect(code).toBe(2);
    expect(stderr).toBe("bonsai-eval: x.yaml:3: probes: not a suite\n");
  });
});
