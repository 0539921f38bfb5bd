import path from "node:path";
import type { HistoryTrend } from "../history/trend.js";
import { ensureDir, writeFilesAtomic } from "../util/atomic.js";
import { renderTrendHtml } from "./trend-html.js";
import { renderTrendMarkdown } from "./trend-md.js";

/** Writes trend.html and trend.md into `dir`: both are replaced, or neither. */
export function writeTrend(dir: string, trend: HistoryTrend): { html: string; md: string } {
  ensureDir(dir);
  const html = path.join(dir, "trend.html");
  const md = path.join(dir, "trend.md");
  writeFilesAtomic([
    { file: html, content: renderTrendHtml(trend) },
    { file: md, content: renderTrendMarkdown(trend) },
  ]);
  return { html, md };
}
