import { applyGate, loadGateInputs } from "../../pipeline/gate-report.js";
import { baselineChoice, checkRecordingStore, gateBaselineAfterRun, historyBaseline, isLastAccepted, judgeBaselineChoice, recordRound, recordingStore } from "../../history/record.js";
import { parseShard } from "../../pipeline/shard.js";
import { assertJunitPath, defaultRunDir, precheckRunDir } from "../../pipeline/run-dir.js";
import path from "node:path";
import { judgeSetting } from "../../pipeline/judge-setting.js";
import { assertWritable } from "../../util/atomic.js";
import { visibleControls } from "../../util/untrusted-text.js";
import { writeJunit } from "../../report/junit.js";
import { colorsFor, terminalSummary } from "../../report/terminal.js";
import { intOption, parseCommandArgs, runLabel } from "../args.js";
import { CHECKS_FLAG_HELP, DEFAULT_SUITES, ENGINE_FLAGS, engineOptions, printHelp, registryWith, type Command } from "../command.js";
import { ExitCode, exitCodesHelp } from "../exit-code.js";
import { Progress } from "../progress.js";


export const run: Command = {
  summary: "generate with a GGUF model, score, and write outputs.jsonl, report.json and report.html",
  help: `Usage: bonsai-eval run [--model M.gguf] [--suite PATH]... [options]

Runs every probe of the suites on the model and writes DIR/outputs.jsonl (a line
per finished probe), DIR/report.json and DIR/report.html. Without --model it
generates and uses the repo's tiny fixture model, to show the whole flow.
Rerunning into the same --out resumes: finished probes are not generated again;
outputs generated for another version of a probe (edited since) are generated
again, unless --allow-stale keeps them (scored, marked stale).

  --model FILE          GGUF model file (default: the generated fixture model)
  --suite PATH          suite file or folder of *.yaml; repeatable (default: the bundled suites/)
  --out DIR             output directory (default: reports/<model>-<time>)
  --parallel N|auto     parallel sequences in one context (default: 4 on CPU, 8 on GPU); auto: a short
                        measured ramp on CPU, as many as fit in VRAM on a GPU (the manifest says why)
  --gpu auto|cuda|cpu   auto uses a GPU when one works, else the CPU (default: auto)
  --threads N           CPU threads (default: up to 4 with a GPU; on CPU 1 for models under 64 MB, else one per core but one)
  --seed N              sampling seed for probes with temperature > 0 (default: 0)
  --label NAME          name this round (default: $BONSAI_LABEL, else the model file's name); it titles
                        the report, the diff's columns and the trend
  --template T          override every probe's template: auto, raw, ${"phi2|alpaca|chatml|phi3|llama3|gemma"} or a file
  --max-tokens N        override every probe's max_tokens
  --shard i/n           run only shard i of n (probes split by a hash of suite and id; join with merge)
  --cache DIR           generation cache folder (default: $BONSAI_CACHE, else ~/.cache/bonsai-eval)
  --no-cache            generate everything, read and write no cache
  --allow-stale         on resume, keep outputs generated for another version of a probe: scored and
                        marked stale instead of generated again
  --gate POLICY         decide the round with a gate policy (YAML): exit 1 when a rule fails;
                        the verdict goes into report.json, report.html and the summary
  --baseline REPORT     the previous round's report.json or run folder, for the policy's baseline rules;
                        last-accepted (or $BONSAI_BASELINE=last-accepted): the newest accepted round of the
                        history store with settings compatible with this run; chosen before the model
                        loads when pairwise judge checks compare with it, and then the gate's baseline too
  --history FILE        add the report to this history store as a round (default: $BONSAI_HISTORY, if set);
                        also the store last-accepted reads (else reports/history.sqlite)
  --judge-model FILE|self
                        the model that grades judge checks, loaded after generation once the evaluated
                        model is released (default: $BONSAI_JUDGE_MODEL); self: the evaluated model judges.
                        Without one, judge checks are scored from verdicts already in judgements.jsonl
  --judge-template T    the judge's template (default: $BONSAI_JUDGE_TEMPLATE, else auto, its own
                        chat template); as --template
  --judge-parallel N    parallel sequences while judging (default: as --parallel)
  --junit FILE          also write JUnit XML (a testcase per probe; a "gate" testsuite with --gate)
${CHECKS_FLAG_HELP}
  --quiet               no progress output

${exitCodesHelp()}
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("run", argv, {
      model: { type: "string" },
      suite: { type: "string", multiple: true },
      out: { type: "string" },
      parallel: { type: "string" },
      ...ENGINE_FLAGS,
      seed: { type: "string" },
      template: { type: "string" },
      label: { type: "string" },
      "max-tokens": { type: "string" },
      shard: { type: "string" },
      "allow-stale": { type: "boolean" },
      gate: { type: "string" },
      baseline: { type: "string" },
      junit: { type: "string" },
      history: { type: "string" },
      "judge-model": { type: "string" },
      "judge-template": { type: "string" },
      "judge-parallel": { type: "string" },
      checks: { type: "string", multiple: true },
      quiet: { type: "boolean" },
    }, false);
    if (values.help) return printHelp(run.help);
    void positionals;
    const registry = await registryWith(values.checks);
    // The policy and baseline are checked before the model is loaded: bad input costs nothing.
    // last-accepted: the newest accepted round must be there now; the one compatible with this run is chosen once it has run.
    // Checked before anything runs, so a missing judge costs no generation.
    const judge = judgeSetting({
      model: values["judge-model"],
      template: values["judge-template"],
      parallel: intOption(values["judge-parallel"], "--judge-parallel", { min: 1, max: 256 }),
    }) ?? null;
    // $BONSAI_BASELINE is a default for gated or judged runs only (pairwise judging compares with it): another run has no use for a baseline.
    const baselineFlag = values.gate === undefined && judge === null ? values.baseline : baselineChoice(values.baseline);
    const lastAccepted = isLastAccepted(baselineFlag) && values.gate !== undefined;
    // A pairwise judge check compares with the baseline, with or without a gate. last-accepted is chosen once the suites
    // are loaded, before the model, by the settings and suites the run will record; a gate then uses that same round.
    const judgeBaseline = judge ? judgeBaselineChoice(baselineFlag, values.history) : null;
    const gateInputs = loadGateInputs(values.gate, lastAccepted ? historyBaseline(values.history, null).loaded : values.gate === undefined && judge ? undefined : baselineFlag);
    const historyStore = recordingStore(values.history);
    if (historyStore) checkRecordingStore(historyStore);
    const outDir = values.out ?? defaultRunDir(values.model);
    // So are the places it writes: a run must not end in a write that fails, losing the gate's exit code.
    assertWritable(outDir, "dir", "--out");
    precheckRunDir(outDir); // another tool's files, a live or broken lock; the model and settings are compared once it is hashed
    if (values.junit) {
      assertWritable(values.junit, "file", "--junit");
      assertJunitPath(values.junit, [outDir]);
    }
    const progress = new Progress(process.stderr, values.quiet ?? false);
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(ExitCode.Interrupted);
      progress.note(`\n${signal}: stopping after the probes in flight are dropped; writing an incomplete report (again to quit now)`);
      controller.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      // node-llama-cpp loads only when a model will be: other commands start faster.
      const { runEvaluation } = await import("../../pipeline/run.js");
      const result = await runEvaluation({
        modelPath: values.model,
        suitePaths: values.suite ?? [DEFAULT_SUITES],
        outDir,
        parallel: values.parallel === "auto" ? "auto" : intOption(values.parallel, "--parallel", { min: 1, max: 256 }),
        ...engineOptions(values),
        seed: intOption(values.seed, "--seed") ?? 0,
        template: values.template,
        label: runLabel(values.label),
        maxTokens: intOption(values["max-tokens"], "--max-tokens", { min: 1, max: 32768 }),
        shard: values.shard === undefined ? undefined : parseShard(values.shard),
        allowStale: values["allow-stale"] ?? false,
        judge: judge ?? undefined,
        judgeBaseline,
        registry,
        events: progress,
        signal: controller.signal,
      });
      if (gateInputs && lastAccepted) {
        const chosen = gateBaselineAfterRun(values.history, result);
        process.stderr.write(visibleControls(chosen.note) + "\n");
        gateInputs.baseline = chosen.loaded;
      }
      const verdict = gateInputs ? applyGate(result.report, result.outDir, gateInputs) : null;
      if (values.junit) writeJunit(values.junit, result.report);
      process.stdout.write(terminalSummary(result.report, colorsFor(process.stdout), result.outDir) + "\n");
      if (historyStore) process.stderr.write(visibleControls(recordRound(historyStore, { path: path.join(result.outDir, "report.json"), report: result.report })) + "\n");
      if (controller.signal.aborted) return ExitCode.Interrupted;
      return verdict && !verdict.pass ? ExitCode.GateFailed : ExitCode.Ok;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};

