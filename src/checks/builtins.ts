/** Every check shipped with bonsai-eval, one module each. Add a new one here. */
import type { CheckDefinition } from "./types.js";
import { contains } from "./contains.js";
import { exact } from "./exact.js";
import { notContains } from "./not-contains.js";
import { regex } from "./regex.js";

export const BUILTIN_CHECKS: CheckDefinition<any>[] = [contains, exact, regex, notContains];
