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

export interface ModelMetadata {
  name: string | null;
  architecture: string | null;
  /** llama.cpp file type name, e.g. MOSTLY_Q4_K_M, ALL_F32. */
  quantization: string | null;
  parameter_count: number | null;
  size_label: string | null;
  context_length: number | null;
  chat_template: string | null;
  tokenizer_model: string | null;
  vocab_size: number | null;
  block_count: number | null;
  embedding_length: number | null;
}

export interface ModelFile {
  path: string;
  file_name: string;
  size_bytes: number;
  sha256: string;
  metadata: ModelMetadata;
}

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
  const insights = await GgufInsights.from(info, llama);
  const dataStart = Math.min(...tensors.map((tensor) => Number(tensor.fileOffset)));
  const needed = dataStart + insights.modelSize;
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
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function describeModelFile(file: string): Promise<{ model: ModelFile; info: GgufFileInfo }> {
  const [{ info, metadata, sizeBytes }, digest] = await Promise.all([inspectModelFile(file), sha256File(file).catch(() => "")]);
  return {
    info,
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
