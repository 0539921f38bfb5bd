/** The repetition measures (seq-rep-n, the longest repeated substring, the tail loop) and the check's speed. */
import { beforeAll, describe, expect, it } from "vitest";
import { splitLongRuns } from "../src/lang/long-runs.js";
import { codePointValues, digitValue, longestRepeatedSubstring, numbersIn, seqRep, tailLoop } from "../src/lang/repetition.js";
import { splitWords } from "../src/lang/words.js";
import { JA_PROSE, check, loadRepetitionServices } from "./check-repetition-helpers.js";

beforeAll(loadRepetitionServices);

describe("seq-rep-n (Welleck et al.)", () => {
  it("gives the reference vector for “the cat sat on the mat” twice", () => {
    const output = "the cat sat on the mat the cat sat on the mat";
    expect(check(output, "en", { params: { n: 1 } }).details.seq_rep).toBeCloseTo(0.5833, 4);
    expect(check(output, "en", { params: { n: 2 } }).details.seq_rep).toBeCloseTo(0.4545, 4);
    expect(check(output, "en", { params: { n: 4 } }).details.seq_rep).toBeCloseTo(0.3333, 4);
    // Two copies are not a loop, and the text is below min_length: it passes.
    expect(check(output, "en").pass).toBe(true);
  });

  it("is null when there are fewer tokens than n", () => {
    expect(seqRep(["a", "b"], 4)).toBeNull();
    expect(seqRep(splitWords("a b c d"), 4)).toBe(0);
  });
});

describe("measures", () => {
  it("longest repeated substring does not overlap itself", () => {
    expect(longestRepeatedSubstring(codePointValues("aaaa"))).toEqual({ length: 2, starts: [0, 2] });
    expect(longestRepeatedSubstring(codePointValues("abcabcabc"))).toEqual({ length: 3, starts: [0, 3, 6] });
    expect(longestRepeatedSubstring(codePointValues("abcd"))).toBeNull();
    expect(longestRepeatedSubstring(codePointValues("x𠮷yz𠮷y"))).toEqual({ length: 2, starts: [1, 4] });
  });

  it("longest repeated substring agrees with brute force", () => {
    let seed = 7;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    for (let trial = 0; trial < 300; trial++) {
      const text = Array.from({ length: random() % 30 }, () => "ab𠮷"[random() % 3]).join("");
      const points = Array.from(text);
      let best = 0;
      for (let i = 0; i < points.length; i++) {
        for (let j = i + 1; j < points.length; j++) {
          let length = 0;
          while (j + length < points.length && points[i + length] === points[j + length] && length < j - i) length++;
          best = Math.max(best, length);
        }
      }
      expect(longestRepeatedSubstring(codePointValues(text))?.length ?? 0, text).toBe(best);
    }
  });

  it("digits of any script have their value; digit runs are read exactly", () => {
    // ASCII, full-width, Arabic-Indic, Devanagari, Bengali, Thai, and the mathematical digits (five runs of 0–9 back to back).
    for (const digits of ["0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "০১২৩৪৫৬৭৮৯", "๐๑๒๓๔๕๖๗๘๙", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡", "𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿"]) {
      expect(Array.from(digits, (digit) => digitValue(digit.codePointAt(0) as number)), digits).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    for (const other of ["a", "①", "²", "一", "Ⅳ", "/", ":"]) expect(digitValue(other.codePointAt(0) as number), other).toBe(-1);
    expect(numbersIn(codePointValues("第１２回、٣٤ and 9007199254740993"))).toEqual([12n, 34n, 9_007_199_254_740_993n]);
    expect(numbersIn(codePointValues("no digits"))).toEqual([]);
  });

  it("tail loop prefers the shortest unit covering the loop", () => {
    expect(tailLoop(codePointValues("xyz" + "ab".repeat(10) + "a"), 3)).toMatchObject({ unit: "ab", count: 10, partial: 1 });
    expect(tailLoop(codePointValues("Stop it!!! Stop it!!! Stop it!!! "), 3)).toMatchObject({ unit: "Stop it!!! ", count: 3 });
    expect(tailLoop(codePointValues("abc"), 3)).toBeNull();
  });
});

/**
 * Long outputs: a quadratic step would take minutes on 50k characters, so each
 * test's timeout (HANG_GUARD_MS) is the guard against one; the check's
 * throughput is `npm run bench:score`'s to measure, not a test's.
 */
const HANG_GUARD_MS = 30_000;

describe("long outputs", () => {
  it("scores a 50k-character loop", () => {
    const english = "The cat sat on the mat and looked at the door. ".repeat(1100).slice(0, 50_000);
    const result = check(english, "en", { stopReason: "max_tokens" });
    expect(result.pass).toBe(false);
    expect(result.details.length).toBe(50_000);

    // Japanese pays for kuromoji (≈ 234k chars/s) on top of the measures.
    const japanese = "これはテストです。".repeat(5600).slice(0, 50_000);
    const ja = check(japanese, "ja", { stopReason: "max_tokens" });
    expect(ja.details.unit).toBe("これはテストです。");
    expect(ja.details.count).toBe(5555);
  }, HANG_GUARD_MS);

  it("one-character runs do not make kuromoji quadratic", () => {
    // kuromoji alone needs ≈ 15 s for "ー"×8000; the check tokenizes in bounded pieces.
    for (const char of ["ー", "w", "草"]) {
      const result = check(`そうですね${char.repeat(20_000)}`, "ja", { stopReason: "max_tokens" });
      expect(result.details.unit).toBe(char);
      expect(result.details.runaway).toBe(true);
    }
    // Ordinary text has no long same-class run: it is tokenized in one piece.
    expect(splitLongRuns(JA_PROSE)).toEqual([JA_PROSE]);
    expect(splitLongRuns("ー".repeat(70)).map((piece) => piece.length)).toEqual([32, 32, 6]);
    expect(splitLongRuns("")).toEqual([""]);
  }, HANG_GUARD_MS);

  it("scores 50k characters of non-repeating text", () => {
    // Pseudo-random words: no loop, nothing long repeats.
    let seed = 11;
    // High bits of a 32-bit LCG (its low bits have short periods).
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    const syllables = ["ka", "to", "mi", "re", "su", "no", "ha", "ri", "ne", "yo", "pa", "zu"];
    let text = "";
    while (text.length < 50_000) {
      const length = 1 + (random() % 4);
      text += Array.from({ length }, () => syllables[random() % syllables.length]).join("") + (random() % 9 === 0 ? ". " : " ");
    }
    text = text.slice(0, 50_000);
    const result = check(text, "en");
    expect(result.details.looping).toBe(false);
  }, HANG_GUARD_MS);
});
