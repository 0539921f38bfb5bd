// Probes of bucket 1 of the evaluated checkpoint: see probe-tests.ts.
import { defineProbeTests } from "./probe-tests.js";

defineProbeTests(1);
