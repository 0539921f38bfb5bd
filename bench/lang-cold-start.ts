/**
 * Child process of `bench:score`: the cold start of the language services in a
 * fresh process. Prints one JSON line: load time (the loadLanguageServices
 * call), the first call of each service, and memory after.
 *
 *     node dist/bench/bench/lang-cold-start.js ja,zh
 */
import { InputError } from "../src/errors.js";
import { parseBenchArgs, runBench } from "./util.js";

const USAGE = "usage: node dist/bench/bench/lang-cold-start.js [SERVICES]   (ja, zh or ja,zh; default ja,zh; a child process of npm run bench:score)";
const SERVICES = ["ja", "zh"] as const;
type Service = (typeof SERVICES)[number];

/** The services to load, from the one positional argument. */
function servicesArg(argv: string[]): Service[] | null {
  const parsed = parseBenchArgs(argv, {}, USAGE, true);
  if (parsed === null) return null;
  if (parsed.positionals.length > 1) throw new InputError(`takes one list of services, got ${parsed.positionals.length} arguments`, { field: "usage" });
  const names = (parsed.positionals[0] ?? "ja,zh").split(",").filter((name) => name !== "");
  const unknown = names.filter((name) => !(SERVICES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new InputError(`unknown service ${unknown.join(", ")}; known: ${SERVICES.join(", ")}`, { field: "usage" });
  return names as Service[];
}

async function main(): Promise<number> {
  const processStartMs = performance.now();
  const names = servicesArg(process.argv.slice(2));
  if (names === null) return 0;

  const importStart = performance.now();
  const { loadLanguageServices } = await import("../src/lang/services.js");
  const importMs = performance.now() - importStart;

  const loadStart = performance.now();
  const services = await loadLanguageServices(names);
  const loadMs = performance.now() - loadStart;

  const firstCall: Record<string, number> = {};
  if (names.includes("ja")) {
    const start = performance.now();
    services.japanese("日本で一番高い山は富士山です。標高は3776メートルです。");
    firstCall.ja = performance.now() - start;
  }
  if (names.includes("zh")) {
    const start = performance.now();
    services.chinese("日本最高的山是富士山，海拔3776米。");
    firstCall.zh = performance.now() - start;
  }
  const readyMs = performance.now();

  console.log(
    JSON.stringify({
      services: names,
      import_ms: importMs,
      load_ms: loadMs,
      first_call_ms: firstCall,
      /** Import + load + first calls: what a run waits for before scoring the first output. */
      cold_start_ms: readyMs - importStart,
      /** Since the process started (Node's own boot not included: performance.now() starts at 0 then). */
      since_process_start_ms: readyMs,
      process_boot_ms: processStartMs,
      rss_bytes: process.memoryUsage.rss(),
      max_rss_bytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
  return 0;
}

runBench("node dist/bench/bench/lang-cold-start.js", main);
