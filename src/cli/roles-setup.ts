import { createSharedHandler } from '../aws/http.js';
import { partitionOf } from '../aws/partition.js';
import { CredentialPool } from '../engine/credential-pool.js';
import type { Credentials } from '../credentials/types.js';
import { bundleTargets, type BundleTarget } from '../bundles/account-filter.js';
import { parseBundle } from '../bundles/bundle-file.js';
import { assertLintClean, lintBundle } from '../bundles/lint.js';
import type { Bundle } from '../bundles/model.js';
import type { BundleSweepOptions } from '../bundles/sweep.js';
import { safeSessionName } from '../config/session-name.js';
import { DEFAULT_ROLE } from '../engine/fan-out.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { readFileOrPipe, RefusedFileError } from '../io/read-regular-file.js';
import type { Broker } from '../sessions/broker-contract.js';
import { planOf, resolveSelection, selectionProfile, selectionSpec, type SelectionOpts } from './account-selection.js';
import { sessionWithAccount } from './source-session.js';
import type { CliContext } from './cli-context.js';
import { checkEngineFlags } from './fanout/engine-options.js';

/** A bundle file is a few kilobytes; this stops a mistaken path from being read whole. */
const MAX_BUNDLE_BYTES = 1 << 20;

/** Options every `roles` command and `config generate` take. */
export interface RolesOpts extends SelectionOpts {
  role?: string;
  concurrency?: number;
}

/**
 * Reads, validates and lints a bundle file before any AWS call: a YAML,
 * schema or lint error fails here (ERR_BUNDLE, exit 3). Lint warnings go
 * to stderr.
 */
export async function loadBundle(cli: CliContext, file: string, partition: ReturnType<typeof partitionOf> = 'aws'): Promise<Bundle> {
  let text: string | undefined;
  try {
    text = await readFileOrPipe(file, MAX_BUNDLE_BYTES, cli.signal);
  } catch (e) {
    const why = e instanceof RefusedFileError ? e.message : `${(e as NodeJS.ErrnoException).code ?? e}`;
    throw new RolehopError(ErrorCodes.BUNDLE, `Cannot read ${file}: ${why}`, { hint: 'Give the path of a bundle file (`rolehop roles init` writes one).' });
  }
  if (text === undefined)
    throw new RolehopError(ErrorCodes.BUNDLE, `Cannot read ${file}: no such file`, { hint: 'Write one with `rolehop roles init`, or check the path.' });
  const bundle = parseBundle(text, file);
  const findings = lintBundle(bundle, partition);
  for (const f of findings) if (f.level === 'warning') cli.stderr.write(`rolehop: warning: ${file}: ${f.role ? `${f.role}: ` : ''}${f.message}\n`);
  assertLintClean(bundle, findings);
  return bundle;
}

/** Everything a bundle command needs once the bundle is read: accounts, engine options, the session. */
export interface RolesSetup {
  broker: Broker;
  profile: string;
  targets: BundleTarget[];
  sweep: BundleSweepOptions;
  session: Credentials;
  /** Closes the shared connections. */
  close(): void;
}

/**
 * Resolves the selection and the bundle's account filters, then obtains the
 * source session once: one MFA prompt for the whole command, and a source
 * that cannot give a session fails it with its own error before any account.
 */
export async function rolesSetup(cli: CliContext, bundle: Bundle, opts: RolesOpts): Promise<RolesSetup> {
  checkEngineFlags(opts);
  const { profile, defaulted } = selectionProfile(cli, opts);
  const spec = await selectionSpec(cli, opts);
  const broker = await cli.broker();
  const plan = planOf(broker, profile, defaulted);
  const { accounts, inventory } = await resolveSelection(cli, spec, {
    broker,
    profile,
    plan,
    region: plan.region,
    ...(opts.refreshOrg ? { refresh: true } : {}),
  });
  const targets = await bundleTargets(bundle, accounts, inventory);
  if (targets.length === 0)
    throw new RolehopError(ErrorCodes.USAGE, `No selected account is in ${bundle.file}'s accounts`, {
      hint: "Check the bundle's accounts: filter and the selection flags.",
    });
  // Its account decides which roles the run can prove by assuming them.
  const session = await sessionWithAccount(broker, profile, plan);
  const roleSessionName = safeSessionName(`rolehop-roles-${cli.userName}`);
  // One pool and one keep-alive handler for the plan and the apply after it: one AssumeRole per account for both.
  const handler = createSharedHandler({ maxSockets: Math.max(64, (opts.concurrency ?? 32) * 2) });
  const pool = new CredentialPool({
    broker,
    profile,
    sourceSession: session,
    handler,
    roleSessionName,
    ...(plan.endpoints.sts ? { stsEndpoint: plan.endpoints.sts } : {}),
  });
  return {
    close: () => handler.close(),
    broker,
    profile,
    targets,
    session,
    sweep: {
      broker,
      profile,
      sourceSession: session,
      pool,
      handler,
      bootstrapRole: opts.role ?? DEFAULT_ROLE,
      roleSessionName,
      ...(plan.region ? { region: plan.region } : {}),
      endpoints: plan.endpoints,
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      signal: cli.signal,
    },
  };
}
