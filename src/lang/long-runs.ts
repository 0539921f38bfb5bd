/** Guarding kuromoji against its worst case: long runs of one character class. */

/** Coarse character classes: a run of one class is what kuromoji groups into one unknown word. */
function charClass(point: number): number {
  if (point >= 0x3040 && point <= 0x309f) return 1; // hiragana
  if ((point >= 0x30a0 && point <= 0x30ff) || (point >= 0x31f0 && point <= 0x31ff) || (point >= 0xff66 && point <= 0xff9f)) return 2; // katakana, ー
  if ((point >= 0x3400 && point <= 0x9fff) || (point >= 0xf900 && point <= 0xfaff) || (point >= 0x20000 && point <= 0x3ffff)) return 3; // han
  if ((point >= 0x41 && point <= 0x5a) || (point >= 0x61 && point <= 0x7a) || (point >= 0xff21 && point <= 0xff5a)) return 4; // latin
  if ((point >= 0x30 && point <= 0x39) || (point >= 0xff10 && point <= 0xff19)) return 5; // digits
  if (point === 0x20 || point === 0x09 || point === 0x0a || point === 0x0d || point === 0x3000) return 6; // spaces
  return 7; // everything else (symbols, punctuation, emoji)
}

/**
 * Splits text so that no piece holds more than `maxRun` code points of one
 * character class in a row; the pieces concatenate to the text. kuromoji
 * builds an unknown word for every start position of a same-class run, so its
 * time grows with the square of the run (measured: "ー"×4000 ≈ 2 s, ×8000 ≈ 15 s;
 * "w"×8000 ≈ 9 s) — exactly the runs degenerate outputs contain. Ordinary text
 * has no run anywhere near 32 code points, so its tokens do not change.
 */
export function splitLongRuns(text: string, maxRun = 32): string[] {
  const pieces: string[] = [];
  let pieceStart = 0;
  let runClass = 0;
  let runLength = 0;
  for (let index = 0; index < text.length; ) {
    const point = text.codePointAt(index) as number;
    const kind = charClass(point);
    if (kind === runClass) runLength++;
    else {
      runClass = kind;
      runLength = 1;
    }
    if (runLength > maxRun) {
      pieces.push(text.slice(pieceStart, index));
      pieceStart = index;
      runLength = 1;
    }
    index += point > 0xffff ? 2 : 1;
  }
  if (pieceStart < text.length || pieces.length === 0) pieces.push(text.slice(pieceStart));
  return pieces;
}

