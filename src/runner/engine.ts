/**
 * The engine: one Llama, one model and one context at a time with N parallel
 * sequences, behind the few calls a run makes (tokenize, generate, score
 * likelihoods). Disposable: `await using engine = await Engine.load(...)`.
 * Nothing outside src/runner/ imports node-llama-cpp.
 */
import type { Llama, LlamaContext, LlamaModel, Token } from "node-llama-cpp";
import type { HardwareInfo, RuntimeInfo } from "../format/manifest.js";
import { contextSizeFor, fitContext } from "./context.js";
import { generateOnSequence, type GenerateOptions, type GenerationJob } from "./generate.js";
import { likelihoodContextNeed, scoreOnSequence, type LikelihoodJob, type LikelihoodOptions } from "./likelihood.js";
import { loadLlamaModel, type EngineOptions, type LoadedModel } from "./load.js";
import { runOnSequences } from "./scheduler.js";
import { JsonSchemaGrammars } from "./judge-grammar.js";

export type { GenerateOptions, GenerationJob, GenerationResult } from "./generate.js";
export type { LikelihoodJob, LikelihoodOptions, LikelihoodResult } from "./likelihood.js";
export type { EngineOptions, GpuChoice } from "./load.js";

// Node has Symbol.asyncDispose from 20.4 on; package.json allows 20.0. The registered symbol is the one
// esbuild's lowering of `await using` falls back to, so both agree when Node lacks it.
(Symbol as { asyncDispose?: symbol }).asyncDispose ??= Symbol.for("Symbol.asyncDispose");

export class Engine implements AsyncDisposable {
  /** Prompt tokens not evaluated again thanks to a shared prefix (for the manifest). */
  reusedPromptTokens = 0;
  private context: LlamaContext | null = null;
  private disposal: Promise<void> | null = null;
  private grammars: JsonSchemaGrammars | null = null;

  private constructor(private readonly loaded: LoadedModel) {}

  static async load(options: EngineOptions): Promise<Engine> {
    return new Engine(await loadLlamaModel(options));
  }

  get llama(): Llama {
    return this.loaded.llama;
  }

  get model(): LlamaModel {
    return this.loaded.model;
  }

  /** Where the model runs; each context created appends its fit to `contexts`. */
  get hardware(): HardwareInfo {
    return this.loaded.hardware;
  }

  get runtime(): RuntimeInfo {
    return this.loaded.runtime;
  }

  get trainContextSize(): number {
    return this.model.trainContextSize;
  }

  tokenCount(text: string): number {
    return this.model.tokenize(text, false).length;
  }

  detokenize(tokens: Token[], specialTokens = false): string {
    return this.model.detokenize(tokens, specialTokens);
  }

  /**
   * A choice's tokens as a continuation of the prompt: tokenized on its own, with
   * no SPM space prefix added, so " toys" (delimiter included) is "▁toys" and
   * "富士山" stays unprefixed.
   */
  continuationTokens(text: string): Token[] {
    return this.model.tokenize(text, false, "trimLeadingSpace");
  }

  /** A text to score for perplexity, after BOS when the model uses one (the first token is never scored). */
  textTokens(text: string): { tokens: Token[]; scoredText: string } {
    const body = this.model.tokenize(text, false);
    const bos = this.model.tokens.shouldPrependBosToken ? this.model.tokens.bos : null;
    if (bos !== null) return { tokens: [bos, ...body], scoredText: text };
    return { tokens: body, scoredText: this.model.detokenize(body.slice(1), false) };
  }

  /** Runs every job over `parallel` sequences of one context, in completion order. */
  async generate(jobs: GenerationJob[], options: GenerateOptions): Promise<{ contextSize: number }> {
    if (jobs.length === 0) return { contextSize: 0 };
    const contextSize = contextSizeFor(Math.max(0, ...jobs.map((job) => job.tokens.length + job.maxTokens)), this.trainContextSize);
    const context = await this.replaceContext(Math.min(options.parallel, jobs.length), contextSize);
    await runOnSequences(context, jobs, options.signal, async (sequence, job) => {
      const grammar = job.jsonSchema ? await (this.grammars ??= new JsonSchemaGrammars(this.llama)).for(job.jsonSchema) : undefined;
      const { result, reusedPromptTokens } = await generateOnSequence(this.model, sequence, job, contextSize, options.signal, grammar);
      this.reusedPromptTokens += reusedPromptTokens;
      if (result.stop_reason === "aborted") return false;
      options.onResult(result);
      return true;
    });
    return { contextSize };
  }

  /** Scores likelihood jobs (multiple-choice continuations, perplexity texts) over parallel sequences. */
  async scoreLikelihood(jobs: LikelihoodJob[], options: LikelihoodOptions): Promise<{ contextSize: number }> {
    if (jobs.length === 0) return { contextSize: 0 };
    const contextSize = contextSizeFor(likelihoodContextNeed(jobs, options.window), this.trainContextSize);
    const context = await this.replaceContext(Math.min(options.parallel, jobs.length), contextSize);
    await runOnSequences(context, jobs, options.signal, async (sequence, job) => {
      options.onResult(await scoreOnSequence(sequence, job, contextSize, options.window));
      return true;
    });
    return { contextSize };
  }

  /** True from the first dispose() on. */
  get disposed(): boolean {
    return this.disposal !== null;
  }

  /** Releases the context, the model and the binding; later calls wait for the first one. */
  async dispose(): Promise<void> {
    this.disposal ??= this.release();
    await this.disposal;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** One context at a time: the previous one is released before the next is fitted. */
  private async replaceContext(requestedSequences: number, contextSize: number): Promise<LlamaContext> {
    await this.context?.dispose();
    this.context = null;
    this.context = await fitContext(this.loaded, Math.max(1, requestedSequences), contextSize);
    return this.context;
  }

  private async release(): Promise<void> {
    await this.context?.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}
