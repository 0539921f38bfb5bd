/**
 * Once before all test files: build dist/ (the CLI tests run the real bin) and
 * generate the fixture model, so no test file races another to write them.
 */
import { execFileSync } from "node:child_process";
import { ensureFixtureModel } from "../src/fixture/tiny-model.js";

export default async function setup(): Promise<void> {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  await ensureFixtureModel();
}
