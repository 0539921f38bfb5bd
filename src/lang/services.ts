/**
 * Language services shared by every check of a process: built once, loaded only
 * when a check of the run declares them (kuromoji's dictionary costs ~0.6 s and
 * ~380 MB, so a run with no Japanese-aware check never pays for it). Checks
 * never load anything: a service they did not declare throws, and a failure
 * to load is a LanguageServiceError naming the service and the checks that
 * declared it, never a check's crash.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { splitLongRuns } from "./long-runs.js";
import { simplifiedForms, simplifiedFormsRelease } from "./simplified.js";
import { splitWords, wordTokenizerFor, type ServiceName as SegmenterService, type WordTokenizer } from "./words.js";

/**
 * What a check may declare: the word segmenters ("ja" kuromoji, "zh" jieba
 * with HMM), and "zh-dictionary", jieba's dictionary words (HMM off). The
 * last is lazy: the loader checks at start that it can load (jieba's native
 * binding and dictionary files, ~2 ms) and loads the dictionary on its first
 * call, since it loads synchronously (2–5 s, ~240 MB) and the language check
 * needs it only for the rare kana-less Han sentence.
 */
export type ServiceName = SegmenterService | "zh-dictionary";

/** Each declared service and the check types that declared it (scoring's requiredServices). */
export type ServiceRequests = ReadonlyMap<ServiceName, readonly string[]>;

/** A declared language service that could not load: the run cannot score the checks that need it. */
export class LanguageServiceError extends Error {
  constructor(
    readonly service: ServiceName,
    readonly checks: readonly string[],
    cause: unknown,
  ) {
    const by = checks.length > 0 ? `, declared by the ${checks.join(", ")} check${checks.length === 1 ? "" : "s"}` : "";
    super(`language service "${service}" (${SERVICE_PACKAGES[service]}${by}) failed to load: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "LanguageServiceError";
  }
}

const SERVICE_PACKAGES: Record<ServiceName, string> = {
  ja: "kuromoji with IPADIC",
  zh: "nodejieba",
  "zh-dictionary": "nodejieba's dictionary",
};

export interface JapaneseToken {
  surface: string;
  /** Katakana reading from IPADIC; null for unknown words. */
  reading: string | null;
  /** Part of speech, e.g. 名詞. */
  pos: string;
  /** IPADIC's first sub-class of the part of speech, e.g. 固有名詞 or 接尾 (a suffix); "*" when none. */
  posDetail: string;
  /** IPADIC's second sub-class, e.g. 助数詞 (a counter: 時 in 何時, 人 in 三人); "*" when none. */
  posDetail2: string;
  /** In IPADIC; false for a word kuromoji made up from the characters' classes. */
  known: boolean;
}

export interface LanguageServices {
  /** kuromoji (IPADIC); whitespace tokens dropped; long same-class runs and long unpunctuated stretches cut (kuromoji is quadratic in them). Throws when "ja" was not loaded. */
  japanese(text: string): readonly JapaneseToken[];
  /** nodejieba with HMM on (Python jieba's default). Throws when "zh" was not declared. */
  chinese(text: string): readonly string[];
  /**
   * nodejieba with HMM off: jieba's dictionary words, every other character on
   * its own, as the original characters. jieba reads the text in Simplified
   * forms (simplified.ts), so Traditional and Japanese-form words are found
   * too (網路 錯誤 in 網路錯誤). Throws when neither "zh-dictionary" nor "zh" was declared; with
   * only "zh-dictionary", the dictionary loads on the first call (see
   * ServiceName), and a failure then is a LanguageServiceError.
   */
  chineseDictionaryWords(text: string): readonly string[];
  /**
   * How often jieba's dictionary counts a word (in its Simplified forms), per
   * million of all its counts (60 million, from its source corpus); 0 when it
   * has no such word. Declared as "zh-dictionary" too, and loaded with it.
   */
  chineseWordsPerMillion(word: string): number;
  /** Language-aware word tokens, by `wordTokenizer(language)`. */
  words(text: string, language: string): readonly string[];
  /** The word tokenizer `words` uses for a language: kuromoji for ja, jieba for zh, the Unicode word split otherwise or when that service is not loaded. */
  wordTokenizer(language: string): WordTokenizer;
  /** Token count in the evaluated model's own tokenizer; null when no model is loaded. */
  modelTokenCount(text: string): number | null;
  /** The declared services (a lazy one before its first call too). */
  loaded: ReadonlySet<ServiceName>;
}

export interface ServiceOptions {
  /** The loaded model's tokenizer, when a model is at hand (run, not score). */
  modelTokenCount?: (text: string) => number;
}

type KuromojiTokenizer = {
  tokenize(text: string): Array<{ surface_form: string; reading?: string; pos: string; pos_detail_1: string; pos_detail_2: string; word_type: string }>;
};

type Jieba = {
  cut(text: string, hmm?: boolean): string[];
  load(): void;
  DEFAULT_DICT: string;
  DEFAULT_HMM_DICT: string;
  DEFAULT_USER_DICT: string;
  DEFAULT_IDF_DICT: string;
  DEFAULT_STOP_WORD_DICT: string;
};

const require = createRequire(import.meta.url);
let kuromojiPromise: Promise<KuromojiTokenizer> | null = null;
let jieba: Jieba | null = null;

function loadKuromoji(): Promise<KuromojiTokenizer> {
  kuromojiPromise ??= new Promise((resolve, reject) => {
    const kuromoji = require("kuromoji") as {
      builder(options: { dicPath: string }): { build(cb: (err: Error | null, t: KuromojiTokenizer) => void): void };
    };
    const dicPath = path.join(path.dirname(require.resolve("kuromoji/package.json")), "dict");
    kuromoji.builder({ dicPath }).build((err, tokenizer) => (err ? reject(err) : resolve(tokenizer)));
  });
  return kuromojiPromise;
}

/** What jieba's load needs, without loading the dictionary: the module, its native binding, its dictionary files. */
function checkJiebaLoadable(): void {
  const module = require("nodejieba") as Jieba;
  require(path.join(path.dirname(require.resolve("nodejieba/package.json")), "build", "Release", "nodejieba.node"));
  for (const file of [module.DEFAULT_DICT, module.DEFAULT_HMM_DICT, module.DEFAULT_USER_DICT, module.DEFAULT_IDF_DICT, module.DEFAULT_STOP_WORD_DICT]) {
    accessSync(file, constants.R_OK);
  }
}

/** jieba's dictionary counts (a line is "word count tag"), read from its file: nodejieba does not expose them. */
let counts: { byWord: Map<string, number>; total: number } | null = null;
function loadJiebaCounts(): { byWord: Map<string, number>; total: number } {
  if (!counts) {
    const byWord = new Map<string, number>();
    let total = 0;
    for (const line of readFileSync((require("nodejieba") as Jieba).DEFAULT_DICT, "utf8").split("\n")) {
      const [word, count] = line.split(" ");
      const value = Number(count);
      if (!word || !Number.isFinite(value)) continue;
      byWord.set(word, value);
      total += value;
    }
    counts = { byWord, total };
  }
  return counts;
}

function loadJieba(): Jieba {
  if (!jieba) {
    const module = require("nodejieba") as Jieba;
    module.load();
    jieba = module;
  }
  return jieba;
}

/** The package versions behind a segmenter, as a signature names them. */
export function segmenterRelease(segmenter: "kuromoji" | "jieba-dictionary"): string {
  const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
  // kuromoji ships IPADIC in its dict/ folder; the language check cuts with HMM off, in Simplified forms.
  return segmenter === "kuromoji"
    ? `kuromoji@${version("kuromoji")}+ipadic`
    : `nodejieba@${version("nodejieba")}-hmm0+${simplifiedFormsRelease()}`;
}

/**
 * Several checks of one output tokenize the same text (BLEU, token F1,
 * repetition, length…): the last few hundred results are kept, shared and
 * frozen, so a caller cannot change another's tokens.
 */
function memoize<T>(tokenize: (text: string) => T[], capacity = 512): (text: string) => readonly T[] {
  const recent = new Map<string, readonly T[]>();
  return (text) => {
    const hit = recent.get(text);
    if (hit) return hit;
    const tokens = Object.freeze(tokenize(text));
    recent.set(text, tokens);
    if (recent.size > capacity) recent.delete(recent.keys().next().value!);
    return tokens;
  };
}

/** Runs a service's load, turning its failure into a LanguageServiceError. */
function loading<T>(service: ServiceName, requests: ServiceRequests, load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw new LanguageServiceError(service, requests.get(service) ?? [], error);
  }
}

/** Loads the declared services: names alone, or each with the checks that declared it (named when one fails to load). */
export async function loadLanguageServices(
  names: Iterable<ServiceName> | ServiceRequests,
  options: ServiceOptions = {},
): Promise<LanguageServices> {
  const requests: ServiceRequests = names instanceof Map ? names : new Map([...(names as Iterable<ServiceName>)].map((name) => [name, []]));
  const wanted = new Set(requests.keys());
  const kuromoji = wanted.has("ja")
    ? await loadKuromoji().catch((error: unknown) => {
        throw new LanguageServiceError("ja", requests.get("ja") ?? [], error);
      })
    : null;
  const segmenter = wanted.has("zh") ? loading("zh", requests, loadJieba) : null;
  if (wanted.has("zh-dictionary") && !segmenter) loading("zh-dictionary", requests, checkJiebaLoadable);

  const japanese = memoize((text: string): JapaneseToken[] => {
    if (!kuromoji) throw new Error('language service "ja" was not loaded; declare it in the check\'s services()');
    const tokens: JapaneseToken[] = [];
    // In pieces: kuromoji is quadratic in a same-class run and in a long sentence (see splitLongRuns).
    for (const piece of splitLongRuns(text)) {
      for (const token of kuromoji.tokenize(piece)) {
        if (token.surface_form.trim() === "") continue;
        const reading = token.reading && token.reading !== "*" ? token.reading : null;
        tokens.push({ surface: token.surface_form, reading, pos: token.pos, posDetail: token.pos_detail_1, posDetail2: token.pos_detail_2, known: token.word_type === "KNOWN" });
      }
    }
    return tokens;
  });

  const chinese = memoize((text: string): string[] => {
    if (!segmenter) throw new Error('language service "zh" was not loaded; declare it in the check\'s services()');
    return segmenter.cut(text, true).filter((word) => word.trim() !== "");
  });
  const chineseDictionaryWords = memoize((text: string): string[] => {
    if (!segmenter && !wanted.has("zh-dictionary")) {
      throw new Error('language service "zh-dictionary" was not loaded; declare it in the check\'s services()');
    }
    const dictionary = segmenter ?? loading("zh-dictionary", requests, loadJieba);
    const original = Array.from(text);
    let at = 0;
    const words: string[] = [];
    for (const word of dictionary.cut(simplifiedForms(text), false)) {
      const size = Array.from(word).length;
      if (word.trim() !== "") words.push(original.slice(at, at + size).join(""));
      at += size;
    }
    return words;
  });
  const chineseWordsPerMillion = (word: string): number => {
    if (!segmenter && !wanted.has("zh-dictionary")) {
      throw new Error('language service "zh-dictionary" was not loaded; declare it in the check\'s services()');
    }
    const { byWord, total } = loading(segmenter ? "zh" : "zh-dictionary", requests, loadJiebaCounts);
    return ((byWord.get(simplifiedForms(word)) ?? 0) * 1e6) / total;
  };
  const unicodeWords = memoize(splitWords);
  const segmenters = new Set([...wanted].filter((name): name is SegmenterService => name !== "zh-dictionary"));
  const wordTokenizer = (language: string) => wordTokenizerFor(language, segmenters);

  return {
    japanese,
    chinese,
    chineseDictionaryWords,
    chineseWordsPerMillion,
    words(text, language) {
      const { segmenter } = wordTokenizer(language);
      if (segmenter === "kuromoji") return japanese(text).map((token) => token.surface);
      if (segmenter === "jieba") return chinese(text);
      return unicodeWords(text);
    },
    wordTokenizer,
    modelTokenCount: (text) => (options.modelTokenCount ? options.modelTokenCount(text) : null),
    loaded: wanted,
  };
}

/** The services a language needs for word tokens. */
export function servicesForLanguage(language: string): ServiceName[] {
  const { service } = wordTokenizerFor(language);
  return service === null ? [] : [service];
}
