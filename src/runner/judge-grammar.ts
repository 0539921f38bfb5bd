/**
 * JSON-schema grammars for constrained replies (the judge's verdicts): a
 * reply generated under one can only be JSON of that shape, so it parses
 * unless the token budget cuts it. One grammar per schema per binding.
 */
import { LlamaGrammarEvaluationState, type Llama, type LlamaGrammar, type LlamaModel } from "node-llama-cpp";
import { stableStringify } from "../util/json.js";

export class JsonSchemaGrammars {
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly llama: Llama) {}

  /** The grammar of a schema (node-llama-cpp's GBNF JSON-schema subset: object, enum, string with maxLength…). */
  for(schema: Readonly<Record<string, unknown>>): Promise<LlamaGrammar> {
    const key = stableStringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = this.llama.createGrammarForJsonSchema(schema as Parameters<Llama["createGrammarForJsonSchema"]>[0]);
      this.grammars.set(key, grammar);
    }
    return grammar;
  }
}

/** A fresh evaluation state: one per generation, as node-llama-cpp requires. */
export function grammarState(model: LlamaModel, grammar: LlamaGrammar): LlamaGrammarEvaluationState {
  return new LlamaGrammarEvaluationState({ model, grammar });
}
