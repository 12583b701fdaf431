import type { CertRow, CertSeverity } from '../../sweeps/certs/cert-report.js';
import { countBySeverity, SEVERITIES, URGENT_DAYS } from '../../sweeps/certs/cert-report.js';
import { csvLine } from './csv.js';
import { escapeControl } from './escape-control.js';
import { plural } from './plural.js';

/** One `--json` line per certificate: the fields scripts match on first, then the rest. */
export function certJson(r: CertRow): string {
  return (
    JSON.stringify({
      account: r.account,
      ...(r.accountName ? { accountName: r.accountName } : {}),
      region: r.region,
      arn: r.arn,
      domain: r.domain,
      sans: r.sans,
      type: r.type,
      keyAlgorithm: r.keyAlgorithm,
      status: r.status,
      notAfter: r.notAfter ?? null,
      daysLeft: r.daysLeft,
      inUse: r.inUse,
      inUseBy: r.inUseBy ?? null,
      renewalEligibility: r.renewalEligibility ?? null,
      renewalStatus: r.renewalStatus ?? null,
      severity: r.severity,
    }) + '\n'
  );
}

/** The `--csv` columns, in order. */
export const CERT_CSV_HEAD = [
  'severity',
  'daysLeft',
  'notAfter',
  'account',
  'accountName',
  'region',
  'type',
  'status',
  'keyAlgorithm',
  'domain',
  'sans',
  'inUse',
  'inUseBy',
  'renewalEligibility',
  'renewalStatus',
  'arn',
] as const;

const listCell = (v: readonly string[] | undefined) => (v ?? []).join(' ');
const boolCell = (v: boolean | null) => (v === null ? '' : String(v));

/** The `--csv` header record. */
export function certCsvHead(): string {
  return csvLine(CERT_CSV_HEAD);
}

/** One `--csv` record; text from AWS has its control characters made visible. Unknown values are empty fields. */
export function certCsv(r: CertRow): string {
  const cells: Record<(typeof CERT_CSV_HEAD)[number], string> = {
    severity: r.severity,
    daysLeft: r.daysLeft === null ? '' : String(r.daysLeft),
    notAfter: r.notAfter ?? '',
    account: r.account,
    accountName: r.accountName ?? '',
    region: r.region,
    type: r.type,
    status: r.status,
    keyAlgorithm: r.keyAlgorithm,
    domain: r.domain,
    sans: listCell(r.sans),
    inUse: boolCell(r.inUse),
    inUseBy: listCell(r.inUseBy),
    renewalEligibility: r.renewalEligibility ?? '',
    renewalStatus: r.renewalStatus ?? '',
    arn: r.arn,
  };
  return csvLine(CERT_CSV_HEAD.map((k) => escapeControl(cells[k])));
}

/** Table header for a terminal. */
export const CERT_TABLE_HEAD = ['severity', 'days', 'not after', 'account', 'region', 'type', 'key', 'domain', 'in use', 'renewal'];

/** `2 (alb/web, +1)`, `no`, `?` (IAM does not say). */
function inUseCell(r: CertRow): string {
  if (r.inUse === null) return '?';
  if (!r.inUse) return 'no';
  const by = r.inUseBy ?? [];
  if (!by.length) return 'yes';
  const first = by[0]!.split(':').pop() ?? by[0]!;
  return by.length === 1 ? first : `${first}, +${by.length - 1}`;
}

/** One table row; text from AWS has its control characters made visible. */
export function certTableRow(r: CertRow): string[] {
  const others = r.sans.filter((s) => s !== r.domain).length;
  const domain = others ? `${r.domain} (+${others})` : r.domain;
  return [
    r.severity,
    r.daysLeft === null ? '-' : String(r.daysLeft),
    r.notAfter ? r.notAfter.slice(0, 16).replace('T', ' ') : '-',
    r.accountName ? `${r.account} (${r.accountName})` : r.account,
    r.region,
    r.type,
    r.keyAlgorithm,
    domain,
    inUseCell(r),
    r.renewalStatus ?? (r.type === 'IMPORTED' || r.type === 'IAM' ? 'never' : (r.renewalEligibility ?? '-')),
  ].map(escapeControl);
}

const LABEL: Record<CertSeverity, (days: number) => string> = {
  expired: () => 'expired',
  'under-7-days': () => 'under 7 days',
  'under-days': (d) => `under ${d} days`,
  'renewal-failing': () => 'renewal failing',
  imported: () => 'imported',
  unused: () => 'unused',
  ok: () => 'ok',
};

/**
 * The closing line: certificates per severity, and targets covered, e.g.
 * `rolehop: 12 certificates: 1 expired, 2 under 7 days, 0 under 30 days,
 * 0 renewal failing, 4 imported, 1 unused, 4 ok; 40 targets, 1 failed`.
 */
export function certsSummary(rows: readonly CertRow[], o: { days: number; targets: number; failed: number }): string {
  const counts = countBySeverity(rows);
  // With --days 7 or less every certificate within it is in the urgent tier: no "under N days" count to show.
  const parts = SEVERITIES.filter((s) => s !== 'under-days' || o.days > URGENT_DAYS).map((s) => `${counts[s]} ${LABEL[s](o.days)}`);
  return `rolehop: ${plural(rows.length, 'certificate')}: ${parts.join(', ')}; ${plural(o.targets, 'target')}, ${o.failed} failed\n`;
}
