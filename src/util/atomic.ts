import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * Writes a file so that readers see the old content or the new, never half of
 * either. `durable: false` skips the fsync, for files whose loss is harmless
 * (cache entries) and that are written on a hot path.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, options: { durable?: boolean } = {}): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, typeof content === "string" ? Buffer.from(content) : content);
    if (options.durable !== false) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
}
