import path from "node:path";
import { mkdirSync } from "node:fs";
import { writeFileAtomic } from "../util/atomic.js";
import { renderReportHtml } from "./html.js";
import type { Report } from "./types.js";

/** Writes report.json and report.html into `dir`, each atomically. */
export function writeReport(dir: string, report: Report): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "report.json");
  const html = path.join(dir, "report.html");
  writeFileAtomic(json, JSON.stringify(report, null, 2) + "\n");
  writeFileAtomic(html, renderReportHtml(report));
  return { json, html };
}
