/**
 * Everything we learn about a GGUF file without loading its weights: that it is
 * one (magic, parseable header, not truncated), its metadata and its sha256.
 * Bad files are InputErrors raised before any other work starts.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { createHash } from "node:crypto";
import { GgufFileType, GgufInsights, readGgufFileInfo, type GgufFileInfo, type Llama } from "node-llama-cpp";
import { InputError } from "../errors.js";
import { boundedText } from "../util/untrusted-text.js";
import type { ModelFile, ModelMetadata } from "../format/manifest.js";

const GGUF_MAGIC = Buffer.from("GGUF", "ascii");

/** Checks the file is a complete GGUF and reads its metadata (no weights loaded). */
export async function inspectModelFile(file: string): Promise<{ info: GgufFileInfo; metadata: ModelMetadata; sizeBytes: number }> {
  let sizeBytes: number;
  try {
    const stats = await stat(file);
    if (!stats.isFile()) throw new InputError("model path is not a file", { file });
    sizeBytes = stats.size;
    const handle = await open(file, "r");
    const magic = Buffer.alloc(4);
    try {
      await handle.read(magic, 0, 4, 0);
    } finally {
      await handle.close();
    }
    if (!magic.equals(GGUF_MAGIC)) throw new InputError("not a GGUF file (bad magic bytes)", { file });
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "model file not found" : `cannot read model file (${code ?? (error as Error).message})`, { file });
  }

  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(file, { readTensorInfo: true, logWarnings: false, sourceType: "filesystem" });
  } catch (error) {
    throw new InputError(`not a valid GGUF file: ${(error as Error).message.split("\n")[0]}`, { file });
  }
  // The reader reads past the end of a cut file as zeros and returns partial records, so the header's extent is checked here.
  const headerEnd = Number(info.infoEndOffset);
  if (!(headerEnd <= sizeBytes)) {
    throw new InputError(`truncated GGUF file: cut inside its header (${sizeBytes} bytes, the header alone needs ${headerEnd})`, { file });
  }
  if (typeof (info.metadata as { general?: { architecture?: unknown } }).general?.architecture !== "string") {
    throw new InputError("not a valid GGUF file: no general.architecture in its metadata", { file });
  }
  return { info, metadata: describeMetadata(info), sizeBytes };
}

/**
 * Rejects a file cut short: its tensors need more bytes than it has. Takes the
 * Llama the run already loaded, because GgufInsights without one loads a
 * second llama.cpp binding (half a second).
 */
export async function assertComplete(file: string, info: GgufFileInfo, sizeBytes: number, llama: Llama): Promise<void> {
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (tensors.length === 0) return;
  let modelSize: number;
  try {
    modelSize = (await GgufInsights.from(info, llama)).modelSize;
  } catch (error) {
    // A file cut inside its header parses into partial tensor records that GgufInsights cannot size.
    throw new InputError(`damaged or truncated GGUF header: ${(error as Error).message.split("\n")[0]}`, { file });
  }
  const dataStart = Math.min(...tensors.map((tensor) => Number(tensor.fileOffset)));
  const needed = dataStart + modelSize;
  if (!Number.isFinite(needed)) throw new InputError("damaged or truncated GGUF header: tensor offsets or sizes are not numbers", { file });
  if (sizeBytes < needed) throw new InputError(`truncated GGUF file: ${sizeBytes} bytes, tensors need ${needed}`, { file });
}

function describeMetadata(info: GgufFileInfo): ModelMetadata {
  const general = (info.metadata.general ?? {}) as Record<string, unknown>;
  const tokenizer = (info.metadata.tokenizer ?? {}) as Record<string, any>;
  const arch = info.architectureMetadata as Record<string, unknown>;
  const fileType = general.file_type as number | undefined;
  const tokens = tokenizer.ggml?.tokens as unknown[] | undefined;
  return {
    name: stringOrNull(general.name),
    architecture: stringOrNull(general.architecture),
    quantization: fileType === undefined ? null : (GgufFileType[fileType] ?? `file_type ${fileType}`),
    parameter_count: countParameters(info),
    size_label: stringOrNull(general.size_label),
    context_length: numberOrNull(arch.context_length),
    chat_template: stringOrNull(tokenizer.chat_template),
    tokenizer_model: stringOrNull(tokenizer.ggml?.model),
    vocab_size: tokens ? tokens.length : null,
    block_count: numberOrNull(arch.block_count),
    embedding_length: numberOrNull(arch.embedding_length),
  };
}

function countParameters(info: GgufFileInfo): number | null {
  const tensors = info.fullTensorInfo ?? info.tensorInfo;
  if (!tensors) return null;
  let total = 0;
  for (const tensor of tensors) total += tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
  return total;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : null;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot hash the model file (${code ?? (error as Error).message})`, { file });
  }
  return hash.digest("hex");
}

/** What identifies the file on disk between hashing it and loading it: a replaced or rewritten file changes it. */
export interface FileStamp {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export async function fileStamp(file: string): Promise<FileStamp> {
  try {
    const { dev, ino, size, mtimeMs } = await stat(file);
    return { dev, ino, size, mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "model file not found" : `cannot read model file (${code ?? (error as Error).message})`, { file });
  }
}

/**
 * Fails when the file is no longer the one that was hashed: outputs and cache
 * entries are keyed by that hash, so a file replaced in between would poison them.
 */
export async function assertModelUnchanged(file: string, stamp: FileStamp): Promise<void> {
  const now = await fileStamp(file);
  const changed = (["ino", "dev", "size", "mtimeMs"] as const).filter((key) => now[key] !== stamp[key]);
  if (changed.length > 0) {
    throw new InputError(`the model file changed while it was being read (${changed.join(", ")}); rerun once it is no longer being written`, { file });
  }
}

/** Inspects and hashes the model file; `stamp` is checked again after the model is loaded. */
export async function describeModelFile(file: string): Promise<{ model: ModelFile; info: GgufFileInfo; stamp: FileStamp }> {
  const stamp = await fileStamp(file);
  const hashing = sha256File(file);
  hashing.catch(() => undefined); // awaited below; a bad file is reported by the inspection first
  const { info, metadata, sizeBytes } = await inspectModelFile(file);
  const digest = await hashing;
  await assertModelUnchanged(file, stamp);
  return {
    info,
    stamp,
    model: { path: path.resolve(file), file_name: path.basename(file), size_bytes: sizeBytes, sha256: digest, metadata },
  };
}

/** Longest chat template a report records whole; real ones are a few KiB. */
const MAX_REPORTED_TEMPLATE = 64 * 1024;
/** Longest other metadata string (name, architecture, labels) a report records whole. */
const MAX_REPORTED_STRING = 1024;

/**
 * The model file as report.json and report.html carry it. GGUF metadata is
 * untrusted and unbounded (a 20 MB template, a 5 MB general.name): each string
 * is cut, keeping its size and sha256. The run itself uses the whole metadata.
 */
export function reportedModelFile(model: ModelFile): ModelFile {
  const metadata = Object.fromEntries(
    Object.entries(model.metadata).map(([key, value]) => [
      key,
      typeof value === "string" ? boundedText(value, key === "chat_template" ? MAX_REPORTED_TEMPLATE : MAX_REPORTED_STRING) : value,
    ]),
  ) as unknown as ModelMetadata;
  return { ...model, file_name: boundedText(model.file_name, MAX_REPORTED_STRING), metadata };
}
