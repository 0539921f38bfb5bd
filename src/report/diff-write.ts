import path from "node:path";
import type { Diff } from "../format/diff.js";
import { ensureDir, writeFilesAtomic } from "../util/atomic.js";
import { renderDiffHtml } from "./diff-html.js";
import { renderDiffMarkdown } from "./diff-text.js";

/** Writes diff.json, diff.html and diff.md into `dir` atomically: all three are replaced, or none. */
export function writeDiff(dir: string, diff: Diff): { json: string; html: string; md: string } {
  ensureDir(dir);
  const json = path.join(dir, "diff.json");
  const html = path.join(dir, "diff.html");
  const md = path.join(dir, "diff.md");
  writeFilesAtomic([
    { file: json, content: JSON.stringify(diff, null, 2) + "\n" },
    { file: html, content: renderDiffHtml(diff) },
    { file: md, content: renderDiffMarkdown(diff) },
  ]);
  return { json, html, md };
}
