/**
 * The token loop: one generation job on one context sequence. Greedy by default,
 * repeat penalty explicitly off, a token budget on every generation, a shared
 * prompt prefix kept from the sequence's previous job.
 */
import type { LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from "node-llama-cpp";
import type { StopReason } from "../format/outputs.js";
import { grammarState } from "./judge-grammar.js";

export interface GenerationJob {
  key: string;
  tokens: Token[];
  /** Token sequences that end the turn besides EOG tokens (from the chat template). */
  endOfTurn: Token[][];
  maxTokens: number;
  stop: string[];
  temperature: number;
  seed: number;
  /** A JSON Schema the output is constrained to (a judge's verdict); absent: free text. */
  jsonSchema?: Readonly<Record<string, unknown>>;
}

export interface GenerationResult {
  key: string;
  output: string;
  stop_reason: StopReason;
  stop_string?: string;
  prompt_tokens: number;
  output_tokens: number;
  time_ms: number;
  first_token_ms: number | null;
  trimmed_replacement_char: boolean;
  error?: string;
}

export interface GenerateOptions {
  parallel: number;
  /** Called as each job finishes, in completion order. */
  onResult(result: GenerationResult): void;
  signal?: AbortSignal;
}

/**
 * Repeat penalty explicitly off: penalty 1 over no tokens. The sequence API has
 * no `false`, and leaving it unset defers to the binding's default; a penalty
 * would hide the very repetition the harness measures.
 */
const NO_REPEAT_PENALTY = { punishTokens: [] as Token[], penalty: 1, frequencyPenalty: 0, presencePenalty: 0 };

/** Shared prompt prefixes shorter than this are evaluated again rather than kept. */
const MIN_REUSED_PREFIX = 32;

/** What the token loop produced, before it is read as text. */
interface Decoded {
  tokens: Token[];
  stopReason: StopReason;
  stopString?: string;
  firstTokenMs: number | null;
}

/** Runs one job; `reusedPromptTokens` is how many of its prompt tokens the sequence kept from its previous job. */
export async function generateOnSequence(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  job: GenerationJob,
  contextSize: number,
  signal: AbortSignal | undefined,
  grammar?: LlamaGrammar,
): Promise<{ result: GenerationResult; reusedPromptTokens: number }> {
  const started = performance.now();
  const base = { key: job.key, prompt_tokens: job.tokens.length, trimmed_replacement_char: false };
  if (job.tokens.length >= contextSize) {
    const error = `prompt is ${job.tokens.length} tokens; the model's context holds ${contextSize}`;
    return { reusedPromptTokens: 0, result: { ...base, output: "", stop_reason: "error", output_tokens: 0, time_ms: 0, first_token_ms: null, error } };
  }
  const reused = await reusePrefix(sequence, job.tokens);
  const budget = Math.min(job.maxTokens, contextSize - job.tokens.length);
  const decoded = await decode(model, sequence, job, { reused, budget, signal, started, grammar });
  const { text, trimmed } = outputText(model, job, decoded);
  const result: GenerationResult = {
    ...base,
    output: text,
    stop_reason: decoded.stopReason,
    ...(decoded.stopString !== undefined ? { stop_string: decoded.stopString } : {}),
    output_tokens: decoded.tokens.length,
    time_ms: Math.round(performance.now() - started),
    first_token_ms: decoded.firstTokenMs === null ? null : Math.round(decoded.firstTokenMs),
    trimmed_replacement_char: trimmed,
  };
  return { result, reusedPromptTokens: reused };
}

/**
 * Keeps the part of the sequence's state that the new prompt shares with the
 * last one (a system prompt, few-shot examples) and erases the rest; returns
 * how many prompt tokens need no evaluation. Short shared prefixes (a chat
 * template's first tokens) are not worth it and are evaluated again, as is
 * at least the prompt's last token, whose logits start the generation.
 */
async function reusePrefix(sequence: LlamaContextSequence, tokens: Token[]): Promise<number> {
  const previous = sequence.contextTokens;
  let shared = 0;
  const limit = Math.min(previous.length, tokens.length - 1);
  while (shared < limit && previous[shared] === tokens[shared]) shared++;
  if (shared < MIN_REUSED_PREFIX) {
    await sequence.clearHistory();
    return 0;
  }
  if (shared < previous.length) await sequence.eraseContextTokenRanges([{ start: shared, end: previous.length }]);
  return shared;
}

/** Evaluates the prompt after its `reused` tokens and takes tokens until the turn ends, a stop string, the budget or the signal. */
async function decode(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  job: GenerationJob,
  run: { reused: number; budget: number; signal: AbortSignal | undefined; started: number; grammar?: LlamaGrammar },
): Promise<Decoded> {
  const maxStopBytes = Math.max(0, ...job.stop.map((stop) => Buffer.byteLength(stop)));
  const tokens: Token[] = [];
  let firstTokenMs: number | null = null;
  const grammarEvaluationState = run.grammar ? grammarState(model, run.grammar) : undefined;
  const iterator = sequence.evaluate(job.tokens.slice(run.reused), { temperature: job.temperature, seed: job.seed, repeatPenalty: NO_REPEAT_PENALTY, grammarEvaluationState });
  for await (const token of iterator) {
    firstTokenMs ??= performance.now() - run.started;
    if (run.signal?.aborted) return { tokens, stopReason: "aborted", firstTokenMs };
    tokens.push(token);
    const turnEnd = job.endOfTurn.find((marker) => endsWith(tokens, marker));
    if (turnEnd) {
      tokens.length -= turnEnd.length;
      return { tokens, stopReason: "eog", firstTokenMs };
    }
    const stopString = maxStopBytes > 0 ? completedStopString(model, tokens, job, maxStopBytes) : undefined;
    if (stopString !== undefined) return { tokens, stopReason: "stop_string", stopString, firstTokenMs };
    if (tokens.length >= run.budget) return { tokens, stopReason: "max_tokens", firstTokenMs };
  }
  return { tokens, stopReason: "eog", firstTokenMs };
}

/**
 * The stop string the output has just completed, if any. Each token is at least one byte, so it lies within
 * the last maxStopBytes tokens. Read as the recorded output reads, a continuation: at the start, " Q:" is the
 * first piece's own space.
 */
function completedStopString(model: LlamaModel, tokens: Token[], job: GenerationJob, maxStopBytes: number): string | undefined {
  const window = tokens.length - (maxStopBytes + 1);
  const tail = model.detokenize(tokens.slice(-(maxStopBytes + 1)), false, window > 0 ? tokens.slice(Math.max(0, window - 3), window) : job.tokens);
  return job.stop.find((stop) => tail.includes(stop));
}

/**
 * The output as text, cut before its stop string. A generation cut short (not at EOG) may end inside a
 * character: its replacement characters are trimmed, and the result says so.
 */
function outputText(model: LlamaModel, job: GenerationJob, decoded: Decoded): { text: string; trimmed: boolean } {
  // With the prompt's last tokens as context: an SPM model's first piece "▁he" is " he" after a prompt,
  // and detokenized alone it would lose that space.
  let text = model.detokenize(decoded.tokens, false, job.tokens);
  if (decoded.stopString !== undefined) text = text.slice(0, text.indexOf(decoded.stopString));
  if (decoded.stopReason !== "eog" && text.endsWith("\uFFFD")) return { text: text.replace(/\uFFFD+$/u, ""), trimmed: true };
  return { text, trimmed: false };
}

function endsWith(tokens: Token[], suffix: Token[]): boolean {
  if (suffix.length === 0 || suffix.length > tokens.length) return false;
  for (let i = 1; i <= suffix.length; i++) if (tokens[tokens.length - i] !== suffix[suffix.length - i]) return false;
  return true;
}
