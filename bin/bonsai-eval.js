#!/usr/bin/env node
import { ExitCode } from "../dist/cli/exit-code.js";
import { main } from "../dist/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  // main reports every error itself; this is a failure while reporting one.
  (error) => {
    process.stderr.write(`bonsai-eval: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = ExitCode.Internal;
  },
);
