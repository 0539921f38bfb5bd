/**
 * `npm run bench:pages`: how long the 10,000-probe report.html and the diff of
 * two such rounds (6,000 rows) take in Chromium to load, filter, search, clear
 * and sort. The pages are the ones test/browser-large.test.ts checks, written
 * by the CLI (bin/bonsai-eval.js, so `npm run build` first) from the same
 * files (test/browser-pages.ts); the browser is the one the tests launch
 * (test/chromium.ts). Each round opens a fresh page; prints every round and the
 * median of each step, and writes reports/bench-pages.json.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { intOption } from "../src/cli/args.js";
import { packagePath } from "../src/util/paths.js";
import { folder, hugePagesCommands, launchChromium, writeHugeRounds } from "../test/browser-pages.js";
import { machineInfo, median, packageVersion, parseBenchArgs, round, runBench, table, writeJson } from "./util.js";

// Read inside the page (the project's tsconfig has no DOM library).
declare const document: any;

const USAGE = `usage: npm run bench:pages -- [options]
  --rounds N       fresh page loads per page (default 3)
  --out FILE       JSON report (default reports/bench-pages.json)
  -h, --help       this text`;

const STEPS = ["load", "filter", "search", "clear", "sort"] as const;
type Step = (typeof STEPS)[number];

/** One page's steps: what each does and the row count (`#f-count`) or sort state that says it is done. */
interface PageSteps {
  name: string;
  file: string;
  all: string;
  filter: { select: string; value: string; count: string };
  search: { text: string; count: string };
  sortColumn: string;
}

function runCliChecked(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [packagePath("bin", "bonsai-eval.js"), ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    // 1 is a failing probe: the pages are written all the same.
    child.on("close", (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`bonsai-eval ${args[0]} exited ${code}: ${stderr.trim()}`))));
  });
}

const countIs = (page: Page, text: string) =>
  page.waitForFunction((expected: string) => document.getElementById("f-count")?.textContent === expected, text, { timeout: 120_000, polling: 20 });

/** Times each step of one fresh page; a step ends when the page shows its result. */
async function timeRound(browser: Browser, steps: PageSteps): Promise<Record<Step, number>> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  try {
    const times = {} as Record<Step, number>;
    const timed = async (step: Step, action: () => Promise<unknown>) => {
      const started = performance.now();
      await action();
      times[step] = performance.now() - started;
    };
    await timed("load", async () => {
      await page.goto(pathToFileURL(steps.file).href, { timeout: 120_000 });
      await countIs(page, steps.all);
    });
    await timed("filter", async () => {
      await page.selectOption(steps.filter.select, steps.filter.value);
      await countIs(page, steps.filter.count);
    });
    await timed("search", async () => {
      await page.fill("#f-q", steps.search.text);
      await countIs(page, steps.search.count);
    });
    await timed("clear", async () => {
      await page.selectOption(steps.filter.select, "");
      await page.fill("#f-q", "");
      await countIs(page, steps.all);
    });
    await timed("sort", async () => {
      await page.click(`th[data-sort=${steps.sortColumn}] button.sort`);
      await page.waitForFunction((column: string) => document.querySelector(`th[data-sort=${column}]`)?.getAttribute("aria-sort") === "ascending", steps.sortColumn, { timeout: 120_000, polling: 20 });
    });
    if (errors.length > 0) throw new Error(`${steps.name}: script errors: ${errors.join("; ")}`);
    return times;
  } finally {
    await page.close();
  }
}

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2), { rounds: { type: "string" }, out: { type: "string" } }, USAGE);
  if (!parsed) return 0;
  const rounds = intOption(parsed.values.rounds, "--rounds", { min: 1, max: 50 }) ?? 3;
  const outFile = parsed.values.out ?? path.join("reports", "bench-pages.json");
  const dir = mkdtempSync(path.join(os.tmpdir(), "bonsai-bench-pages-"));
  const at = folder(dir);
  let browser: Browser | undefined;
  try {
    writeHugeRounds(at);
    for (const batch of hugePagesCommands(at)) await Promise.all(batch.map(runCliChecked));
    const pages: PageSteps[] = [
      { name: "report.html, 10,000 probes", file: at("huge", "report.html"), all: "10000 / 10000 shown", filter: { select: "#f-status", value: "notpass", count: "5000 / 10000 shown" }, search: { text: "q4321", count: "1 / 10000 shown" }, sortColumn: "output" },
      { name: "diff.html, 6,000 rows", file: at("huge-diff", "diff.html"), all: "6000 / 6000 shown", filter: { select: "#f-change", value: "regressed", count: "1000 / 6000 shown" }, search: { text: "q4320", count: "1 / 6000 shown" }, sortColumn: "base" },
    ];
    browser = await launchChromium();
    const loadBefore = machineInfo().load_average_1m;
    const measured: Array<{ page: string; mib: number; rounds: Array<Record<Step, number>> }> = pages.map((steps) => ({ page: steps.name, mib: round(statSync(steps.file).size / 2 ** 20, 1), rounds: [] }));
    // The pages alternate, round by round, so a change in the machine's load falls on both.
    for (let r = 0; r < rounds; r++) for (const [i, steps] of pages.entries()) measured[i]!.rounds.push(await timeRound(browser, steps));
    const result = {
      date: new Date().toISOString(),
      machine: { ...machineInfo(), load_average_1m_at_start: loadBefore },
      chromium: browser.version(),
      playwright_core: packageVersion("playwright-core"),
      rounds,
      pages: measured.map((page) => ({
        page: page.page,
        mib: page.mib,
        median_ms: Object.fromEntries(STEPS.map((step) => [step, round(median(page.rounds.map((each) => each[step])))])),
        rounds_ms: page.rounds.map((each) => Object.fromEntries(STEPS.map((step) => [step, round(each[step])]))),
      })),
    };
    console.log(
      table([
        ["page", "MiB", ...STEPS.map((step) => `${step} ms`)],
        ...result.pages.map((page) => [page.page, page.mib, ...STEPS.map((step) => `${page.median_ms[step]} (${page.rounds_ms.map((each) => each[step]).join(", ")})`)]),
      ]),
    );
    console.log(`medians of ${rounds} (each round in brackets); load average ${loadBefore} at the start, ${result.machine.load_average_1m} at the end; ${result.machine.nproc} cores, ${result.machine.cpu_model}`);
    console.log(`wrote ${writeJson(outFile, result)}`);
    return 0;
  } finally {
    await browser?.close();
    if (!process.env.BONSAI_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

runBench("npm run bench:pages", main);
