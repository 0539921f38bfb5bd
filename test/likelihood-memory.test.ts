/**
 * Likelihood scoring keeps no full-vocabulary row per scored token: each
 * position's logits are reduced to one log-probability as they arrive. On a
 * 262k-token vocabulary a row is a Map of 262,144 entries; kept for every
 * token of a window, memory grew with the text (about 15 MB a token on Gemma 3
 * 270M). The real sequence's evaluations are observed, not replaced.
 */
import { describe, expect, it } from "vitest";
import type { ControlledEvaluateIndexOutput, LlamaContextSequence } from "node-llama-cpp";
import { scoreContinuations, scoreText } from "../src/runner/likelihood.js";
import { useFixtureContext } from "./fixture-context.js";

const fixture = useFixtureContext({ sequences: 1, contextSize: 512 });

/** Every output array the sequence's controlledEvaluate returns, kept for inspection after scoring. */
function observe(sequence: LlamaContextSequence): Array<Array<ControlledEvaluateIndexOutput | undefined>> {
  const returned: Array<Array<ControlledEvaluateIndexOutput | undefined>> = [];
  const evaluate = sequence.controlledEvaluate.bind(sequence);
  sequence.controlledEvaluate = (async (...args: Parameters<typeof evaluate>) => {
    const outputs = await evaluate(...args);
    returned.push(outputs);
    return outputs;
  }) as typeof sequence.controlledEvaluate;
  return returned;
}

const rowsKept = (returned: Array<Array<ControlledEvaluateIndexOutput | undefined>>) =>
  returned.flat().filter((output) => output?.next.logits !== undefined).length;

describe("likelihood memory", () => {
  it("keeps no logits row per scored token of a perplexity text", async () => {
    const text = [fixture.model.tokens.bos!, ...fixture.model.tokenize("富士山は日本で一番高い山です。The capital of Japan is Tokyo. 北京是中国的首都。".repeat(6))];
    const sequence = fixture.context.getSequence();
    const returned = observe(sequence);
    const { logprobs } = await scoreText(sequence, text, 512, 256);
    sequence.dispose();
    expect(logprobs).toHaveLength(text.length - 1);
    expect(logprobs.every((value) => Number.isFinite(value) && value < 0)).toBe(true);
    expect(returned.flat().length).toBeGreaterThanOrEqual(text.length - 1);
    expect(rowsKept(returned)).toBe(0);
  });

  it("keeps at most the question's row while scoring choices", async () => {
    const sequence = fixture.context.getSequence();
    const returned = observe(sequence);
    const continuations = ["富士山", "東京タワー", "The tallest mountain"].map((choice) => fixture.model.tokenize(choice, false, "trimLeadingSpace"));
    const scored = await scoreContinuations(sequence, [fixture.model.tokens.bos!, ...fixture.model.tokenize("日本で一番高い山は")], continuations);
    sequence.dispose();
    expect(scored.map((each) => each.length)).toEqual(continuations.map((each) => each.length));
    // The question's last position is one row, shared by every choice's first token.
    expect(rowsKept(returned)).toBe(1);
  });
});
