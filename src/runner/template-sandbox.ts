/**
 * Chat templates are untrusted code. A GGUF's `tokenizer.chat_template` (or a
 * downloaded `.jinja` file) is a Jinja program: nested `range(100000)` loops
 * never finish, `range(1e11)` exhausts the heap, and either would take the
 * whole process with it, SIGINT handlers included. So templates are built and
 * rendered in a worker thread with a memory limit, and every call has a time
 * limit. The renderer is node-llama-cpp's own JinjaTemplateChatWrapper, so the
 * prompt is exactly what node-llama-cpp would have rendered.
 *
 * Calls are synchronous (the caller blocks in Atomics.wait for the worker's
 * answer), so a template renders like any other: the time limit bounds how long
 * a signal waits to be handled.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { LlamaText, type ChatHistoryItem } from "node-llama-cpp";

/** Per call (building the template, each render). Real chat templates take milliseconds. */
export const TEMPLATE_TIME_LIMIT_MS = 3000;
/** The worker's heap. */
export const TEMPLATE_MEMORY_LIMIT_MB = 256;
/** Longest rendered prompt accepted, in UTF-16 units: far beyond any context window. */
export const MAX_RENDERED_LENGTH = 4 << 20;
/** Loading the renderer module into the worker (not template code). */
const LOAD_TIME_LIMIT_MS = 60_000;

/** The template failed, ran out of time or memory, or rendered too much. The message says which. */
export class TemplateSandboxError extends Error {
  override readonly name = "TemplateSandboxError";
}

export interface RenderedChat {
  contextText: LlamaText;
  stopGenerationTriggers: LlamaText[];
}

type Reply = { ok: true } | { error: string } | { contextText: unknown; stopGenerationTriggers: unknown[] };

/**
 * Runs in the worker. The module is imported by file URL: only the wrapper's
 * own module graph, a tenth of node-llama-cpp's load time (the version is pinned).
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { port, signal, rendererUrl, maxLength } = workerData;
const firstLine = (error) => String(error && error.message !== undefined ? error.message : error).split("\\n")[0];
const reply = (message) => {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
};
import(rendererUrl).then(
  ({ JinjaTemplateChatWrapper }) => {
    let wrapper = null;
    port.on("message", (request) => {
      try {
        if (request.template !== undefined) {
          wrapper = new JinjaTemplateChatWrapper({ template: request.template, trimLeadingWhitespaceInResponses: false });
          reply({ ok: true });
          return;
        }
        const { contextText, stopGenerationTriggers } = wrapper.generateContextState({ chatHistory: request.chatHistory });
        const json = contextText.toJSON();
        const length = JSON.stringify(json).length;
        if (length > maxLength) throw new Error("rendered " + length + " characters, more than the limit of " + maxLength);
        reply({ contextText: json, stopGenerationTriggers: stopGenerationTriggers.map((trigger) => trigger.toJSON()) });
      } catch (error) {
        reply({ error: firstLine(error) });
      }
    });
    reply({ ok: true });
  },
  (error) => reply({ error: "cannot load node-llama-cpp's Jinja renderer: " + firstLine(error) }),
);
`;

function rendererUrl(): string {
  const entry = createRequire(import.meta.url).resolve("node-llama-cpp");
  return pathToFileURL(entry.replace(/index\.js$/, "chatWrappers/generic/JinjaTemplateChatWrapper.js")).href;
}

export class JinjaSandbox {
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private closed = false;

  /** Builds the template in a fresh worker; throws TemplateSandboxError when it cannot be used. */
  constructor(template: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, signal: this.signal, rendererUrl: rendererUrl(), maxLength: MAX_RENDERED_LENGTH },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: TEMPLATE_MEMORY_LIMIT_MB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    // Never keeps the process alive, and a dying worker (out of memory) is not an unhandled error.
    this.worker.unref();
    this.worker.on("error", () => undefined);
    this.call(undefined, LOAD_TIME_LIMIT_MS);
    this.call({ template }, TEMPLATE_TIME_LIMIT_MS);
  }

  render(chatHistory: ChatHistoryItem[]): RenderedChat {
    const reply = this.call({ chatHistory }, TEMPLATE_TIME_LIMIT_MS);
    if (!("contextText" in reply)) throw new TemplateSandboxError("the renderer gave no text");
    return {
      contextText: LlamaText.fromJSON(reply.contextText as Parameters<typeof LlamaText.fromJSON>[0]),
      stopGenerationTriggers: reply.stopGenerationTriggers.map((trigger) => LlamaText.fromJSON(trigger as Parameters<typeof LlamaText.fromJSON>[0])),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }

  private call(request: object | undefined, limitMs: number): Reply {
    if (this.closed) throw new TemplateSandboxError("the template was stopped after an earlier failure");
    if (request !== undefined) this.port.postMessage(request);
    // The worker posts its answer, then sets the flag. One that dies of its memory limit never answers: the time limit ends both.
    Atomics.wait(this.signal, 0, 0, limitMs);
    const received = receiveMessageOnPort(this.port)?.message as Reply | undefined;
    Atomics.store(this.signal, 0, 0);
    if (received === undefined) {
      this.close();
      throw new TemplateSandboxError(`did not finish within ${limitMs} ms: it loops, or ran out of its ${TEMPLATE_MEMORY_LIMIT_MB} MB of memory`);
    }
    if ("error" in received) {
      this.close();
      throw new TemplateSandboxError(received.error);
    }
    return received;
  }
}
