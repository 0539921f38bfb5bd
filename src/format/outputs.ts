/**
 * One line of `outputs.jsonl`: what a model produced for one probe (and one
 * sample). Written by `run`, read by `score`; other tools may produce it too.
 * JSON Schema: schemas/outputs-line.schema.json.
 */
export const STOP_REASONS = ["eog", "max_tokens", "stop_string", "aborted", "error"] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export interface OutputLine {
  suite: string;
  id: string;
  /** The generated text (a trailing U+FFFD from a cut character removed). */
  output: string;
  /** Sample index when a probe is sampled several times; 0 otherwise. */
  sample?: number;
  stop_reason?: StopReason;
  /** The stop string that ended generation, when stop_reason is `stop_string`. */
  stop_string?: string;
  prompt_tokens?: number;
  output_tokens?: number;
  time_ms?: number;
  /** True when a trailing U+FFFD (a multibyte character cut by the token limit) was removed. */
  trimmed_replacement_char?: boolean;
  /** Hash of the probe definition that produced this output. */
  probe_hash?: string;
  /** The exact text sent to the model after the template was applied. */
  rendered_prompt?: string;
  /** True when the output came from the generation cache instead of the model. */
  cached?: boolean;
  /** Likelihood probes: the log-probabilities measured (no text is generated). */
  likelihood?: Likelihood;
  /** Error message when stop_reason is `error`. */
  error?: string;
}

/** Natural-log likelihoods measured for a choice or perplexity probe. */
export type Likelihood = ChoiceLikelihood | TextLikelihood;

export interface ChoiceLikelihood {
  kind: "choice";
  /** The text put between the prompt and each choice when they were scored (absent from older files). */
  target_delimiter?: string;
  /** One entry per choice, in the suite's order. */
  choices: Array<{ logprob: number; tokens: number; chars: number; bytes: number }>;
}

export interface TextLikelihood {
  kind: "perplexity";
  /** Sum of log p over the scored tokens (every token after the first, or after BOS). */
  logprob: number;
  tokens: number;
  chars: number;
  bytes: number;
  /** How many sliding windows the text was read in. */
  windows: number;
}
