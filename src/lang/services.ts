/**
 * Language services shared by every check of a process: built once, loaded only
 * when a check of the run asks for them (kuromoji's dictionary costs ~0.6 s and
 * ~380 MB, so a run with no Japanese-aware check never pays for it).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { splitLongRuns } from "./long-runs.js";
import { splitWords, wordTokenizerFor, type ServiceName, type WordTokenizer } from "./words.js";

export type { ServiceName } from "./words.js";

export interface JapaneseToken {
  surface: string;
  /** Katakana reading from IPADIC; null for unknown words. */
  reading: string | null;
  /** Part of speech, e.g. 名詞. */
  pos: string;
  /** IPADIC's first sub-class of the part of speech, e.g. 固有名詞 or 接尾 (a suffix); "*" when none. */
  posDetail: string;
  /** In IPADIC; false for a word kuromoji made up from the characters' classes. */
  known: boolean;
}

export interface LanguageServices {
  /** kuromoji (IPADIC); whitespace tokens dropped; long same-class runs and long unpunctuated stretches cut (kuromoji is quadratic in them). Throws when "ja" was not loaded. */
  japanese(text: string): readonly JapaneseToken[];
  /** nodejieba with HMM on (Python jieba's default). Throws when "zh" was not loaded. */
  chinese(text: string): readonly string[];
  /**
   * nodejieba with HMM off: jieba's dictionary words, every other character on
   * its own. Loads jieba on the first call when "zh" was not loaded: it loads
   * synchronously, and the language check needs it only for the rare kana-less
   * Han sentence, so a run does not pay its load (seconds, ~255 MB) up front.
   */
  chineseDictionaryWords(text: string): readonly string[];
  /** Language-aware word tokens, by `wordTokenizer(language)`. */
  words(text: string, language: string): readonly string[];
  /** The word tokenizer `words` uses for a language: kuromoji for ja, jieba for zh, the Unicode word split otherwise or when that service is not loaded. */
  wordTokenizer(language: string): WordTokenizer;
  /** Token count in the evaluated model's own tokenizer; null when no model is loaded. */
  modelTokenCount(text: string): number | null;
  loaded: ReadonlySet<ServiceName>;
}

export interface ServiceOptions {
  /** The loaded model's tokenizer, when a model is at hand (run, not score). */
  modelTokenCount?: (text: string) => number;
}

type KuromojiTokenizer = {
  tokenize(text: string): Array<{ surface_form: string; reading?: string; pos: string; pos_detail_1: string; word_type: string }>;
};

const require = createRequire(import.meta.url);
let kuromojiPromise: Promise<KuromojiTokenizer> | null = null;
let jieba: { cut(text: string, hmm?: boolean): string[] } | null = null;

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

function loadJieba(): { cut(text: string, hmm?: boolean): string[] } {
  if (!jieba) {
    const module = require("nodejieba") as { cut(text: string, hmm?: boolean): string[]; load(): void };
    module.load();
    jieba = module;
  }
  return jieba;
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

export async function loadLanguageServices(
  names: Iterable<ServiceName>,
  options: ServiceOptions = {},
): Promise<LanguageServices> {
  const wanted = new Set(names);
  const kuromoji = wanted.has("ja") ? await loadKuromoji() : null;
  const segmenter = wanted.has("zh") ? loadJieba() : null;

  const japanese = memoize((text: string): JapaneseToken[] => {
    if (!kuromoji) throw new Error('language service "ja" was not loaded; declare it in the check\'s services()');
    const tokens: JapaneseToken[] = [];
    // In pieces: kuromoji is quadratic in a same-class run and in a long sentence (see splitLongRuns).
    for (const piece of splitLongRuns(text)) {
      for (const token of kuromoji.tokenize(piece)) {
        if (token.surface_form.trim() === "") continue;
        const reading = token.reading && token.reading !== "*" ? token.reading : null;
        tokens.push({ surface: token.surface_form, reading, pos: token.pos, posDetail: token.pos_detail_1, known: token.word_type === "KNOWN" });
      }
    }
    return tokens;
  });

  const chinese = memoize((text: string): string[] => {
    if (!segmenter) throw new Error('language service "zh" was not loaded; declare it in the check\'s services()');
    return segmenter.cut(text, true).filter((word) => word.trim() !== "");
  });
  const chineseDictionaryWords = memoize((text: string): string[] =>
    (segmenter ?? loadJieba()).cut(text, false).filter((word) => word.trim() !== ""),
  );
  const unicodeWords = memoize(splitWords);
  const wordTokenizer = (language: string) => wordTokenizerFor(language, wanted);

  return {
    japanese,
    chinese,
    chineseDictionaryWords,
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
