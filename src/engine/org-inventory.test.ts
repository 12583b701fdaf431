import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OrgPort } from '../aws/organizations.js';
import { OrgInventory } from './org-inventory.js';

/** A port whose tag calls are counted and held open until the test lets them go, to see how many run at once. */
function countingPort(tags: Record<string, Record<string, string>>) {
  let running = 0;
  const seen = { calls: [] as string[], maxRunning: 0 };
  const port: OrgPort = {
    listAccounts: () => Promise.resolve([]),
    listAccountsForParent: () => Promise.resolve([]),
    listChildOus: () => Promise.resolve([]),
    listTags: async (id) => {
      seen.calls.push(id);
      seen.maxRunning = Math.max(seen.maxRunning, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (!tags[id]) throw new Error(`no account ${id}`);
      return tags[id];
    },
  };
  return { port, seen };
}

const tagsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${100000000000 + i}`, { env: i % 2 ? 'prod' : 'dev' }]));

test('tags: at most tagConcurrency calls at once, every account once, then served from the cache', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-org-'));
  try {
    const all = tagsOf(20);
    const { port, seen } = countingPort(all);
    const ids = Object.keys(all);
    const inv = new OrgInventory({ port: () => Promise.resolve(port), cacheDir: dir, cacheKey: 'k', tagConcurrency: 3 });
    const got = await inv.tags(ids);
    assert.deepEqual(Object.fromEntries(got), all);
    assert.equal(seen.maxRunning, 3);
    assert.deepEqual([...seen.calls].sort(), [...ids].sort());

    const again = new OrgInventory({ port: () => Promise.reject(new Error('no call expected')), cacheDir: dir, cacheKey: 'k' });
    assert.deepEqual(Object.fromEntries(await again.tags(ids)), all);
    assert.equal(again.fetches, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tags: only the missing or stale accounts are fetched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-org-'));
  try {
    const all = tagsOf(6);
    const ids = Object.keys(all);
    let now = 1_000_000;
    const first = countingPort(all);
    await new OrgInventory({ port: () => Promise.resolve(first.port), cacheDir: dir, cacheKey: 'k', now: () => now }).tags(ids.slice(0, 3));
    now += 1000;
    const second = countingPort(all);
    const inv = new OrgInventory({ port: () => Promise.resolve(second.port), cacheDir: dir, cacheKey: 'k', now: () => now });
    await inv.tags(ids);
    assert.deepEqual(second.seen.calls.sort(), ids.slice(3).sort());

    now += 2 * 60 * 60_000;
    const third = countingPort(all);
    await new OrgInventory({ port: () => Promise.resolve(third.port), cacheDir: dir, cacheKey: 'k', now: () => now }).tags(ids);
    assert.equal(third.seen.calls.length, ids.length, 'every entry older than the TTL is fetched again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tags: a failed call fails the lookup and leaves the cache as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-org-'));
  try {
    const all = tagsOf(4);
    const { port } = countingPort(all);
    const inv = new OrgInventory({ port: () => Promise.resolve(port), cacheDir: dir, cacheKey: 'k' });
    await assert.rejects(inv.tags([...Object.keys(all), '999999999999']), /no account 999999999999/);
    const { port: port2, seen } = countingPort(all);
    await new OrgInventory({ port: () => Promise.resolve(port2), cacheDir: dir, cacheKey: 'k' }).tags(Object.keys(all));
    assert.equal(seen.calls.length, 4, 'nothing was saved by the failed lookup');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
