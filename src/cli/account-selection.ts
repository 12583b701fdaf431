import { join } from 'node:path';
import { organizationsRegion, partitionOf } from '../aws/partition.js';
import { OrgInventory } from '../engine/org-inventory.js';
import { parseAccountList, parseAccountsFile, parseTags, selectAccounts, type SelectedAccount, type SelectionSpec } from '../engine/selection.js';
import { ErrorCodes, isRolehopError, RolehopError } from '../errors.js';
import { readFileOrPipe, RefusedFileError } from '../io/read-regular-file.js';
import type { Broker } from '../sessions/broker-contract.js';
import type { CliContext } from './cli-context.js';

/** One id and a name a line: 4 MiB is over 50,000 accounts, and stops a mistaken path from being read whole. */
const MAX_ACCOUNTS_FILE_BYTES = 4 << 20;

/** The account selection flags shared by `run`, `roles` and `config generate` (registered by `spec/selection-options.ts`). */
export interface SelectionOpts {
  profile?: string;
  accounts?: string;
  accountsFile?: string;
  org?: boolean;
  ou?: string[];
  tag?: string[];
  name?: string;
  exclude?: string;
  refreshOrg?: boolean;
}

/** The source profile of a selection, and whether it was defaulted. */
export function selectionProfile(cli: CliContext, opts: SelectionOpts): { profile: string; defaulted: boolean } {
  return { profile: opts.profile ?? cli.env.AWS_PROFILE ?? 'default', defaulted: opts.profile === undefined && cli.env.AWS_PROFILE === undefined };
}

/** The profile's plan; a missing default profile is explained in terms of --profile. */
export function planOf(broker: Broker, profile: string, defaulted: boolean): ReturnType<Broker['plan']> {
  try {
    return broker.plan(profile);
  } catch (e) {
    if (!defaulted || !isRolehopError(e) || e.code !== ErrorCodes.PROFILE_NOT_FOUND) throw e;
    throw new RolehopError(ErrorCodes.PROFILE_NOT_FOUND, `No source profile given, and ${e.message.replace(/^Profile/, 'profile')}`, {
      hint: 'Pass --profile NAME (the profile whose session assumes into every account), set AWS_PROFILE, or provide the machine credentials rolehop looks for without a profile (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, the AWS_CONTAINER_CREDENTIALS_* variables, or AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY).',
      cause: e,
    });
  }
}

/** An empty selection is a mistake to point out, not a successful run of nothing. */
export function emptySelection(spec: SelectionSpec): RolehopError {
  const filters = [spec.ous && '--ou', spec.tags && '--tag', spec.nameGlob && '--name', spec.exclude && '--exclude'].filter(Boolean).join(', ');
  const glob = spec.nameGlob && /[[\]{}]/.test(spec.nameGlob) ? ' --name globs know only * and ?; brackets and braces match themselves.' : '';
  return new RolehopError(ErrorCodes.USAGE, `No accounts selected${filters ? ` (after ${filters})` : ''}`, {
    hint: `Run without a command to see the selection, and loosen the filters.${glob}`,
  });
}

/**
 * Parses the selection flags into a spec (reading `--accounts-file`), before
 * anything asks for credentials: a typo fails at once.
 */
export async function selectionSpec(cli: CliContext, opts: SelectionOpts): Promise<SelectionSpec> {
  if (!opts.accounts && !opts.accountsFile && !opts.org) {
    throw new RolehopError(ErrorCodes.USAGE, 'No accounts selected', {
      hint: 'Use --accounts ID,ID, --accounts-file FILE or --org (with --ou/--tag/--name filters).',
    });
  }
  const spec: SelectionSpec = {
    ...(opts.accounts ? { accounts: parseAccountList(opts.accounts) } : {}),
    ...(opts.exclude ? { exclude: parseAccountList(opts.exclude, '--exclude') } : {}),
    ...(opts.org ? { org: true } : {}),
    ...(opts.ou?.length ? { ous: opts.ou } : {}),
    ...(opts.tag?.length ? { tags: parseTags(opts.tag) } : {}),
    ...(opts.name ? { nameGlob: opts.name } : {}),
  };
  if (opts.accountsFile) {
    let text: string | undefined;
    try {
      text = await readFileOrPipe(opts.accountsFile, MAX_ACCOUNTS_FILE_BYTES, cli.signal);
    } catch (e) {
      if (cli.signal.aborted) throw new RolehopError(ErrorCodes.ABORTED, `Interrupted while reading ${opts.accountsFile}`, { hint: 'Nothing was run.' });
      const why = e instanceof RefusedFileError ? e.message : `${(e as NodeJS.ErrnoException).code ?? e}`;
      throw new RolehopError(ErrorCodes.USAGE, `Cannot read ${opts.accountsFile}: ${why}`, {
        hint: 'Give --accounts-file a regular file or a pipe such as <(command), one account id a line.',
      });
    }
    if (text === undefined) throw new RolehopError(ErrorCodes.USAGE, `Cannot read ${opts.accountsFile}: ENOENT`, { hint: 'Check the --accounts-file path.' });
    spec.fileAccounts = parseAccountsFile(text, opts.accountsFile);
  }
  return spec;
}

/**
 * The Organizations inventory of the source profile (cached under
 * ROLEHOP_HOME), opened with the profile's MFA session on first use.
 */
export function orgInventory(
  cli: CliContext,
  broker: Broker,
  profile: string,
  plan: ReturnType<Broker['plan']>,
  region: string | undefined,
  refresh?: boolean,
): OrgInventory {
  return new OrgInventory({
    cacheDir: join(cli.rolehopHome, 'cache'),
    cacheKey: `${profile}|${plan.endpoints.organizations ?? ''}|${partitionOf(region)}`,
    ...(refresh ? { refresh: true } : {}),
    port: async () => {
      const { createOrgPort } = await import('../aws/organizations.js');
      const session = await broker.sessionCredentials(profile);
      return createOrgPort(session.credentials, {
        region: organizationsRegion(partitionOf(region)),
        ...(plan.endpoints.organizations ? { endpoint: plan.endpoints.organizations } : {}),
      });
    },
  });
}

/** A resolved selection: the accounts, and the inventory when Organizations was needed. */
export interface Selection {
  accounts: SelectedAccount[];
  inventory?: OrgInventory;
}

/** Resolves a spec to accounts; an empty result is a usage error. */
export async function resolveSelection(
  cli: CliContext,
  spec: SelectionSpec,
  src: { broker: Broker; profile: string; plan: ReturnType<Broker['plan']>; region: string | undefined; refresh?: boolean },
): Promise<Selection> {
  const needOrg = !!(spec.org || spec.ous || spec.tags);
  const inventory = needOrg ? orgInventory(cli, src.broker, src.profile, src.plan, src.region, src.refresh) : undefined;
  const accounts = await selectAccounts(spec, inventory);
  if (accounts.length === 0) throw emptySelection(spec);
  return { accounts, ...(inventory ? { inventory } : {}) };
}
