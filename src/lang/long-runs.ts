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

/** 、 and 。: kuromoji cuts its input into sentences after these itself. */
const KUROMOJI_SENTENCE_END = /[、。]/u;

/**
 * Splits text into the pieces kuromoji tokenizes one by one; the pieces
 * concatenate to the text. Two worst cases are cut, both quadratic in kuromoji:
 *
 * - a run of one character class longer than `maxRun` code points. kuromoji
 *   builds an unknown word for every start position of a same-class run
 *   (measured: "ー"×4000 ≈ 2 s, ×8000 ≈ 15 s; "w"×8000 ≈ 9 s) — exactly the
 *   runs degenerate outputs contain;
 * - a stretch without 、 or 。 longer than `maxSentence` code points: kuromoji's
 *   lattice for one sentence costs more than linear time (measured on ordinary
 *   unpunctuated Japanese: 5,000 chars 0.4 s, 10,000 1.0 s, 20,000 5.1 s). Such
 *   a stretch is cut where a word most likely ends: after hiragana (particles,
 *   endings) or after a space or symbol, else at any change of class.
 *
 * Ordinary text has no run near 32 code points and no sentence near 256, so
 * its tokens do not change.
 */
export function splitLongRuns(text: string, maxRun = 32, maxSentence = 256): string[] {
  const pieces: string[] = [];
  let pieceStart = 0;
  let runClass = 0;
  let runLength = 0;
  let position = 0; // code points so far
  let sentenceStart = 0; // code point position where the current stretch without 、。 began
  let wordEnd: { index: number; position: number } | null = null;
  let classChange: { index: number; position: number } | null = null;
  const cut = (index: number, at: number) => {
    pieces.push(text.slice(pieceStart, index));
    pieceStart = index;
    sentenceStart = at;
    wordEnd = null;
    classChange = null;
  };
  for (let index = 0; index < text.length; ) {
    const point = text.codePointAt(index) as number;
    const kind = charClass(point);
    if (kind === runClass) runLength++;
    else {
      if (index > pieceStart) {
        classChange = { index, position };
        if (runClass === 1 || runClass === 6 || runClass === 7) wordEnd = { index, position };
      }
      runClass = kind;
      runLength = 1;
    }
    if (runLength > maxRun) {
      cut(index, position);
      runLength = 1;
    } else if (position - sentenceStart >= maxSentence) {
      const boundary = wordEnd ?? classChange;
      cut(boundary?.index ?? index, boundary?.position ?? position);
    }
    position++;
    index += point > 0xffff ? 2 : 1;
    if (KUROMOJI_SENTENCE_END.test(String.fromCodePoint(point))) {
      sentenceStart = position;
      wordEnd = null;
      classChange = null;
    }
  }
  if (pieceStart < text.length || pieces.length === 0) pieces.push(text.slice(pieceStart));
  return pieces;
}
