import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import type { TargetResult } from '../../engine/types.js';
import type { CertFact } from '../../sweeps/certs/cert-facts.js';
import { certRows, compareRows, isFinding, type CertRow } from '../../sweeps/certs/cert-report.js';
import { certsJob } from '../../sweeps/certs/certs-job.js';
import type { CommandHandler } from '../cli-context.js';
import { coverageExit } from '../fanout/fan-out-end.js';
import { certCsv, certCsvHead, certJson, certsSummary, certTableRow, CERT_TABLE_HEAD } from '../output/certs-view.js';
import { writeTable } from '../output/row-table.js';
import { runSweep, sweepSetup, type SweepOpts } from '../sweep-run.js';

interface Opts extends SweepOpts {
  days: string;
  csv?: boolean;
}

/** CloudFront's certificates live in us-east-1, so every sweep includes it; IAM (global) is read on its unit, never an opt-in region. */
const CLOUDFRONT_REGION = 'us-east-1';

/** `--days`: a positive whole number of days. */
export function parseDays(value: string): number {
  const days = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(days) || days < 1)
    throw new RolehopError(ErrorCodes.USAGE, `--days must be a positive whole number of days, not "${value}"`, { hint: 'For example --days 30.' });
  return days;
}

export default (async (cli, _args, opts) => {
  // Checked before anything asks AWS.
  const days = parseDays(opts.days);
  if (opts.csv && cli.json) throw new RolehopError(ErrorCodes.USAGE, 'Give either --json or --csv, not both', { hint: 'rolehop certs --csv > certs.csv' });
  const setup = await sweepSetup(cli, opts, { mustInclude: [CLOUDFRONT_REGION] });
  // One instant for the whole report: every certificate is judged against the same clock.
  const now = cli.clock.now();
  const report = { now, days };

  const rows: CertRow[] = [];
  const outcome = await runSweep(cli, opts, setup, certsJob({ days, now: () => now, iamRegion: CLOUDFRONT_REGION }), {
    sessionName: 'rolehop-certs',
    onValue: (r: TargetResult<CertFact[]>) => {
      const found = certRows(r.value ?? [], report);
      rows.push(...found);
      // NDJSON as accounts finish: a long sweep's output is useful (and survives Ctrl-C) up to where it got.
      if (cli.json) for (const row of found) cli.screen.out(certJson(row));
    },
  });
  if (!outcome) return ExitCodes.INTERRUPTED;
  const { stats } = outcome;

  const sorted = rows.sort(compareRows);
  if (opts.csv) {
    cli.stdout.write(certCsvHead());
    for (const row of sorted) cli.stdout.write(certCsv(row));
  } else if (!cli.json) {
    if (sorted.length) await writeTable(cli.stdout, CERT_TABLE_HEAD, sorted.map(certTableRow), { signal: cli.signal });
    else cli.stdout.write('No certificates found.\n');
  }
  cli.stderr.write(certsSummary(sorted, { days, targets: stats.total, failed: stats.failed }));
  // Failed targets mean the answer is incomplete: that is said first, whatever was found elsewhere.
  return coverageExit({ failed: stats.failed > 0, findings: sorted.some(isFinding) });
}) satisfies CommandHandler<Opts>;
