/** Each command: its help text and a thin run() that parses flags and calls the pipeline. */
import path from "node:path";
import { CheckRegistry, registerCheckModule } from "../checks/registry.js";
import { InputError } from "../errors.js";
import { OUTPUT_LINE_SCHEMA } from "../outputs/schema.js";
import { runEvaluation } from "../pipeline/run.js";
import { scoreOutputsFile } from "../pipeline/score.js";
import { REPORT_SCHEMA } from "../report/schema.js";
import { colorsFor, terminalSummary } from "../report/terminal.js";
import { loadSuites, expandSuitePaths } from "../suite/load.js";
import { suiteSchemaForEditors } from "../suite/schema.js";
import { packagePath } from "../util/paths.js";
import { choiceOption, intOption, parseCommandArgs } from "./args.js";
import { Progress } from "./progress.js";

export interface Command {
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

const DEFAULT_SUITES = packagePath("suites");

const checksFlag = `  --checks FILE         an ES module whose default export is a check definition (or an array); repeatable`;

async function registryWith(modules: string[] | undefined): Promise<CheckRegistry> {
  const registry = new CheckRegistry();
  for (const file of modules ?? []) await registerCheckModule(registry, file);
  return registry;
}

function defaultOutDir(modelPath: string | undefined): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "").replace("T", "-");
  const name = modelPath ? path.basename(modelPath).replace(/\.gguf$/i, "") : "fixture";
  return path.join("reports", `${name}-${stamp}`);
}

const run: Command = {
  summary: "generate with a GGUF model, score, and write outputs.jsonl, report.json and report.html",
  help: `Usage: bonsai-eval run [--model M.gguf] [--suite PATH]... [options]

Runs every probe of the suites on the model and writes DIR/outputs.jsonl (a line
per finished probe), DIR/report.json and DIR/report.html. Without --model it
generates and uses the repo's tiny fixture model, to show the whole flow.
Rerunning into the same --out resumes: finished probes are not generated again.

  --model FILE          GGUF model file (default: the generated fixture model)
  --suite PATH          suite file or folder of *.yaml; repeatable (default: the bundled suites/)
  --out DIR             output directory (default: reports/<model>-<time>)
  --parallel N          parallel sequences in one context (default: 4 on CPU, 8 on GPU)
  --gpu auto|cuda|cpu   auto uses a GPU when one works, else the CPU (default: auto)
  --threads N           CPU threads (default: 1 for tiny models, else one per core)
  --seed N              sampling seed for probes with temperature > 0 (default: 0)
  --template T          override every probe's template: auto, raw, ${"phi2|alpaca|chatml|phi3|llama3|gemma"} or a file
  --max-tokens N        override every probe's max_tokens
${checksFlag}
  --quiet               no progress output
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("run", argv, {
      model: { type: "string" },
      suite: { type: "string", multiple: true },
      out: { type: "string" },
      parallel: { type: "string" },
      gpu: { type: "string" },
      threads: { type: "string" },
      seed: { type: "string" },
      template: { type: "string" },
      "max-tokens": { type: "string" },
      checks: { type: "string", multiple: true },
      quiet: { type: "boolean" },
    }, false);
    if (values.help) return printHelp(run.help);
    void positionals;
    const registry = await registryWith(values.checks);
    const progress = new Progress(process.stderr, values.quiet ?? false);
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(130);
      progress.log(`\n${signal}: stopping after the probes in flight are dropped; writing an incomplete report (again to quit now)`);
      controller.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const outDir = values.out ?? defaultOutDir(values.model);
      const result = await runEvaluation({
        modelPath: values.model,
        suitePaths: values.suite ?? [DEFAULT_SUITES],
        outDir,
        parallel: intOption(values.parallel, "--parallel", { min: 1, max: 256 }),
        gpu: choiceOption(values.gpu, "--gpu", ["auto", "cuda", "cpu"] as const, "auto"),
        threads: intOption(values.threads, "--threads", { min: 1, max: 1024 }),
        seed: intOption(values.seed, "--seed") ?? 0,
        template: values.template,
        maxTokens: intOption(values["max-tokens"], "--max-tokens", { min: 1, max: 32768 }),
        registry,
        progress,
        signal: controller.signal,
      });
      process.stdout.write(terminalSummary(result.report, colorsFor(process.stdout), result.outDir) + "\n");
      return result.interrupted ? 130 : 0;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};

const score: Command = {
  summary: "score recorded outputs (outputs.jsonl) against suites, without a model",
  help: `Usage: bonsai-eval score --outputs FILE.jsonl [--suite PATH]... --out DIR

Scores outputs recorded earlier, or produced by any other tool, and writes
DIR/report.json and DIR/report.html. Each line of FILE.jsonl is a JSON object
with at least {"suite", "id", "output"} (schema: schemas/outputs-line.schema.json).
Outputs for unknown probes and probes without output are listed in the report.

  --outputs FILE        the outputs.jsonl to score
  --suite PATH          suite file or folder; repeatable (default: the bundled suites/)
  --out DIR             where to write the report (default: the outputs file's folder)
${checksFlag}
`,
  async run(argv) {
    const { values } = parseCommandArgs("score", argv, {
      outputs: { type: "string" },
      suite: { type: "string", multiple: true },
      out: { type: "string" },
      checks: { type: "string", multiple: true },
    }, false);
    if (values.help) return printHelp(score.help);
    if (!values.outputs) throw new InputError("--outputs FILE is required (see bonsai-eval score --help)", { field: "--outputs" });
    const outDir = values.out ?? path.dirname(values.outputs);
    const report = await scoreOutputsFile({
      outputsFile: values.outputs,
      suitePaths: values.suite ?? [DEFAULT_SUITES],
      outDir,
      registry: await registryWith(values.checks),
    });
    process.stdout.write(terminalSummary(report, colorsFor(process.stdout), outDir) + "\n");
    return 0;
  },
};

const validate: Command = {
  summary: "validate suite files (exit 0 when valid, 2 with every problem listed)",
  help: `Usage: bonsai-eval validate [PATH]... [--checks FILE]...

Validates suite files and folders (default: the bundled suites/) against the
suite schema and every check's parameters, without loading a model. Prints one
line per problem as FILE:LINE:COLUMN: FIELD: MESSAGE and exits 2 if any.

${checksFlag}
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
    return 0;
  },
};

const schema: Command = {
  summary: "print a JSON Schema: suite, outputs-line or report",
  help: `Usage: bonsai-eval schema suite|outputs-line|report

Prints the JSON Schema of a format. The same schemas are in the repo's schemas/
folder; point yaml-language-server at schemas/suite.schema.json for editor help.
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("schema", argv, {}, true);
    if (values.help) return printHelp(schema.help);
    const which = choiceOption(positionals[0], "schema", ["suite", "outputs-line", "report"] as const, "suite");
    const value = which === "suite" ? suiteSchemaForEditors(new CheckRegistry().all()) : which === "outputs-line" ? OUTPUT_LINE_SCHEMA : REPORT_SCHEMA;
    process.stdout.write(JSON.stringify(value, null, 2) + "\n");
    return 0;
  },
};

function printHelp(text: string): number {
  process.stdout.write(text);
  return 0;
}

export const COMMANDS: Record<string, Command> = { run, score, validate, schema };

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return `bonsai-eval — evaluate small multilingual LLMs (GGUF) and gate fine-tuning rounds

Usage: bonsai-eval <command> [options]   (bonsai-eval <command> --help for more)

${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
  .join("\n")}

Exit codes: 0 done (gate passed), 1 gate failed, 2 bad input or usage, 130 interrupted.
`;
}
