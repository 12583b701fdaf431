import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import type { FanOutTarget } from '../../engine/types.js';
import { amiPruneJob, parseDuration, parseInstanceFilters, type AmiPruneOptions, type AmiRow } from '../../sweeps/ami/index.js';
import { anyFailed, failureSummary, interruptedSummary, runAmiSweep, type AmiSweepOutcome } from '../ami-run.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
import { coverageExit } from '../fanout/fan-out-end.js';
import { countActions } from '../output/ami-rows.js';
import { escapeControl } from '../output/escape-control.js';
import { plural } from '../output/plural.js';
import { writeTable } from '../output/row-table.js';
import { sweepSetup, type SweepOpts, type SweepSetup } from '../sweep-run.js';

interface Opts extends SweepOpts {
  filter?: string[];
  keep?: string;
  olderThan?: string;
  dryRun?: boolean;
  yes?: boolean;
}

const SESSION = 'rolehop-ami';
const isDue = (r: AmiRow) => r.action === 'would-deregister' || r.action === 'would-delete-snapshots';

/** `--keep N`: a whole number; 0 only with --older-than (it would delete every backup). */
function parseKeep(opts: Opts): number {
  if (opts.keep === undefined)
    throw new RolehopError(ErrorCodes.USAGE, 'ami prune needs --keep N', { hint: 'For example --keep 7 keeps the newest 7 AMIs of each instance.' });
  if (!/^\d+$/.test(opts.keep.trim()))
    throw new RolehopError(ErrorCodes.USAGE, `--keep "${opts.keep}" is not a whole number`, { hint: 'For example --keep 7.' });
  const keep = Number(opts.keep);
  if (keep === 0 && opts.olderThan === undefined)
    throw new RolehopError(ErrorCodes.USAGE, '--keep 0 would delete every backup rolehop made', {
      hint: 'Give --older-than too, e.g. --keep 0 --older-than 90d.',
    });
  return keep;
}

/** `rolehop ami prune [selection] --keep N [--older-than D]`: retention of the AMIs rolehop made. */
export default (async (cli, _args, opts) => {
  // Every flag is checked before any AWS call.
  const keep = parseKeep(opts);
  const olderThanMs = opts.olderThan !== undefined ? parseDuration(opts.olderThan, '--older-than', ['h', 'd', 'w']) : undefined;
  const filters = parseInstanceFilters(opts.filter ?? []);
  const ask = !opts.dryRun && !opts.yes;
  if (ask && !(cli.tty.stdin && cli.tty.stderr))
    throw new RolehopError(ErrorCodes.USAGE, 'ami prune deletes AMIs and snapshots and needs --yes when not on a terminal', {
      hint: 'See what it would delete with --dry-run first, then pass --yes.',
    });
  const setup = await sweepSetup(cli, opts);
  const policy: AmiPruneOptions = { keep, ...(olderThanMs !== undefined ? { olderThanMs } : {}), ...(filters.length ? { filters } : {}) };

  // Ctrl-C while deleting: each running target finishes the AMI it is on (its snapshots deleted), then stops.
  const deleting = { stop: cli.signal };
  if (!ask) {
    const job = amiPruneJob({ ...policy, ...(opts.dryRun ? { dryRun: true } : deleting) });
    const outcome = await runAmiSweep(cli, opts, setup, job, { sessionName: SESSION, drain: !opts.dryRun });
    if (!outcome) return ExitCodes.INTERRUPTED;
    cli.stderr.write(summary(outcome, !!opts.dryRun));
    if (outcome.interrupted) return ExitCodes.INTERRUPTED;
    return coverageExit({ failed: anyFailed(outcome) });
  }

  // On a terminal: the plan first (a dry run), shown; then only what was shown and is still due.
  const plan = await runAmiSweep(cli, opts, setup, amiPruneJob({ ...policy, dryRun: true }), { sessionName: SESSION, print: false });
  if (!plan) return ExitCodes.INTERRUPTED;
  const due = plan.rows.filter(isDue);
  const kept = plan.rows.filter((r) => r.action === 'kept');
  // The reason says why: in use by something, or its use could not be read.
  if (kept.length) cli.stderr.write(`Kept although due: ${kept.map((r) => `${r.image} (${escapeControl(r.reason ?? '')})`).join(', ')}\n`);
  if (!due.length) {
    cli.stderr.write(`Nothing to prune${failureSummary(plan)}.\n`);
    return coverageExit({ failed: anyFailed(plan) });
  }
  await showPlan(cli, due);
  const snapshots = due.reduce((n, r) => n + r.snapshots.length, 0);
  const accounts = new Set(due.map((r) => r.account)).size;
  const answer = await cli.prompter.text({
    message: `Deregister ${plural(due.filter((r) => r.action === 'would-deregister').length, 'AMI')} and delete ${plural(snapshots, 'snapshot')} in ${plural(accounts, 'account')}? [y/N]`,
  });
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new RolehopError(ErrorCodes.ABORTED, 'Cancelled; nothing was deleted', { hint: 'Pass --yes to skip the question.' });
  const outcome = await runAmiSweep(cli, opts, setup, amiPruneJob({ ...policy, only: new Set(due.map((r) => r.image!)), ...deleting }), {
    sessionName: SESSION,
    targets: targetsOf(setup, due),
    drain: true,
  });
  if (!outcome) return ExitCodes.INTERRUPTED;
  cli.stderr.write(summary(outcome, false));
  if (outcome.interrupted) return ExitCodes.INTERRUPTED;
  return coverageExit({ failed: anyFailed(plan) || anyFailed(outcome) });
}) satisfies CommandHandler<Opts>;

/** The (account, region) pairs that have something to delete, with the account names the selection gave. */
function targetsOf(setup: SweepSetup, rows: AmiRow[]): FanOutTarget[] {
  const names = new Map(setup.accounts.map((a) => [a.account, a.name]));
  const seen = new Map<string, FanOutTarget>();
  for (const r of rows) {
    const name = names.get(r.account);
    seen.set(`${r.account} ${r.region}`, { account: r.account, region: r.region, ...(name ? { name } : {}) });
  }
  return [...seen.values()];
}

async function showPlan(cli: CliContext, due: AmiRow[]): Promise<void> {
  const rows = due.map((r) => [
    r.account,
    r.region,
    escapeControl(r.instance ?? ''),
    r.image ?? '',
    r.action === 'would-deregister' ? escapeControl(r.name ?? '') : '(deregistered)',
    r.created ?? '',
    String(r.snapshots.length),
  ]);
  // With --json, stdout is for the rows of what was done: the plan goes to the terminal on stderr.
  await writeTable(cli.json ? cli.stderr : cli.stdout, ['Account', 'Region', 'Instance', 'AMI', 'Name', 'Created', 'Snapshots'], rows, { signal: cli.signal });
}

function summary(outcome: AmiSweepOutcome, dryRun: boolean): string {
  const n = countActions(outcome.rows);
  const snapshots = outcome.rows.filter((r) => r.action !== 'kept').reduce((k, r) => k + r.snapshots.length, 0);
  const what = dryRun
    ? `would deregister ${plural(n.get('would-deregister') ?? 0, 'AMI')} and delete ${plural(snapshots, 'snapshot')}`
    : `deregistered ${plural(n.get('deregistered') ?? 0, 'AMI')}, deleted ${plural(snapshots, 'snapshot')}`;
  const kept = n.get('kept') ? `, kept ${n.get('kept')} in use or of unknown use` : '';
  if (outcome.interrupted) return interruptedSummary('ami prune', `${what}${kept}`, outcome, 'the same command again does the rest');
  return `ami prune: ${what}${kept} in ${plural(outcome.stats.total, 'target')}${failureSummary(outcome)}\n`;
}
