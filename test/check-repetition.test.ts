/** The repetition check's verdicts on loops: at the end, in the middle, numbered, spaced unevenly, in tables, in code points. */
import { beforeAll, describe, expect, it } from "vitest";
import { JA_PROSE, check, loadRepetitionServices, loopUntilLimit } from "./check-repetition-helpers.js";

beforeAll(loadRepetitionServices);

describe("real loops fail", () => {
  it("Japanese: a sentence repeated to the token limit is a runaway loop", () => {
    const unit = "富士山は静岡県と山梨県にまたがっています。";
    const output = loopUntilLimit("富士山は日本で一番高い山です。", unit, 15, 6);
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.runaway).toBe(true);
    expect(result.details.unit).toBe(unit);
    expect(result.details.count).toBe(15);
    expect(result.details.partial).toBe(6);
    expect(result.details.loop_at).toBe("end");
    const length = Array.from(output).length;
    expect(result.details.span).toEqual([15, length]);
    expect(result.score).toBeGreaterThan(0.9);
    expect(result.details.reason).toContain("output ends in 15 copies");
    expect(result.details.reason).toContain("runaway");
    // One highlight per copy plus the partial copy, in code points.
    expect(result.details.highlights).toHaveLength(16);
    expect(result.details.highlights?.[0]).toEqual({ start: 15, end: 36, label: "loop copy 1/15" });
    expect(result.details.highlights?.at(-1)).toEqual({ start: length - 6, end: length, label: "loop partial copy" });
  });

  it("Chinese: a sentence loop", () => {
    const unit = "北京有很多名胜古迹，比如故宫和长城。";
    const result = check(loopUntilLimit("北京是中国的首都。", unit, 12, 5), "zh", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.runaway).toBe(true);
    expect(result.details.unit).toBe(unit);
    expect(result.details.count).toBe(12);
    expect(result.details.seq_rep as number).toBeGreaterThan(0.8);
  });

  it("English: the unit starts at the sentence, not mid-word", () => {
    const unit = "Paris is the capital of France. ";
    const result = check(loopUntilLimit("The answer is Paris. ", unit, 12, 12), "en", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe(unit);
    expect(result.details.count).toBe(12);
    expect(result.details.partial).toBe(12);
  });

  it("a one-character loop", () => {
    const output = `答えは${"は".repeat(300)}`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe("は");
    expect(result.details.count).toBe(301);
    // 20 copies one by one, then one highlight for the rest.
    expect(result.details.highlights).toHaveLength(21);
    expect(result.details.highlights?.[20]).toEqual({ start: 22, end: 303, label: "loop copies 21–301/301" });
  });

  it("a ~200-character unit repeated", () => {
    const unit = JA_PROSE.slice(0, 200);
    const result = check(loopUntilLimit("まず、", unit, 4, 50), "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit_length).toBe(200);
    expect(result.details.count).toBe(4);
    expect(result.details.partial).toBe(50);
    expect(result.details.runaway).toBe(true);
  });

  it("a loop that ended on its own fails but is not a runaway", () => {
    const result = check(`はい。${"富士山は日本で一番高い山です。".repeat(3)}`, "ja", { stopReason: "eog" });
    expect(result.pass).toBe(false);
    expect(result.details.count).toBe(3);
    expect(result.details.runaway).toBe(false);
  });

  it("a loop in the middle that the model recovered from", () => {
    const output = JA_PROSE.slice(0, 100) + "これは重要です。".repeat(10) + JA_PROSE.slice(100, 400);
    const result = check(output, "ja");
    expect(result.pass).toBe(false);
    expect(result.details.loop_at).toBe("middle");
    expect(result.details.unit).toBe("これは重要です。");
    expect(result.details.count).toBe(10);
    expect(result.details.span).toEqual([100, 180]);
  });

  it("a loop in the middle is found when the output's longest repeat lies elsewhere", () => {
    // A long sentence written twice far apart is the longest repeat; the stutter between them is the loop.
    const sentence = "そのお店は、町で一番古い和菓子屋として、昔から地元の人々に親しまれてきた。";
    const output = `${sentence}${JA_PROSE.slice(0, 120)}子供たちには、おばあちゃんのおばあちゃんのおばあちゃんのおばあちゃんのお話をした。${JA_PROSE.slice(120, 240)}${sentence}`;
    const result = check(output, "ja");
    expect(result.pass).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "middle", count: 4 });
    expect(String(result.details.unit)).toMatch(/^(おばあちゃんの|ばあちゃんのお|あちゃんのおば)$/);
  });

  it("a table row repeating its cells is not a loop; a row repeated is", () => {
    const table = [
      "| 項目 | ライト | スタンダード | プレミアム | ビジネス |",
      "|---|---|---|---|---|",
      "| 月額料金 | 500円 | 1,000円 | 2,000円 | 3,000円 |",
      "| 広告なし | ○ | ○ | ○ | ○ |",
      "| 電話サポート | × | × | × | ○ |",
    ].join("\n");
    expect(check(`主な料金プランを比較します。\n\n${table}\n\n家族で使うならプレミアムがおすすめです。`, "ja").pass).toBe(true);
    const rows = "| 広告なし | ○ | ○ | ○ | ○ |\n".repeat(6);
    expect(check(`${table}\n${rows}`, "ja", { stopReason: "max_tokens" }).details.looping).toBe(true);
  });

  it("a loop inside a table row is a loop: one that runs to the end, one of long cells, one on a lone line", () => {
    // Before, any loop of a unit with | on one line was exempt: this passed, and the same text without pipes failed.
    const short = "| 朝 " + "| 東京タワーに行く ".repeat(8);
    expect(Array.from(short).length).toBe(92);
    expect(check(short.replaceAll("| ", ""), "ja").details.reason).toContain("8 copies");
    const result = check(short, "ja");
    expect(result).toMatchObject({ pass: false, details: { looping: true, count: 8, loop_at: "end" } });
    expect(result.details.reason).toContain("8 copies");
    const long = check(`旅行の予定表です。\n\n| 時間 | 1日目 |\n|---|---|\n| 朝 ${"| 東京タワーに行く ".repeat(40)}| 東京タ`, "ja", { stopReason: "max_tokens" });
    expect(long).toMatchObject({ pass: false, details: { looping: true, count: 40, partial: 5, runaway: true } });

    // Closed rows of a table with as many columns as its header: short cells are the table, long ones a loop.
    const days = Array.from({ length: 8 }, (_, day) => `${day + 1}日目`);
    const header = `| 時間 | ${days.join(" | ")} |\n|${"---|".repeat(9)}`;
    const row = (time: string, cell: string): string => `| ${time} ${`| ${cell} `.repeat(8)}|`;
    const plan = (cell: string): string => `八日間の予定です。\n\n${header}\n${row("朝", cell)}\n${row("夜", "ホテルで休む")}\n\n無理のない計画にしましょう。`;
    expect(check(plan("自由行動"), "ja").pass).toBe(true);
    expect(check(plan("自由行動").replaceAll("\n", "\r\n"), "ja").pass).toBe(true);
    expect(check(plan("東京タワーに行って写真を撮る"), "ja")).toMatchObject({ pass: false, details: { looping: true, count: 8, loop_at: "middle" } });
    // A line of cells with no table around it.
    expect(check(`結果です。\n${row("朝", "自由行動")}\n以上です。`, "ja").details.looping).toBe(true);
  });

  it("a numbered loop, whose copies differ only in their numbers, is a loop", () => {
    const output = Array.from({ length: 30 }, (_, i) => `${i + 1}. The capital of France is Paris.`).join("\n");
    const result = check(output, "en", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.looping).toBe(true);
    expect(result.details.reason).toContain('output ends in 29 copies of "1. The capital of France is Paris.\n" (differing at most in their numbers and spacing');
    expect(result.details.reason).toMatch(/seq-rep-4 0\.\d+ > max_seq_rep 0\.5/);
    expect(result.details.reason).toMatch(/compression ratio \d+(\.\d+)? > max_compression_ratio 3/);
    expect(result.details.runaway).toBe(true);
    // Copies are highlighted where they are, though "10. " is longer than "9. ".
    expect(result.details.highlights?.[9]).toEqual({ start: 315, end: 351, label: "loop copy 10/29" });
  });

  it("a loop whose copies are spaced unevenly is a loop", () => {
    const sentence = "富士山は日本で一番高い山です。";
    const output = `はい。${[1, 2, 1, 1, 3, 1, 2, 1].map((breaks) => sentence + "\n".repeat(breaks)).join("")}`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.looping).toBe(true);
    expect(result.details.count).toBe(8);
    expect(result.details.unit).toBe(`${sentence}\n`);
  });

  it("a loop whose copies are wrapped at other places (a space here, a line break there) is a loop", () => {
    // As a real Gemma 3 270M output does (fixtures/repetition held-out-3): one sentence, hard-wrapped wherever the line ran long.
    const words = "Vaccination is important for protecting the body's immune system from diseases such as smallpox, measles, and yellow fever.".split(" ");
    const wrapAt = [14, 15, 13, 15, 14, 13];
    const copies = wrapAt.map((at) => `${words.slice(0, at).join(" ")}\n${words.slice(at).join(" ")}\n`);
    const output = `Vaccines train the immune system.\n${copies.join("")}Vaccination is important for`;
    const result = check(output, "en", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "end", count: 6 });
    // Japanese and Chinese wrap without a space: a line break between two CJK characters is nothing to the copies.
    const ja = ["東京は\n日本の首都です。", "東京は日本の\n首都です。", "東京は日本の首都\nです。", "東京は日本の首都です。", "東京\nは日本の首都です。"];
    expect(check(`首都の話です。\n${ja.join("")}東京は日`, "ja", { stopReason: "max_tokens" }).details).toMatchObject({ looping: true, count: 5 });
    // The same sentences, each wrapped alike, are the exact loop they were before.
    expect(check(`Vaccines train the immune system.\n${copies[0]!.repeat(6)}Vaccination is important for`, "en", { stopReason: "max_tokens" }).details).toMatchObject({ looping: true, count: 6 });
  });

  it("a loop numbered in Han numerals (一、 二、 … 十六、) is a loop; a list numbered so is not", () => {
    // A real Gemma 3 270M greedy ending (fixtures/repetition held-out-4): one line under ever new Han numerals, to the budget.
    const numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六"];
    const loop = `歌詞を書きます。\n${numerals.map((n) => `${n}、朝日に映える山のふもと\n`).join("")}十七、朝日に映える山の`;
    const result = check(loop, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "end", unit: "一、朝日に映える山のふもと\n" });
    // Items that say different things under the same numerals, and empty items, are a list.
    const places = ["富士山に登る", "京都の寺を巡る", "沖縄の海で泳ぐ", "北海道で雪を見る", "大阪で食べ歩く", "奈良で鹿に会う", "広島で平和を学ぶ", "金沢で庭園を歩く"];
    expect(check(`行きたい所です。\n${places.map((p, k) => `${numerals[k]}、${p}\n`).join("")}以上です。`, "ja").pass).toBe(true);
    expect(check(`目次\n${numerals.slice(0, 8).map((n) => `${n}、\n`).join("")}`, "ja").pass).toBe(true);
    // Han numerals numbering the second line of a unit are its own numbers, as digits would be: an answer key is a list.
    const key = numerals.slice(0, 12).map((n, k) => `${n}、${k % 2 ? "正しい" : "誤り"}`).join("\n");
    expect(check(`答え合わせです。\n${key}\n以上です。`, "ja").pass).toBe(true);
  });

  it("a list whose last item lacks the shared frame (cut by the budget) is judged on what its items say", () => {
    const cities = ["東京", "大阪", "京都", "札幌", "福岡", "仙台", "広島", "金沢", "神戸", "長崎", "横浜", "名古屋", "奈良", "熊本", "鹿児島"];
    for (const number of [(k: number) => `${k + 1}. `, (k: number) => `${["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六"][k]}、`]) {
      const items = cities.map((city, k) => `${number(k)}${city}の観光地とおすすめの料理を詳しく紹介します。`);
      const output = `旅行の計画です。\n${items.join("\n")}\n${number(15)}那覇`;
      expect(check(output, "ja", { stopReason: "max_tokens" }).pass, output.slice(0, 40)).toBe(true);
    }
  });

  it("markup stuttering (nested tags opened and closed over and over) is no loop of words; a loop with words inside tags is", () => {
    const prose = "疲れの症状について説明します。体とお腹の調子を整えることが大切です。";
    // As a real Gemma 3 270M answer does (fixtures/repetition held-out-4, labelled clean): </strong> four times over, 43 code points.
    const stutter = `${prose}\n<strong><strong><strong></strong></strong></strong></strong>\n<strong>健康</strong>\n${prose}`;
    expect(check(stutter, "ja").pass).toBe(true);
    // Tags alone, long enough to be a rule's loop, to the budget; and words in tags, copied.
    expect(check(`${prose}\n${"<br>".repeat(40)}`, "ja", { stopReason: "max_tokens" }).details.looping).toBe(true);
    expect(check(`${prose}\n${"<b>東京です。</b>".repeat(5)}`, "ja").details.looping).toBe(true);
  });

  it("a list of chapters or days is not a loop: the numbers are all that differ, and little else", () => {
    const chapters = Array.from({ length: 12 }, (_, i) => `第${i + 1}章`).join("\n");
    expect(check(chapters, "ja").pass).toBe(true);
    // One item under ever new list numbers is a loop, however short (a real Gemma 3 270M output).
    const items = Array.from({ length: 38 }, (_, i) => `${i + 1}. 休憩時`).join("\n");
    const result = check(items, "ja", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe("1. 休憩時\n");
  });

  it("a count that runs into the token budget is a loop however little its unit says; the same count that ended on its own is a list", () => {
    // Real Gemma 3 270M endings (fixtures/repetition held-out): empty list items, and y=N stepping every second copy, until max_tokens.
    const bareNumbers = "organizations that have the following characteristics:\n" + Array.from({ length: 17 }, (_, i) => `${i + 1}.\n`).join("");
    const pairs = "このとき、yにxを乗せると\n" + Array.from({ length: 19 }, (_, i) => `y=${i + 4}\ny=${i + 4}\n`).join("") + "y=2";
    for (const output of [bareNumbers, pairs]) {
      const cut = check(output, "en", { stopReason: "max_tokens" });
      expect(cut.pass, output).toBe(false);
      expect(cut.details.loop_at).toBe("end");
      expect(cut.details.runaway).toBe(true);
      expect(check(output, "en", { stopReason: "eog" }).pass, output).toBe(true);
    }
    // Fewer than ten counted copies, or numbers that do not step, are not a loop even at the budget.
    expect(check("Steps:\n" + Array.from({ length: 8 }, (_, i) => `${i + 1}.\n`).join(""), "en", { stopReason: "max_tokens" }).pass).toBe(true);
    expect(check("Codes:\n" + [3, 9, 4, 17, 2, 30, 5, 11, 8, 26, 1, 14].map((n) => `${n}.\n`).join(""), "en", { stopReason: "max_tokens" }).pass).toBe(true);
  });

  it("a count that settles after copies that did not step evenly is a loop from where it counts", () => {
    // A real Gemma 3 270M ending (fixtures/repetition held-out-2): 1900–1950, 1950–1990, then ten-year steps to the budget.
    const years = [1900, 1950, 1990, 2000, 2010, 2020, 2030, 2040, 2050, 2060];
    const output = `稲作の歴史です。\n\n${years.slice(0, -1).map((from, k) => `この稲作の生産量は、${from}年頃から${years[k + 1]}年頃まで増加した。\n\n`).join("")}`;
    const result = check(output, "ja", { stopReason: "max_tokens" });
    expect(result.pass, result.details.reason).toBe(false);
    expect(result.details).toMatchObject({ looping: true, loop_at: "end", count: 7, runaway: true, unit: "この稲作の生産量は、1990年頃から2000年頃まで増加した。\n\n" });
    const start = Array.from(output).length - Array.from(output.slice(output.indexOf("この稲作の生産量は、1990"))).length;
    expect((result.details.span as number[])[0]).toBe(start);
    // The same text that ended on its own is not a count into the budget.
    expect(check(output, "ja", { stopReason: "eog" }).details.looping).toBe(false);
    // A table whose figures happen to step evenly for three rows in its middle is a table (a review's foils).
    const sales = "Monthly sales:\n" + [[1, 120], [2, 130], [3, 140], [4, 128], [5, 151], [6, 149]].map(([m, v]) => `In month ${m} the shop sold ${v} units.`).join("\n");
    for (const stopReason of ["eog", "max_tokens"] as const) {
      expect(check(`${sales}\nSales were steady overall.`, "en", { stopReason }).pass, stopReason).toBe(true);
      expect(check(sales, "en", { stopReason }).pass, `${stopReason}, at the end`).toBe(true);
    }
    const meetings = "大会の歴史です。\n2001年に第1回大会が開かれました。\n2002年に第2回大会が開かれました。\n2003年に第3回大会が開かれました。\n2005年に第4回大会が開かれました。\n2010年に第5回大会が開かれました。";
    expect(check(`${meetings}\nその後は開かれていません。`, "ja").pass).toBe(true);
    expect(check(meetings, "ja", { stopReason: "max_tokens" }).pass).toBe(true);
    // Figures that never step evenly stay a table, however long.
    const rain = [59.7, 56.5, 116.0, 133.7, 139.7, 167.8, 156.2, 154.7, 224.9, 234.8, 96.3, 57.9];
    const table = rain.map((mm, month) => `${month + 1}月の降水量は${mm.toFixed(1)}mmでした。`).join("\n");
    expect(check(`東京の降水量です。\n${table}`, "ja", { stopReason: "eog" }).pass).toBe(true);
  });

  it("a table of figures is not a loop: its months count, but its figures vary as data does", () => {
    const figures = [[5.4, 59.7], [6.1, 56.5], [9.4, 116.0], [14.3, 133.7], [18.8, 139.7], [21.9, 167.8], [25.7, 156.2], [26.9, 154.7]];
    const table = figures.map(([temperature, rain], month) => `- ${month + 1}月：平均気温${temperature!.toFixed(1)}℃、降水量${rain!.toFixed(1)}mm`).join("\n");
    const result = check(`東京の月ごとの平均気温と降水量です。\n${table}\n夏に雨が多くなります。`, "ja");
    expect(result.pass).toBe(true);
    expect(result.details.looping).toBe(false);
    // The same frame with a count that steps evenly in every place is a loop: 2023年1月…, 2023年2月… with one figure.
    const counted = Array.from({ length: 12 }, (_, k) => `2023年${k + 1}月の来場者数は12,400人でした。`).join("\n");
    expect(check(counted, "ja", { stopReason: "max_tokens" })).toMatchObject({ pass: false, details: { looping: true, count: 11 } });
  });

  it("numbers that count are read in any script's digits, exactly", () => {
    // Full-width, common in Japanese: the count steps in every copy, the figure stays.
    const toFullWidth = (text: string): string => text.replace(/[0-9,]/g, (char) => String.fromCodePoint((char.codePointAt(0) as number) + 0xfee0));
    const fullWidth = Array.from({ length: 12 }, (_, k) => toFullWidth(`2023年${k + 1}月の来場者数は12,400人でした。`)).join("\n");
    expect(fullWidth).toContain("２０２３年１２月の来場者数は１２，４００人でした。");
    // All twelve lines: the last one, with no line break after it, is a copy too once a line break between CJK characters is nothing.
    expect(check(fullWidth, "ja", { stopReason: "max_tokens" })).toMatchObject({ pass: false, details: { looping: true, count: 12 } });
    const numbered = Array.from({ length: 12 }, (_, k) => toFullWidth(`${k + 1}．第${k + 1}回の会議は東京で開かれました。`)).join("\n");
    expect(check(numbered, "ja", { stopReason: "max_tokens" }).details.looping).toBe(true);
    // Arabic-Indic and Devanagari digits, which Number() reads as NaN.
    const inScript = (digits: string, k: number): string => String(k).replace(/[0-9]/g, (digit) => digits[Number(digit)]!);
    const arabic = Array.from({ length: 10 }, (_, k) => `الدرس ${inScript("٠١٢٣٤٥٦٧٨٩", k + 1)}: القاهرة هي عاصمة مصر.`).join("\n");
    expect(check(arabic, "ar", { stopReason: "max_tokens" }).details).toMatchObject({ looping: true, count: 9 });
    const devanagari = Array.from({ length: 10 }, (_, k) => `अध्याय ${inScript("०१२३४५६७८९", k + 1)}: दिल्ली भारत की राजधानी है।`).join("\n");
    expect(check(devanagari, "hi", { stopReason: "max_tokens" }).details).toMatchObject({ looping: true, count: 9 });
    // Past 2^53: order numbers counting up by one are a count; member numbers apart by less than a double can tell are not.
    const orders = Array.from({ length: 10 }, (_, k) => `Order ${9_007_199_254_740_993n + BigInt(k)} has shipped today.`).join("\n");
    expect(check(orders, "en", { stopReason: "max_tokens" }).details).toMatchObject({ looping: true, count: 9 });
    const members = [17, 342, 95, 871, 503, 260, 719, 48].map((offset) => `会員番号${12_345_678_901_234_567_000n + BigInt(offset)}の方は受付を済ませてください。`).join("\n");
    expect(check(`本日の当選者です。\n${members}\nおめでとうございます。`, "ja").details.looping).toBe(false);
  });
});

describe("offsets are code points", () => {
  it("emoji loop", () => {
    const result = check("😀".repeat(50), "en", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe("😀");
    expect(result.details.span).toEqual([0, 50]);
    expect(check("今日は楽しかったです😀！また行きたいです🎉", "ja").pass).toBe(true);
  });

  it("astral characters (𠮷) count as one", () => {
    const unit = "𠮷野家の牛丼はおいしいです。";
    const result = check(unit.repeat(10), "ja");
    expect(result.pass).toBe(false);
    expect(result.details.unit).toBe(unit);
    expect(result.details.unit_length).toBe(14);
    expect(result.details.span).toEqual([0, 140]);
    expect(result.details.highlights?.[1]).toEqual({ start: 14, end: 28, label: "loop copy 2/10" });
  });
});
