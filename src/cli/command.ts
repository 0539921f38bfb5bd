/** Shared pieces of the commands: the Command shape, flags and defaults they all use. */
import { CheckRegistry, registerCheckModule } from "../checks/registry.js";
import { packagePath } from "../util/paths.js";
import { ExitCode } from "./exit-code.js";

export interface Command {
  summary: string;
  help: string;
  run(argv: string[]): Promise<ExitCode>;
}

export const DEFAULT_SUITES = packagePath("suites");

export const CHECKS_FLAG_HELP = `  --checks FILE         an ES module whose default export is a check definition (or an array); repeatable`;

export async function registryWith(modules: string[] | undefined): Promise<CheckRegistry> {
  const registry = new CheckRegistry();
  for (const file of modules ?? []) await registerCheckModule(registry, file);
  return registry;
}

export function printHelp(text: string): ExitCode {
  process.stdout.write(text);
  return ExitCode.Ok;
}
