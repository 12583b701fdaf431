import type { Endpoints } from '../config/plan.js';
import type { Credentials } from '../credentials/types.js';
import type { SharedHandler } from '../aws/http.js';
import { iamSigningRegion, loadIam } from '../aws/iam.js';
import { createIamRolesPort } from '../aws/iam-roles.js';
import type { IamRolesPort } from '../aws/iam-roles-port.js';
import { partitionOf, type Partition } from '../aws/partition.js';
import type { BrokerSource } from '../engine/broker-source.js';
import type { CredentialPool } from '../engine/credential-pool.js';
import { DEFAULT_ROLE, fanOut, type FanOutRun } from '../engine/fan-out.js';
import type { FanOutStats, JobContext } from '../engine/types.js';
import type { BundleTarget } from './account-filter.js';
import { liveRoleOf } from './live-role.js';
import type { LiveRole } from './model.js';

/** How a bundle command reaches the accounts: `run`'s engine settings. */
export interface BundleSweepOptions {
  /** Source of the MFA session; required unless `pool` is given. */
  broker?: BrokerSource;
  /** Source profile; default "default". */
  profile?: string;
  /** The source session if the caller has it (one MFA prompt for plan, apply and verify). */
  sourceSession?: Credentials;
  /** Share credentials between a plan and the apply after it. */
  pool?: CredentialPool;
  /** The role each account is entered through; default OrganizationAccountAccessRole. Never changed by the sweep. */
  bootstrapRole?: string;
  externalId?: string;
  roleSessionName?: string;
  /** Any region of the partition; default us-east-1. */
  region?: string;
  endpoints?: Endpoints;
  /** Accounts in flight at once; default 32. */
  concurrency?: number;
  signal?: AbortSignal;
  handler?: SharedHandler;
  /** Called once with the live counters of each fan-out (for a progress bar). */
  onStart?: (stats: FanOutStats) => void;
  /** Per-account timeout. */
  timeoutMs?: number;
}

/** One account's IAM, opened inside a fan-out job. */
export interface AccountIam {
  port: IamRolesPort;
  live: LiveRole[];
}

/** Opens IAM for the job's account and reads every role in one bulk read. */
export async function readAccount(ctx: JobContext): Promise<AccountIam> {
  const { IAMClient } = await loadIam();
  const port = await createIamRolesPort(ctx.client(IAMClient));
  const live = (await port.readRoles()).map(liveRoleOf);
  return { port, live };
}

/** The partition of a sweep. */
export function sweepPartition(opts: BundleSweepOptions): Partition {
  return partitionOf(opts.region);
}

/**
 * Runs `job` once per account (IAM is global: one unit per account, signed
 * in the partition's IAM region) on the fan-out engine: one MFA session, one
 * AssumeRole per account, rate limits and retries.
 */
export function sweepAccounts<T>(targets: BundleTarget[], job: (ctx: JobContext, target: BundleTarget) => Promise<T>, opts: BundleSweepOptions): FanOutRun<T> {
  const region = iamSigningRegion(opts.region);
  const byAccount = new Map(targets.map((t) => [t.account, t]));
  return fanOut(
    targets.map((t) => ({ account: t.account, region, ...(t.name ? { name: t.name } : {}) })),
    (ctx) => job(ctx, byAccount.get(ctx.account)!),
    {
      ...(opts.broker ? { broker: opts.broker } : {}),
      ...(opts.pool ? { pool: opts.pool } : {}),
      profile: opts.profile ?? 'default',
      ...(opts.sourceSession ? { sourceSession: opts.sourceSession } : {}),
      role: opts.bootstrapRole ?? DEFAULT_ROLE,
      ...(opts.externalId ? { externalId: opts.externalId } : {}),
      ...(opts.roleSessionName ? { roleSessionName: opts.roleSessionName } : {}),
      ...(opts.endpoints ? { endpoints: opts.endpoints } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.handler ? { handler: opts.handler } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.onStart ? { onStart: opts.onStart } : {}),
    },
  );
}
