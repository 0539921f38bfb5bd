// Probes of bucket 4 of the evaluated checkpoint: see probe-tests.ts.
import { defineProbeTests } from "./probe-tests.js";

defineProbeTests(4);
