import { ErrorCodes, RolehopError } from '../errors.js';
import type { OrgInventory } from './org-inventory.js';
import { ACCOUNT_ID } from '../aws/partition.js';
import type { FanOutTarget } from './types.js';

/** An account chosen for a sweep. */
export interface SelectedAccount {
  account: string;
  name?: string;
}

/** Parses `--accounts ID,ID` (and `--exclude`). */
export function parseAccountList(spec: string, flag = '--accounts'): string[] {
  const ids = spec
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!ACCOUNT_ID.test(id))
      throw new RolehopError(ErrorCodes.USAGE, `${flag}: "${id}" is not a 12-digit account id`, {
        hint: `Give ${flag} a comma-separated list of 12-digit ids.`,
      });
  }
  return ids;
}

/**
 * Parses an accounts file: one account id a line, optionally followed by a
 * name (the rest of the line); `#` starts a comment; blank lines are skipped.
 */
export function parseAccountsFile(text: string, file = 'accounts file'): SelectedAccount[] {
  const out: SelectedAccount[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const m = /^(\S+)(?:[\s,]+(.*))?$/.exec(line)!;
    const id = m[1]!;
    if (!ACCOUNT_ID.test(id))
      throw new RolehopError(ErrorCodes.USAGE, `${file}:${i + 1}: "${id}" is not a 12-digit account id`, {
        hint: 'Write one account id per line, optionally followed by a name.',
      });
    const name = m[2]?.trim();
    out.push({ account: id, ...(name ? { name } : {}) });
  });
  return out;
}

/** A case-insensitive glob (`*`, `?`) as a RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Parses repeated `--tag k=v` options. */
export function parseTags(specs: string[]): [string, string][] {
  return specs.map((s) => {
    const i = s.indexOf('=');
    if (i <= 0)
      throw new RolehopError(ErrorCodes.USAGE, `--tag "${s}" is not KEY=VALUE`, { hint: 'Use --tag Environment=prod (repeat for more tags; all must match).' });
    return [s.slice(0, i), s.slice(i + 1)];
  });
}

/** What to select, already parsed. */
export interface SelectionSpec {
  accounts?: string[];
  fileAccounts?: SelectedAccount[];
  /** Include all ACTIVE accounts of the organization. */
  org?: boolean;
  ous?: string[];
  tags?: [string, string][];
  nameGlob?: string;
  exclude?: string[];
}

/**
 * Resolves a selection to accounts, in a stable order (first mention, then
 * Organizations order). Explicit ids and file entries are taken as given;
 * `--org` adds the organization's ACTIVE accounts. `--ou`, `--tag` and
 * `--name` filter (they need an inventory: `--org`, or names from a file);
 * `--exclude` removes. Organizations names fill in missing names when an
 * inventory is at hand.
 */
export async function selectAccounts(spec: SelectionSpec, inventory?: OrgInventory): Promise<SelectedAccount[]> {
  const byId = new Map<string, SelectedAccount>();
  for (const id of spec.accounts ?? []) if (!byId.has(id)) byId.set(id, { account: id });
  for (const a of spec.fileAccounts ?? []) if (!byId.has(a.account) || a.name) byId.set(a.account, a);
  const needOrg = spec.org || (spec.ous?.length ?? 0) > 0 || (spec.tags?.length ?? 0) > 0;
  if (needOrg && !inventory)
    throw new RolehopError(ErrorCodes.USAGE, '--org, --ou and --tag need the Organizations inventory', {
      hint: 'Run from a profile of the management or delegated-admin account.',
    });
  if (inventory && needOrg) {
    const all = await inventory.accounts();
    const names = new Map(all.map((a) => [a.id, a.name]));
    for (const a of byId.values()) if (!a.name && names.get(a.account)) a.name = names.get(a.account)!;
    if (spec.org) for (const a of all) if (a.state === 'ACTIVE' && !byId.has(a.id)) byId.set(a.id, { account: a.id, ...(a.name ? { name: a.name } : {}) });
  }
  let list = [...byId.values()];
  if (spec.ous?.length && inventory) {
    const inOu = new Set<string>();
    for (const ou of spec.ous) for (const id of await inventory.accountsUnder(ou)) inOu.add(id);
    list = list.filter((a) => inOu.has(a.account));
  }
  if (spec.tags?.length && inventory) {
    const tags = await inventory.tags(list.map((a) => a.account));
    list = list.filter((a) => spec.tags!.every(([k, v]) => tags.get(a.account)?.[k] === v));
  }
  if (spec.nameGlob) {
    const re = globToRegExp(spec.nameGlob);
    list = list.filter((a) => re.test(a.name ?? ''));
  }
  if (spec.exclude?.length) {
    const ex = new Set(spec.exclude);
    list = list.filter((a) => !ex.has(a.account));
  }
  return list;
}

/** Accounts × regions, account-major so an account's regions share its AssumeRole while it is fresh. */
export function toTargets(accounts: SelectedAccount[], regions: string[]): FanOutTarget[] {
  return accounts.flatMap((a) => regions.map((region) => ({ account: a.account, region, ...(a.name ? { name: a.name } : {}) })));
}
