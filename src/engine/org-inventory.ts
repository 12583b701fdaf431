import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { OrgAccount, OrgPort } from '../aws/organizations.js';
import { mapLimit } from '../async/map-limit.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { readRegularFileSync } from '../io/read-regular-file.js';

/** Ids, names, e-mails and tags of tens of thousands of accounts fit well below this: a larger cache file is not read. */
export const ORG_CACHE_MAX_BYTES = 64 << 20;

/** Cache files are `org-<hash of the cache key>.json` in the cache directory. */
export const ORG_CACHE_FILE = /^org-[0-9a-f]{16}\.json$/;

/** Default lifetime of the cached Organizations inventory. */
export const DEFAULT_ORG_TTL_MS = 60 * 60_000;

interface Part<T> {
  fetchedAt: number;
  data: T;
}

/** The layout of a cache file (version 1); every part may be missing. */
export interface OrgCacheFile {
  version: 1;
  accounts?: Part<OrgAccount[]>;
  ous?: Record<string, Part<string[]>>;
  tags?: Record<string, Part<Record<string, string>>>;
}

/** Options of {@link OrgInventory}. */
export interface OrgInventoryOptions {
  /** Opens the Organizations port (only called on a cache miss). */
  port: () => Promise<OrgPort>;
  /** Directory of the cache files (under ROLEHOP_HOME). */
  cacheDir: string;
  /** What identifies the organization: e.g. profile name and endpoint. */
  cacheKey: string;
  ttlMs?: number;
  /** Ignore the cache for reads (still written). */
  refresh?: boolean;
  now?: () => number;
  /** Parallel ListTagsForResource calls; default 4 (Organizations throttles early). */
  tagConcurrency?: number;
}

/**
 * The Organizations inventory with an on-disk cache (TTL, default 1 h):
 * accounts, OU membership and tags. A warm run makes zero Organizations
 * calls. The cache holds no secrets (ids, names, e-mails, tags) but is still
 * written 0600, atomically.
 */
export class OrgInventory {
  private readonly path: string;
  private cache?: OrgCacheFile;
  private portP?: Promise<OrgPort>;
  /** Organizations calls made (not counting pages). */
  fetches = 0;

  constructor(private readonly opts: OrgInventoryOptions) {
    const id = createHash('sha256').update(opts.cacheKey).digest('hex').slice(0, 16);
    this.path = join(opts.cacheDir, `org-${id}.json`);
  }

  private port(): Promise<OrgPort> {
    return (this.portP ??= this.opts.port());
  }

  private async load(): Promise<OrgCacheFile> {
    if (this.cache) return this.cache;
    try {
      const c = JSON.parse(readRegularFileSync(this.path, ORG_CACHE_MAX_BYTES) ?? '{}') as OrgCacheFile;
      this.cache = c.version === 1 ? c : { version: 1 };
    } catch {
      this.cache = { version: 1 };
    }
    return this.cache;
  }

  private fresh<T>(p: Part<T> | undefined): p is Part<T> {
    if (!p || this.opts.refresh) return false;
    return (this.opts.now ?? Date.now)() - p.fetchedAt < (this.opts.ttlMs ?? DEFAULT_ORG_TTL_MS);
  }

  private part<T>(data: T): Part<T> {
    return { fetchedAt: (this.opts.now ?? Date.now)(), data };
  }

  private save(): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify(this.cache));
  }

  /** Every account of the organization, whatever its state. */
  async accounts(): Promise<OrgAccount[]> {
    const c = await this.load();
    if (this.fresh(c.accounts)) return c.accounts.data;
    this.fetches++;
    const list = await (await this.port()).listAccounts();
    c.accounts = this.part(list);
    await this.save();
    return list;
  }

  /** Account ids under an OU or root, recursively. */
  async accountsUnder(parentId: string): Promise<Set<string>> {
    const c = await this.load();
    const cached = c.ous && Object.hasOwn(c.ous, parentId) ? c.ous[parentId] : undefined;
    if (this.fresh(cached)) return new Set(cached.data);
    const port = await this.port();
    const ids = new Set<string>();
    const walk = async (id: string): Promise<void> => {
      this.fetches += 2;
      const [accounts, children] = await Promise.all([port.listAccountsForParent(id), port.listChildOus(id)]);
      for (const a of accounts) ids.add(a.id);
      for (const child of children) await walk(child);
    };
    await walk(parentId);
    c.ous = { ...c.ous, [parentId]: this.part([...ids]) };
    await this.save();
    return ids;
  }

  /** Tags of each given account, fetching only the missing or stale ones. */
  async tags(accountIds: string[]): Promise<Map<string, Record<string, string>>> {
    const c = await this.load();
    c.tags ??= {};
    const out = new Map<string, Record<string, string>>();
    const missing: string[] = [];
    for (const id of accountIds) {
      const p = Object.hasOwn(c.tags, id) ? c.tags[id] : undefined;
      if (this.fresh(p)) out.set(id, p.data);
      else missing.push(id);
    }
    if (missing.length) {
      const port = await this.port();
      await mapLimit(missing, this.opts.tagConcurrency ?? 4, async (id) => {
        this.fetches++;
        const t = await port.listTags(id);
        c.tags![id] = this.part(t);
        out.set(id, t);
      });
      await this.save();
    }
    return out;
  }
}
