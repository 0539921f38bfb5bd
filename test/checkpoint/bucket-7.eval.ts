// Probes of bucket 7 of the evaluated checkpoint: see probe-tests.ts.
import { defineProbeTests } from "./probe-tests.js";

defineProbeTests(7);
