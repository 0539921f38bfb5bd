/**
 * A deterministic mixed ja/zh/en corpus for the benchmarks: probes with every
 * built-in check on, and outputs shaped like what small models really write —
 * knowledge answers, translations with references, katakana answers, loops cut
 * by the token limit, answers that drift into another language, JSON answers
 * (some broken) and refusals. Generated from templates with a seeded PRNG, so
 * the same arguments give the same corpus on every machine.
 */
import type { StopReason } from "../src/format/outputs.js";
import type { CheckSpecInput, ProbeSpec, SuiteFile } from "../src/format/suite.js";
import { mulberry32 } from "../src/util/random.js";

export type Lang = "ja" | "zh" | "en";
export const LANGS: readonly Lang[] = ["ja", "zh", "en"];

export const OUTPUT_KINDS = ["knowledge", "translation", "katakana", "loop", "drift", "json", "refusal"] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** Share of each kind in the corpus (sums to 1). */
const KIND_WEIGHTS: Record<OutputKind, number> = {
  knowledge: 0.3,
  translation: 0.2,
  katakana: 0.1,
  loop: 0.12,
  drift: 0.1,
  json: 0.1,
  refusal: 0.08,
};

export interface CorpusItem {
  kind: OutputKind;
  language: Lang;
  probe: ProbeSpec;
  output: string;
  stopReason: StopReason;
  outputTokens: number;
}

// ---------------------------------------------------------------------------
// PRNG

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Up to `n` distinct items, in a random order. */
  some<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0] as T);
    return out;
  }
  weighted<K extends string>(weights: Record<K, number>): K {
    let r = this.next();
    const keys = Object.keys(weights) as K[];
    for (const key of keys) {
      r -= weights[key];
      if (r < 0) return key;
    }
    return keys[keys.length - 1] as K;
  }
}

// ---------------------------------------------------------------------------
// Text material

type PerLang<T> = Record<Lang, T>;

interface Topic {
  question: PerLang<string>;
  /** Short answers (aliases) for contains / exact. */
  answers: PerLang<string[]>;
  facts: PerLang<string[]>;
}

const TOPICS: Topic[] = [
  {
    question: { ja: "日本で一番高い山は何ですか？", zh: "日本最高的山是哪座？", en: "What is the highest mountain in Japan?" },
    answers: { ja: ["富士山", "ふじさん"], zh: ["富士山"], en: ["Mount Fuji", "Mt. Fuji", "Fuji"] },
    facts: {
      ja: ["日本で一番高い山は富士山です。", "富士山の標高は3776メートルです。", "静岡県と山梨県にまたがる活火山です。", "2013年に世界文化遺産に登録されました。", "夏には多くの登山者が山頂を目指します。"],
      zh: ["日本最高的山是富士山。", "富士山海拔3776米。", "它位于静冈县和山梨县之间，是一座活火山。", "2013年富士山被列入世界文化遗产。", "每年夏天都有很多人去爬富士山。"],
      en: ["The highest mountain in Japan is Mount Fuji.", "It is 3,776 metres tall.", "It is an active volcano between Shizuoka and Yamanashi prefectures.", "It became a World Heritage Site in 2013.", "Many climbers head for the summit every summer."],
    },
  },
  {
    question: { ja: "日本の首都はどこですか？", zh: "日本的首都是哪里？", en: "What is the capital of Japan?" },
    answers: { ja: ["東京", "とうきょう"], zh: ["东京", "東京"], en: ["Tokyo"] },
    facts: {
      ja: ["日本の首都は東京です。", "東京の人口は約1400万人です。", "1868年に江戸から東京に名前が変わりました。", "東京には多くの大学や会社があります。"],
      zh: ["日本的首都是东京。", "东京的人口大约有1400万。", "1868年江户改名为东京。", "东京有很多大学和公司。"],
      en: ["The capital of Japan is Tokyo.", "About 14 million people live in Tokyo.", "Edo was renamed Tokyo in 1868.", "Tokyo has many universities and companies."],
    },
  },
  {
    question: { ja: "中国の首都はどこですか？", zh: "中国的首都是哪里？", en: "What is the capital of China?" },
    answers: { ja: ["北京", "ペキン"], zh: ["北京"], en: ["Beijing", "Peking"] },
    facts: {
      ja: ["中国の首都は北京です。", "故宮は北京の中心にあります。", "2008年に北京で夏季オリンピックが開かれました。", "北京大学は中国でとても有名な大学です。"],
      zh: ["中国的首都是北京。", "故宫位于北京市中心。", "2008年北京举办了夏季奥运会。", "北京大学是中国非常有名的大学。"],
      en: ["The capital of China is Beijing.", "The Forbidden City is in the centre of Beijing.", "Beijing hosted the Summer Olympics in 2008.", "Peking University is one of the best-known universities in China."],
    },
  },
  {
    question: { ja: "水は何度で沸騰しますか？", zh: "水在多少度沸腾？", en: "At what temperature does water boil?" },
    answers: { ja: ["100度", "百度", "100℃"], zh: ["100度", "100摄氏度"], en: ["100 degrees", "100°C"] },
    facts: {
      ja: ["水は1気圧のもとで100度で沸騰します。", "山の上では気圧が低いので、もっと低い温度で沸騰します。", "富士山の山頂では約87度で沸騰します。"],
      zh: ["在一个标准大气压下，水在100摄氏度沸腾。", "在高山上气压较低，所以水的沸点也更低。", "在富士山山顶，水大约在87度沸腾。"],
      en: ["Water boils at 100 degrees Celsius at sea level.", "On a mountain the air pressure is lower, so it boils at a lower temperature.", "On the summit of Mount Fuji it boils at about 87 degrees."],
    },
  },
  {
    question: { ja: "人類が初めて月に着陸したのは何年ですか？", zh: "人类第一次登上月球是哪一年？", en: "In which year did humans first land on the Moon?" },
    answers: { ja: ["1969年", "1969"], zh: ["1969年", "1969"], en: ["1969"] },
    facts: {
      ja: ["人類が初めて月に着陸したのは1969年です。", "アポロ11号のアームストロング船長が最初に月面を歩きました。", "その様子は世界中にテレビで中継されました。"],
      zh: ["人类第一次登上月球是在1969年。", "阿波罗11号的阿姆斯特朗是第一个在月球上行走的人。", "全世界的人都通过电视看到了这一幕。"],
      en: ["Humans first landed on the Moon in 1969.", "Neil Armstrong of Apollo 11 was the first person to walk on it.", "People all over the world watched it on television."],
    },
  },
  {
    question: { ja: "万里の長城はどこにありますか？", zh: "长城在哪个国家？", en: "Where is the Great Wall?" },
    answers: { ja: ["中国", "ちゅうごく"], zh: ["中国"], en: ["China"] },
    facts: {
      ja: ["万里の長城は中国にあります。", "全長は2万キロメートル以上あると言われています。", "多くの部分は明の時代に作られました。"],
      zh: ["长城位于中国北方。", "据说长城的总长度超过两万公里。", "现在看到的长城大部分是明朝修建的。"],
      en: ["The Great Wall is in northern China.", "Its total length is said to be over 20,000 kilometres.", "Most of what stands today was built during the Ming dynasty."],
    },
  },
  {
    question: { ja: "新幹線が開業したのは何年ですか？", zh: "日本新干线是哪一年开通的？", en: "When did the Shinkansen open?" },
    answers: { ja: ["1964年", "1964"], zh: ["1964年", "1964"], en: ["1964"] },
    facts: {
      ja: ["東海道新幹線は1964年に開業しました。", "東京オリンピックの直前でした。", "東京と新大阪を結んでいます。"],
      zh: ["东海道新干线于1964年开通。", "那是在东京奥运会开幕之前。", "它连接东京和新大阪。"],
      en: ["The Tokaido Shinkansen opened in 1964.", "It opened just before the Tokyo Olympics.", "It connects Tokyo and Shin-Osaka."],
    },
  },
  {
    question: { ja: "緑茶はどの国でよく飲まれていますか？", zh: "绿茶在哪些国家很受欢迎？", en: "Where is green tea popular?" },
    answers: { ja: ["日本", "中国"], zh: ["中国", "日本"], en: ["Japan", "China"] },
    facts: {
      ja: ["緑茶は日本や中国でよく飲まれています。", "静岡県はお茶の産地として有名です。", "抹茶は茶道で使われます。"],
      zh: ["绿茶在中国和日本都很受欢迎。", "杭州的龙井茶非常有名。", "抹茶常用于日本的茶道。"],
      en: ["Green tea is popular in Japan and China.", "Shizuoka is famous for its tea.", "Matcha is used in the Japanese tea ceremony."],
    },
  },
];

const FILLERS: PerLang<string[]> = {
  ja: ["ご質問ありがとうございます。", "簡単に説明します。", "以上が回答です。", "これは多くの人に知られています。", "詳しくは公式の資料を確認してください。", "参考になれば幸いです。"],
  zh: ["谢谢你的提问。", "下面简单介绍一下。", "希望这个回答对你有帮助。", "这是一个常见的问题。", "详细情况请参考官方资料。"],
  en: ["Thanks for the question.", "Here is a short explanation.", "I hope this helps.", "This is a common question.", "See the official sources for details."],
};

/** Sentence-aligned translations; a second form, when given, is a second reference. */
const TRANSLATIONS: Array<PerLang<string[]>> = [
  { en: ["The weather is nice today."], ja: ["今日はいい天気ですね。", "今日は良い天気ですね。"], zh: ["今天天气很好。"] },
  { en: ["I would like to go to Kyoto next spring."], ja: ["来年の春に京都へ行きたいです。"], zh: ["我想明年春天去京都。"] },
  { en: ["The ramen at this restaurant is the best."], ja: ["この店のラーメンは最高です。"], zh: ["这家店的拉面是最好的。"] },
  { en: ["Please tell me the way to the station."], ja: ["駅までの道を教えてください。"], zh: ["请告诉我去车站的路。"] },
  { en: ["We are going to Peking University tomorrow."], ja: ["私たちは明日北京大学に行きます。"], zh: ["我们明天去北京大学。"] },
  { en: ["My friend works at a computer company."], ja: ["友達はコンピューターの会社で働いています。"], zh: ["我的朋友在一家电脑公司工作。"] },
  { en: ["The train was late because of the snow."], ja: ["雪のせいで電車が遅れました。", "雪で電車が遅れました。"], zh: ["因为下雪，火车晚点了。"] },
  { en: ["Thank you very much for your help yesterday."], ja: ["昨日は手伝ってくれて本当にありがとうございました。"], zh: ["非常感谢你昨天的帮助。"] },
  { en: ["Wonton soup is my favourite dish."], ja: ["ワンタンスープは私の好きな料理です。"], zh: ["馄饨汤是我最喜欢的菜。"] },
  { en: ["Mount Fuji is beautiful in winter."], ja: ["冬の富士山はとても美しいです。"], zh: ["冬天的富士山非常美丽。"] },
];

/** Word swaps that turn a reference into a plausible, slightly different translation. */
const SWAPS: PerLang<Array<[string, string]>> = {
  ja: [["いい", "よい"], ["です", "でございます"], ["行き", "いき"], ["最高", "一番おいしい"], ["教えて", "おしえて"], ["会社", "企業"], ["本当に", "とても"], ["美しい", "きれい"], ["友達", "友人"]],
  zh: [["很好", "不错"], ["我们", "咱们"], ["最好", "最棒"], ["告诉", "指给"], ["非常", "十分"], ["美丽", "漂亮"], ["晚点", "延误"]],
  en: [["nice", "good"], ["would like to", "want to"], ["the best", "great"], ["tell me", "show me"], ["very much", "so much"], ["beautiful", "lovely"], ["late", "delayed"]],
};

interface KatakanaWord {
  canonical: string;
  variants: string[];
  wrong: string[];
  english: string;
  description: PerLang<string>;
}

const KATAKANA_WORDS: KatakanaWord[] = [
  { canonical: "ワンタン", variants: [], wrong: ["ウォントン", "ワンタム"], english: "wonton", description: { ja: "中国から伝わった、薄い皮で肉を包む料理です。", zh: "是一种中国传统食品。", en: "is a Chinese dumpling." } },
  { canonical: "コンピューター", variants: ["コンピュータ"], wrong: ["コンピュター", "コムピューター"], english: "computer", description: { ja: "計算や情報処理をする機械です。", zh: "是处理信息的机器。", en: "is a machine that processes information." } },
  { canonical: "ゴールデンウィーク", variants: ["ゴールデンウイーク"], wrong: ["ゴールデンウェーク"], english: "Golden Week", description: { ja: "4月末から5月初めの連休です。", zh: "是日本春天的长假。", en: "is a holiday week in spring." } },
  { canonical: "フリーダイヤル", variants: ["フリーダイアル"], wrong: ["フリーダイル"], english: "toll-free number", description: { ja: "通話料が無料の電話番号です。", zh: "是免费电话号码。", en: "is a number you can call for free." } },
  { canonical: "ヴァイオリン", variants: ["バイオリン"], wrong: ["ヴィオリン"], english: "violin", description: { ja: "弦楽器の一つです。", zh: "是一种弦乐器。", en: "is a string instrument." } },
  { canonical: "コーヒー", variants: [], wrong: ["コフィー", "カフィー"], english: "coffee", description: { ja: "焙煎した豆から作る飲み物です。", zh: "是一种用咖啡豆做的饮料。", en: "is a drink made from roasted beans." } },
  { canonical: "ラーメン", variants: [], wrong: ["ラメン", "ラーミェン"], english: "ramen", description: { ja: "日本で人気の麺料理です。", zh: "是日本很受欢迎的面食。", en: "is a popular noodle dish in Japan." } },
  { canonical: "エレベーター", variants: ["エレベータ"], wrong: ["エレベター"], english: "elevator", description: { ja: "建物の中で人を運ぶ装置です。", zh: "是大楼里的升降设备。", en: "carries people between floors." } },
];

/** Readings compared through kuromoji (kanji expected forms). */
const KANJI_KATAKANA_TARGETS = ["富士山", "東京", "新幹線"];

const REFUSALS: PerLang<string[]> = {
  ja: ["申し訳ありませんが、その質問には回答できません。", "文章に書かれていないため、回答できません。", "その情報は持ち合わせておりません。", "すみません、わかりません。"],
  zh: ["抱歉，这个问题我无法回答。", "文中没有相关信息，无法回答。", "对不起，我不知道。"],
  en: ["I'm sorry, but I cannot answer that question.", "The passage does not say, so I cannot answer.", "I don't know the answer to that."],
};

const JSON_PROMPT: PerLang<string> = {
  ja: "{q} name と height を持つ JSON で答えてください。",
  zh: "{q} 请用包含 name 和 height 的 JSON 回答。",
  en: "{q} Answer in JSON with the keys name and height.",
};

const JSON_SCHEMA = {
  type: "object",
  required: ["name", "height"],
  properties: { name: { type: "string", minLength: 1 }, height: { type: "number", minimum: 0 } },
  additionalProperties: false,
};

const TRANSLATE_PROMPT: PerLang<string> = {
  ja: "次の文を日本語に翻訳してください：{src}",
  zh: "请把下面的句子翻译成中文：{src}",
  en: "Translate into English: {src}",
};

const KATAKANA_PROMPT: PerLang<string> = {
  ja: "「{en}」をカタカナで書いて、簡単に説明してください。",
  zh: "请用日语片假名写出“{en}”，并简单说明。",
  en: "Write \"{en}\" in Japanese katakana and explain it briefly.",
};

/** Rough model-token count: CJK about one token per character, English about four characters per token. */
function estimateTokens(text: string, language: Lang): number {
  const chars = Array.from(text).length;
  return Math.max(1, Math.round(language === "en" ? chars / 4 : chars * 0.9));
}

function join(language: Lang, sentences: string[]): string {
  return sentences.join(language === "en" ? " " : "");
}

/** Half-width katakana, as some models and keyboards write it (NFKC folds it back). */
function toHalfWidthKatakana(text: string): string {
  const table: Record<string, string> = {
    ワ: "ﾜ", ン: "ﾝ", タ: "ﾀ", コ: "ｺ", ー: "ｰ", ヒ: "ﾋ", ラ: "ﾗ", メ: "ﾒ", エ: "ｴ", レ: "ﾚ", ベ: "ﾍﾞ", ピ: "ﾋﾟ", ュ: "ｭ", ム: "ﾑ",
  };
  return Array.from(text, (char) => table[char] ?? char).join("");
}

// ---------------------------------------------------------------------------
// Outputs per kind

interface Generated {
  prompt: string;
  /** Aliases for contains / exact. */
  expected: string[];
  /** References for bleu / chrf / chrf++ / token_f1. */
  references: string[];
  katakana: string;
  output: string;
  stopReason: StopReason;
  refuse: boolean;
}

function knowledge(r: Random, lang: Lang): Generated {
  const topic = r.pick(TOPICS);
  const facts = topic.facts[lang];
  const sentences = [facts[0] as string, ...r.some(facts.slice(1), r.int(0, 3))];
  if (r.chance(0.3)) sentences.unshift(r.pick(FILLERS[lang]));
  if (r.chance(0.3)) sentences.push(r.pick(FILLERS[lang]));
  let output = join(lang, sentences);
  if (r.chance(0.1)) output = r.pick(topic.answers[lang]); // a bare answer
  if (r.chance(0.05)) output += " 🗻";
  return {
    prompt: topic.question[lang], expected: topic.answers[lang], references: [join(lang, facts.slice(0, 2))],
    katakana: r.pick(KATAKANA_WORDS).canonical, output, stopReason: "eog", refuse: false,
  };
}

function translation(r: Random, lang: Lang): Generated {
  const pair = r.pick(TRANSLATIONS);
  const source = r.pick(LANGS.filter((other) => other !== lang));
  const references = pair[lang];
  let output = r.pick(references);
  const roll = r.float();
  if (roll < 0.5) {
    for (const [from, to] of r.some(SWAPS[lang], 2)) output = output.replace(from, to);
  } else if (roll < 0.65) {
    const chars = Array.from(output);
    const at = r.int(0, Math.max(0, chars.length - 4));
    chars.splice(at, r.int(1, 3));
    output = chars.join("");
  } else if (roll < 0.75) {
    output = (lang === "ja" ? "翻訳：" : lang === "zh" ? "翻译：" : "Translation: ") + output;
  } else if (roll < 0.85) {
    output = join(lang, [output, r.pick(FILLERS[lang])]);
  }
  return {
    prompt: TRANSLATE_PROMPT[lang].replace("{src}", r.pick(pair[source])), expected: references, references,
    katakana: r.pick(KATAKANA_WORDS).canonical, output, stopReason: "eog", refuse: false,
  };
}

function katakanaAnswer(r: Random, lang: Lang): Generated {
  const word = r.pick(KATAKANA_WORDS);
  const roll = r.float();
  const written =
    roll < 0.45 ? word.canonical
      : roll < 0.65 ? (word.variants.length > 0 ? r.pick(word.variants) : word.canonical)
        : roll < 0.85 ? r.pick(word.wrong)
          : roll < 0.92 ? toHalfWidthKatakana(word.canonical)
            : word.english.toLowerCase(); // answered in romaji/English: no katakana
  const output =
    lang === "ja" ? `「${word.english}」はカタカナで「${written}」と書きます。${written}は${word.description.ja}`
      : lang === "zh" ? `“${word.english}”用片假名写作「${written}」。它${word.description.zh}`
        : `"${word.english}" is written ${written} in katakana. A ${word.english} ${word.description.en}`;
  return {
    prompt: KATAKANA_PROMPT[lang].replace("{en}", word.english), expected: [word.canonical, ...word.variants],
    references: [word.canonical], katakana: word.canonical, output, stopReason: "eog", refuse: false,
  };
}

/** A loop: a unit repeated back to back until the token limit cuts it, often after a normal start. */
function loop(r: Random, lang: Lang): Generated {
  const topic = r.pick(TOPICS);
  const facts = topic.facts[lang];
  const prefix = join(lang, r.some(facts, r.int(0, 2)));
  const unit = r.chance(0.2)
    ? r.pick(lang === "ja" ? ["はい、", "そうです。", "富士山"] : lang === "zh" ? ["是的，", "我们", "北京"] : ["the ", "yes, ", "Tokyo "])
    : r.pick([...facts, ...FILLERS[lang]]) + (lang === "en" ? " " : "");
  const limit = lang === "en" ? r.int(500, 1500) : r.int(200, 700);
  let output = prefix;
  while (Array.from(output).length < limit) output += unit;
  output = Array.from(output).slice(0, limit).join("");
  return {
    prompt: topic.question[lang], expected: topic.answers[lang], references: [join(lang, facts.slice(0, 2))],
    katakana: r.pick(KATAKANA_WORDS).canonical, output, stopReason: "max_tokens", refuse: false,
  };
}

/** Starts in the probe's language and continues in another for a sentence or more. */
function drift(r: Random, lang: Lang): Generated {
  const topic = r.pick(TOPICS);
  const other = r.pick(LANGS.filter((candidate) => candidate !== lang));
  const own = r.some(topic.facts[lang], r.int(1, 2));
  const foreign = r.some(topic.facts[other], r.int(1, 3));
  const sentences = r.chance(0.5) ? [...own, ...foreign] : [own[0] as string, ...foreign, ...own.slice(1)];
  return {
    prompt: topic.question[lang], expected: topic.answers[lang], references: [join(lang, topic.facts[lang].slice(0, 2))],
    katakana: r.pick(KATAKANA_WORDS).canonical, output: sentences.join(" "), stopReason: "eog", refuse: false,
  };
}

function jsonAnswer(r: Random, lang: Lang): Generated {
  const topic = TOPICS[0] as Topic;
  const name = r.pick(topic.answers[lang]);
  const value: Record<string, unknown> = { name, height: 3776 };
  const roll = r.float();
  if (roll < 0.15) delete value.height; // missing field
  else if (roll < 0.25) value.height = "3776m"; // wrong type
  else if (roll < 0.3) value.note = r.pick(FILLERS[lang]); // unexpected field
  let body = JSON.stringify(value, null, r.chance(0.5) ? 2 : undefined);
  if (r.chance(0.1)) body = body.replace(/}$/, ",}"); // trailing comma: not JSON
  const shape = r.float();
  const output =
    shape < 0.5 ? "```json\n" + body + "\n```"
      : shape < 0.8 ? body
        : `${topic.facts[lang][0]}\n${body}`;
  return {
    prompt: JSON_PROMPT[lang].replace("{q}", topic.question[lang]), expected: [name],
    references: [JSON.stringify({ name: topic.answers[lang][0], height: 3776 })],
    katakana: KATAKANA_WORDS[0]!.canonical, output, stopReason: "eog", refuse: false,
  };
}

function refusal(r: Random, lang: Lang): Generated {
  const topic = r.pick(TOPICS);
  const sentences = [r.pick(REFUSALS[lang])];
  if (r.chance(0.4)) sentences.push(r.pick(FILLERS[lang]));
  return {
    prompt: topic.question[lang], expected: [REFUSALS[lang][0] as string], references: [REFUSALS[lang][0] as string],
    katakana: r.pick(KATAKANA_WORDS).canonical, output: join(lang, sentences), stopReason: "eog", refuse: true,
  };
}

const GENERATORS: Record<OutputKind, (r: Random, lang: Lang) => Generated> = {
  knowledge, translation, katakana: katakanaAnswer, loop, drift, json: jsonAnswer, refusal,
};

const END_PATTERN: PerLang<string> = { ja: "[。！？」]\\s*$", zh: "[。！？”]\\s*$", en: "[.!?\"]\\s*$" };

/** Every built-in check, with parameters a suite author would write for this probe. */
function allChecks(r: Random, lang: Lang, g: Generated, kind: OutputKind): CheckSpecInput[] {
  const katakanaTarget = kind !== "katakana" && r.chance(0.15) ? r.pick(KANJI_KATAKANA_TARGETS) : g.katakana;
  return [
    "contains",
    "exact",
    { type: "regex", pattern: kind === "json" ? "\\{[\\s\\S]*\\}" : END_PATTERN[lang] },
    { type: "not_contains", values: g.refuse ? ["富士山は", "The answer is"] : ["回答できません", "无法回答", "I cannot answer"] },
    { type: "bleu", expected: g.references },
    { type: "chrf", expected: g.references },
    { type: "chrf++", expected: g.references },
    { type: "token_f1", expected: g.references },
    { type: "katakana", expected: katakanaTarget, ...(r.chance(0.2) ? { mode: "strict" } : {}), ...(r.chance(0.2) ? { max_distance: 1 } : {}) },
    { type: "language", ...(r.chance(0.2) ? { allow: ["JSON", "name", "height"] } : {}) },
    "repetition",
    { type: "json", schema: JSON_SCHEMA },
    r.chance(0.3) ? { type: "length", unit: "words", max_length: 120 } : { type: "length", unit: "chars", min_length: 2, max_length: 400 },
    { type: "refusal", expect: g.refuse ? "refuse" : "answer" },
  ];
}

const CATEGORY: Record<OutputKind, string> = {
  knowledge: "open_qa", translation: "translation", katakana: "open_qa", loop: "open_qa",
  drift: "open_qa", json: "closed_qa", refusal: "closed_qa",
};

/** `count` corpus items, a third per language, kinds by KIND_WEIGHTS; deterministic for a seed. */
export function buildCorpus(count: number, seed = 20240611): CorpusItem[] {
  const r = new Random(seed);
  const items: CorpusItem[] = [];
  for (let index = 0; index < count; index++) {
    const language = LANGS[index % LANGS.length] as Lang;
    const kind = r.weighted(KIND_WEIGHTS);
    const g = GENERATORS[kind](r, language);
    const probe: ProbeSpec = {
      id: `${kind}-${index}`,
      prompt: g.prompt,
      category: CATEGORY[kind],
      language,
      expected: g.expected,
      max_tokens: kind === "loop" ? 256 : 128,
      checks: allChecks(r, language, g, kind),
    };
    items.push({ kind, language, probe, output: g.output, stopReason: g.stopReason, outputTokens: estimateTokens(g.output, language) });
  }
  return items;
}

/** Suite files (one per language) holding the corpus' probes. JSON text is valid YAML. */
export function corpusSuites(items: readonly CorpusItem[], name = "bench"): Array<{ name: string; file: SuiteFile }> {
  return LANGS.map((lang) => ({
    name: `${name}-${lang}`,
    file: { suite: `${name}-${lang}`, probes: items.filter((item) => item.language === lang).map((item) => item.probe) },
  }));
}
