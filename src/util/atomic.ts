/**
 * Writing files so that nothing already written is lost: every byte of a write
 * reaches the file or the write fails, an atomic write leaves the old file or
 * the new one, and a failure is an InputError naming the file and the errno
 * code (ENOSPC, EROFS…), which the CLI prints as one line with exit 2.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";

/** A file-system failure as one line: `cannot write (ENOSPC: no space left on device)`. */
export function fileSystemError(error: unknown, file: string, action = "cannot write"): Error {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error as Error;
  return new InputError(`${action} (${code}: ${describeCode(code)})`, { file });
}

const CODE_TEXT: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a path component is not a directory",
  EISDIR: "is a directory",
  EEXIST: "already exists",
  ENOENT: "no such file or directory",
  EIO: "input/output error",
  EFBIG: "file too large",
};

function describeCode(code: string): string {
  return CODE_TEXT[code] ?? "file system error";
}

/** Writes all of `data` at the fd's position: writeSync may write fewer bytes than asked (a nearly full disk). */
export function writeFully(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

export interface AtomicFile {
  file: string;
  content: string | Uint8Array;
}

/**
 * Writes files so that readers see the old content or the new, never half of
 * either. With several files, every temporary file is written before any is
 * renamed into place: a failure leaves all of them old. `durable: false` skips
 * the fsync, for files whose loss is harmless (cache entries) and that are
 * written on a hot path.
 */
export function writeFilesAtomic(files: AtomicFile[], options: { durable?: boolean } = {}): void {
  const written: Array<{ temp: string; file: string }> = [];
  try {
    for (const { file, content } of files) {
      const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
      let fd: number;
      try {
        fd = openSync(temp, "wx");
      } catch (error) {
        throw fileSystemError(error, file);
      }
      written.push({ temp, file });
      try {
        writeFully(fd, typeof content === "string" ? Buffer.from(content) : content);
        if (options.durable !== false) fsyncSync(fd);
      } catch (error) {
        throw fileSystemError(error, file);
      } finally {
        closeSync(fd);
      }
    }
  } catch (error) {
    for (const { temp } of written) removeQuietly(temp);
    throw error;
  }
  for (const [index, { temp, file }] of written.entries()) {
    try {
      renameSync(temp, file);
    } catch (error) {
      for (const { temp: rest } of written.slice(index)) removeQuietly(rest);
      throw fileSystemError(error, file);
    }
  }
}

export function writeFileAtomic(file: string, content: string | Uint8Array, options: { durable?: boolean } = {}): void {
  writeFilesAtomic([{ file, content }], options);
}

/** mkdir -p, failing as one line (a path under a file: ENOTDIR; read-only: EROFS). */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw fileSystemError(error, dir, "cannot create the directory");
  }
}

/**
 * Checks, without creating anything that stays, that `target` (a directory
 * when `kind` is "dir", else a file) can be written: its nearest existing
 * ancestor is a directory in which a file can be created. Used before a run
 * so that an unwritable --out or --junit costs nothing.
 */
export function assertWritable(target: string, kind: "dir" | "file", flag: string): void {
  const resolved = path.resolve(target);
  let existing = resolved;
  let stats = lstatOrNull(existing);
  while (stats === null) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
    stats = lstatOrNull(existing);
  }
  if (stats && existing === resolved) {
    if (kind === "dir" && !stats.isDirectory()) throw new InputError(`${flag} is a file, not a directory`, { file: target });
    if (kind === "file" && stats.isDirectory()) throw new InputError(`${flag} is a directory, not a file`, { file: target });
  }
  if (stats && !stats.isDirectory() && existing !== resolved) {
    throw new InputError(`${flag} is under ${existing}, which is not a directory`, { file: target });
  }
  const dir = stats?.isDirectory() ? existing : path.dirname(existing);
  const probe = path.join(dir, `.bonsai-eval-write-test.${process.pid}.${Date.now()}`);
  try {
    closeSync(openSync(probe, "wx"));
  } catch (error) {
    throw fileSystemError(error, target, `${flag} cannot be written`);
  }
  removeQuietly(probe);
}

function lstatOrNull(file: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}
