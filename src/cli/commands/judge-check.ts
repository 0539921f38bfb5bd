import { writeFileSync } from "node:fs";
import { ensureFixtureModel } from "../../fixture/tiny-model.js";
import { packagePath } from "../../util/paths.js";
import { visibleControls } from "../../util/untrusted-text.js";
import { intOption, parseCommandArgs } from "../args.js";
import { ENGINE_FLAGS, engineOptions, printHelp, type Command } from "../command.js";
import { ExitCode, exitCodesHelp } from "../exit-code.js";

export const judgeCheck: Command = {
  summary: "measure how often a judge model agrees with known labels (good, wrong, looping, wrong-language answers)",
  help: `Usage: bonsai-eval judge-check [--model J.gguf] [options]

Grades a labelled set of answers with the judge model exactly as a judge check
does (same request, JSON grammar, template, reading of the reply) and prints how
often it agrees with the known labels: it should pass every good answer and fail
every wrong, looping and wrong-language one. Also prints judgements per second.
Without --model it uses the repo's fixture model (random weights: a mechanics
test, not a grader).

  --model FILE          the judge model (default: the generated fixture model)
  --set FILE            labelled answers, JSONL (default: fixtures/judge/labelled.jsonl)
  --template T          the judge's template (default: auto), as run --judge-template
  --parallel N          parallel sequences (default: 4)
  --gpu auto|cuda|cpu   as run (default: auto)
  --threads N           CPU threads
  --cache DIR, --no-cache
                        the generation cache (default: $BONSAI_CACHE, else ~/.cache/bonsai-eval)
  --json FILE           also write the result as JSON

${exitCodesHelp()}
`,
  async run(argv) {
    const { values } = parseCommandArgs("judge-check", argv, {
      model: { type: "string" },
      set: { type: "string" },
      template: { type: "string" },
      parallel: { type: "string" },
      ...ENGINE_FLAGS,
      json: { type: "string" },
    }, false);
    if (values.help) return printHelp(judgeCheck.help);
    const { judgeCheck: measure } = await import("../../pipeline/judge-check.js");
    const result = await measure({
      setFile: values.set ?? packagePath("fixtures", "judge", "labelled.jsonl"),
      modelPath: values.model ?? (await ensureFixtureModel()),
      template: values.template,
      parallel: intOption(values.parallel, "--parallel", { min: 1, max: 256 }) ?? 4,
      ...engineOptions(values),
    });
    const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
    const lines = [
      `judge-check: ${visibleControls(result.model_file)} (template ${visibleControls(result.template)})`,
      `agreement with the labels: ${pct(result.agreement.rate)} (${result.agreement.agree}/${result.agreement.total}); replies that are no verdict: ${result.errors}`,
      ...Object.entries(result.agreement.by_label).map(([label, r]) => `  ${label.padEnd(15)} ${pct(r.rate).padStart(6)}  (${r.agree}/${r.total})`),
      result.judgements_per_second === null
        ? `every judgement came from the cache (${result.cache_hits}); --no-cache to time the judge`
        : `${result.judgements_per_second.toFixed(2)} judgements/s at ${result.parallel} parallel sequence(s)`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + "\n");
    return ExitCode.Ok;
  },
};
