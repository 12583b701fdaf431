import type { FanOutStats, ResultError } from '../engine/types.js';
import { DEFAULT_ROLE } from '../engine/fan-out.js';
import type { BundleTarget } from './account-filter.js';
import { planAccount, type PlannedRole } from './account-plan.js';
import { openIdentityIam, readIdentity } from './identity-access.js';
import { desiredIdentity, planIdentity } from './identity-plan.js';
import type { Bundle } from './model.js';
import { resultErrorOf } from '../engine/result-error.js';
import { readAccount, sweepAccounts, sweepPartition, type BundleSweepOptions } from './sweep.js';

/** Options of {@link planBundle}. */
export interface PlanBundleOptions extends BundleSweepOptions {
  /** Plan to take over same-named roles without an owner tag. */
  adopt?: boolean;
  /** Also list owned roles the bundle no longer gives an account. */
  withPrune?: boolean;
}

/** The plan of one account. */
export interface AccountPlan {
  account: string;
  name?: string;
  /** One entry per bundle role the account gets (all `unreachable` when it could not be read). */
  entries: PlannedRole[];
  /** Why the account could not be read. */
  error?: ResultError;
}

/** A running plan: iterate it for accounts as they finish. */
export interface BundlePlanRun extends AsyncIterable<AccountPlan> {
  /** Counters of the underlying fan-out (undefined until it starts). */
  readonly stats: FanOutStats | undefined;
  all(): Promise<AccountPlan[]>;
}

/** The plan of the identity account's side (policies and groups); unreachable entries when it cannot be read. */
async function identityPlan(bundle: Bundle, opts: PlanBundleOptions): Promise<AccountPlan> {
  const account = bundle.identity!.account;
  try {
    const iam = await openIdentityIam(opts, account);
    try {
      return { account, name: 'identity account', entries: planIdentity(bundle, await readIdentity(iam.port, bundle), sweepPartition(opts)) };
    } finally {
      iam.close();
    }
  } catch (e) {
    const error = resultErrorOf(e, 'job');
    const want = desiredIdentity(bundle, sweepPartition(opts));
    const entries = [
      ...want.policies.map((p) => ({ kind: 'policy' as const, role: p.name })),
      ...want.groups.map((g) => ({ kind: 'group' as const, role: g.name })),
    ].map((x) => ({ account, accountName: 'identity account', ...x, action: 'unreachable' as const, changes: [], steps: [], reason: error.message }));
    return { account, name: 'identity account', entries, error };
  }
}

/** Every role of an account marked unreachable, with why. */
function unreachable(t: BundleTarget, reason: string, error?: ResultError): AccountPlan {
  const base = { account: t.account, ...(t.name ? { accountName: t.name } : {}) };
  return {
    account: t.account,
    ...(t.name ? { name: t.name } : {}),
    entries: (t.roles.length ? t.roles : ['*']).map((role) => ({ ...base, role, action: 'unreachable' as const, changes: [], steps: [], reason })),
    ...(error ? { error } : {}),
  };
}

/**
 * Reads the live IAM state of every target account (one bulk read each) and
 * compares it with the bundle. Changes nothing. Accounts finish in any
 * order; an account that cannot be entered (no bootstrap role, denied,
 * suspended) is a plan whose entries are `unreachable`, never a thrown error.
 */
export function planBundle(bundle: Bundle, targets: BundleTarget[], opts: PlanBundleOptions): BundlePlanRun {
  const partition = sweepPartition(opts);
  const reachable = targets.filter((t) => !t.unreachable);
  const run = sweepAccounts(
    reachable,
    async (ctx, t) => {
      const { live } = await readAccount(ctx);
      return planAccount({
        bundle,
        account: t.account,
        ...(t.name ? { accountName: t.name } : {}),
        roles: t.roles,
        live,
        partition,
        bootstrapRole: opts.bootstrapRole ?? DEFAULT_ROLE,
        ...(opts.adopt ? { adopt: true } : {}),
        ...(opts.withPrune ? { withPrune: true } : {}),
      });
    },
    opts,
  );
  async function* iterate(): AsyncGenerator<AccountPlan> {
    for (const t of targets) if (t.unreachable) yield unreachable(t, t.unreachable);
    if (bundle.identity) yield await identityPlan(bundle, opts);
    const byAccount = new Map(reachable.map((t) => [t.account, t]));
    for await (const r of run) {
      const t = byAccount.get(r.account)!;
      if (r.ok) yield { account: t.account, ...(t.name ? { name: t.name } : {}), entries: r.value ?? [] };
      else yield unreachable(t, r.error?.message ?? 'failed', r.error);
    }
  }
  return {
    get stats() {
      return run.stats;
    },
    [Symbol.asyncIterator]: () => iterate(),
    async all() {
      const out: AccountPlan[] = [];
      for await (const p of iterate()) out.push(p);
      return out;
    },
  };
}
