/**
 * A command called the wrong way says so in one line: the field, what is
 * wrong, and which command's --help explains it; exit 2. Every command builds
 * that line with the one usageError of src/cli/args.ts.
 */
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/cli/exit-code.js";
import { runCli } from "./helpers.js";

const CASES: Array<{ args: string[]; line: string }> = [
  { args: ["gate"], line: "usage: expected one REPORT (a report.json or run folder), got 0 (see bonsai-eval gate --help)" },
  { args: ["gate", "report.json"], line: "--policy: --policy FILE is required (see bonsai-eval gate --help)" },
  { args: ["diff", "a.json"], line: "usage: expected BASE and CANDIDATE reports, got 1 (see bonsai-eval diff --help)" },
  { args: ["merge", "shard-1"], line: "--out: --out DIR is required (see bonsai-eval merge --help)" },
  { args: ["score"], line: "--outputs: --outputs FILE is required (see bonsai-eval score --help)" },
  { args: ["history"], line: "usage: history needs an action: add, list, show, accept, rm, export or trend (see bonsai-eval history --help)" },
  { args: ["history", "accept"], line: "usage: history accept takes one round label, got 0 (see bonsai-eval history --help)" },
  { args: ["run", "--gpux", "cpu"], line: "usage: Unknown option '--gpux'; did you mean --gpu? (see bonsai-eval run --help)" },
  { args: ["judge-check", "--threads", "0"], line: '--threads: --threads must be an integer from 1 to 1024, got "0"' },
];

describe("usage mistakes", () => {
  for (const { args, line } of CASES) {
    it(`bonsai-eval ${args.join(" ")}`, async () => {
      const result = await runCli(args);
      expect(result.code).toBe(ExitCode.InputError);
      expect(result.stderr).toBe(`bonsai-eval: ${line}\n`);
    });
  }
});
