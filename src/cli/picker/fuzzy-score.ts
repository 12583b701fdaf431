// Scores of a subsequence match, in points. A matched character is worth
// MATCH; one that follows the previous match directly earns RUN on top,
// one that starts a word (the text's start, after a separator, or a
// lower-to-upper case change) earns WORD_START or CASE_START, and each run of
// skipped characters between two matches costs GAP_OPEN plus GAP_EXTEND per
// character; characters before the first match cost LEAD each. Typing the first letters of the words ("pa" for "prod-admin")
// and typing a contiguous piece ("adm") both beat a scattered match.
const MATCH = 16;
const RUN = 12;
const WORD_START = 10;
const CASE_START = 7;
const GAP_OPEN = 3;
const GAP_EXTEND = 1;
/** Per character before the first match, up to LEAD_CAP: among equal matches, the earlier wins. */
const LEAD = 1;
const LEAD_CAP = 8;
/** On top of the rest, for a text equal to the query (case aside). */
const EXACT = 30;

const SEPARATORS = new Set([...'-_./:@ +=,'].map((c) => c.charCodeAt(0)));

const isLower = (c: number) => c >= 97 && c <= 122;
const isUpper = (c: number) => c >= 65 && c <= 90;

function startBonus(text: string, j: number): number {
  if (j === 0) return WORD_START;
  const prev = text.charCodeAt(j - 1);
  if (SEPARATORS.has(prev)) return WORD_START;
  return isLower(prev) && isUpper(text.charCodeAt(j)) ? CASE_START : 0;
}

function isSubsequence(q: string, t: string): boolean {
  let i = 0;
  for (let j = 0; j < t.length && i < q.length; j++) if (t.charCodeAt(j) === q.charCodeAt(i)) i++;
  return i === q.length;
}

// Two rows of the score table, reused across calls (a keystroke scores
// every profile's fields), grown to the longest text seen.
let rowA = new Float64Array(64);
let rowB = new Float64Array(64);

/**
 * How well `query` matches `text` as a case-insensitive subsequence (every
 * query character in order, not necessarily adjacent): a higher number is a
 * better match, undefined is no match. An empty query matches everything
 * with 0. The best alignment is found (not the leftmost), in time
 * proportional to the two lengths' product.
 */
export function fuzzyScore(query: string, text: string): number | undefined {
  return fuzzyScoreLowered(query.toLowerCase(), text.toLowerCase(), text);
}

/**
 * {@link fuzzyScore} with the query and text already lower-cased (`q`, `t`;
 * `text` is the original, for its case changes): for callers that score the
 * same texts on every keystroke and lower-case them once.
 */
export function fuzzyScoreLowered(q: string, t: string, text: string): number | undefined {
  const m = q.length;
  const n = t.length;
  if (m === 0) return 0;
  if (m > n || !isSubsequence(q, t)) return undefined;
  if (rowA.length < n) {
    rowA = new Float64Array(n);
    rowB = new Float64Array(n);
  }
  const NONE = -Infinity;
  // prev[j]: best score with query[0..i-1] matched and query[i-1] at text[j].
  let prev = rowA;
  let cur = rowB;
  prev.fill(NONE, 0, n);
  const q0 = q.charCodeAt(0);
  for (let j = 0; j < n; j++) if (t.charCodeAt(j) === q0) prev[j] = MATCH + startBonus(text, j) - LEAD * Math.min(j, LEAD_CAP);
  for (let i = 1; i < m; i++) {
    cur.fill(NONE, 0, n);
    const qi = q.charCodeAt(i);
    // Best prev[k] + GAP_EXTEND * k over k <= j - 2: a match at j after a gap.
    let gapBest = NONE;
    for (let j = i; j < n; j++) {
      if (j >= 2) gapBest = Math.max(gapBest, prev[j - 2]! + GAP_EXTEND * (j - 2));
      if (t.charCodeAt(j) !== qi) continue;
      const best = Math.max(prev[j - 1]! + RUN, gapBest - GAP_OPEN - GAP_EXTEND * (j - 1));
      if (best !== NONE) cur[j] = best + MATCH + startBonus(text, j);
    }
    [prev, cur] = [cur, prev];
  }
  let best = NONE;
  for (let j = 0; j < n; j++) best = Math.max(best, prev[j]!);
  if (best === NONE) return undefined;
  return t === q ? best + EXACT : best;
}
