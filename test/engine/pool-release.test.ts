// Memory at scale: a sweep lets the pool forget an account's credentials once
// its last target is done, so nothing is kept per account (issue 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSharedHandler } from '../../src/aws/http.js';
import { createSweepPool, fanOut } from '../../src/engine/fan-out.js';
import { accounts, fakeBroker, fakeSts } from './fakes.js';

const fast = { baseMs: 1, capMs: 5 };
const targets = (ids: string[], regions: string[]) => ids.flatMap((account) => regions.map((region) => ({ account, region })));

for (const release of [true, false]) {
  test(`releaseCredentials ${release}: ${release ? 'a second sweep assumes again' : 'the pool keeps every account for the next sweep'}`, async () => {
    const { broker } = fakeBroker();
    const sts = fakeSts({ delayMs: 1 });
    const handler = createSharedHandler({ maxSockets: 8 });
    try {
      const pool = createSweepPool({ broker, sts, backoff: fast }, handler);
      const ids = accounts(20);
      const opts = { broker, pool, handler, concurrency: 5, backoff: fast, releaseCredentials: release };
      const first = await fanOut(targets(ids, ['us-east-1', 'eu-west-1', 'ap-south-1']), async (ctx) => ctx.account, opts).all();
      assert.ok(first.every((r) => r.ok));
      assert.equal(sts.calls.length, 20, 'one AssumeRole per account within a sweep, released or not');
      await fanOut(targets(ids, ['us-east-1']), async (ctx) => ctx.account, opts).all();
      assert.equal(sts.calls.length, release ? 40 : 20);
    } finally {
      handler.close();
    }
  });
}

test('targets of one account out of order: its credentials are kept until the last of them', async () => {
  const { broker } = fakeBroker();
  const sts = fakeSts({ delayMs: 1 });
  const ids = accounts(4);
  // Not account-major: every account comes back after the others.
  const list = [...targets(ids, ['us-east-1']), ...targets(ids, ['eu-west-1']), ...targets(ids, ['ap-south-1'])];
  const results = await fanOut(list, async (ctx) => ctx.account, { broker, sts, concurrency: 1, backoff: fast }).all();
  assert.ok(results.every((r) => r.ok));
  assert.equal(sts.calls.length, 4);
});
