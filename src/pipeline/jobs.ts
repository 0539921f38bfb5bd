/**
 * From probes to engine work: every probe becomes one generation job per
 * sample, or one likelihood job; every finished job becomes one outputs line.
 */
import path from "node:path";
import { InputError } from "../errors.js";
import type { OutputLine } from "../format/outputs.js";
import type { Engine, GenerationJob, GenerationResult, LikelihoodJob, LikelihoodResult } from "../runner/engine.js";
import { targetDelimiter } from "../runner/likelihood.js";
import { resolveTemplate, type PromptTemplate } from "../runner/templates.js";
import type { Probe } from "../format/suite.js";
import { outputKey } from "../format/probe-key.js";

export interface PlannedGeneration extends GenerationJob {
  probe: Probe;
  sample: number;
  rendered: string;
}

export type PlannedLikelihood = LikelihoodJob & { probe: Probe; rendered: string; texts: string[]; targetDelimiter?: string };

export interface Plan {
  generation: PlannedGeneration[];
  likelihood: PlannedLikelihood[];
}

/**
 * The template each probe renders with: `--template` for all, else the
 * probe's own, resolved once per template and suite folder. A template that
 * cannot be resolved is an error at the probe that names it.
 */
export class PromptTemplates {
  private readonly resolved = new Map<string, PromptTemplate>();
  /** The `--template` override; null when each probe uses its own. */
  readonly override: PromptTemplate | null;

  constructor(
    private readonly engine: Engine,
    private readonly chatTemplate: string | null,
    override: string | undefined,
  ) {
    this.override = override === undefined ? null : resolveTemplate(override, { model: engine.model, chatTemplate, baseDir: process.cwd() });
    if (this.override) this.resolved.set("override", this.override);
  }

  for(probe: Probe): PromptTemplate {
    if (this.override) return this.override;
    const spec = probe.generation.template;
    const baseDir = path.dirname(probe.source.file);
    const key = `${spec}\u0000${baseDir}`;
    let template = this.resolved.get(key);
    if (!template) {
      try {
        template = resolveTemplate(spec, { model: this.engine.model, chatTemplate: this.chatTemplate, baseDir });
      } catch (error) {
        if (error instanceof InputError) {
          throw new InputError(error.message, { file: probe.source.file, line: probe.source.line, field: `${probe.id}.template` });
        }
        throw error;
      }
      this.resolved.set(key, template);
    }
    return template;
  }

  /** Every template used so far, for the manifest. */
  used(): PromptTemplate[] {
    return [...this.resolved.values()];
  }
}

export interface PlanOptions {
  engine: Engine;
  templates: PromptTemplates;
  maxTokens?: number;
  seed: number;
}

export function planJobs(probes: Probe[], options: PlanOptions): Plan {
  const { engine } = options;
  const plan: Plan = { generation: [], likelihood: [] };
  for (const probe of probes) {
    const key = outputKey(probe.suite, probe.id, 0);
    if (probe.type === "perplexity") {
      const { tokens, scoredText } = engine.textTokens(probe.text ?? "");
      plan.likelihood.push({ kind: "perplexity", key, probe, tokens, rendered: engine.detokenize(tokens.slice(0, 1), true), texts: [scoredText] });
      continue;
    }
    const rendered = options.templates.for(probe).render(probe.prompt, probe.generation.system);
    const renderedText = engine.detokenize(rendered.tokens, true);
    if (probe.type === "choice") {
      const delimiter = targetDelimiter(probe.target_delimiter, probe.language, renderedText);
      const continuations = probe.choices.map((choice) => engine.continuationTokens(delimiter + choice));
      plan.likelihood.push({
        kind: "choice", key, probe, context: rendered.tokens, continuations, rendered: renderedText, texts: probe.choices, targetDelimiter: delimiter,
      });
      continue;
    }
    const seed = probe.generation.seed ?? options.seed;
    for (let sample = 0; sample < probe.generation.samples; sample++) {
      plan.generation.push({
        key: outputKey(probe.suite, probe.id, sample),
        probe,
        sample,
        tokens: rendered.tokens,
        endOfTurn: rendered.endOfTurn,
        rendered: renderedText,
        maxTokens: options.maxTokens ?? probe.generation.max_tokens,
        stop: probe.generation.stop,
        temperature: probe.generation.temperature,
        seed: seed + sample,
      });
    }
  }
  return plan;
}

export function generationLine(job: PlannedGeneration, result: GenerationResult, cached: boolean): OutputLine {
  return {
    suite: job.probe.suite,
    id: job.probe.id,
    output: result.output,
    sample: job.sample,
    stop_reason: result.stop_reason,
    ...(result.stop_string !== undefined ? { stop_string: result.stop_string } : {}),
    prompt_tokens: result.prompt_tokens,
    output_tokens: result.output_tokens,
    time_ms: result.time_ms,
    trimmed_replacement_char: result.trimmed_replacement_char,
    probe_hash: job.probe.hash,
    rendered_prompt: job.rendered,
    ...(cached ? { cached: true } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export function likelihoodLine(job: PlannedLikelihood, result: LikelihoodResult): OutputLine {
  const base = {
    suite: job.probe.suite,
    id: job.probe.id,
    sample: 0,
    prompt_tokens: job.kind === "choice" ? job.context.length : job.tokens.length,
    output_tokens: 0,
    time_ms: result.time_ms,
    probe_hash: job.probe.hash,
    rendered_prompt: job.rendered,
  };
  if (result.error !== undefined) return { ...base, output: "", stop_reason: "error", error: result.error };
  if (job.kind === "choice") {
    const choices = job.continuations.map((tokens, i) => ({
      logprob: sum(result.choices![i]!),
      tokens: tokens.length,
      chars: Array.from(job.texts[i]!).length,
      bytes: Buffer.byteLength(job.texts[i]!),
    }));
    // The output is the likeliest choice per character (the choice check's default), for people reading outputs.jsonl.
    let best = 0;
    choices.forEach((choice, i) => {
      if (choice.logprob / Math.max(1, choice.chars) > choices[best]!.logprob / Math.max(1, choices[best]!.chars)) best = i;
    });
    return { ...base, output: job.texts[best]!, likelihood: { kind: "choice", target_delimiter: job.targetDelimiter ?? "", choices } };
  }
  const text = job.texts[0]!;
  return {
    ...base,
    output: "",
    likelihood: {
      kind: "perplexity",
      logprob: sum(result.logprobs!),
      tokens: result.logprobs!.length,
      chars: Array.from(text).length,
      bytes: Buffer.byteLength(text),
      windows: result.windows,
    },
  };
}
