/**
 * Log-likelihoods from one context sequence, for multiple-choice and
 * perplexity probes: the shared prefix (the question) is evaluated once and
 * each continuation is scored from it, the way lm-evaluation-harness scores
 * loglikelihood requests — but in-process and over parallel sequences.
 */
import type { ControlledEvaluateIndexOutput, ControlledEvaluateInputItem, LlamaContextSequence, Token } from "node-llama-cpp";

export type LikelihoodJob =
  | { kind: "choice"; key: string; context: Token[]; continuations: Token[][] }
  | { kind: "perplexity"; key: string; tokens: Token[] };

export interface LikelihoodResult {
  key: string;
  kind: "choice" | "perplexity";
  /** choice: per-token log-probabilities of each continuation. */
  choices?: number[][];
  /** perplexity: log-probability of every token after the first. */
  logprobs?: number[];
  windows: number;
  time_ms: number;
  error?: string;
}

export interface LikelihoodOptions {
  parallel: number;
  /** Longest window (tokens) a perplexity text is read in; longer texts slide by half a window. */
  window: number;
  onResult(result: LikelihoodResult): void;
  signal?: AbortSignal;
}

/** Languages written without spaces between words: a choice follows their prompt directly. */
const UNSPACED_LANGUAGES = new Set(["ja", "zh", "cmn", "yue", "wuu", "th", "lo", "km", "my", "bo"]);

/**
 * What joins a choice to its prompt, as lm-evaluation-harness's
 * `target_delimiter`: the probe's own setting, else a space in space-delimited
 * languages and nothing in ja/zh. Nothing either after a prompt that already
 * ends in whitespace, such as a chat template's opened model turn. SPM
 * vocabularies mark a word start with "▁": "toys" glued to "her" is another,
 * unlikely token sequence than " toys".
 */
export function targetDelimiter(setting: string | null, language: string, renderedPrompt: string): string {
  if (setting !== null) return setting;
  if (/\s$/u.test(renderedPrompt)) return "";
  return UNSPACED_LANGUAGES.has(language.split("-")[0]!.toLowerCase()) ? "" : " ";
}

/**
 * Every position whose next token is scored returns the full logits, and the
 * log-softmax is computed here in float64: llama.cpp's own normalizer
 * (totalLogitWeight) is summed in float32 and is off by ~2e-6 per token, which
 * adds up over a long text.
 */
const FULL_LOGITS = { generateNext: { logits: true } } as const;

/** log p(token) = logit − max − ln Σ exp(logit − max), in float64. */
export function logProbability(output: ControlledEvaluateIndexOutput | undefined, token: Token): number {
  const logits = output?.next.logits;
  const logit = logits?.get(token);
  if (!logits || logit === undefined) throw new Error(`no logit returned for token ${token}`);
  let max = -Infinity;
  for (const value of logits.values()) if (value > max) max = value;
  let sum = 0;
  for (const value of logits.values()) sum += Math.exp(value - max);
  return logit - max - Math.log(sum);
}

/**
 * Evaluates `items` and returns log p(next token) for each input index in
 * `nextTokens`. Each position's full-vocabulary row (a Map of every token:
 * 262,144 entries on Gemma 3) is reduced to its log-probability as it arrives
 * and then dropped, so memory stays flat in the text length instead of holding
 * a row per scored token until the whole evaluation returns.
 */
async function evaluateLogProbabilities(sequence: LlamaContextSequence, items: ControlledEvaluateInputItem[], nextTokens: Map<number, Token>): Promise<Map<number, number>> {
  const logprobs = new Map<number, number>();
  let failure: Error | null = null;
  await sequence.controlledEvaluate(items, {
    onTokenResult(index, result) {
      const token = nextTokens.get(index);
      if (token === undefined) return;
      try {
        logprobs.set(index, logProbability(result, token));
      } catch (error) {
        failure ??= error as Error;
      }
      delete (result.next as { logits?: unknown }).logits;
    },
  });
  if (failure) throw failure;
  for (const index of nextTokens.keys()) if (!logprobs.has(index)) throw new Error(`no logits returned at position ${index}`);
  return logprobs;
}

/**
 * Per-token log-probabilities of each continuation given `context`. The
 * context is evaluated once; each continuation is evaluated from its end and
 * then erased, so the next one starts from the same state.
 */
export async function scoreContinuations(sequence: LlamaContextSequence, context: Token[], continuations: Token[][]): Promise<number[][]> {
  if (context.length === 0) throw new Error("a continuation needs at least one context token (BOS)");
  await sequence.clearHistory();
  const input: ControlledEvaluateInputItem[] = context.map((token) => token);
  input[input.length - 1] = [context.at(-1)!, FULL_LOGITS];
  const contextOutput = (await sequence.controlledEvaluate(input)).at(-1);

  const scored: number[][] = [];
  for (const continuation of continuations) {
    const logprobs = [logProbability(contextOutput, continuation[0]!)];
    if (continuation.length > 1) {
      const items: ControlledEvaluateInputItem[] = continuation.slice(0, -1).map((token) => [token, FULL_LOGITS]);
      const next = await evaluateLogProbabilities(sequence, items, new Map(continuation.slice(1).map((token, i) => [i, token])));
      for (let i = 1; i < continuation.length; i++) logprobs.push(next.get(i - 1)!);
      await sequence.eraseContextTokenRanges([{ start: context.length, end: sequence.nextTokenIndex }]);
    }
    scored.push(logprobs);
  }
  return scored;
}

/**
 * Log-probabilities of tokens[1..] given everything before them, with a
 * sliding window when the text is longer than `window`: each window re-reads
 * up to `window - stride` earlier tokens as context and scores only new ones.
 */
export async function scoreText(sequence: LlamaContextSequence, tokens: Token[], window: number, stride: number): Promise<{ logprobs: number[]; windows: number }> {
  const logprobs: number[] = [];
  let scoredUpTo = 1; // tokens[0] (BOS, or the first token) is never scored
  let windows = 0;
  while (scoredUpTo < tokens.length) {
    const end = Math.min(tokens.length, scoredUpTo + (windows === 0 ? window - 1 : stride));
    const start = Math.max(0, end - window);
    await sequence.clearHistory();
    const slice = tokens.slice(start, end);
    const scored = new Map<number, Token>();
    const items: ControlledEvaluateInputItem[] = slice.map((token, i) => {
      const position = start + i;
      const next = tokens[position + 1];
      if (position + 1 >= scoredUpTo && position + 1 < end && next !== undefined) {
        scored.set(i, next);
        return [token, FULL_LOGITS];
      }
      return token;
    });
    const next = await evaluateLogProbabilities(sequence, items, scored);
    for (let position = Math.max(start, scoredUpTo - 1); position < end - 1; position++) logprobs.push(next.get(position - start)!);
    scoredUpTo = end;
    windows++;
  }
  return { logprobs, windows };
}

/** The most tokens one job reads at once: a question with its longest choice, or a text up to one window. */
export function likelihoodContextNeed(jobs: LikelihoodJob[], window: number): number {
  const longest = Math.max(0, ...jobs.map((job) => (job.kind === "choice" ? choiceLength(job) : job.tokens.length)));
  return Math.min(longest, window);
}

function choiceLength(job: Extract<LikelihoodJob, { kind: "choice" }>): number {
  return job.context.length + Math.max(...job.continuations.map((continuation) => continuation.length));
}

/** Scores one job on one sequence of a `contextSize` context; a failure is the job's result, not the run's. */
export async function scoreOnSequence(sequence: LlamaContextSequence, job: LikelihoodJob, contextSize: number, window: number): Promise<LikelihoodResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    if (job.kind === "choice") {
      if (choiceLength(job) > contextSize) throw new Error("question and choice exceed the context");
      const choices = await scoreContinuations(sequence, job.context, job.continuations);
      return { key: job.key, kind: "choice", choices, windows: 1, time_ms: elapsed() };
    }
    const textWindow = Math.min(contextSize, window);
    const { logprobs, windows } = await scoreText(sequence, job.tokens, textWindow, Math.max(1, Math.floor(textWindow / 2)));
    return { key: job.key, kind: "perplexity", logprobs, windows, time_ms: elapsed() };
  } catch (error) {
    return { key: job.key, kind: job.kind, error: (error as Error).message, windows: 0, time_ms: elapsed() };
  }
}
