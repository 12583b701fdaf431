/**
 * The `certs` report, pure: days left, severity, which certificates are
 * worth a DescribeCertificate, sorting and counting. Time comes in as
 * `now` (ms since the epoch) so tests fix the clock and the CLI passes its own.
 */
import type { CertFact } from './cert-facts.js';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** Below this many days left, a certificate within `--days` is in the urgent tier. */
export const URGENT_DAYS = 7;

/**
 * ACM starts renewing a managed certificate up to 60 days before it
 * expires: from then on its renewal status says whether that is going well.
 */
export const RENEWAL_WINDOW_DAYS = 60;

/**
 * How urgent a certificate is, most urgent first. A certificate gets the
 * first that applies:
 * - `expired`: not-after is in the past (or ACM says EXPIRED);
 * - `under-7-days`: expires within `--days` and in less than 7 days;
 * - `under-days`: expires within `--days` (less than that many days left);
 * - `renewal-failing`: ACM's managed renewal FAILED, however far the expiry;
 * - `imported`: an imported or IAM server certificate further out than
 *   `--days` (informational: nothing renews it, someone must);
 * - `unused`: nothing uses it (informational);
 * - `ok`.
 */
export type CertSeverity = 'expired' | 'under-7-days' | 'under-days' | 'renewal-failing' | 'imported' | 'unused' | 'ok';

/** Every severity, most urgent first (the order of {@link CertSeverity}). */
export const SEVERITIES: readonly CertSeverity[] = ['expired', 'under-7-days', 'under-days', 'renewal-failing', 'imported', 'unused', 'ok'];

/** The severities that make `certs` exit non-zero ({@link isFinding}); the others are informational. */
export const FINDING_SEVERITIES: ReadonlySet<CertSeverity> = new Set<CertSeverity>(['expired', 'under-7-days', 'under-days', 'renewal-failing']);

/** The clock and the horizon a report is computed for. */
export interface ReportOptions {
  /** Milliseconds since the epoch. */
  now: number;
  /** `--days`: certificates with fewer days left than this are findings. A positive integer. */
  days: number;
}

/** A certificate with its days left and severity. */
export interface CertRow extends CertFact {
  /** Whole days left, rounded down: 0 in the last 24 hours, negative once expired; null without a not-after. */
  daysLeft: number | null;
  severity: CertSeverity;
}

/** Whole days from `now` to `notAfter`, rounded down (negative once past); null when there is no not-after or it is not a date. */
export function daysLeft(notAfter: string | undefined, now: number): number | null {
  if (notAfter === undefined) return null;
  const at = Date.parse(notAfter);
  return Number.isNaN(at) ? null : Math.floor((at - now) / DAY_MS);
}

/** Types nothing renews: ACM imported certificates and IAM server certificates. */
function neverRenews(type: string): boolean {
  return type === 'IMPORTED' || type === 'IAM';
}

/** The severity of one certificate (see {@link CertSeverity} for the rules). */
export function severityOf(fact: CertFact, opts: ReportOptions): CertSeverity {
  const left = daysLeft(fact.notAfter, opts.now);
  if ((left !== null && left < 0) || fact.status === 'EXPIRED') return 'expired';
  if (left !== null && left < opts.days) return left < URGENT_DAYS ? 'under-7-days' : 'under-days';
  if (fact.renewalStatus === 'FAILED') return 'renewal-failing';
  if (neverRenews(fact.type)) return 'imported';
  if (fact.inUse === false) return 'unused';
  return 'ok';
}

/** True when the severity is one of {@link FINDING_SEVERITIES}. */
export function isFinding(row: { severity: CertSeverity }): boolean {
  return FINDING_SEVERITIES.has(row.severity);
}

/**
 * Whether a listed ACM certificate is worth a DescribeCertificate call:
 * one within `--days` (to show what uses it), or a renewable one inside
 * ACM's renewal window (to see whether its renewal is failing). Listing
 * already gives everything else, so the rest are not described.
 */
export function needsDescribe(fact: Pick<CertFact, 'notAfter' | 'renewalEligibility'>, opts: ReportOptions): boolean {
  const left = daysLeft(fact.notAfter, opts.now);
  if (left === null) return false;
  return left < opts.days || (fact.renewalEligibility === 'ELIGIBLE' && left < RENEWAL_WINDOW_DAYS);
}

/** Report order: fewest days left first (none last), then account, region, domain and ARN so the order is stable. */
export function compareRows(a: CertRow, b: CertRow): number {
  const da = a.daysLeft ?? Number.POSITIVE_INFINITY;
  const db = b.daysLeft ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return cmp(a.account, b.account) || cmp(a.region, b.region) || cmp(a.domain, b.domain) || cmp(a.arn, b.arn);
}

/** Code-unit order: the same on every machine, whatever its locale. */
function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rows for facts: days left and severity added, in {@link compareRows} order. */
export function certRows(facts: readonly CertFact[], opts: ReportOptions): CertRow[] {
  return facts.map((f) => ({ ...f, daysLeft: daysLeft(f.notAfter, opts.now), severity: severityOf(f, opts) })).sort(compareRows);
}

/** How many rows have each severity (every severity present, zeros included). */
export function countBySeverity(rows: readonly { severity: CertSeverity }[]): Record<CertSeverity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<CertSeverity, number>;
  for (const r of rows) counts[r.severity]++;
  return counts;
}
