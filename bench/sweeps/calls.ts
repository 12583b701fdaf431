// What the counting proxy saw during one child's run, reduced to what the
// sweeps benchmark compares: calls by operation, and the failed ones.

/** The fields of a proxy call the tally reads. */
export interface SeenCall {
  action: string;
  status?: number;
}

/** Calls of one run by operation name, with their total and the failed ones (HTTP >= 400). */
export interface CallTally {
  byAction: Record<string, number>;
  all: number;
  failed: number;
}

/** Tallies `calls` by operation; an answer with HTTP status 400 or above counts as failed. */
export function tallyCalls(calls: readonly SeenCall[]): CallTally {
  const byAction: Record<string, number> = {};
  let failed = 0;
  for (const c of calls) {
    byAction[c.action] = (byAction[c.action] ?? 0) + 1;
    if ((c.status ?? 0) >= 400) failed++;
  }
  return { byAction: Object.fromEntries(Object.entries(byAction).sort(([a], [b]) => (a < b ? -1 : 1))), all: calls.length, failed };
}

/** Each operation whose count differs between `a` and `b`, as `Action a≠b`; empty when the two made the same calls. */
export function callDifferences(a: Record<string, number>, b: Record<string, number>): string[] {
  const actions = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return actions.filter((k) => (a[k] ?? 0) !== (b[k] ?? 0)).map((k) => `${k} ${a[k] ?? 0}≠${b[k] ?? 0}`);
}

/** Counts divided by `accounts`, rounded to 3 decimals (e.g. one GetSessionToken over 1,000 accounts is 0.001). */
export function perAccount(byAction: Record<string, number>, accounts: number): Record<string, number> {
  return Object.fromEntries(Object.entries(byAction).map(([k, v]) => [k, Math.round((v / accounts) * 1000) / 1000]));
}
