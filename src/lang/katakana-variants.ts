/**
 * Spelling variants of loanwords, as edits between two katakana spellings.
 *
 * Japanese writes many loanwords more than one way, and the ways differ by a
 * few kinds of edit — the ones the Cabinet notice 外来語の表記 (1991) lists as
 * alternatives, and the ones usage shows: a long vowel written ー or with its
 * vowel kana (メーン/メイン), ッ present or absent (スパゲッティ/スパゲティ),
 * ティ/チ (ティーム/チーム), ファ/ハ (セロファン/セロハン), ヤ/ア after an i
 * (ダイヤ/ダイア), a small kana written full-size (フィルム/フイルム, ギリシャ/ギリシア), and a
 * consonant voiced or not where loanword spelling wavers (ギプス/ギブス,
 * ベッド/ベット). Any other edit — ザ for サ, オ for ラ — makes another word.
 *
 * `alignMorae` finds the cheapest edit script between two mora sequences that
 * uses at most a given number of edits that are not variants, and names the
 * kind of each edit. Its distance is the ordinary edit distance in morae when
 * the limit does not bind: a variant edit still costs what it changes (ファ
 * for フア is a mora replaced and one added: 2).
 */

/** The kinds of spelling variation recognised; each names its class by an example pair where the name alone is not clear. */
export type VariantKind =
  | "long vowel" // ー present or absent (マネージャー/マネジャー), or ー vs the vowel kana (メーン/メイン, ボーリング/ボウリング)
  | "sokuon" // ッ present or absent (スパゲッティ/スパゲティ)
  | "voicing" // a voiced or voiceless consonant after ッ or before an epenthetic u (ベッド/ベット, ギプス/ギブス)
  | "small kana" // a small kana written full-size (ファン/フアン, ッ/ツ, ヶ/ケ)
  | "ti/di" // ティ/チ/テ, ディ/ジ/デ, トゥ/ツ/ト, ドゥ/ド/ズ, テュ/チュ, デュ/ジュ, ツィ/チ, スィ/シ, ズィ/ジ
  | "ji/di" // ジ/ヂ, ズ/ヅ (バッジ/バッヂ)
  | "fa" // ファ/ハ, フィ/ヒ, フェ/ヘ, フォ/ホ, フュ/ヒュ
  | "va" // ヴァ/バ … (only seen unfolded: lenient matching folds ヴ)
  | "wo/we" // ウォ/オ, ウェ/エ
  | "kwa" // クァ/カ, クィ/キ, クェ/ケ, クォ/コ, グァ/ガ
  | "she/je" // シェ/セ, ジェ/ゼ (ミルクシェーキ/ミルクセーキ)
  | "ye" // イェ/エ
  | "ya after i" // ヤ/ア after a mora in i (ダイヤ/ダイア)
  | "old kana"; // ヰ/イ, ヱ/エ, ヲ/オ (ウヰスキー)

/** One edit of an alignment: `expected` mora(e) written as `written`; "" for a mora added or left out. */
export interface MoraEdit {
  expected: string;
  written: string;
  /** The kind of spelling variation, or null for an edit that is not one. */
  variant: VariantKind | null;
}

export interface Alignment {
  /** Edit distance in morae (a variant edit counts what it changes). */
  distance: number;
  /** Edits that are not spelling variants. */
  others: number;
  edits: MoraEdit[];
}

const PAIRS: ReadonlyArray<readonly [VariantKind, ReadonlyArray<readonly [string, string]>]> = [
  ["ti/di", [
    ["ティ", "チ"], ["ティ", "テ"], ["ディ", "ジ"], ["ディ", "デ"], ["ディ", "ヂ"], ["トゥ", "ツ"], ["トゥ", "ト"],
    ["ドゥ", "ド"], ["ドゥ", "ズ"], ["テュ", "チュ"], ["デュ", "ジュ"], ["ツィ", "チ"], ["スィ", "シ"], ["ズィ", "ジ"],
  ]],
  ["ji/di", [["ジ", "ヂ"], ["ズ", "ヅ"], ["ジャ", "ヂャ"], ["ジュ", "ヂュ"], ["ジョ", "ヂョ"]]],
  ["fa", [["ファ", "ハ"], ["フィ", "ヒ"], ["フェ", "ヘ"], ["フォ", "ホ"], ["フュ", "ヒュ"]]],
  ["va", [["ヴァ", "バ"], ["ヴィ", "ビ"], ["ヴ", "ブ"], ["ヴェ", "ベ"], ["ヴォ", "ボ"], ["ヴュ", "ビュ"], ["ヷ", "バ"], ["ヸ", "ビ"], ["ヹ", "ベ"], ["ヺ", "ボ"]]],
  ["wo/we", [["ウォ", "オ"], ["ウェ", "エ"]]],
  ["kwa", [["クァ", "カ"], ["クィ", "キ"], ["クェ", "ケ"], ["クォ", "コ"], ["グァ", "ガ"]]],
  ["she/je", [["シェ", "セ"], ["ジェ", "ゼ"]]],
  ["ye", [["イェ", "エ"]]],
  ["old kana", [["ヰ", "イ"], ["ヱ", "エ"], ["ヲ", "オ"]]],
];

/** "x\u0000y" (both orders) → kind, for the substitutions that are variants wherever they occur. */
const PAIR_KINDS = new Map<string, VariantKind>();
for (const [kind, pairs] of PAIRS) {
  for (const [x, y] of pairs) {
    PAIR_KINDS.set(`${x}\u0000${y}`, kind);
    PAIR_KINDS.set(`${y}\u0000${x}`, kind);
  }
}

/** Small kana and their full-size letters. */
const FULL_SIZE = new Map([
  ["ァ", "ア"], ["ィ", "イ"], ["ゥ", "ウ"], ["ェ", "エ"], ["ォ", "オ"], ["ャ", "ヤ"], ["ュ", "ユ"], ["ョ", "ヨ"],
  ["ヮ", "ワ"], ["ッ", "ツ"], ["ヵ", "カ"], ["ヶ", "ケ"],
]);

const VOWEL_ROWS: ReadonlyArray<readonly [string, string]> = [
  ["a", "アカサタナハマヤラワガザダバパァャヮヵヷ"],
  ["i", "イキシチニヒミリギジヂビピィヰヸ"],
  ["u", "ウクスツヌフムユルグズヅブプゥュヴ"],
  ["e", "エケセテネヘメレゲゼデベペェヱヶヹ"],
  ["o", "オコソトノホモヨロヲゴゾドボポォョヺ"],
];
const VOWEL_OF = new Map<string, string>();
for (const [vowel, kana] of VOWEL_ROWS) for (const char of kana) VOWEL_OF.set(char, vowel);

/** The vowel a mora ends in (キャ → a); null for ン, ッ, ー and anything else. */
function vowelOf(mora: string | undefined): string | null {
  if (mora === undefined || mora === "") return null;
  return VOWEL_OF.get(mora.slice(-1)) ?? null;
}

/**
 * Morae that carry a consonant of the source word with an added vowel: the u
 * row, and ト ド (t, d take o). Two of them side by side are a consonant
 * cluster of the source word (ps in ギプス, ks in ボックス).
 */
const CODA_MORAE = new Set(Array.from("クグスズツヅフブプヌムルトド"));

/**
 * Whether the mora at `index` stands next to another coda mora: one after it,
 * or one before it that is not the word's first (a first ス, ク, ト is the
 * start of the word — スキー, クリーム — not a consonant cluster).
 */
function inCluster(morae: readonly string[], index: number): boolean {
  return (index - 1 >= 1 && CODA_MORAE.has(morae[index - 1]!)) || (index + 1 < morae.length && CODA_MORAE.has(morae[index + 1]!));
}

const VOWEL_KANA = new Map([["ア", "a"], ["イ", "i"], ["ウ", "u"], ["エ", "e"], ["オ", "o"]]);

/**
 * Voiceless kana → voiced (カ → ガ, and パ → バ: the ハ row's voiceless stop),
 * derived by composing the voicing mark.
 */
const VOICED = new Map<string, string>();
for (const char of "カキクケコサシスセソタチツテト") VOICED.set(char, (char + "\u3099").normalize("NFC"));
for (const char of "ハヒフヘホ") VOICED.set((char + "\u309A").normalize("NFC"), (char + "\u3099").normalize("NFC"));

function isVoicingPair(x: string, y: string): boolean {
  if (x.length !== y.length || x.slice(1) !== y.slice(1)) return false;
  const [a, b] = [x[0]!, y[0]!];
  return VOICED.get(a) === b || VOICED.get(b) === a;
}

/**
 * The kind of variant that writes mora `x` as `y`, or null, given the mora
 * before each and whether each stands in a consonant cluster (`inCluster`).
 * Context matters for three kinds: ー stands for the
 * vowel it lengthens; ヤ/ア only after an i; and voicing only where loanword
 * spelling wavers on it — after ッ (Japanese has almost no voiced geminates:
 * ベッド is often written ベット, バッグ バック) and inside a consonant cluster
 * of the source word, a mora whose u was added next to another such mora (Gips
 * ギプス/ギブス, Jobs ジョブズ/ジョブス). Elsewhere voicing makes another word,
 * and that is most of the short ones: ハーブ/ハープ, リング/リンク, キズ/キス,
 * ピザ/ピサ, カード/ガード.
 */
function substitutionKind(
  x: string,
  y: string,
  context: { beforeX?: string; beforeY?: string; clusterX: boolean; clusterY: boolean },
): VariantKind | null {
  const { beforeX, beforeY } = context;
  const paired = PAIR_KINDS.get(`${x}\u0000${y}`);
  if (paired) return paired;
  if (FULL_SIZE.get(x) === y || FULL_SIZE.get(y) === x) return "small kana";
  const lengthens = (mark: string, vowelKana: string, before: string | undefined): boolean => {
    if (mark !== "ー") return false;
    const vowel = VOWEL_KANA.get(vowelKana);
    const previous = vowelOf(before);
    return vowel !== undefined && previous !== null && (previous === vowel || (previous === "e" && vowel === "i") || (previous === "o" && vowel === "u"));
  };
  if (lengthens(x, y, beforeY) || lengthens(y, x, beforeX)) return "long vowel";
  if ((x === "ヤ" && y === "ア") || (x === "ア" && y === "ヤ")) {
    if (vowelOf(beforeX) === "i" && vowelOf(beforeY) === "i") return "ya after i";
  }
  if (beforeX !== undefined && beforeY !== undefined && isVoicingPair(x, y)) {
    if (beforeX === "ッ" && beforeY === "ッ") return "voicing";
    if (CODA_MORAE.has(x) && CODA_MORAE.has(y) && (context.clusterX || context.clusterY)) return "voicing";
  }
  return null;
}

/** The kind of variant that adds or leaves out mora `x` (after `before`), or null: only ッ and ー, after a mora with a vowel. */
function insertionKind(x: string, before: string | undefined): VariantKind | null {
  if (vowelOf(before) === null) return null;
  if (x === "ッ") return "sokuon";
  if (x === "ー") return "long vowel";
  return null;
}

/**
 * Whether `glided` (one mora with a small kana, ファ) is written as the two
 * morae `first`, `second` (フ, ア). A small ャ follows an i-row kana, so
 * written full-size it is also ア — ヤ/ア after an i (ギリシャ/ギリシア,
 * ペルシャ/ペルシア).
 */
function isFullSizeSplit(glided: string, first: string | undefined, second: string | undefined): boolean {
  if (glided.length !== 2 || first !== glided[0] || second === undefined) return false;
  const small = glided[1]!;
  return FULL_SIZE.get(small) === second || (small === "ャ" && second === "ア");
}

type Step = "match" | "substitute" | "leave out" | "add" | "split" | "merge";

/** A move of the alignment into a cell: from cell (i, j), at a cost, a variant of a kind or (null) another edit. */
interface Move {
  step: Step;
  i: number;
  j: number;
  cost: number;
  variant: VariantKind | null;
}

/**
 * The cheapest alignment of `expected` onto `written` (morae, as texts) that
 * uses at most `othersLimit` edits that are not spelling variants; null when
 * there is none. With `variants` false every edit counts as another.
 */
export function alignMorae(
  expected: readonly string[],
  written: readonly string[],
  othersLimit: number,
  variants = true,
): Alignment | null {
  const n = expected.length;
  const m = written.length;
  // More others than edits are never needed: the limit is at most max(n, m).
  const layers = Math.min(Math.max(0, Math.floor(othersLimit)), Math.max(n, m)) + 1;
  const width = m + 1;
  const plane = (n + 1) * width;
  const cost = new Float64Array(layers * plane).fill(Infinity);
  const at = (k: number, i: number, j: number): number => k * plane + i * width + j;

  /** The moves into cell (i, j). */
  const moves = (i: number, j: number): Move[] => {
    const result: Move[] = [];
    const kind = (found: VariantKind | null): VariantKind | null => (variants ? found : null);
    if (i > 0 && j > 0) {
      const x = expected[i - 1]!;
      const y = written[j - 1]!;
      if (x === y) result.push({ step: "match", i: i - 1, j: j - 1, cost: 0, variant: null });
      else {
        const context = { beforeX: expected[i - 2], beforeY: written[j - 2], clusterX: inCluster(expected, i - 1), clusterY: inCluster(written, j - 1) };
        result.push({ step: "substitute", i: i - 1, j: j - 1, cost: 1, variant: kind(substitutionKind(x, y, context)) });
      }
    }
    if (i > 0) result.push({ step: "leave out", i: i - 1, j, cost: 1, variant: kind(insertionKind(expected[i - 1]!, expected[i - 2])) });
    if (j > 0) result.push({ step: "add", i, j: j - 1, cost: 1, variant: kind(insertionKind(written[j - 1]!, written[j - 2])) });
    if (variants && i > 0 && j > 1 && isFullSizeSplit(expected[i - 1]!, written[j - 2], written[j - 1])) {
      result.push({ step: "split", i: i - 1, j: j - 2, cost: 2, variant: "small kana" });
    }
    if (variants && i > 1 && j > 0 && isFullSizeSplit(written[j - 1]!, expected[i - 2], expected[i - 1])) {
      result.push({ step: "merge", i: i - 2, j: j - 1, cost: 2, variant: "small kana" });
    }
    return result;
  };
  /** A move that is not a match or a variant uses up one of the others allowed. */
  const layerFrom = (k: number, move: Move): number =>
    move.step === "match" || move.variant !== null ? k : k - 1;

  for (let k = 0; k < layers; k++) {
    for (let i = 0; i <= n; i++) {
      for (let j = 0; j <= m; j++) {
        if (i === 0 && j === 0) {
          cost[at(k, 0, 0)] = 0;
          continue;
        }
        let best = Infinity;
        for (const move of moves(i, j)) {
          const from = layerFrom(k, move);
          if (from < 0) continue;
          best = Math.min(best, cost[at(from, move.i, move.j)]! + move.cost);
        }
        cost[at(k, i, j)] = best;
      }
    }
  }
  const distance = cost[at(layers - 1, n, m)]!;
  if (distance === Infinity) return null;

  // Trace back from the fewest others that reach the same distance, preferring
  // matches and variants at each step, so that the edits named are the likeliest.
  let k = 0;
  while (cost[at(k, n, m)]! > distance) k++;
  const edits: MoraEdit[] = [];
  let [i, j] = [n, m];
  while (i > 0 || j > 0) {
    const here = cost[at(k, i, j)]!;
    const reaches = (candidate: Move): boolean => {
      const from = layerFrom(k, candidate);
      return from >= 0 && cost[at(from, candidate.i, candidate.j)]! + candidate.cost === here;
    };
    const options = moves(i, j);
    const move = options.find((candidate) => layerFrom(k, candidate) === k && reaches(candidate)) ?? options.find(reaches)!;
    if (move.step !== "match") {
      edits.push({ expected: expected.slice(move.i, i).join(""), written: written.slice(move.j, j).join(""), variant: move.variant });
    }
    k = layerFrom(k, move);
    [i, j] = [move.i, move.j];
  }
  edits.reverse();
  return { distance, others: edits.filter((edit) => edit.variant === null).length, edits };
}
