/**
 * Prompt templates: how a probe's prompt (and optional system prompt) becomes
 * the tokens the model sees. Template text is tokenized with special tokens
 * recognised; the probe's own text never is (a prompt containing "<|im_end|>"
 * stays plain text). Nothing is injected that the probe did not ask for. Jinja
 * templates are untrusted code and run only in a sandbox.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { LlamaText, SpecialToken, SpecialTokensText, type ChatHistoryItem, type LlamaModel, type Token } from "node-llama-cpp";
import { InputError } from "../errors.js";
import { boundedText } from "../util/untrusted-text.js";
import { JinjaSandbox, TemplateSandboxError } from "./template-sandbox.js";

/** Longest template text a manifest records whole; real chat templates are a few KiB. */
export const MAX_RECORDED_TEMPLATE = 64 * 1024;

export interface RenderedPrompt {
  tokens: Token[];
  /** Token sequences that end the model's turn (from the chat template), besides EOG tokens. */
  endOfTurn: Token[][];
}

export interface PromptTemplate {
  /** What the manifest records: `auto (gguf chat_template)`, `raw`, `phi2`, a file path… */
  name: string;
  /** The template source (Jinja or text) as the manifest records it (cut past 64 KiB, size and sha256 kept); null for raw. */
  source: string | null;
  render(prompt: string, system: string | null): RenderedPrompt;
}

/**
 * Named text templates for models whose GGUF has no chat template.
 * `{prompt}` and `{system}` are filled in; `{?system}…{/system}` is kept only when
 * the probe has a system prompt. `trim`: the messages are trimmed first, as the
 * model's own template and llama.cpp's built-in one do (Gemma, Llama 3).
 */
export const NAMED_TEMPLATES: Record<string, { bos: boolean; text: string; description: string; trim?: boolean }> = {
  phi2: { bos: false, text: "{?system}{system}\n{/system}Instruct: {prompt}\nOutput:", description: "Phi-2 QA form: `Instruct: …\\nOutput:`" },
  alpaca: {
    bos: true,
    text: "{?system}{system}\n\n{/system}### Instruction:\n{prompt}\n\n### Response:\n",
    description: "Alpaca instruction form (### Instruction / ### Response)",
  },
  chatml: {
    bos: false,
    text: "{?system}<|im_start|>system\n{system}<|im_end|>\n{/system}<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n",
    description: "ChatML (<|im_start|>role … <|im_end|>), as Qwen uses",
  },
  phi3: {
    bos: true,
    text: "{?system}<|system|>\n{system}<|end|>\n{/system}<|user|>\n{prompt}<|end|>\n<|assistant|>\n",
    description: "Phi-3 (<|user|> … <|end|> <|assistant|>)",
  },
  llama3: {
    bos: true,
    text: "{?system}<|start_header_id|>system<|end_header_id|>\n\n{system}<|eot_id|>{/system}<|start_header_id|>user<|end_header_id|>\n\n{prompt}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
    description: "Llama 3 header form",
    trim: true,
  },
  gemma: {
    bos: true,
    text: "<start_of_turn>user\n{?system}{system}\n\n{/system}{prompt}<end_of_turn>\n<start_of_turn>model\n",
    description: "Gemma turns (system prompt folded into the user turn)",
    trim: true,
  },
};

/** Turn-ending markers of the named templates, stopped on even when the model does not mark them EOG. */
const NAMED_END_OF_TURN: Record<string, string[]> = {
  chatml: ["<|im_end|>"],
  phi3: ["<|end|>"],
  llama3: ["<|eot_id|>"],
  gemma: ["<end_of_turn>"],
};

export interface TemplateContext {
  model: LlamaModel;
  /** The GGUF's tokenizer.chat_template, if any. */
  chatTemplate: string | null;
  /** Folder that relative template file paths are resolved against (the suite's). */
  baseDir: string;
  /** A template file's text already read by the caller (the judge's, read once where it is hashed); else the file is read here. */
  fileText?: string;
}

export function resolveTemplate(spec: string, context: TemplateContext): PromptTemplate {
  const { model } = context;
  if (spec === "auto") {
    if (!context.chatTemplate) {
      throw new InputError(
        `the model has no chat template (tokenizer.chat_template); choose one with --template raw|${Object.keys(NAMED_TEMPLATES).join("|")}|FILE`,
        { field: "template" },
      );
    }
    return jinjaTemplate("auto (gguf tokenizer.chat_template)", context.chatTemplate, model, {
      file: model.filename ?? "the model file",
      field: "tokenizer.chat_template",
    });
  }
  if (spec === "raw") {
    return {
      name: "raw",
      source: null,
      render(prompt) {
        const bos = model.tokens.shouldPrependBosToken && model.tokens.bosString ? model.tokens.bosString : "";
        return { tokens: tokenizeRendered(model, bos + prompt, [prompt], () => LlamaText([new SpecialToken("BOS"), prompt])), endOfTurn: [] };
      },
    };
  }
  const named = NAMED_TEMPLATES[spec];
  if (named) return textTemplate(spec, named.text, named.bos, NAMED_END_OF_TURN[spec] ?? [], model, named.trim ?? false);

  const file = path.resolve(context.baseDir, spec);
  let source: string;
  try {
    source = context.fileText ?? readFileSync(file, "utf8");
  } catch {
    throw new InputError(
      `unknown template "${spec}": not auto, raw, one of ${Object.keys(NAMED_TEMPLATES).join(", ")}, nor a readable file`,
      { field: "template" },
    );
  }
  if (/\.j2$|\.jinja2?$/i.test(file)) return jinjaTemplate(file, source, model, { file, field: "template" });
  if (!source.includes("{prompt}")) throw new InputError("a text template must contain {prompt}", { file, field: "template" });
  return textTemplate(file, source, model.tokens.shouldPrependBosToken, [], model);
}

/**
 * A Jinja chat template, built and rendered in a sandbox (a worker with a time
 * and memory limit, see template-sandbox.ts) on first use. Its failures name
 * the template — the model's own or the file — not the probe that used it.
 */
function jinjaTemplate(name: string, template: string, model: LlamaModel, origin: { file: string; field: string }): PromptTemplate {
  let sandbox: JinjaSandbox | null = null;
  const render = (chatHistory: ChatHistoryItem[]) => {
    try {
      sandbox ??= new JinjaSandbox(template);
      return sandbox.render(chatHistory);
    } catch (error) {
      if (error instanceof TemplateSandboxError) throw new InputError(`cannot use chat template: ${error.message}`, origin);
      throw error;
    }
  };
  return {
    name,
    source: boundedText(template, MAX_RECORDED_TEMPLATE),
    render(prompt, system) {
      const { contextText, stopGenerationTriggers } = render([
        ...(system !== null ? [{ type: "system" as const, text: system }] : []),
        { type: "user" as const, text: prompt },
        { type: "model" as const, response: [] },
      ]);
      const texts = [prompt, ...(system !== null ? [system] : [])];
      return {
        tokens: tokenizeRendered(model, llamaTextToString(contextText, model), texts, () => contextText),
        endOfTurn: stopGenerationTriggers.map((trigger) => trigger.tokenize(model.tokenizer, "trimLeadingSpace")).filter((tokens) => tokens.length > 0),
      };
    },
  };
}

function textTemplate(name: string, text: string, withBos: boolean, endOfTurn: string[], model: LlamaModel, trim = false): PromptTemplate {
  const endTokens = endOfTurn
    .map((marker) => new SpecialTokensText(marker).tokenize(model.tokenizer, true))
    .filter((tokens) => tokens.length === 1);
  return {
    name,
    source: boundedText(text, MAX_RECORDED_TEMPLATE),
    render(untrimmedPrompt, untrimmedSystem) {
      const prompt = trim ? untrimmedPrompt.trim() : untrimmedPrompt;
      const system = trim && untrimmedSystem !== null ? untrimmedSystem.trim() || null : untrimmedSystem;
      const bos = withBos && model.tokens.shouldPrependBosToken && model.tokens.bosString ? model.tokens.bosString : "";
      const body = text.replace(/\{\?system\}([\s\S]*?)\{\/system\}/g, (_, section: string) => (system === null ? "" : section));
      const parts = body.split(/(\{prompt\}|\{system\})/);
      const rendered = bos + parts.map((part) => (part === "{prompt}" ? prompt : part === "{system}" ? (system ?? "") : part)).join("");
      const segmented = () =>
        LlamaText([
          ...(bos ? [new SpecialToken("BOS")] : []),
          ...parts.filter((part) => part !== "").map((part) => (part === "{prompt}" ? prompt : part === "{system}" ? (system ?? "") : new SpecialTokensText(part))),
        ]);
      return { tokens: tokenizeRendered(model, rendered, [prompt, ...(system !== null ? [system] : [])], segmented), endOfTurn: endTokens };
    },
  };
}

/**
 * Tokenizes a rendered prompt the way llama.cpp does with its own templates:
 * the whole string at once, special-token text parsed. If the probe's own text
 * contains special-token text (e.g. "<|im_end|>"), that would let it forge
 * turns, so then the text is tokenized in segments with the probe's parts kept plain.
 */
function tokenizeRendered(model: LlamaModel, rendered: string, userTexts: string[], segmented: () => LlamaText): Token[] {
  const forgesSpecialTokens = userTexts.some((text) => {
    const parsed = model.tokenize(text, true);
    const plain = model.tokenize(text, false);
    return parsed.length !== plain.length || parsed.some((token, index) => token !== plain[index]);
  });
  return forgesSpecialTokens ? segmented().tokenize(model.tokenizer) : model.tokenize(rendered, true);
}

function llamaTextToString(text: LlamaText, model: LlamaModel): string {
  const special: Record<string, string | null> = {
    BOS: model.tokens.bosString,
    EOS: model.tokens.eosString,
    EOT: model.tokens.eotString,
    SEP: model.tokens.sepString,
    NL: model.tokens.nlString,
  };
  return text.values
    .map((value) => (typeof value === "string" ? value : value instanceof SpecialTokensText ? value.value : (special[value.value] ?? "")))
    .join("");
}
