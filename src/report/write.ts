import path from "node:path";
import { ensureDir, writeFilesAtomic } from "../util/atomic.js";
import { renderReportHtml } from "./html.js";
import type { Report } from "../format/report.js";
import type { CheckRegistry } from "../checks/registry.js";

/**
 * Writes report.json and report.html into `dir` atomically: both are replaced,
 * or neither. `registry`: the checks whose views draw report.html (default the built-ins).
 */
export function writeReport(dir: string, report: Report, registry?: CheckRegistry): { json: string; html: string } {
  ensureDir(dir);
  const json = path.join(dir, "report.json");
  const html = path.join(dir, "report.html");
  writeFilesAtomic([
    { file: json, content: JSON.stringify(report, null, 2) + "\n" },
    { file: html, content: renderReportHtml(report, registry) },
  ]);
  return { json, html };
}
