import { describe, expect, it } from "vitest";
import { diffText, type DiffSegment } from "../src/compare/text-diff.js";
import { mulberry32 } from "../src/util/random.js";

const side = (segments: DiffSegment[], which: "delete" | "insert") =>
  segments.filter((segment) => segment.op === "equal" || segment.op === which).map((segment) => segment.text).join("");
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

function randomText(random: () => number, alphabet: string[], length: number): string {
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]!).join("");
}

describe("text diff on code points", () => {
  it("never splits a surrogate pair, even between characters sharing their high surrogate", () => {
    // 😀 😁 😂 share U+D83D; 𠮷 and 𠀋 share nothing with them but are astral too.
    const alphabet = ["😀", "😁", "😂", "𠮷", "𠀋", "吉", "野", "a"];
    const random = mulberry32(12);
    for (let round = 0; round < 300; round++) {
      const base = randomText(random, alphabet, Math.floor(random() * 30));
      const chars = Array.from(base);
      for (let edit = 0; edit < 4; edit++) chars.splice(Math.floor(random() * (chars.length + 1)), random() < 0.5 ? 1 : 0, ...(random() < 0.5 ? [alphabet[Math.floor(random() * alphabet.length)]!] : []));
      const candidate = chars.join("");
      const segments = diffText(base, candidate);
      for (const segment of segments) expect(LONE_SURROGATE.test(segment.text), JSON.stringify(segment)).toBe(false);
      expect(side(segments, "delete")).toBe(base);
      expect(side(segments, "insert")).toBe(candidate);
    }
    expect(diffText("𠮷野家で😀", "吉野家で😁")).toEqual([
      { op: "delete", text: "𠮷" },
      { op: "insert", text: "吉" },
      { op: "equal", text: "野家で" },
      { op: "delete", text: "😀" },
      { op: "insert", text: "😁" },
    ]);
  });
});

describe("text diff on huge outputs", () => {
  const random = mulberry32(7);
  const alphabet = Array.from("あいうえおかきくけこ東京大阪 abc");
  const base = randomText(random, alphabet, 100_000);
  const candidate = randomText(random, alphabet, 100_000);
  // Ops and lengths, so a failure does not print 100,000 characters.
  const shape = (segments: DiffSegment[]) => segments.map((segment) => `${segment.op} ${Array.from(segment.text).length}`);

  it("two very different 100,000-character outputs: one change, at once", () => {
    const started = performance.now();
    const segments = diffText(`共通の始まり${base}`, `共通の始まり${candidate}`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(shape(segments)).toEqual(["equal 6", "delete 100000", "insert 100000"]);
    expect(side(segments, "insert") === `共通の始まり${candidate}`).toBe(true);
  });

  it("the time limit ends a diff whose edit and work budgets were lifted", () => {
    const started = performance.now();
    const segments = diffText(base, candidate, { maxEdits: Infinity, maxWork: Infinity, timeoutMs: 100 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(shape(segments)).toEqual(["delete 100000", "insert 100000"]);
  });

  it("a few edits close together in a huge output are still found one by one", () => {
    const edited = `${base.slice(0, 50_000)}X${base.slice(50_000, 50_500)}${base.slice(50_501)}`;
    const segments = diffText(base, edited);
    expect(segments.filter((segment) => segment.op !== "equal")).toEqual([
      { op: "insert", text: "X" },
      { op: "delete", text: base[50_500] },
    ]);
    expect(side(segments, "delete") === base && side(segments, "insert") === edited).toBe(true);
  });
});
