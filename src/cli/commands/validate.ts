import { expandSuitePaths, loadSuites } from "../../suite/load.js";
import { parseCommandArgs } from "../args.js";
import { CHECKS_FLAG_HELP, DEFAULT_SUITES, printHelp, registryWith, type Command } from "../command.js";
import { ExitCode } from "../exit-code.js";

export const validate: Command = {
  summary: "validate suite files (exit 0 when valid, 2 with every problem listed)",
  help: `Usage: bonsai-eval validate [PATH]... [--checks FILE]...

Validates suite files and folders (default: the bundled suites/) against the
suite schema and every check's parameters, without loading a model. Prints one
line per problem as FILE:LINE:COLUMN: FIELD: MESSAGE and exits 2 if any.

${CHECKS_FLAG_HELP}
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("validate", argv, { checks: { type: "string", multiple: true } }, true);
    if (values.help) return printHelp(validate.help);
    const registry = await registryWith(values.checks);
    const paths = positionals.length > 0 ? positionals : [DEFAULT_SUITES];
    const suites = loadSuites(paths, { registry });
    const files = expandSuitePaths(paths);
    const probes = suites.reduce((count, suite) => count + suite.probes.length, 0);
    process.stdout.write(`ok: ${files.length} suite file(s), ${probes} probe(s)\n`);
    return ExitCode.Ok;
  },
};

