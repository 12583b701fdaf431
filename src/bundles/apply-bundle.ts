import { createSharedHandler } from '../aws/http.js';
import { createStsPort } from '../aws/sts.js';
import type { AssumePort } from '../aws/sts-port.js';
import { roleArnFor } from '../aws/partition.js';
import type { Credentials } from '../credentials/types.js';
import { lazyBroker } from '../engine/broker-source.js';
import { CredentialPool } from '../engine/credential-pool.js';
import { DEFAULT_ROLE } from '../engine/fan-out.js';
import type { ResultError } from '../engine/types.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { BundleTarget } from './account-filter.js';
import { planAccount, type PlanAction, type PlannedRole } from './account-plan.js';
import { executeSteps } from './execute-steps.js';
import { openIdentityIam, readIdentity } from './identity-access.js';
import { planIdentity } from './identity-plan.js';
import { resultErrorOf } from '../engine/result-error.js';
import type { Bundle, BundleRole } from './model.js';
import { changesTrust } from './role-steps.js';
import { readAccount, sweepAccounts, sweepPartition, type BundleSweepOptions } from './sweep.js';
import { verifyRole, type VerifyOutcome } from './verify-role.js';

/** Options of {@link applyBundle}. */
export interface ApplyBundleOptions extends BundleSweepOptions {
  /** `apply` converges the bundle's roles; `prune` deletes owned roles the bundle no longer lists. Default apply. */
  mode?: 'apply' | 'prune';
  /** Take over same-named roles without an owner tag (apply only). */
  adopt?: boolean;
  /** Change one account alone first and stop if it fails; default true when there are several. */
  canary?: boolean;
  /** Failed accounts tolerated before no further batch starts; default 0. */
  maxFailures?: number;
  /** Prove each new or re-trusted role by assuming it from the source session; default true. */
  verify?: boolean;
  /** STS for the proof; default the SDK at `endpoints.sts`. */
  verifySts?: AssumePort;
  verifyTimeoutMs?: number;
  /** "Invalid principal" retry budget per call (tests). */
  principalTimeoutMs?: number;
  /** Called as each account finishes. */
  onAccount?: (result: AccountApplyResult) => void;
  /**
   * Asks the apply to stop (Ctrl-C): no account, role, policy or group is
   * started after it, but the one each running account is on gets the rest
   * of its calls, so nothing is left cut between two calls by a first stop.
   * Waits that change nothing (reading, proving) end at once.
   */
  signal?: AbortSignal;
}

/** What happened to one role. */
export interface RoleApplyResult {
  role: string;
  action: PlanAction;
  /** IAM calls accepted for this role. */
  calls: number;
  verified?: VerifyOutcome;
  /** Why the role was not proven by assuming it. */
  verifySkipped?: string;
}

/** What happened in one account. */
export interface AccountApplyResult {
  account: string;
  name?: string;
  /**
   * `skipped`: not started, because the canary or too many accounts failed,
   * or the apply was stopped. `stopped`: the apply was stopped part-way in
   * this account: `roles` were done, `notStarted` were not touched.
   */
  status: 'changed' | 'unchanged' | 'failed' | 'skipped' | 'stopped';
  roles: RoleApplyResult[];
  /** With `stopped`: the roles (or identity policies and groups) left for the next run. */
  notStarted?: string[];
  /** IAM calls that changed something. */
  mutatingCalls: number;
  /** The longest wait for a changed trust policy to let the user in. */
  propagationMs?: number;
  error?: ResultError;
  durationMs: number;
}

/** The outcome of {@link applyBundle}. */
export interface ApplyReport {
  accounts: AccountApplyResult[];
  changed: number;
  failed: number;
  skipped: number;
  /** Accounts stopped part-way by `signal`. */
  stopped: number;
  mutatingCalls: number;
  /** True when a failed canary, the failure budget or `signal` stopped the run early. */
  stoppedEarly: boolean;
  /** True when `signal` stopped it. */
  interrupted: boolean;
}

/** What a stop left in one account or on the identity side. */
interface StopState {
  /** Objects of the plan not started. */
  notStarted: string[];
  /** Stopped before anything was read or changed. */
  before?: boolean;
}

/** What the job of one member account gives. */
interface AccountJobValue {
  roles: RoleApplyResult[];
  mutatingCalls: number;
  /** Set when the apply was stopped before this account's last role. */
  stopped?: StopState;
}

/** Converges the identity account's policies and groups. */
async function applyIdentity(bundle: Bundle, opts: ApplyBundleOptions): Promise<AccountApplyResult> {
  const account = bundle.identity!.account;
  const started = Date.now();
  const base = { account, name: 'identity account' };
  const roles: RoleApplyResult[] = [];
  let mutatingCalls = 0;
  const stop = opts.signal;
  try {
    const iam = await openIdentityIam(opts, account);
    try {
      const planned = planIdentity(bundle, await readIdentity(iam.port, bundle), sweepPartition(opts));
      const todo = planned.filter((x) => x.action === 'create' || x.action === 'update');
      for (const [i, p] of todo.entries()) {
        if (stop?.aborted) {
          const notStarted = todo.slice(i).map((x) => `${x.kind} ${x.role}`);
          return { ...base, status: 'stopped', roles, notStarted, mutatingCalls, durationMs: Date.now() - started };
        }
        // No signal: a policy or group once started gets all its calls.
        const calls = await executeSteps(iam.port, p.role, p.steps, { onCall: () => void mutatingCalls++ });
        roles.push({ role: `${p.kind} ${p.role}`, action: p.action, calls });
      }
    } finally {
      iam.close();
    }
    return { ...base, status: mutatingCalls ? 'changed' : 'unchanged', roles, mutatingCalls, durationMs: Date.now() - started };
  } catch (e) {
    return { ...base, status: 'failed', roles, mutatingCalls, error: resultErrorOf(e, 'job'), durationMs: Date.now() - started };
  }
}

/** Whether the session can prove `role`: only when its account is trusted by it. */
function verifiable(role: BundleRole, session: Credentials): string | undefined {
  const account = session.accountId;
  if (!account) return undefined;
  if (role.trust.principals?.length)
    return role.trust.principals.some((p) => p.includes(`:${account}:`))
      ? undefined
      : `the run's identity (account ${account}) is not among the trusted principals`;
  return role.trust.accounts.includes(account) ? undefined : `the run's identity (account ${account}) is not a trusted account`;
}

/**
 * Converges (or prunes) the target accounts to the bundle: each account is
 * read again and only what still differs is changed, so an apply after an
 * apply makes no mutating call and a plan gone stale is never replayed.
 * One account first (the canary), then batches of `concurrency`; once more
 * than `maxFailures` accounts failed, no further batch starts (running ones
 * finish: a half-sent change is never cut off). `signal` stops it the same
 * way: each running account finishes the role it is on and starts no other
 * (`stopped`, with the roles left in `notStarted`); the rest are `skipped`.
 * Every role is created with its owner tag in CreateRole itself, so even a
 * process killed between two calls leaves only roles a re-run knows as
 * its own and finishes. Per account: additive calls
 * before subtractive ones, then every new or re-trusted role is proven by
 * assuming it from the source session, retried while IAM propagates; the
 * waits of all accounts of a batch overlap.
 */
export async function applyBundle(bundle: Bundle, targets: BundleTarget[], opts: ApplyBundleOptions): Promise<ApplyReport> {
  const mode = opts.mode ?? 'apply';
  const partition = sweepPartition(opts);
  const profile = opts.profile ?? 'default';
  const handler = opts.handler ?? createSharedHandler({ maxSockets: Math.max(50, (opts.concurrency ?? 32) * 2) });
  let pool = opts.pool;
  if (!pool) {
    if (!opts.broker) throw new TypeError('applyBundle needs a broker or a pool');
    pool = new CredentialPool({
      broker: lazyBroker(opts.broker),
      profile,
      ...(opts.sourceSession ? { sourceSession: opts.sourceSession } : {}),
      handler,
      ...(opts.externalId ? { externalId: opts.externalId } : {}),
      ...(opts.roleSessionName ? { roleSessionName: opts.roleSessionName } : {}),
      ...(opts.endpoints?.sts ? { stsEndpoint: opts.endpoints.sts } : {}),
    });
  }
  const verify = opts.verify !== false && mode === 'apply';
  const sts = opts.verifySts ?? createStsPort({ region: opts.region ?? 'us-east-1', ...(opts.endpoints?.sts ? { endpoint: opts.endpoints.sts } : {}) });
  let session: Promise<Credentials> | undefined;
  const sourceSession = () =>
    (session ??= opts.sourceSession
      ? Promise.resolve(opts.sourceSession)
      : lazyBroker(opts.broker!)
          .sessionCredentials(profile)
          .then((r) => r.credentials));
  const rolesByName = new Map(bundle.roles.map((r) => [r.name, r]));

  const stop = opts.signal;
  const job = async (ctx: Parameters<Parameters<typeof sweepAccounts>[1]>[0], t: BundleTarget): Promise<AccountJobValue> => {
    if (stop?.aborted) return { roles: [], mutatingCalls: 0, stopped: { notStarted: [], before: true } };
    const { port, live } = await readAccount(ctx);
    const planned = planAccount({
      bundle,
      account: t.account,
      roles: t.roles,
      live,
      partition,
      bootstrapRole: opts.bootstrapRole ?? DEFAULT_ROLE,
      ...(opts.adopt && mode === 'apply' ? { adopt: true } : {}),
      ...(mode === 'prune' ? { withPrune: true } : {}),
    });
    const todo = planned.filter((p) => (mode === 'prune' ? p.action === 'prune' : p.action === 'create' || p.action === 'update'));
    const results: RoleApplyResult[] = [];
    let mutatingCalls = 0;
    const toVerify: { p: PlannedRole; r: RoleApplyResult }[] = [];
    const unproven = 'the apply was stopped before it was proven';
    for (const [i, p] of todo.entries()) {
      if (stop?.aborted) {
        for (const { r } of toVerify) r.verifySkipped = unproven;
        return { roles: results, mutatingCalls, stopped: { notStarted: todo.slice(i).map((x) => x.role), ...(i === 0 ? { before: true } : {}) } };
      }
      // The unit's signal only (its timeout): a stop lets a started role get the rest of its calls.
      const calls = await executeSteps(port, p.role, p.steps, {
        signal: ctx.signal,
        onCall: () => void mutatingCalls++,
        ...(opts.principalTimeoutMs !== undefined ? { principalTimeoutMs: opts.principalTimeoutMs } : {}),
      });
      const r: RoleApplyResult = { role: p.role, action: p.action, calls };
      results.push(r);
      if (verify && p.steps.some(changesTrust)) toVerify.push({ p, r });
    }
    // Proving changes nothing: a stop ends it, and the role says it was not proven.
    const proof = stop ? AbortSignal.any([ctx.signal, stop]) : ctx.signal;
    // Overlapped: the slowest propagation, not their sum, bounds the account.
    await Promise.all(
      toVerify.map(async ({ p, r }) => {
        const role = rolesByName.get(p.role)!;
        if (stop?.aborted) {
          r.verifySkipped = unproven;
          return;
        }
        const creds = await sourceSession();
        const skip = verifiable(role, creds);
        if (skip) {
          r.verifySkipped = skip;
          return;
        }
        try {
          r.verified = await verifyRole(sts, creds, roleArnFor(t.account, `${role.path.replace(/^\//, '')}${role.name}`, opts.region), {
            roleSessionName: opts.roleSessionName ?? 'rolehop-verify',
            ...(role.trust.externalId ? { externalId: role.trust.externalId } : {}),
            signal: proof,
            ...(opts.verifyTimeoutMs ? { timeoutMs: opts.verifyTimeoutMs } : {}),
          });
        } catch (e) {
          if (stop?.aborted && !ctx.signal.aborted) {
            r.verifySkipped = unproven;
            return;
          }
          throw new RolehopError(ErrorCodes.AWS_ACCESS_DENIED, `${p.role} was changed, but assuming it still fails: ${(e as Error).message}`, {
            hint: 'Check the trust policy and the identity policy of the users; IAM may need longer to propagate.',
            cause: e,
          });
        }
      }),
    );
    return { roles: results, mutatingCalls };
  };

  const report: ApplyReport = { accounts: [], changed: 0, failed: 0, skipped: 0, stopped: 0, mutatingCalls: 0, stoppedEarly: false, interrupted: false };
  const record = (r: AccountApplyResult) => {
    report.accounts.push(r);
    if (r.status === 'changed') report.changed++;
    if (r.status === 'failed') report.failed++;
    if (r.status === 'skipped') report.skipped++;
    if (r.status === 'stopped') report.stopped++;
    report.mutatingCalls += r.mutatingCalls;
    opts.onAccount?.(r);
  };
  const size = Math.max(1, Math.floor(opts.concurrency ?? 32));
  const canary = opts.canary ?? targets.length > 1;
  const batches: BundleTarget[][] = [];
  let rest = targets.filter((t) => !t.unreachable);
  if (canary && rest.length) {
    batches.push(rest.slice(0, 1));
    rest = rest.slice(1);
  }
  for (let i = 0; i < rest.length; i += size) batches.push(rest.slice(i, i + size));
  const budget = opts.maxFailures ?? 0;

  try {
    // The identity side first: the member roles are of no use to anyone before it, and a failure there stops the run.
    if (mode === 'apply' && bundle.identity) {
      const r = stop?.aborted
        ? { account: bundle.identity.account, name: 'identity account', status: 'skipped' as const, roles: [], mutatingCalls: 0, durationMs: 0 }
        : await applyIdentity(bundle, { ...opts, pool, handler });
      if (r.status !== 'unchanged') record(r);
      if (r.status !== 'changed' && r.status !== 'unchanged') report.stoppedEarly = true;
    }
    // The engine is not given the stop: it would cut a running account between two calls of a role.
    const { signal: _stop, ...engine } = opts;
    for (const [i, batch] of batches.entries()) {
      if (stop?.aborted || report.stoppedEarly || report.failed > budget || (canary && i === 1 && report.failed > 0)) {
        report.stoppedEarly = true;
        for (const t of batch)
          record({ account: t.account, ...(t.name ? { name: t.name } : {}), status: 'skipped', roles: [], mutatingCalls: 0, durationMs: 0 });
        continue;
      }
      for await (const r of sweepAccounts(batch, job, { ...engine, pool, handler })) {
        const v = r.value;
        const stopped = v?.stopped;
        record({
          account: r.account,
          ...(r.name ? { name: r.name } : {}),
          status: !r.ok ? 'failed' : stopped?.before ? 'skipped' : stopped ? 'stopped' : v && v.mutatingCalls > 0 ? 'changed' : 'unchanged',
          ...(stopped && !stopped.before ? { notStarted: stopped.notStarted } : {}),
          roles: v?.roles ?? [],
          mutatingCalls: v?.mutatingCalls ?? 0,
          ...(v?.roles.some((x) => x.verified) ? { propagationMs: Math.max(...v.roles.map((x) => x.verified?.propagationMs ?? 0)) } : {}),
          ...(r.error ? { error: r.error } : {}),
          durationMs: r.durationMs,
        });
      }
    }
  } finally {
    if (!opts.handler) handler.close();
  }
  report.interrupted = !!stop?.aborted;
  return report;
}
