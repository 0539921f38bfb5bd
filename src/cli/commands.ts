/** The command table: one module per command under commands/. */
import type { Command } from "./command.js";
import { exitCodesHelp } from "./exit-code.js";
import { diff } from "./commands/diff.js";
import { gate } from "./commands/gate.js";
import { history } from "./commands/history.js";
import { judgeCheck } from "./commands/judge-check.js";
import { merge } from "./commands/merge.js";
import { run } from "./commands/run.js";
import { schema } from "./commands/schema.js";
import { score } from "./commands/score.js";
import { validate } from "./commands/validate.js";

export const COMMANDS: Record<string, Command> = { run, score, validate, schema, merge, gate, diff, history, "judge-check": judgeCheck };

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return `bonsai-eval — evaluate small multilingual LLMs (GGUF) and gate fine-tuning rounds

Usage: bonsai-eval <command> [options]   (bonsai-eval <command> --help for more)

${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
  .join("\n")}

${exitCodesHelp()}
`;
}
