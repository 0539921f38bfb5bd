/**
 * Judge throughput: the labelled set (fixtures/judge/labelled.jsonl) graded
 * by a judge model with the judge check's request and grammar, cache off, at
 * each parallelism asked (default 1 and 8): judgements per second, and the
 * agreement with the labels beside it.
 */
import { ensureFixtureModel } from "../src/fixture/tiny-model.js";
import { judgeCheck } from "../src/pipeline/judge-check.js";
import { packagePath } from "../src/util/paths.js";
import { intListOption, machineInfo, parseBenchArgs, round, runBench, table, writeJson } from "./util.js";

const USAGE = `Usage: npm run bench:judge -- [--model J.gguf] [--template T] [--parallel 1,8] [--set FILE] [--json FILE]

Times the judge on the labelled set with the cache off (default model: the fixture).`;

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2), {
    model: { type: "string" },
    template: { type: "string" },
    parallel: { type: "string" },
    set: { type: "string" },
    json: { type: "string" },
  }, USAGE);
  if (!parsed) return 0;
  const { values } = parsed;
  const modelPath = values.model ?? (await ensureFixtureModel());
  const rows = [];
  for (const parallel of intListOption(values.parallel, "--parallel", { min: 1, max: 256 }) ?? [1, 8]) {
    const result = await judgeCheck({
      setFile: values.set ?? packagePath("fixtures", "judge", "labelled.jsonl"),
      modelPath,
      template: values.template,
      parallel,
      gpu: "auto",
      cacheDir: null,
    });
    rows.push({ parallel, judgements: result.items.length, judge_ms: result.judge_ms, judgements_per_second: result.judgements_per_second, agreement: result.agreement.rate, model: result.model_file, template: result.template });
  }
  console.log(table([["P", "judgements", "wall ms", "judgements/s", "agreement"], ...rows.map((row) => [row.parallel, row.judgements, row.judge_ms, round(row.judgements_per_second ?? Number.NaN, 2), `${(row.agreement * 100).toFixed(1)}%`])]));
  const file = writeJson(values.json ?? "bench-judge.json", { machine: machineInfo(), rows });
  console.log(`written: ${file}`);
  return 0;
}

runBench("npm run bench:judge", main);
