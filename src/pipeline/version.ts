import { readFileSync } from "node:fs";
import { packagePath } from "../util/paths.js";

export const TOOL_VERSION: string = (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
