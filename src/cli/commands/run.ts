import { safeSessionName } from '../../config/session-name.js';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { credentialEnv } from '../../credentials/child-env.js';
import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import { plural } from '../output/plural.js';
import { commandJob, loadJobModule } from '../../engine/command-job.js';
import { JobContainment } from '../../engine/contained-job.js';
import { jsonValue } from '../../engine/json-value.js';
import { createSharedHandler } from '../../aws/http.js';
import { accountTargets, checkRegionFor } from '../../engine/enabled-regions.js';
import { createSweepPool, DEFAULT_CONCURRENCY, DEFAULT_ROLE, fanOut } from '../../engine/fan-out.js';
import { DEFAULT_ENABLED_REGIONS, parseRegionChoice, type RegionChoice } from '../../engine/regions.js';
import { globToRegExp, parseAccountList, type SelectedAccount } from '../../engine/selection.js';
import { parseShard } from '../../engine/shard.js';
import type { Job, TargetResult } from '../../engine/types.js';
import { notRegularFile } from '../../io/read-regular-file.js';
import { emptySelection, planOf, resolveSelection, selectionProfile, selectionSpec, type SelectionOpts } from '../account-selection.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
import type { AssumePort } from '../../aws/sts-port.js';
import type { Endpoints } from '../../config/plan.js';
import type { Credentials } from '../../credentials/types.js';
import type { BrokerSource } from '../../engine/broker-source.js';
import { endedByClosedStdout } from '../closed-stdout.js';
import { guardJobs, type JobGuard } from '../job-guard.js';
import type { RunProgress } from '../output/run-progress.js';
import { humanLines, resultLine, summaryText, writeResultFiles } from '../output/run-results.js';
import { uncheckedWarning } from '../output/unchecked-regions.js';

interface Opts extends SelectionOpts {
  regions?: string;
  allowNewRegions?: boolean;
  role: string;
  externalId?: string;
  job?: string;
  concurrency?: number;
  timeout?: number;
  shard?: string;
  resume?: string;
  outputDir?: string;
  stsRate?: number;
  yes?: boolean;
  ssoSession?: string;
}

function sessionName(user: string): string {
  return safeSessionName(`rolehop-run-${user}`);
}

export default (async (cli, args, opts) => {
  const { profile, defaulted } = selectionProfile(cli, opts);
  if (opts.job && args.length)
    throw new RolehopError(ErrorCodes.USAGE, 'Give either a command (after --) or --job, not both', {
      hint: 'rolehop run --org -- CMD, or rolehop run --org --job FILE.',
    });
  if (opts.concurrency !== undefined && !(opts.concurrency >= 1))
    throw new RolehopError(ErrorCodes.USAGE, '--concurrency must be a positive integer', { hint: 'For example --concurrency 16.' });
  if (opts.timeout !== undefined && !(opts.timeout > 0))
    throw new RolehopError(ErrorCodes.USAGE, '--timeout must be a positive number of seconds', { hint: 'For example --timeout 120.' });
  const shard = opts.shard ? parseShard(opts.shard) : undefined;
  const source = opts.ssoSession !== undefined ? await ssoSource(cli, opts, opts.ssoSession) : await profileSource(cli, opts, profile, defaulted);
  const { accounts, regions } = source;

  if (!opts.job && args.length === 0) {
    // A preview asks no account: `all` is shown as the regions every account has.
    const { writeSelection } = await import('../output/run-selection.js');
    const shown = regions.all ? [...new Set([...DEFAULT_ENABLED_REGIONS, ...regions.listed])] : regions.listed;
    await writeSelection(cli.stdout, accounts, shown, { json: cli.json, role: opts.role, signal: cli.signal });
    return ExitCodes.OK;
  }
  if (accounts.length > 1 && !opts.yes && cli.tty.stdin && cli.tty.stderr) {
    const where = regions.all
      ? `every region each account has enabled${regions.listed.length ? ` (and ${regions.listed.join(', ')})` : ''}`
      : `${plural(regions.listed.length, 'region')} (${plural(accounts.length * regions.listed.length, 'target')})`;
    const answer = await cli.prompter.text({
      message: `Run in ${plural(accounts.length, 'account')} × ${where}? [y/N]`,
    });
    if (!/^y(es)?$/i.test(answer.trim())) throw new RolehopError(ErrorCodes.ABORTED, 'Cancelled', { hint: 'Pass --yes to skip the question.' });
  }

  let job: Job;
  let guard: JobGuard | undefined;
  if (opts.job) {
    const file = resolve(opts.job);
    // import() of a FIFO would wait for a writer, and of a device read it forever.
    refuseIrregular(opts.job, 'The job file', 'Give --job the path of a .mjs, .js or .ts module.');
    // From loading the module to the last result, a job cannot end or crash the run.
    const containment = new JobContainment();
    guard = guardJobs(containment, (m) => cli.stderr.write(`rolehop: warning: ${m}\n`));
    try {
      job = containment.wrap(await loadJobModule(pathToFileURL(file).href, opts.job));
    } catch (e) {
      guard.dispose();
      throw e;
    }
  } else {
    job = commandJob({
      argv: args,
      env: (creds, ctx) => credentialEnv(cli.env, creds, { profile: source.label, region: ctx.region }),
    });
  }

  // Once, before any target: a source that cannot give a session (no way to
  // ask for MFA, a wrong passphrase, no stored key, a denial) fails the run
  // with its own error and exit code instead of failing every target alike.
  // It also asks for the MFA code before the progress bar is drawn.
  if (opts.resume) refuseIrregular(opts.resume, '--resume', 'Give --resume the path of a journal file (it is created if missing).');
  const sourceSession = await source.session();
  const engine = {
    broker: source.broker,
    profile: source.label,
    sourceSession,
    ...(source.sts ? { sts: source.sts } : {}),
    role: opts.role,
    roleSessionName: sessionName(cli.userName),
    ...(opts.externalId ? { externalId: opts.externalId } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.timeout ? { timeoutMs: Math.round(opts.timeout * 1000) } : {}),
    ...(opts.stsRate ? { stsRatePerSecond: opts.stsRate } : {}),
    ...(shard ? { shard } : {}),
    endpoints: source.endpoints,
    signal: cli.signal,
  };
  // One handler and one pool for asking the accounts their regions and for the run itself: one AssumeRole per account.
  const handler = createSharedHandler({ maxSockets: Math.max(50, (opts.concurrency ?? DEFAULT_CONCURRENCY) * 2) });
  const pool = createSweepPool(engine, handler);
  const failures: TargetResult[] = [];
  let progress: RunProgress | undefined;
  try {
    const { targets, unchecked } = await accountTargets(accounts, regions, source.checkRegion, { ...engine, pool, handler });
    if (unchecked.length) cli.stderr.write(uncheckedWarning(unchecked, regions));
    // The bar is for a person watching: with --json the output is for a program.
    const showBar = cli.screen.canShowStatus && !cli.json;
    const { startProgress } = showBar ? await import('../output/run-progress.js') : { startProgress: undefined };
    const run = fanOut(targets, job, {
      ...engine,
      pool,
      handler,
      // The regions are known by now: nothing else needs an account's credentials after its last target.
      releaseCredentials: true,
      ...(opts.resume ? { journal: opts.resume } : {}),
      // A value the NDJSON cannot hold fails its own target, before anything is printed or journalled.
      ...(opts.job ? { prepareValue: jsonValue } : {}),
      onStart: (stats) => {
        if (startProgress && stats.total > 0) progress = startProgress(cli.screen, stats);
      },
    });
    try {
      for await (const r of run) {
        if (!r.ok) failures.push(r);
        if (cli.json) cli.screen.out(resultLine(r));
        else {
          const h = humanLines(r, { terminal: cli.tty.stdout });
          cli.screen.out(h.out);
          cli.screen.err(h.err);
        }
        // Written before the next result is asked for: the journal records r only then.
        if (opts.outputDir) await writeResultFiles(opts.outputDir, r);
      }
    } finally {
      // The bar goes before the summary is written.
      guard?.dispose();
      progress?.stop();
    }
    if (endedByClosedStdout()) {
      // The reader went away (`| head`): no failure list for what it did not want, only what did not run.
      cli.stderr.write(`rolehop: stdout was closed: ${run.stats.done} finished, ${run.stats.total - run.stats.started} not started\n`);
      return ExitCodes.INTERRUPTED;
    }
    const interrupted = cli.signal.aborted;
    cli.stderr.write(summaryText(run.stats, failures, interrupted, opts.outputDir, source.sts ? 'GetRoleCredentials' : 'AssumeRole'));
    if (interrupted) return ExitCodes.INTERRUPTED;
    // An error no target could be blamed for is still a failure of the run.
    return run.stats.failed > 0 || (guard?.unattributed ?? 0) > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
  } finally {
    guard?.dispose();
    progress?.stop();
    handler.close();
  }
}) satisfies CommandHandler<Opts>;

/** Where a run's accounts and credentials come from: a source profile (its session assumes the role), or an IAM Identity Center session. */
interface RunSource {
  accounts: SelectedAccount[];
  regions: RegionChoice;
  /** Where each account is asked for its enabled regions (the profile's region). */
  checkRegion: string;
  endpoints: Endpoints;
  broker: BrokerSource;
  /** The profile (or `sso:NAME`): the child's ROLEHOP_PROFILE and the engine's label. */
  label: string;
  /** The source session, asked for once before any target. */
  session(): Promise<Credentials>;
  /** How each account is entered, when not by AssumeRole. */
  sts?: AssumePort;
}

async function profileSource(cli: CliContext, opts: Opts, profile: string, defaulted: boolean): Promise<RunSource> {
  const spec = await selectionSpec(cli, opts);
  const broker = await cli.broker();
  const plan = planOf(broker, profile, defaulted);
  const regions = parseRegionChoice(opts.regions, plan.region, { allowNew: !!opts.allowNewRegions });
  const checkRegion = checkRegionFor(regions, plan.region);
  const { accounts } = await resolveSelection(cli, spec, { broker, profile, plan, region: checkRegion, ...(opts.refreshOrg ? { refresh: true } : {}) });
  return {
    accounts,
    regions,
    checkRegion,
    endpoints: plan.endpoints,
    broker,
    label: profile,
    session: async () => (await broker.sessionCredentials(profile)).credentials,
  };
}

/** `--sso-session NAME --role ROLE`: every assigned account with that role, entered with GetRoleCredentials. */
async function ssoSource(cli: CliContext, opts: Opts, name: string): Promise<RunSource> {
  const clash = [
    opts.profile && '--profile',
    opts.org && '--org',
    opts.accounts && '--accounts',
    opts.accountsFile && '--accounts-file',
    opts.ou && '--ou',
    opts.tag && '--tag',
  ]
    .filter(Boolean)
    .join(', ');
  if (clash)
    throw new RolehopError(ErrorCodes.USAGE, `--sso-session cannot be combined with ${clash}`, {
      hint: 'The session selects the accounts: every one Identity Center assigns you with --role. Use --name or --exclude to narrow them.',
    });
  if (opts.role === DEFAULT_ROLE)
    throw new RolehopError(ErrorCodes.USAGE, '--sso-session needs --role with the permission set to use in each account', {
      hint: 'For example: rolehop run --sso-session corp --role ReadOnly -- aws sts get-caller-identity',
    });
  const envRegion = cli.env.AWS_REGION || cli.env.AWS_DEFAULT_REGION || undefined;
  const regions = parseRegionChoice(opts.regions, envRegion, { allowNew: !!opts.allowNewRegions });
  const { ssoRunSource } = await import('../sso-run-source.js');
  const src = await ssoRunSource(cli, name, opts.role);
  const accounts = narrow(src.accounts, opts);
  if (accounts.length === 0)
    throw emptySelection({ ...(opts.name ? { nameGlob: opts.name } : {}), ...(opts.exclude ? { exclude: parseAccountList(opts.exclude, '--exclude') } : {}) });
  return {
    accounts,
    regions,
    checkRegion: checkRegionFor(regions, envRegion),
    endpoints: src.endpoints,
    broker: () => cli.broker(),
    label: `sso:${name}`,
    session: async () => src.sourceSession,
    sts: src.sts,
  };
}

/** `--name` and `--exclude` applied to an SSO session's accounts. */
function narrow(accounts: SelectedAccount[], opts: Opts): SelectedAccount[] {
  const excluded = new Set(opts.exclude ? parseAccountList(opts.exclude, '--exclude') : []);
  const glob = opts.name ? globToRegExp(opts.name) : undefined;
  return accounts.filter((a) => !excluded.has(a.account) && (!glob || glob.test(a.name ?? '')));
}

/** Refuses a path that exists and is not a regular file: import() of a FIFO would wait for a writer, and a device would be read forever. */
function refuseIrregular(path: string, what: string, hint: string): void {
  const kind = notRegularFile(resolve(path));
  if (kind) throw new RolehopError(ErrorCodes.USAGE, `${what} ${path} is ${kind}`, { hint });
}
