import { defineCheck } from "./define.js";
import { MAX_COPY_HIGHLIGHTS, type RepetitionDetails, loopHighlights, repetitionView } from "./repetition-view.js";
import type { CheckOutcome, Highlight, WithDefaults } from "./types.js";
import { servicesForLanguage } from "../lang/services.js";
import {
  boundaryScore,
  codePointValues,
  compressionRatio,
  figuresWithoutIndex,
  foldNumbersAndSpaces,
  fromCodePoints,
  hasNumbersBesidesMarker,
  longestRepeatedSubstring,
  loopAround,
  loopsAnywhere,
  maxWindowCompressionRatio,
  nearCopiesCount,
  nearTailLoop,
  numbersStepEvenly,
  removeListFrames,
  seqRep,
  settledCount,
  tailLoop,
  unfoldLoop,
  widestLoop,
  withinTableRow,
  withoutListMarker,
  withoutTags,
  type Loop,
} from "../lang/repetition.js";

export type { RepetitionDetails } from "./repetition-view.js";

export interface RepetitionParams {
  /** n of seq-rep-n, over language-aware word tokens. Default 4. */
  n?: number;
  /** Fail when seq-rep-n is above this (outputs of at least min_length). Default 0.5. */
  max_seq_rep?: number;
  /** Fail when the compression ratio (code points / zlib bytes) of some window is above this (outputs of at least min_length). Default 3.0. */
  max_compression_ratio?: number;
  /** Window, in code points, the compression ratio is judged on. Default 300. */
  compression_window?: number;
  /** Code points an output needs before seq-rep and compression ratio are judged. Default 100. */
  min_length?: number;
  /** Back-to-back copies of a unit that make a loop (at the end or elsewhere). Default 3. */
  min_tail_repeats?: number;
  /** Code points a loop's complete copies must span to count (8× for units of only digits, punctuation, rules, spaces). Default 16. */
  min_loop_chars?: number;
}

type FilledRepetitionParams = WithDefaults<RepetitionParams, keyof RepetitionParams>;

export const REPETITION_DEFAULTS = {
  n: 4,
  max_seq_rep: 0.5,
  max_compression_ratio: 3.0,
  compression_window: 300,
  min_length: 100,
  min_tail_repeats: 3,
  min_loop_chars: 16,
} as const;

/**
 * Bumped whenever a measure or the pass rule changes, so scores are compared like with like.
 * 3: copies that differ in numbers of their own are a loop only when those numbers step evenly (a count, not a table of figures).
 * 4: copies within a line with `|` are exempt only as a table's row (short cells, closed by `|` and a line break, beside a line of as many cells), not when they run to the end;
 *    numbers that count are read in any script's digits (٣, ३; full-width was read through NFKC) and compared exactly past 2^53.
 * 5: a count that runs into the token budget (COUNT_TO_BUDGET copies or more at the end of an output cut at max_tokens) is a loop however little its unit says (1. 2. 3. … 17., y=4 y=5 …).
 * 6: the statistics drop the shared frame of a list written inline too (three or more items between commas or semicolons).
 * 7: an output cut at max_tokens that ends in copies whose numbers step evenly only from some copy on (a count that settles:
 *    1900–1950, 1950–1990, 1990–2000, 2000–2010… to the budget), over more than half of them, loops over those copies.
 * 8: at the end of an output cut at max_tokens, near-copies are copies too: a tail whose copies differ from copy to copy in up to one
 *    code point in NEAR_COPY_SHARE besides numbers and spacing (10月15日（日）から10月16日（月）まで、…), judged as a loop only when no
 *    exact or folded one counts; and a count into the budget (COUNT_TO_BUDGET copies) may differ in figures that nothing indexes,
 *    no number counting from copy to copy (建筑建筑高度18米，建筑建筑高度12米，…), as well as in numbers that step evenly.
 *    A copy no longer starts inside a number (49.9), and may start after a comma where that loses no complete copy.
 * 9: near-copies count only with a count moving with them (some number stepping by the same non-zero amount from copy to copy), so a list
 *    of weekdays with their hours, or of variables, cut at the budget is no loop; figures are indexed, and so no loop into the budget, when
 *    some place, or the numbers read together (6:05, 6:32, 7:08…), strictly rise or fall across the copies (1920年, 1930年, 1947年…);
 *    the reported loop is the widest that counts, exact, folded or near (a shorter unit when it covers nearly as much); no copy starts
 *    after a thousands separator (1,500).
 * 10: copies may differ in which of their spaces are line breaks (a sentence repeated and wrapped at other places).
 * 11: Han numerals that number a list (一、 二、 十一、) fold as digits do; a unit whose letters all lie inside markup tags
 *    (</strong></strong>…) says nothing, as a unit of only punctuation does.
 * 12: at the end, line breaks alone between two CJK characters are nothing to the copies (Japanese and Chinese wrap without spaces).
 * 13: Han numerals numbering a later line of a unit are numbers of its own (一、誤り\n二、正しい is an answer key, not a loop);
 *    a run of marked list items ends at an item without the frame three of them share (a last item cut by the budget no
 *    longer takes the frame off the whole list for the statistics).
 */
const VERSION = 13;
/**
 * Copies of a counting unit (its numbers step evenly) at the end of an output
 * cut at max_tokens that make a loop even when the unit says next to nothing
 * besides its number: a list of bare numbers until the budget is degenerate,
 * where 第1章, 第2章, 第3章 that ends on its own is a list. So do as many
 * copies of a unit with a letter whose figures nothing indexes (the same
 * words with a figure that falls unevenly, to the budget), where a table's
 * rows carry an index that counts (1月, 2月…) beside their figures.
 */
const COUNT_TO_BUDGET = 10;
/**
 * Units with no letter, emoji or other pictographic symbol — rules (`----`,
 * `────`), table borders (`|---|---|`), digit groups (`,000`), whitespace —
 * need this many times min_loop_chars: they repeat legitimately.
 */
const SYMBOL_LOOP_FACTOR = 8;
/**
 * Longest unit searched for everywhere in the output (loopsAnywhere); a loop of
 * longer units holds the output's longest repeat, where loopAround finds it.
 */
const MAX_ANYWHERE_UNIT = 200;
/** Longest text quoted in details (code points). */
const QUOTE_LIMIT = 200;

/** Letters and pictographic symbols (emoji, ★), but not box drawing (U+2500–U+259F). */
const CONTENT = /(?![\u2500-\u259f])[\p{L}\p{So}]/u;

function quote(text: string): string {
  const points = Array.from(text);
  return points.length <= QUOTE_LIMIT ? text : `${points.slice(0, QUOTE_LIMIT).join("")}…`;
}

function round(value: number | null, digits = 4): number | null {
  return value === null ? null : Number(value.toFixed(digits));
}

/**
 * Flags degenerate repetition: loops (a unit repeated back to back, typically
 * until the token limit), and outputs whose n-grams or bytes repeat far more
 * than prose does. Ordinary prose, which repeats particles and common words
 * constantly, passes.
 *
 * Fails when any of:
 * - a loop: at least `min_tail_repeats` back-to-back copies of one unit whose
 *   complete copies span at least `min_loop_chars` code points (8× that for a
 *   unit with no letter or emoji, so a `----` rule, a table border or
 *   `1,000,000,000,000` is not a loop) —
 *   at the end of the output (a final partial copy cut by the token limit is
 *   allowed) or anywhere around the longest repeated substring. Copies may
 *   differ in their numbers ("1. 東京です。", "2. 東京です。") and spacing when the unit has
 *   half of `min_loop_chars` in letters besides them; a list of parallel
 *   items, whose items share a frame but not their content, is not a loop.
 *   At the end of an output cut at max_tokens, copies may also differ from
 *   copy to copy in a few more code points (one in NEAR_COPY_SHARE: a weekday
 *   stepping with its date) when a number counts along with them;
 * - for outputs of at least `min_length` code points: seq-rep-n above
 *   `max_seq_rep`, or the compression ratio of some `compression_window`-sized
 *   window above `max_compression_ratio`. Both are computed on the text with
 *   the shared frame of list items removed (what every item of a run of 3+
 *   list lines has in common at its start and end), so a list of parallel
 *   items is judged on what its items say; the compression ratio counts code
 *   points, not UTF-8 bytes (see compressionRatio in src/lang/repetition.ts).
 *
 * Score: the share of the output (code points, 0–1) covered by the largest
 * repetition found — the loop's copies (a partial copy included) when it
 * counts as a loop, or the non-overlapping copies of the longest repeated
 * substring when that is at least `min_loop_chars` long and covers more. 0 =
 * nothing repeats, 1 = all of it; lower is better. `runaway` is true when a
 * failing output was cut by the token limit (stop reason max_tokens).
 *
 * Why these defaults (measured on the corpora of test/repetition-corpus.test.ts
 * — real outputs of Gemma 3 270M, Debian Reference prose and lists in ja, zh
 * and en, constructed loops and lists — and on the prose and loops in
 * test/check-repetition.test.ts): over 300-code-point windows clean prose and
 * lists compress 1.0–2.8 (p98 1.9 for ja prose) while sentence loops compress
 * 4–50; UTF-8 bytes gave ordinary Japanese 2.4–3.3 and Whisper's 2.4 flagged
 * half of the model's clean Japanese answers. Over a whole long output the
 * ratio of prose creeps up, hence the window; a loop whose unit is longer than
 * half a window barely raises it, which the loop detector covers. seq-rep-4
 * of prose is ≤ 0.03 (ja, kuromoji tokens), 0.00 (zh, en), ≤ 0.23 on any
 * 500-character English window, and 0.5–0.99 on loops. The statistics are not
 * judged below 100 code points, where a sentence compresses below 1 and a few
 * shared words swing seq-rep; the loop detector covers short outputs.
 */
export const repetition = defineCheck<RepetitionParams, RepetitionDetails, FilledRepetitionParams>({
  type: "repetition",
  better: "lower",
  unit: "0–1",
  note: "share of the output in a loop, 0–1",
  view: repetitionView,
  signature: (params, { probe, services }) =>
    `seqrep:${params.n}|tok:${services.wordTokenizer(probe.language).segmenter}|cr:zlib-cp/w${params.compression_window}|lists:frames-removed|loop:${params.min_tail_repeats}x${params.min_loop_chars}cp+counted-numbers+spaces+near-copies|v:${VERSION}`,
  summary: "no degenerate loop: tail/loop copies, seq-rep-n and windowed compression ratio within limits",
  paramsSchema: {
    type: "object",
    properties: {
      n: { type: "integer", minimum: 1, maximum: 16, default: REPETITION_DEFAULTS.n },
      max_seq_rep: { type: "number", minimum: 0, maximum: 1, default: REPETITION_DEFAULTS.max_seq_rep },
      max_compression_ratio: { type: "number", exclusiveMinimum: 0, default: REPETITION_DEFAULTS.max_compression_ratio },
      compression_window: { type: "integer", minimum: 16, default: REPETITION_DEFAULTS.compression_window },
      min_length: { type: "integer", minimum: 0, default: REPETITION_DEFAULTS.min_length },
      min_tail_repeats: { type: "integer", minimum: 2, default: REPETITION_DEFAULTS.min_tail_repeats },
      min_loop_chars: { type: "integer", minimum: 1, default: REPETITION_DEFAULTS.min_loop_chars },
    },
    additionalProperties: false,
  },
  services(_params, probe) {
    return servicesForLanguage(probe.language);
  },
  run({ params, probe, output, stopReason, services }): CheckOutcome<RepetitionDetails> {
    const {
      n,
      max_seq_rep: maxSeqRep,
      max_compression_ratio: maxRatio,
      compression_window: window,
      min_length: minLength,
      min_tail_repeats: minRepeats,
      min_loop_chars: minLoopChars,
    } = params;

    const text = codePointValues(output);
    const length = text.length;
    if (length === 0) {
      return {
        score: 0,
        pass: true,
        details: { reason: "empty output: nothing repeats", length: 0, runaway: false },
      };
    }

    // Measures.
    // The statistics judge what list items say, not the frame they share.
    const content = removeListFrames(text);
    const contentText = content.lists > 0 ? fromCodePoints(content.points) : output;
    const tokens = services.words(contentText, probe.language);
    const seqRepValue = seqRep(tokens, n);
    const repeat = longestRepeatedSubstring(text);
    const tail = tailLoop(text, minRepeats);
    const around = repeat ? loopAround(text, repeat, minRepeats) : null;
    const anywhere = loopsAnywhere(text, minRepeats, MAX_ANYWHERE_UNIT);
    // Numbered loops ("1. 東京です。\n2. 東京です。…") and unevenly spaced ones
    // repeat once their numbers and spaces are folded.
    const folded = foldNumbersAndSpaces(text);
    const foldedLoops: Loop[] = [];
    if (folded.folded) {
      // The tail is O(n); a loop elsewhere needs another suffix array, worth it when numbers can differ.
      const foldedRepeat = folded.digits ? longestRepeatedSubstring(folded.points) : null;
      const candidates = [tailLoop(folded.points, minRepeats), foldedRepeat ? loopAround(folded.points, foldedRepeat, minRepeats) : null];
      if (folded.digits) candidates.push(...loopsAnywhere(folded.points, minRepeats, MAX_ANYWHERE_UNIT));
      for (const loop of candidates) {
        if (!loop) continue;
        const unfolded = unfoldLoop(loop, folded, text);
        foldedLoops.push(unfolded);
        // A count into the budget may settle after copies that did not step evenly: its evenly stepping end is a loop of its own.
        const settled = stopReason === "max_tokens" && unfolded.atEnd ? settledCount(unfolded, text, minRepeats) : null;
        if (settled) foldedLoops.push(settled);
      }
    }
    // Copies wrapped at other places differ only in where their lines break.
    if (folded.lineBreaks) {
      const wrapped = foldNumbersAndSpaces(text, { wrapped: true });
      // Copies begin where a reader sees them begin: at the line breaks the folding dropped, too.
      const loop = tailLoop(wrapped.points, minRepeats, (at) => boundaryScore(text, wrapped.origin[at]!));
      if (loop) foldedLoops.push(unfoldLoop(loop, wrapped, text));
    }
    // At the budget, copies may also differ in a few letters (a weekday stepping with its date).
    const near = stopReason === "max_tokens" ? nearTailLoop(folded.points, minRepeats, MAX_ANYWHERE_UNIT) : null;
    const nearLoops: Loop[] = [];
    if (near) {
      const unfolded = unfoldLoop(near, folded, text);
      nearLoops.push(unfolded);
      const settled = settledCount(unfolded, text, minRepeats);
      if (settled) nearLoops.push(settled);
    }
    // A loop counts when its complete copies span enough (more for letterless
    // units). Copies that may differ in numbers of their own (not only in the
    // list number before them: "1. 休憩時", "2. 休憩時" is one item repeated) also
    // need a unit that says something besides the numbers — half of
    // min_loop_chars in letters — or 第1章, 第2章, 第3章 would be a loop; and
    // numbers that step evenly from copy to copy, as a loop's count, or a
    // table of figures (1月：5.4℃, 2月：6.1℃…) would be one.
    // A table row repeats a short cell (| ○ | ○ | ○ |) across its columns:
    // copies within a row of a table, closed by | and a line break, are that
    // row, not a loop.
    // What a unit says: its letters and emoji besides its list marker (the 一 of 一、 is a number) and outside markup tags.
    const readable = withoutTags(text);
    const saysSomething = (candidate: Loop): boolean =>
      CONTENT.test(withoutListMarker(fromCodePoints(readable, candidate.start, candidate.copyStarts?.[1] ?? candidate.start + candidate.unitLength)));
    const countsToBudget = (candidate: Loop): boolean =>
      stopReason === "max_tokens" &&
      candidate.atEnd &&
      candidate.copyStarts !== undefined &&
      candidate.count >= COUNT_TO_BUDGET &&
      (numbersStepEvenly(candidate, text) || (saysSomething(candidate) && figuresWithoutIndex(candidate, text)));
    // Near-copies also need a count moving with them, or a list of weekdays (or of variables) that share their words would be a loop.
    const counts = (candidate: Loop): boolean =>
      candidate.count >= minRepeats &&
      (!candidate.differences || nearCopiesCount(candidate, text)) &&
      !withinTableRow(text, candidate.start, candidate.end, candidate.unit) &&
      (countsToBudget(candidate) ||
        (candidate.count * candidate.unitLength >= (saysSomething(candidate) ? minLoopChars : minLoopChars * SYMBOL_LOOP_FACTOR) &&
          (candidate.copyStarts === undefined ||
            !hasNumbersBesidesMarker(candidate.unit) ||
            ((candidate.unit.match(/\p{L}/gu)?.length ?? 0) >= minLoopChars / 2 && numbersStepEvenly(candidate, text)))));
    // The widest loop that counts, exact, folded or near (exact, then folded,
    // on a tie); else the widest one, for the details.
    const exact = [tail, around, ...anywhere].filter((candidate): candidate is Loop => candidate !== null);
    const candidates = [...exact, ...foldedLoops, ...nearLoops];
    const loop = widestLoop(candidates.filter(counts), text) ?? widestLoop(candidates, text);
    const wholeRatio = compressionRatio(content.points);
    const contentWindow = maxWindowCompressionRatio(content.points, window);
    // Window offsets in the original, frames included.
    const windowRatio = contentWindow && {
      ratio: contentWindow.ratio,
      start: content.origin[contentWindow.start] as number,
      end: (content.origin[contentWindow.end - 1] as number) + 1,
    };
    const longEnough = length >= minLength;

    // Pass rule.
    const looping = loop !== null && counts(loop);
    const seqRepFails = longEnough && seqRepValue !== null && seqRepValue > maxSeqRep;
    const ratioFails = longEnough && windowRatio !== null && windowRatio.ratio > maxRatio;
    const pass = !looping && !seqRepFails && !ratioFails;
    const runaway = !pass && stopReason === "max_tokens";

    // Score: share covered by the largest repetition found. A repeated substring
    // shorter than min_loop_chars ("ません" twice) is how language works, not repetition.
    const repeatCover = repeat && repeat.length >= minLoopChars ? repeat.length * repeat.starts.length : 0;
    const loopCover = looping && loop ? loop.end - loop.start : 0;
    const score = Math.min(1, Math.max(repeatCover, loopCover) / length);

    const problems: string[] = [];
    if (looping && loop) {
      const where = loop.atEnd ? "output ends in" : `at ${loop.start}–${loop.end}:`;
      const partial = loop.partial > 0 ? ` + a partial copy` : "";
      const each = loop.differences
        ? `differing in their numbers, spacing and up to ${loop.differences} other ${loop.differences === 1 ? "char" : "chars"}`
        : loop.copyStarts
          ? "differing at most in their numbers and spacing"
          : `${loop.unitLength} chars each`;
      problems.push(`${where} ${loop.count} copies of "${quote(loop.unit)}" (${each}${partial}, ${loop.end - loop.start} of ${length} chars)`);
    }
    if (seqRepFails) problems.push(`seq-rep-${n} ${round(seqRepValue, 3)} > max_seq_rep ${maxSeqRep}`);
    if (ratioFails && windowRatio) {
      problems.push(`compression ratio ${round(windowRatio.ratio, 2)} > max_compression_ratio ${maxRatio} in chars ${windowRatio.start}–${windowRatio.end}`);
    }

    let reason: string;
    if (!pass) {
      reason = problems.join("; ") + (runaway ? "; runaway: generation hit max_tokens while looping" : "");
    } else {
      const judged = longEnough
        ? `seq-rep-${n} ${round(seqRepValue, 3) ?? "n/a"}, compression ratio ${round(windowRatio?.ratio ?? null, 2)} (highest ${window}-char window)`
        : `seq-rep and compression ratio not judged below min_length ${minLength}`;
      const repeated = repeat ? `, longest repeat ${repeat.length} chars ×${repeat.starts.length}` : "";
      reason = `no loop: ${judged}${repeated}`;
    }

    const highlights: Highlight[] = [];
    if (looping && loop) {
      highlights.push(...loopHighlights(loop));
    } else if (!pass) {
      if (repeat) {
        for (const [index, start] of repeat.starts.slice(0, MAX_COPY_HIGHLIGHTS).entries()) {
          highlights.push({ start, end: start + repeat.length, label: `repeated ${index + 1}/${repeat.starts.length}` });
        }
      }
      if (ratioFails && windowRatio) {
        highlights.push({ start: windowRatio.start, end: windowRatio.end, label: `compression ratio ${round(windowRatio.ratio, 2)}` });
      }
    }

    return {
      score: round(score),
      pass,
      details: {
        reason,
        length,
        tokens: tokens.length,
        seq_rep: round(seqRepValue),
        n,
        compression_ratio: round(wholeRatio),
        window_compression_ratio: windowRatio ? round(windowRatio.ratio) : null,
        window_span: windowRatio ? [windowRatio.start, windowRatio.end] : null,
        longest_repeat: repeat
          ? {
              text: quote(String.fromCodePoint(...text.subarray(repeat.starts[0], (repeat.starts[0] as number) + Math.min(repeat.length, QUOTE_LIMIT + 1)))),
              length: repeat.length,
              copies: repeat.starts.length,
              share: round((repeat.length * repeat.starts.length) / length),
            }
          : null,
        unit: loop ? quote(loop.unit) : null,
        unit_length: loop ? loop.unitLength : null,
        count: loop ? loop.count : 0,
        partial: loop ? loop.partial : 0,
        span: loop ? [loop.start, loop.end] : null,
        loop_at: loop ? (loop.atEnd ? "end" : "middle") : null,
        looping,
        judged: longEnough,
        list_frames_removed: content.lists,
        stop_reason: stopReason,
        runaway,
        ...(highlights.length > 0 ? { highlights } : {}),
      },
    };
  },
});
