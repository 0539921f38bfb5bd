/** A timestamp for folder names: 20261121-073251 (UTC). */
export function folderStamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "").replace("T", "-");
}
