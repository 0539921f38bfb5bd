/** How a failure from node-llama-cpp or llama.cpp is read: its first line for the manifest, and whether it ran out of memory. */
import { InsufficientMemoryError } from "node-llama-cpp";

/** The first line of an error's message: llama.cpp's messages go on with details the manifest does not need. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!;
}

/**
 * Whether loading a model or creating a context ran out of memory: node-llama-cpp's
 * InsufficientMemoryError when its estimate says so beforehand, otherwise llama.cpp's
 * allocator failing in its own words ("failed to allocate", "out of memory"), read from
 * `message` (what llama.cpp logged, when the thrown error says less).
 */
export function isOutOfMemory(error: unknown, message = error instanceof Error ? error.message : String(error)): boolean {
  return error instanceof InsufficientMemoryError || /memory|alloc|oom/i.test(message);
}
