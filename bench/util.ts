/** What the benchmarks share: the machine, arguments, tables, statistics, memory, JSON out. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { OptionSpec } from "../src/cli/args.js";
import { InputError, InputErrors, isInputError } from "../src/errors.js";
import { packagePath } from "../src/util/paths.js";

export interface MachineInfo {
  cpu_model: string;
  /** What `nproc` says: the cores this process may use. */
  nproc: number;
  memory_gib: number;
  platform: string;
  arch: string;
  node: string;
  load_average_1m: number;
}

export function machineInfo(): MachineInfo {
  return {
    cpu_model: cpuModel(),
    nproc: os.availableParallelism(),
    memory_gib: round(os.totalmem() / 2 ** 30, 1),
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    load_average_1m: round(os.loadavg()[0] ?? 0, 2),
  };
}

/** The model name from /proc/cpuinfo (as `grep "model name"` shows it), else what Node reports. */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match?.[1]) return match[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? "unknown";
}

/** A dependency's installed version, from its package.json. */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(packagePath("node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export const MIB = 2 ** 20;

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMib(): number {
  return round((process.resourceUsage().maxRSS * 1024) / MIB, 1);
}

export function rssMib(): number {
  return round(process.memoryUsage.rss() / MIB, 1);
}

/**
 * A bench script's flags on node:util parseArgs, strict like the CLI's
 * (src/cli/args.ts): an unknown flag or a missing value is an InputError;
 * `-h`/`--help` prints `usage` and gives null (the script then exits 0).
 */
export function parseBenchArgs<const T extends OptionSpec>(argv: string[], options: T, usage: string, allowPositionals = false) {
  const parsed = strictParse(argv, options, allowPositionals);
  if ((parsed.values as { help?: boolean }).help === true) {
    console.log(usage);
    return null;
  }
  return parsed;
}

const HELP = { help: { type: "boolean", short: "h" } } as const;

function strictParse<const T extends OptionSpec>(argv: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options: { ...options, ...HELP } as T & typeof HELP, allowPositionals, strict: true });
  } catch (error) {
    // One line: node's messages for a flag followed by another flag span three.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "").replace(/\s*\n\s*/g, " ");
    throw new InputError(message, { field: "usage" });
  }
}

/** `1,2,4,8`: integers from `min` to `max`, comma-separated; undefined when the flag is absent. */
export function intListOption(value: string | undefined, flag: string, { min, max }: { min: number; max: number }): number[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",");
  if (items.some((item) => !/^\d+$/.test(item) || Number(item) < min || Number(item) > max)) {
    throw new InputError(`${flag} takes integers from ${min} to ${max}, comma-separated (e.g. 1,2,4,8), got "${value}"`, { field: flag });
  }
  return items.map(Number);
}

/**
 * Runs a bench script's main: its exit code; bad input (an InputError: a flag, a
 * model file) is one line on stderr and exit 2; anything else a stack trace and
 * exit 1. `command` is how the script is started (`npm run bench`, or `node …`).
 */
export function runBench(command: string, main: () => Promise<number>): void {
  const help = command.startsWith("npm run ") ? `${command} -- --help` : `${command} --help`;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (isInputError(error)) {
        for (const each of error instanceof InputErrors ? error.errors : [error]) {
          const field = each.location.field;
          const usage = field === "usage" || field?.startsWith("--") === true;
          console.error(`${command}: ${usage ? `${each.message} (see ${help})` : each.toLine()}`);
        }
        process.exitCode = 2;
      } else {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exitCode = 1;
      }
    },
  );
}

/** A plain-text table: first row is the header; numbers right-aligned. */
export function table(rows: Array<Array<string | number>>): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === "number" ? formatNumber(cell) : cell)));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => width(row[column] ?? ""))));
  const numeric = rows[1]?.map((cell) => typeof cell === "number") ?? [];
  const line = (row: string[]) =>
    row.map((cell, column) => (numeric[column] ? pad(cell, widths[column]!, "left") : pad(cell, widths[column]!, "right"))).join("  ").trimEnd();
  return [line(cells[0]!), cells[0]!.map((_, column) => "-".repeat(widths[column]!)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3, minimumFractionDigits: 0 });
}

/** Display width: CJK and full-width characters take two columns. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return columns;
}

function pad(text: string, columns: number, side: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, columns - width(text)));
  return side === "left" ? fill + text : text + fill;
}

/** Writes JSON (pretty) to a file under the package root unless absolute; returns the path. */
export function writeJson(file: string, value: unknown): string {
  const target = path.isAbsolute(file) ? file : packagePath(file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(value, null, 2) + "\n");
  return target;
}

/** Samples RSS every `intervalMs` while started; `peak()` is the highest seen (MiB). */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private highest = 0;

  start(intervalMs = 20): this {
    this.highest = process.memoryUsage.rss();
    this.timer = setInterval(() => {
      this.highest = Math.max(this.highest, process.memoryUsage.rss());
    }, intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.highest = Math.max(this.highest, process.memoryUsage.rss());
    return round(this.highest / MIB, 1);
  }
}
