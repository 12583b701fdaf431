import type { Partition } from '../aws/partition.js';
import { desiredRole } from './desired-role.js';
import { RESERVED_PATH_PREFIXES, type Bundle, type LiveRole } from './model.js';
import { compareRole, ownerOf, pruneSteps, type RoleChange } from './role-diff.js';
import type { RoleStep } from './role-steps.js';

/** What a plan says about one role in one account. */
export type PlanAction = 'create' | 'update' | 'noop' | 'conflict' | 'unreachable' | 'prune';

/** One line of a plan: one (account, role). This is what `roles plan --json` prints. */
export interface PlanEntry {
  account: string;
  accountName?: string;
  /** What `role` names: a role (when absent), or in the identity account a policy or a group. */
  kind?: 'policy' | 'group';
  role: string;
  action: PlanAction;
  /** What differs, readable; empty for noop. */
  changes: RoleChange[];
  /** Why a role is a conflict or unreachable. */
  reason?: string;
  /** Trust principals that IAM shows as unique ids (deleted users or roles). */
  dangling?: string[];
}

/** A plan entry with the IAM calls that would carry it out. */
export interface PlannedRole extends PlanEntry {
  steps: RoleStep[];
}

/** Inputs of {@link planAccount}. */
export interface AccountPlanInput {
  bundle: Bundle;
  account: string;
  accountName?: string;
  /** Names of the bundle roles this account gets (after the bundle's and the roles' account filters). */
  roles: string[];
  live: LiveRole[];
  partition: Partition;
  /** The role the run comes in through (name or ARN): never changed by that run. */
  bootstrapRole: string;
  /** Take over same-named roles that carry no owner tag (same path only). */
  adopt?: boolean;
  /** Also list owned roles the bundle no longer gives this account (`prune` entries). */
  withPrune?: boolean;
}

const lower = (s: string) => s.toLowerCase();
const isReserved = (path: string) => RESERVED_PATH_PREFIXES.some((p) => path.startsWith(p));

/** Why a live role cannot be managed by this bundle, or undefined when it can. */
function conflictReason(bundle: Bundle, name: string, path: string, live: LiveRole, adopt: boolean): string | undefined {
  if (isReserved(live.path)) return `a role of AWS's reserved path ${live.path} has this name`;
  const owner = ownerOf(live);
  if (owner === bundle.name) return live.path === path ? undefined : `rolehop's role is at path ${live.path}, the bundle says ${path}: prune it, then apply`;
  if (owner !== undefined) return `owned by another bundle (${owner})`;
  if (live.path !== path) return `a role rolehop does not own has this name (at path ${live.path})`;
  // IAM names are case-insensitive but a role cannot be renamed: adopting it would keep the other spelling.
  if (live.name !== name) return `a role rolehop does not own is named ${live.name}`;
  return adopt ? undefined : `a role rolehop does not own has this name (no rolehop:bundle tag; --adopt takes it over)`;
}

/**
 * The plan of one account from its live roles: one entry per bundle role it
 * gets, plus (with `withPrune`) one per owned role it no longer gets. Only
 * roles rolehop provably owns (its owner tag with this bundle's name, at the
 * bundle's path) are ever updated or pruned; the role the run comes in
 * through and AWS's reserved paths never are. Pure.
 */
export function planAccount(input: AccountPlanInput): PlannedRole[] {
  const { bundle, account, partition } = input;
  const base = { account, ...(input.accountName ? { accountName: input.accountName } : {}) };
  const liveByName = new Map(input.live.map((r) => [lower(r.name), r]));
  const bootstrap = lower(input.bootstrapRole.split('/').pop() ?? input.bootstrapRole);
  // Only names the bundle still has: a target list from an older bundle cannot shield a role from prune.
  const inBundle = new Set(bundle.roles.map((r) => lower(r.name)));
  const wanted = new Set(input.roles.map(lower).filter((n) => inBundle.has(n)));
  const out: PlannedRole[] = [];

  for (const role of bundle.roles) {
    if (!wanted.has(lower(role.name))) continue;
    if (lower(role.name) === bootstrap) {
      out.push({
        ...base,
        role: role.name,
        action: 'conflict',
        changes: [],
        steps: [],
        reason: 'this is the role the run comes in through; a run never changes it',
      });
      continue;
    }
    const live = liveByName.get(lower(role.name));
    const reason = live && conflictReason(bundle, role.name, role.path, live, !!input.adopt);
    if (reason) {
      out.push({ ...base, role: role.name, action: 'conflict', changes: [], steps: [], reason });
      continue;
    }
    const cmp = compareRole(desiredRole(bundle, role, account, partition), live, partition);
    out.push({
      ...base,
      role: role.name,
      action: cmp.action,
      changes: cmp.changes,
      steps: cmp.steps,
      ...(cmp.dangling.length ? { dangling: cmp.dangling } : {}),
    });
  }

  if (input.withPrune) {
    const paths = new Set(bundle.roles.map((r) => r.path));
    for (const live of input.live) {
      if (ownerOf(live) !== bundle.name || !paths.has(live.path) || isReserved(live.path)) continue;
      if (wanted.has(lower(live.name)) || lower(live.name) === bootstrap) continue;
      out.push({
        ...base,
        role: live.name,
        action: 'prune',
        changes: [{ field: 'role', summary: `delete ${live.path}${live.name} (no longer in the bundle for this account)` }],
        steps: pruneSteps(live),
      });
    }
  }
  return out;
}
