/**
 * "Did you mean" suggestions for a mistyped profile name.
 */

/** Levenshtein distance; names are short, so the O(n·m) table is fine. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Up to `max` candidates close to `name`, closest first: case-insensitive
 * edit distance within a third of the name's length (at least 2), or one
 * name containing the other. Deterministic (ties sorted by name).
 */
export function closeNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    if (c === name) continue;
    const lc = c.toLowerCase();
    const d = distance(lower, lc);
    if (d <= limit) scored.push([c, d]);
    else if (lower.length >= 3 && (lc.includes(lower) || lower.includes(lc))) scored.push([c, limit + 1]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, max).map(([c]) => c);
}

/**
 * The hint sentence for profile names {@link closeNames} found: `Did you
 * mean "a", "b"?`, telling to quote a name with spaces, then where to see
 * every profile. Empty when `near` is. One wording for every command that
 * meets an unknown profile name.
 */
export function didYouMeanProfile(near: readonly string[]): string {
  if (near.length === 0) return '';
  const quote = near.some((n) => n.includes(' ')) ? ' Quote a name with spaces on the command line.' : '';
  return `Did you mean ${near.map((n) => `"${n}"`).join(', ')}?${quote} \`rolehop list\` shows all profiles.`;
}
