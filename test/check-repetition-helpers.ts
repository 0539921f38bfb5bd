/**
 * What the repetition check's tests share: the check scored through the suite
 * loader and the scorer (check-harness.ts) with the ja and zh services, and
 * prose and a list written for these tests.
 */
import { readFileSync } from "node:fs";
import type { RepetitionParams } from "../src/checks/repetition.js";
import type { CheckResult } from "../src/format/check-result.js";
import type { StopReason } from "../src/format/outputs.js";
import type { Probe } from "../src/format/suite.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import { packagePath } from "../src/util/paths.js";
import { scoreCheck } from "./check-harness.js";
import { makeProbe } from "./helpers.js";

let services: LanguageServices | null = null;

/** Loads kuromoji and jieba once per test file: call it in beforeAll. */
export async function loadRepetitionServices(): Promise<void> {
  services ??= await loadLanguageServices(["ja", "zh"]);
}

function probe(language: string): Probe {
  return makeProbe({
    suite: "test",
    id: `repetition-${language}`,
    prompt: "…",
    category: "open_qa",
    language,
    expected: [],
    checks: [{ type: "repetition" }],
  });
}

/** The repetition check with `params` on one output (stop reason eog unless given). */
export function check(
  output: string,
  language: string,
  options: { params?: RepetitionParams; stopReason?: StopReason | null } = {},
): CheckResult {
  if (services === null) throw new Error("loadRepetitionServices() was not awaited");
  return scoreCheck({ type: "repetition", ...options.params }, { output, stopReason: options.stopReason ?? "eog" }, services, { probe: probe(language) });
}

// Ordinary prose, written for these tests: particles, です/ます and 的 everywhere.
export const JA_PROSE = `富士山は静岡県と山梨県にまたがる活火山で、標高は3776メートルです。日本で一番高い山であり、古くから信仰の対象として大切にされてきました。山頂には浅間大社の奥宮があり、毎年夏になると多くの登山者が御来光を見るために夜通し歩きます。

登山の季節は7月上旬から9月上旬までです。この時期は山小屋が営業しているので、初心者でも比較的安全に登ることができます。ただし、山頂付近の気温は真夏でも10度を下回ることがあるので、防寒具は必ず用意してください。また、高山病を防ぐためには、途中の山小屋で一泊してゆっくり体を慣らすのがよいと言われています。

富士山は2013年に世界文化遺産に登録されました。登録の名称は「富士山－信仰の対象と芸術の源泉」です。葛飾北斎の「富嶽三十六景」をはじめ、多くの絵画や和歌に描かれてきたことが評価されました。一方で、登山者の増加によるごみの問題や、登山道の混雑も指摘されています。

近年は入山料の導入や、登山者の人数を制限する取り組みも始まっています。美しい景色を次の世代に残すためには、訪れる人一人ひとりがマナーを守ることが大切です。`;

export const ZH_PROSE = `北京是中国的首都，也是全国的政治和文化中心。这座城市有三千多年的历史，留下了大量的历史遗迹。故宫是明清两代的皇宫，现在是世界上规模最大的古代宫殿建筑群之一，每年吸引着成千上万的游客。

除了故宫以外，长城也是来北京的游客必去的地方。离市区最近的八达岭长城交通方便，但是节假日的人特别多。如果想看到比较安静的风景，可以去慕田峪或者司马台。那里的山势险峻，城墙的样子也更接近原来的模样。

北京的饮食文化也很有特色。最有名的当然是北京烤鸭，鸭皮烤得又脆又香，配上薄饼、葱丝和甜面酱一起吃。胡同里的小吃也很受欢迎，比如炸酱面、豆汁儿和糖葫芦。很多人觉得，真正的北京味道不在大饭店里，而在普通人的日常生活中。

随着城市的发展，北京的交通越来越便利。地铁已经通到了郊区的很多地方，出行的时间大大缩短了。不过，早晚高峰的时候地铁里还是非常拥挤，所以最好错开上下班的时间出门。`;

export const EN_PROSE = `The Pacific Ocean is the largest and deepest of the world's oceans. It stretches from the Arctic in the north to the Southern Ocean in the south, and it is bounded by Asia and Australia in the west and by the Americas in the east. Its area is larger than that of all the land on Earth combined.

The ocean was named by the Portuguese explorer Ferdinand Magellan, who called it "peaceful" because the weather was calm when he crossed it in 1521. In reality, the Pacific is far from peaceful. It is surrounded by the so-called Ring of Fire, a chain of volcanoes and fault lines where most of the world's earthquakes take place.

Many islands are scattered across the ocean, from large countries such as Japan and New Zealand to tiny coral atolls that rise only a few meters above the water. People first reached the remote islands of Polynesia more than a thousand years ago, using double-hulled canoes and a detailed knowledge of stars, winds and currents.

Today the Pacific faces serious problems. Rising temperatures are bleaching coral reefs, overfishing has reduced the number of tuna and sharks, and plastic waste collects in huge areas where the currents meet. Scientists argue that protecting the ocean will require cooperation between the many countries that share its coasts.`;

// A templated list: the same endings on every line, as brainstorming answers have.
export const JA_LIST = `休日の過ごし方の例です。
1. 近所の公園を散歩することです。
2. 図書館で本を読むことです。
3. 友達と一緒に料理をすることです。
4. 映画館で新しい映画を見ることです。
5. 家でゆっくり音楽を聴くことです。
6. 美術館で絵を見ることです。
どれも気軽にできるので、ぜひ試してみてください。`;

/** A sentence repeated until the token limit cut it in the middle of a copy. */
export function loopUntilLimit(intro: string, unit: string, copies: number, partial: number): string {
  return intro + unit.repeat(copies) + Array.from(unit).slice(0, partial).join("");
}

/** One real output of the repetition corpus (fixtures/repetition/FILE.jsonl), by its id. */
export function corpusOutput(file: string, id: string): string {
  const row = readFileSync(packagePath("fixtures", "repetition", `${file}.jsonl`), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; text: string })
    .find((candidate) => candidate.id === id);
  if (!row) throw new Error(`no output ${id} in fixtures/repetition/${file}.jsonl`);
  return row.text;
}
