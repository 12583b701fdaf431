import { ErrorCodes, RolehopError } from '../errors.js';
import { globToRegExp, type SelectedAccount } from '../engine/selection.js';
import type { OrgAccount } from '../aws/organizations.js';
import type { AccountFilter, Bundle } from './model.js';

/** What account filters need from Organizations (an `OrgInventory` has it). */
export interface FilterInventory {
  accounts(): Promise<OrgAccount[]>;
  accountsUnder(parentId: string): Promise<Set<string>>;
  tags(accountIds: string[]): Promise<Map<string, Record<string, string>>>;
}

/** One selected account and the bundle roles it gets. */
export interface BundleTarget {
  account: string;
  name?: string;
  /** Bundle role names for this account (may be empty: the account is still read, for prune). */
  roles: string[];
  /** Why the account cannot be reached without calling it (a suspended account). */
  unreachable?: string;
}

const needsInventory = (f: AccountFilter | undefined) => !!(f && (f.ous?.length || (f.tags && Object.keys(f.tags).length)));

/** The accounts of `list` that pass `filter`. */
async function applyFilter(list: SelectedAccount[], filter: AccountFilter | undefined, inventory: FilterInventory | undefined): Promise<Set<string>> {
  let ids = list;
  if (!filter) return new Set(ids.map((a) => a.account));
  if (filter.accounts?.length) {
    const only = new Set(filter.accounts);
    ids = ids.filter((a) => only.has(a.account));
  }
  if (filter.exclude?.length) {
    const ex = new Set(filter.exclude);
    ids = ids.filter((a) => !ex.has(a.account));
  }
  if (filter.names?.length) {
    const res = filter.names.map(globToRegExp);
    ids = ids.filter((a) => res.some((re) => re.test(a.name ?? '')));
  }
  if (filter.ous?.length && inventory) {
    const under = new Set<string>();
    for (const ou of filter.ous) for (const id of await inventory.accountsUnder(ou)) under.add(id);
    ids = ids.filter((a) => under.has(a.account));
  }
  if (filter.tags && Object.keys(filter.tags).length && inventory) {
    const tags = await inventory.tags(ids.map((a) => a.account));
    ids = ids.filter((a) => Object.entries(filter.tags!).every(([k, v]) => tags.get(a.account)?.[k] === v));
  }
  return new Set(ids.map((a) => a.account));
}

/**
 * The bundle's targets within a selection: the accounts that pass the
 * bundle's own filter, each with the roles whose filters it passes.
 * Accounts the inventory knows as not ACTIVE (suspended, closing) are marked
 * unreachable instead of being called.
 *
 * @throws RolehopError ERR_USAGE when a filter needs Organizations (OUs,
 *   tags) and no inventory is at hand.
 */
export async function bundleTargets(bundle: Bundle, selected: SelectedAccount[], inventory?: FilterInventory): Promise<BundleTarget[]> {
  if (!inventory && [bundle.accounts, ...bundle.roles.map((r) => r.accounts)].some(needsInventory))
    throw new RolehopError(ErrorCodes.USAGE, `${bundle.file}: account filters by OU or tag need the Organizations inventory`, {
      hint: 'Select accounts with --org (from the management or a delegated-admin account).',
    });
  const inBundle = await applyFilter(selected, bundle.accounts, inventory);
  const accounts = selected.filter((a) => inBundle.has(a.account));
  const perRole = await Promise.all(bundle.roles.map(async (r) => [r.name, await applyFilter(accounts, r.accounts, inventory)] as const));
  const states = inventory ? new Map((await inventory.accounts()).map((a) => [a.id, a.state])) : new Map<string, string>();
  return accounts.map((a) => {
    const state = states.get(a.account);
    return {
      account: a.account,
      ...(a.name ? { name: a.name } : {}),
      roles: perRole.filter(([, ids]) => ids.has(a.account)).map(([name]) => name),
      ...(state && state !== 'ACTIVE' ? { unreachable: `the account is ${state}` } : {}),
    };
  });
}
