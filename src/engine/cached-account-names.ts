import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFileSync } from '../io/read-regular-file.js';
import { ORG_CACHE_FILE, ORG_CACHE_MAX_BYTES, type OrgCacheFile } from './org-inventory.js';

/**
 * Account id -> account name from every cached Organizations inventory in
 * `cacheDir` (the `org-*.json` files {@link OrgInventory} writes), however
 * old: a name is for display and rarely changes, and reading it must make no
 * AWS call. An empty map when nothing is cached; a file that cannot be read
 * or parsed is skipped, never an error. When two caches name one account
 * differently, the most recently fetched name wins.
 */
export async function cachedAccountNames(cacheDir: string): Promise<Map<string, string>> {
  let files: string[];
  try {
    files = (await readdir(cacheDir)).filter((f) => ORG_CACHE_FILE.test(f));
  } catch {
    return new Map();
  }
  const parts: Array<{ fetchedAt: number; accounts: unknown[] }> = [];
  for (const f of files) {
    try {
      const c = JSON.parse(readRegularFileSync(join(cacheDir, f), ORG_CACHE_MAX_BYTES) ?? '{}') as OrgCacheFile;
      if (c.version === 1 && Array.isArray(c.accounts?.data)) parts.push({ fetchedAt: Number(c.accounts.fetchedAt) || 0, accounts: c.accounts.data });
    } catch {
      // Unreadable, refused or damaged: names from the other files still help.
    }
  }
  const names = new Map<string, string>();
  for (const part of parts.sort((a, b) => a.fetchedAt - b.fetchedAt)) {
    for (const a of part.accounts) {
      const { id, name } = (a ?? {}) as { id?: unknown; name?: unknown };
      if (typeof id === 'string' && typeof name === 'string' && name) names.set(id, name);
    }
  }
  return names;
}
