// Preloaded with NODE_OPTIONS=--require: writes the process's peak resident memory, in bytes,
// to $BONSAI_MAX_RSS_FILE when it exits (Node reports no resource usage of child processes).
const { writeFileSync } = require("node:fs");
process.on("exit", () => writeFileSync(process.env.BONSAI_MAX_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));
