/** Every check shipped with bonsai-eval, one module each. Add a new one here. */
import type { CheckDefinition } from "./types.js";
import { contains } from "./contains.js";
import { exact } from "./exact.js";
import { notContains } from "./not-contains.js";
import { regex } from "./regex.js";
import { bleu } from "./bleu.js";
import { chrf, chrfPlusPlus } from "./chrf.js";
import { tokenF1 } from "./token-f1.js";
import { katakana } from "./katakana.js";
import { language } from "./language.js";
import { repetition } from "./repetition.js";
import { json } from "./json.js";
import { length } from "./length.js";
import { refusal } from "./refusal.js";
import { choice } from "./choice.js";
import { perplexity } from "./perplexity.js";
import { judge } from "./judge.js";

export const BUILTIN_CHECKS: CheckDefinition<any>[] = [contains, exact, regex, notContains, bleu, chrf, chrfPlusPlus, tokenF1, katakana, language, repetition, json, length, refusal, choice, perplexity, judge];
