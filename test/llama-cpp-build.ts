/**
 * Builds small programs against the llama.cpp that node-llama-cpp runs: the
 * headers come from the source bundle it ships (llama/gitRelease.bundle), the
 * libraries are its own prebuilt ones, so both sides are the same version.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { packagePath } from "../src/util/paths.js";

/** The prebuilt binaries' folder; ggml finds its CPU backend modules in the working directory, so run tools here. */
export const LLAMA_BIN_DIR = packagePath("node_modules", "@node-llama-cpp", "linux-x64", "bins", "linux-x64");

/** Clones the bundled llama.cpp source into `dir` (once) and returns its path. */
export function llamaCppSource(dir: string): string {
  const source = path.join(dir, "llama.cpp");
  if (!existsSync(source)) {
    execFileSync("git", ["clone", "--quiet", packagePath("node_modules", "node-llama-cpp", "llama", "gitRelease.bundle"), source], { stdio: "pipe" });
  }
  return source;
}

/** Compiles one C++ file against the bundled headers and the prebuilt libllama; returns the executable. */
export function buildLlamaCppTool(dir: string, sourceFile: string, name: string, extraFlags: string[] = []): string {
  const source = llamaCppSource(dir);
  const libs = readdirSync(LLAMA_BIN_DIR).filter((file) => /^lib(llama|ggml|ggml-base)(\.v[\d.]+)?\.so$/.test(file)).map((file) => path.join(LLAMA_BIN_DIR, file));
  const executable = path.join(dir, name);
  execFileSync("g++", [
    "-std=c++17", "-O1",
    "-I", path.join(source, "include"), "-I", path.join(source, "ggml", "include"),
    ...extraFlags,
    sourceFile,
    "-o", executable, ...libs, `-Wl,-rpath,${LLAMA_BIN_DIR}`,
  ]);
  return executable;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * llama.cpp's rendering of each conversation with test/reference/chat-template.cpp (built
 * with buildLlamaCppTool): llama_chat_apply_template with a built-in template, tokenized
 * with BOS and special tokens, detokenized with special tokens shown.
 */
export function llamaCppChatRender(tool: string, model: string, template: string, conversations: ChatMessage[][]): Array<{ tokens: number; text: string }> {
  const input = conversations
    .map((messages) => `${messages.length}\n` + messages.map(({ role, content }) => `${role}\n${Buffer.byteLength(content)}\n${content}`).join(""))
    .join("");
  const output = execFileSync(tool, [model, template], { cwd: LLAMA_BIN_DIR, input, maxBuffer: 64 * 1024 * 1024 });
  const rendered: Array<{ tokens: number; text: string }> = [];
  for (let offset = 0; offset < output.length; ) {
    const newline = output.indexOf(0x0a, offset);
    const [tokens, bytes] = output.subarray(offset, newline).toString().split(" ").map(Number) as [number, number];
    rendered.push({ tokens, text: output.subarray(newline + 1, newline + 1 + bytes).toString("utf8") });
    offset = newline + 1 + bytes;
  }
  return rendered;
}
