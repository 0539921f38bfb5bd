/**
 * Once before all test files: build dist/ (the CLI tests run the real bin) and
 * generate the fixture model, so no test file races another to write them; say
 * whether the real-model tier (test/real-model.test.ts) runs.
 */
import { execFileSync } from "node:child_process";
import { REAL_MODEL_HOW_TO, realModelStatus } from "../src/fixture/real-model.js";
import { ensureFixtureModel } from "../src/fixture/tiny-model.js";

export default async function setup(): Promise<void> {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  await ensureFixtureModel();
  const real = realModelStatus();
  console.log(real.present ? `real-model tier: runs on ${real.path}` : `real-model tier: skipped (no ${real.path}); to enable it: ${REAL_MODEL_HOW_TO}`);
}
