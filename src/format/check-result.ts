/** A check result as results, reports and diffs carry it: the shape every check returns. */

/**
 * Every check's result has this shape; `type` is the check's name in the
 * report, set once by the check machinery (checks/define.ts), not by the check.
 * `Details` is the check's own typed details.
 */
export interface CheckResult<Details extends CheckDetails = CheckDetails> {
  type: string;
  /** A number in the check's own unit (documented per check); null when not measurable. */
  score: number | null;
  /**
   * true / false: the check's verdict. null: informational — a measurement
   * with no threshold set (BLEU without min_score…): it is neither a pass nor
   * a fail, and pass counts and rates leave it out.
   */
  pass: boolean | null;
  /** Why it passed or failed, in terms a person can act on. */
  details: Details;
}

export interface CheckDetails {
  /** One sentence: what was found. */
  reason: string;
  /** sacreBLEU-style description of how the score was computed, for metric checks. */
  signature?: string;
  /** The unit of `score` when it depends on the check's parameters (length: chars, words or tokens), so means never mix units. */
  score_unit?: string;
  /** Character ranges of the output a reader should look at (repeated span, drifted sentence…). */
  highlights?: Highlight[];
  [key: string]: unknown;
}

export interface Highlight {
  /** Code point offsets into the output, end exclusive. */
  start: number;
  end: number;
  label: string;
}

/**
 * Which way a check's score improves: "higher" (chrF, BLEU, 0/1 checks), "lower"
 * (a fault or a cost: loop share, drift share, bits per character), or null when
 * neither (a length).
 */
export type Better = "higher" | "lower" | null;

/**
 * What the report records about a check from its definition, so diff, gate
 * and report.html read a check's direction and meaning from the report and
 * need no module loaded (a user check from `--checks` included).
 */
export interface CheckFacts {
  better: Better;
  /** The unit of the score ("0–1", "morae", "bits per character"). */
  unit: string;
  /** What the score means, in a few words: "share of the output in a loop". */
  note: string;
  /** The name of the check's aggregate (how its results combine into one number for a group); null when it has none. */
  aggregate: string | null;
}
