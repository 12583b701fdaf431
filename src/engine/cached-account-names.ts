import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFileSync } from '../io/read-regular-file.js';
import { MAX_CACHE_BYTES } from './org-inventory.js';

/** The file names {@link OrgInventory} writes: `org-` and 16 hex digits of its cache key. */
const ORG_CACHE_FILE = /^org-[0-9a-f]{16}\.json$/;

interface CachedAccounts {
  fetchedAt: number;
  names: Array<[id: string, name: string]>;
}

function accountsOf(text: string): CachedAccounts | undefined {
  const c = JSON.parse(text) as { version?: unknown; accounts?: { fetchedAt?: unknown; data?: unknown } };
  if (c?.version !== 1 || !Array.isArray(c.accounts?.data)) return undefined;
  const names: CachedAccounts['names'] = [];
  for (const a of c.accounts.data as Array<{ id?: unknown; name?: unknown }>) {
    if (typeof a?.id === 'string' && typeof a.name === 'string' && a.name) names.push([a.id, a.name]);
  }
  return { fetchedAt: typeof c.accounts.fetchedAt === 'number' ? c.accounts.fetchedAt : 0, names };
}

/**
 * Account names from every Organizations inventory cached in `cacheDir`
 * (the `org-*.json` files of `OrgInventory`), by account id, whatever their
 * age: a name is only shown to a person, so a stale one is better than none.
 * Where two caches disagree, the more recently fetched one wins. Makes no
 * AWS call; unreadable, foreign or corrupt files are skipped, and an empty
 * map comes back when nothing is cached. Never throws.
 */
export async function cachedAccountNames(cacheDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let files: string[];
  try {
    files = (await readdir(cacheDir)).filter((f) => ORG_CACHE_FILE.test(f));
  } catch {
    return out;
  }
  const caches: CachedAccounts[] = [];
  for (const f of files) {
    try {
      const c = accountsOf(readRegularFileSync(join(cacheDir, f), MAX_CACHE_BYTES) ?? '{}');
      if (c) caches.push(c);
    } catch {
      // A corrupt or oversized cache only costs its names.
    }
  }
  caches.sort((a, b) => a.fetchedAt - b.fetchedAt);
  for (const c of caches) for (const [id, name] of c.names) out.set(id, name);
  return out;
}
