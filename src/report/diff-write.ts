import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Diff } from "../compare/diff.js";
import { writeFileAtomic } from "../util/atomic.js";
import { renderDiffHtml } from "./diff-html.js";
import { renderDiffMarkdown } from "./diff-text.js";

/** Writes diff.json, diff.html and diff.md into `dir`, each atomically. */
export function writeDiff(dir: string, diff: Diff): { json: string; html: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "diff.json");
  const html = path.join(dir, "diff.html");
  const md = path.join(dir, "diff.md");
  writeFileAtomic(json, JSON.stringify(diff, null, 2) + "\n");
  writeFileAtomic(html, renderDiffHtml(diff));
  writeFileAtomic(md, renderDiffMarkdown(diff));
  return { json, html, md };
}
