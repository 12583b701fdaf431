import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import { parseRegions } from '../../engine/regions.js';
import { amiCreateJob, checkNameTemplate, DEFAULT_NAME_TEMPLATE, newRunId, parseDuration, parseInstanceFilters } from '../../sweeps/ami/index.js';
import { anyFailed, failureSummary, interruptedSummary, runAmiSweep } from '../ami-run.js';
import type { CommandHandler } from '../cli-context.js';
import { coverageExit, howItEnded } from '../fanout/fan-out-end.js';
import { countActions } from '../output/ami-rows.js';
import { plural } from '../output/plural.js';
import { sweepSetup, type SweepOpts } from '../sweep-run.js';

interface Opts extends SweepOpts {
  filter?: string[];
  nameTemplate?: string;
  reboot?: boolean;
  dryRun?: boolean;
  wait?: boolean;
  waitTimeout?: string;
  copyTo?: string;
}

/** `rolehop ami create [selection] --filter …`: one AMI per matching instance in every account and region. */
export default (async (cli, _args, opts) => {
  // Every flag is checked before any AWS call.
  const filters = parseInstanceFilters(opts.filter ?? []);
  if (!filters.length)
    throw new RolehopError(ErrorCodes.USAGE, 'ami create needs at least one --filter', {
      hint: 'For example --filter tag:backup=daily (tag-key:Name images every instance with a Name tag).',
    });
  const nameTemplate = opts.nameTemplate ?? DEFAULT_NAME_TEMPLATE;
  checkNameTemplate(nameTemplate);
  const waitTimeoutMs = parseDuration(opts.waitTimeout ?? '30m', '--wait-timeout', ['s', 'm', 'h']);
  let copyTo: string | undefined;
  if (opts.copyTo !== undefined) {
    const list = parseRegions(opts.copyTo, undefined, { allowNew: !!opts.allowNewRegions });
    if (list.length !== 1) throw new RolehopError(ErrorCodes.USAGE, '--copy-to takes one region', { hint: 'For example --copy-to eu-central-1.' });
    copyTo = list[0];
  }

  const setup = await sweepSetup(cli, opts);
  const startedAt = cli.clock.now();
  const runId = newRunId(startedAt);
  const job = amiCreateJob({
    filters,
    runId,
    startedAt,
    nameTemplate,
    ...(opts.reboot ? { reboot: true } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
    ...(opts.wait ? { wait: true } : {}),
    waitTimeoutMs,
    ...(copyTo ? { copyTo } : {}),
    // Ctrl-C: each running target finishes the AMIs it asked for (their snapshots tagged), then stops.
    ...(opts.dryRun ? {} : { stop: cli.signal }),
  });
  const outcome = await runAmiSweep(cli, opts, setup, job, { sessionName: 'rolehop-ami', drain: !opts.dryRun });
  if (!outcome) {
    // A second Ctrl-C ends the process before this; a dry run stops at once and made nothing.
    if (howItEnded(cli) === 'interrupted' && !opts.dryRun) cli.stderr.write(`ami create: interrupted; what this run made carries rolehop:run-id=${runId}\n`);
    return ExitCodes.INTERRUPTED;
  }
  const n = countActions(outcome.rows);
  if (outcome.interrupted) {
    const copied = copyTo ? `, copied ${n.get('copied') ?? 0} to ${copyTo}` : '';
    cli.stderr.write(
      interruptedSummary(
        'ami create',
        `created ${plural(n.get('created') ?? 0, 'AMI')}${copied} (run ${runId}, tagged rolehop:run-id)`,
        outcome,
        'ami create again makes a new backup of every instance',
      ),
    );
    return ExitCodes.INTERRUPTED;
  }
  const what = opts.dryRun
    ? `would create ${plural(n.get('would-create') ?? 0, 'AMI')}`
    : `created ${plural(n.get('created') ?? 0, 'AMI')}${copyTo ? `, copied ${n.get('copied') ?? 0} to ${copyTo}` : ''} (run ${runId})`;
  cli.stderr.write(`ami create: ${what} in ${plural(outcome.stats.total, 'target')}${failureSummary(outcome)}\n`);
  return coverageExit({ failed: anyFailed(outcome) });
}) satisfies CommandHandler<Opts>;
