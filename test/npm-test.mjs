// `npm test`: the project's own tests, after type-checking the project (tsc).
// `BONSAI_MODEL=m.gguf npm test` evaluates a checkpoint: it tests the model,
// not the harness, so nothing is type-checked first (vitest.config.ts).
// Arguments after `npm test --` go to vitest (--shard=1/2).
import { spawnSync } from "node:child_process";

const node = process.execPath;
const run = (args) => {
  const result = spawnSync(node, args, { stdio: "inherit" });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

if (!process.env.BONSAI_MODEL) {
  const typecheck = run(["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--noEmit"]);
  if (typecheck !== 0) process.exit(typecheck);
}
process.exit(run(["node_modules/vitest/vitest.mjs", "run", ...process.argv.slice(2)]));
