import { CheckRegistry } from "../../checks/registry.js";
import { POLICY_SCHEMA } from "../../format/policy-schema.js";
import { OUTPUT_LINE_SCHEMA } from "../../format/outputs-schema.js";
import { REPORT_SCHEMA } from "../../format/report-schema.js";
import { suiteSchemaForEditors } from "../../suite/editor-schema.js";
import { choiceOption, parseCommandArgs } from "../args.js";
import { printHelp, type Command } from "../command.js";
import { ExitCode } from "../exit-code.js";

export const schema: Command = {
  summary: "print a JSON Schema: suite, outputs-line, report or policy",
  help: `Usage: bonsai-eval schema suite|outputs-line|report|policy

Prints the JSON Schema of a format. The same schemas are in the repo's schemas/
folder; point yaml-language-server at schemas/suite.schema.json (suites) or
schemas/policy.schema.json (gate policies) for editor help.
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("schema", argv, {}, true);
    if (values.help) return printHelp(schema.help);
    const which = choiceOption(positionals[0], "schema", ["suite", "outputs-line", "report", "policy"] as const, "suite");
    const value =
      which === "suite" ? suiteSchemaForEditors(new CheckRegistry().all())
      : which === "outputs-line" ? OUTPUT_LINE_SCHEMA
      : which === "policy" ? POLICY_SCHEMA
      : REPORT_SCHEMA;
    process.stdout.write(JSON.stringify(value, null, 2) + "\n");
    return ExitCode.Ok;
  },
};

