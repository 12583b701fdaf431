// Memory at scale (issue 16): the SDK clients a job makes through
// `ctx.client` belong to its target and are destroyed when the target ends,
// whatever its outcome, so a sweep holds at most a window's worth of them
// however many accounts it goes through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanOut } from '../../src/engine/fan-out.js';
import { accounts, fakeBroker, fakeSts } from './fakes.js';

const fast = { baseMs: 1, capMs: 5 };
const targets = (ids: string[], regions: string[]) => ids.flatMap((account) => regions.map((region) => ({ account, region })));

/** Stand-in SDK clients that count how many are alive and how often each is destroyed. */
function countingClients() {
  const c = { created: 0, alive: 0, maxAlive: 0, destroyedTwice: 0 };
  class CountedClient {
    #destroyed = false;
    constructor(readonly config: Record<string, unknown>) {
      c.created++;
      c.alive++;
      c.maxAlive = Math.max(c.maxAlive, c.alive);
    }
    destroy() {
      if (this.#destroyed) c.destroyedTwice++;
      else c.alive--;
      this.#destroyed = true;
    }
  }
  return { counts: c, CountedClient };
}

test('every client a job makes is destroyed when its target ends, succeeded or failed: at most a window of them alive', async () => {
  const { broker } = fakeBroker();
  const { counts, CountedClient } = countingClients();
  const ids = accounts(6);
  const concurrency = 4;
  const results = await fanOut(
    targets(ids, ['us-east-1', 'eu-west-1', 'ap-south-1']),
    async (ctx) => {
      ctx.client(CountedClient);
      ctx.client(CountedClient, { region: 'us-east-1' });
      await new Promise((r) => setImmediate(r));
      if (ctx.account === ids[1]) throw Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      return ctx.account;
    },
    { broker, sts: fakeSts(), concurrency, backoff: fast },
  ).all();
  assert.equal(results.length, 18);
  assert.equal(results.filter((r) => !r.ok).length, 3, 'the failing account fails its three targets');
  assert.equal(counts.created, 36);
  assert.equal(counts.alive, 0, 'none left once the sweep is over');
  assert.equal(counts.destroyedTwice, 0);
  assert.ok(counts.maxAlive <= 2 * concurrency, `at most two per running target, saw ${counts.maxAlive}`);
});

test('an aborted sweep destroys the clients of the targets it stopped', async () => {
  const { broker } = fakeBroker();
  const { counts, CountedClient } = countingClients();
  const stop = new AbortController();
  let started = 0;
  const results = await fanOut(
    targets(accounts(10), ['us-east-1', 'eu-west-1']),
    async (ctx) => {
      ctx.client(CountedClient);
      if (++started === 3) stop.abort(new Error('enough'));
      // Never finishes by itself: only the abort ends it.
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
    },
    { broker, sts: fakeSts(), concurrency: 3, backoff: fast, signal: stop.signal },
  ).all();
  assert.ok(results.length >= 1 && results.every((r) => !r.ok && r.error?.code === 'ERR_ABORTED'), JSON.stringify(results));
  assert.equal(counts.created, started);
  assert.equal(counts.alive, 0);
  assert.equal(counts.destroyedTwice, 0);
});
