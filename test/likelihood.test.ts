/**
 * Likelihood scoring agrees with the straightforward computation: a fresh
 * sequence per choice, every position's full logits, log-softmax in float64.
 */
import { describe, expect, it } from "vitest";
import type { Token } from "node-llama-cpp";
import { scoreContinuations, scoreText } from "../src/runner/likelihood.js";
import { useFixtureContext } from "./fixture-context.js";

const fixture = useFixtureContext({ sequences: 2, contextSize: 256 });

/** Sum over positions of log softmax(full logits)[next token], in float64, on a fresh sequence. */
async function straightforward(tokens: Token[], from: number): Promise<number[]> {
  const sequence = fixture.context.getSequence();
  try {
    const outputs = await sequence.controlledEvaluate(tokens.map((token, i) => (i >= from - 1 && i < tokens.length - 1 ? [token, { generateNext: { logits: true } }] : token)));
    const logprobs: number[] = [];
    for (let i = from; i < tokens.length; i++) {
      const logits = outputs[i - 1]!.next.logits!;
      let max = -Infinity;
      for (const value of logits.values()) max = Math.max(max, value);
      let sum = 0;
      for (const value of logits.values()) sum += Math.exp(value - max);
      logprobs.push(logits.get(tokens[i]!)! - max - Math.log(sum));
    }
    return logprobs;
  } finally {
    sequence.dispose();
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("likelihood scoring", () => {
  it("scores each choice from one evaluation of the question, matching fresh sequences to 1e-6", async () => {
    const question = [fixture.model.tokens.bos!, ...fixture.model.tokenize("問題: 日本で一番高い山は？ 答え:")];
    const choices = ["富士山", "エベレスト", "北京", "東京タワー", "the Japan"].map((text) => fixture.model.tokenize(text, false, "trimLeadingSpace"));
    const sequence = fixture.context.getSequence();
    const ours = await scoreContinuations(sequence, question, choices);
    sequence.dispose();
    for (const [i, choice] of choices.entries()) {
      const reference = await straightforward([...question, ...choice], question.length);
      expect(ours[i]).toHaveLength(choice.length);
      expect(Math.abs(sum(ours[i]!) - sum(reference))).toBeLessThan(1e-6);
    }
    expect(new Set(ours.map(sum)).size).toBe(choices.length);
  });

  it("scores long text in sliding windows, equal to one pass when the window covers it", async () => {
    const text = [fixture.model.tokens.bos!, ...fixture.model.tokenize("日本で一番高い山は富士山です。東京は日本の首都です。北京は中国の首都です。".repeat(3))];
    const sequence = fixture.context.getSequence();
    const whole = await scoreText(sequence, text, 256, 128);
    expect(whole.windows).toBe(1);
    expect(whole.logprobs).toHaveLength(text.length - 1);
    const reference = await straightforward(text, 1);
    expect(Math.abs(sum(whole.logprobs) - sum(reference))).toBeLessThan(1e-6);

    const windowed = await scoreText(sequence, text, 32, 16);
    sequence.dispose();
    expect(windowed.logprobs).toHaveLength(text.length - 1);
    expect(windowed.windows).toBe(1 + Math.ceil((text.length - 32) / 16));
    // Less context per token: a different (here, not better) total, every token still scored once.
    expect(sum(windowed.logprobs)).not.toBeCloseTo(sum(whole.logprobs), 6);
  });
});
