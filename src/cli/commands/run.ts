import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { credentialEnv } from '../../credentials/child-env.js';
import { ErrorCodes, ExitCodes, RolehopError } from '../../errors.js';
import { plural } from '../output/plural.js';
import { commandJob, loadJobModule } from '../../engine/command-job.js';
import { JobContainment } from '../../engine/contained-job.js';
import { jsonValue } from '../../engine/json-value.js';
import { checkRegionFor } from '../../engine/enabled-regions.js';
import { DEFAULT_ROLE } from '../../engine/fan-out.js';
import { parseRegionChoice, type RegionChoice } from '../../engine/regions.js';
import { globToRegExp, parseAccountList, type SelectedAccount } from '../../engine/selection.js';
import { parseShard, type Shard } from '../../engine/shard.js';
import type { Job, TargetResult } from '../../engine/types.js';
import { notRegularFile } from '../../io/read-regular-file.js';
import { emptySelection, selectionProfile } from '../account-selection.js';
import type { CliContext, CommandHandler } from '../cli-context.js';
import type { AssumePort } from '../../aws/sts-port.js';
import type { Endpoints } from '../../config/plan.js';
import type { Credentials } from '../../credentials/types.js';
import type { BrokerSource } from '../../engine/broker-source.js';
import { guardJobs, type JobGuard } from '../job-guard.js';
import { writeResultFiles } from '../output/run-results.js';
import { checkEngineFlags, engineOptions, type EngineFlags } from '../fanout/engine-options.js';
import { finishRun } from '../fanout/finish-run.js';
import { printRunResult } from '../fanout/print-result.js';
import { regionTargets } from '../fanout/region-targets.js';
import { resolveRegionalSelection, type RegionalSelectionOpts } from '../fanout/regional-selection.js';
import { streamResults } from '../fanout/stream-results.js';

interface Opts extends RegionalSelectionOpts, EngineFlags {
  job?: string;
  shard?: string;
  resume?: string;
  outputDir?: string;
  yes?: boolean;
  ssoSession?: string;
}

export default (async (cli, args, opts) => {
  const { profile, defaulted } = selectionProfile(cli, opts);
  if (opts.job && args.length)
    throw new RolehopError(ErrorCodes.USAGE, 'Give either a command (after --) or --job, not both', {
      hint: 'rolehop run --org -- CMD, or rolehop run --org --job FILE.',
    });
  checkEngineFlags(opts);
  const shard = opts.shard ? parseShard(opts.shard) : undefined;
  const source = opts.ssoSession !== undefined ? await ssoSource(cli, opts, opts.ssoSession) : await profileSource(cli, opts, profile, defaulted);
  if (!opts.job && args.length === 0) {
    // A preview asks no account: with `all` it says so instead of guessing their regions.
    const { writeSelection } = await import('../output/run-selection.js');
    await writeSelection(cli.stdout, source.accounts, source.regions, { json: cli.json, role: opts.role, signal: cli.signal });
    return ExitCodes.OK;
  }
  await confirmRun(cli, opts, source);
  const { job, guard } = await runJob(cli, opts, args, source.label);
  try {
    return await runTargets(cli, opts, source, job, { ...(shard ? { shard } : {}), ...(guard ? { guard } : {}) });
  } finally {
    guard?.dispose();
  }
}) satisfies CommandHandler<Opts>;

/**
 * Runs `job` over every account × its regions: asks for the source session
 * once, prints each result as it arrives (written to `--output-dir` before
 * the next), and ends with the summary. Returns the exit code. `guard` is
 * disposed when the results stop, before the bar goes.
 */
async function runTargets(cli: CliContext, opts: Opts, source: RunSource, job: Job, o: { shard?: Shard; guard?: JobGuard }): Promise<number> {
  // Once, before any target: a source that cannot give a session (no way to
  // ask for MFA, a wrong passphrase, no stored key, a denial) fails the run
  // with its own error and exit code instead of failing every target alike.
  // It also asks for the MFA code before the progress bar is drawn.
  if (opts.resume) refuseIrregular(opts.resume, '--resume', 'Give --resume the path of a journal file (it is created if missing).');
  const sourceSession = await source.session();
  const engine = engineOptions(cli, opts, {
    broker: source.broker,
    profile: source.label,
    sourceSession,
    ...(source.sts ? { sts: source.sts } : {}),
    endpoints: source.endpoints,
    ...(o.shard ? { shard: o.shard } : {}),
    sessionName: 'rolehop-run',
  });
  const failures: TargetResult[] = [];
  const stats = await streamResults(cli, engine, job, {
    targets: (shared) => regionTargets(cli, source, shared),
    extra: {
      ...(opts.resume ? { journal: opts.resume } : {}),
      // A value the NDJSON cannot hold fails its own target, before anything is printed or journalled.
      ...(opts.job ? { prepareValue: jsonValue } : {}),
    },
    onResult: async (r) => {
      if (!r.ok) failures.push(r);
      printRunResult(cli, r);
      // Written before the next result is asked for: the journal records r only then.
      if (opts.outputDir) await writeResultFiles(opts.outputDir, r);
    },
    onEnd: () => o.guard?.dispose(),
  });
  return finishRun(cli, stats, failures, {
    ...(opts.outputDir ? { outputDir: opts.outputDir } : {}),
    entryCall: source.sts ? 'GetRoleCredentials' : 'AssumeRole',
    unattributed: o.guard?.unattributed ?? 0,
  });
}

/** On a terminal, a run over more than one account asks first (unless --yes); anything but y/yes cancels it (ERR_ABORTED). */
async function confirmRun(cli: CliContext, opts: Opts, source: RunSource): Promise<void> {
  const { accounts, regions } = source;
  if (accounts.length <= 1 || opts.yes || !cli.tty.stdin || !cli.tty.stderr) return;
  const where = regions.all
    ? `every region each account has enabled${regions.listed.length ? ` (and ${regions.listed.join(', ')})` : ''}`
    : `${plural(regions.listed.length, 'region')} (${plural(accounts.length * regions.listed.length, 'target')})`;
  const answer = await cli.prompter.text({
    message: `Run in ${plural(accounts.length, 'account')} × ${where}? [y/N]`,
  });
  if (!/^y(es)?$/i.test(answer.trim())) throw new RolehopError(ErrorCodes.ABORTED, 'Cancelled', { hint: 'Pass --yes to skip the question.' });
}

/**
 * The run's job: the `--job` module, contained (from loading it to the last
 * result it cannot end or crash the run; dispose the guard after), or the
 * command after `--` with each target's credentials in its environment.
 */
async function runJob(cli: CliContext, opts: Opts, args: string[], label: string): Promise<{ job: Job; guard?: JobGuard }> {
  if (!opts.job)
    return {
      job: commandJob({ argv: args, env: (creds, ctx) => credentialEnv(cli.env, creds, { profile: label, region: ctx.region }) }),
    };
  const file = resolve(opts.job);
  // import() of a FIFO would wait for a writer, and of a device read it forever.
  refuseIrregular(opts.job, 'The job file', 'Give --job the path of a .mjs, .js or .ts module.');
  const containment = new JobContainment();
  const guard = guardJobs(containment, (m) => cli.stderr.write(`rolehop: warning: ${m}\n`));
  try {
    return { job: containment.wrap(await loadJobModule(pathToFileURL(file).href, opts.job)), guard };
  } catch (e) {
    guard.dispose();
    throw e;
  }
}

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
  const { broker, plan, accounts, regions, checkRegion } = await resolveRegionalSelection(cli, opts, { profile, defaulted });
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
