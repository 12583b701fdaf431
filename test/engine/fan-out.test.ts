import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanOut } from '../../src/engine/fan-out.js';
import { accounts, awsError, fakeBroker, fakeSts } from './fakes.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fast = { baseMs: 1, capMs: 5 };
const targets = (ids: string[], regions: string[]) => ids.flatMap((account) => regions.map((region) => ({ account, region })));

test('one AssumeRole per account across regions, one session, concurrency respected', async () => {
  const { broker, calls } = fakeBroker();
  const sts = fakeSts({ delayMs: 2 });
  let running = 0;
  let peak = 0;
  const ids = accounts(60);
  const results = await fanOut(
    targets(ids, ['us-east-1', 'eu-west-1', 'ap-south-1']),
    async (ctx) => {
      running++;
      peak = Math.max(peak, running);
      const c = await ctx.credentials();
      await new Promise((r) => setTimeout(r, 1));
      running--;
      return { account: c.accountId, region: ctx.region };
    },
    { broker, sts, concurrency: 7, backoff: fast },
  ).all();
  assert.equal(results.length, 180);
  assert.ok(results.every((r) => r.ok && (r.value as { account: string }).account === r.account));
  assert.equal(sts.calls.length, 60);
  assert.equal(calls.session, 1);
  assert.ok(peak <= 7, `peak ${peak}`);
  assert.ok(sts.calls.every((c) => c.roleArn.endsWith(':role/OrganizationAccountAccessRole') && c.durationSeconds === 3600));
});

test('denied accounts are reported once per target with their code; the rest succeed', async () => {
  const { broker } = fakeBroker();
  const ids = accounts(100);
  const deny = new Set(ids.slice(0, 5));
  const sts = fakeSts({ deny });
  const run = fanOut(targets(ids, ['us-east-1', 'us-west-2']), async (ctx) => ctx.account, { broker, sts, backoff: fast });
  const results = await run.all();
  const failed = results.filter((r) => !r.ok);
  assert.equal(failed.length, 10);
  assert.ok(failed.every((r) => deny.has(r.account) && r.error?.code === 'ERR_AWS_ACCESS_DENIED' && r.error.stage === 'credentials'));
  assert.equal(sts.calls.length, 100, 'a denial is remembered: no second AssumeRole for the second region');
  assert.deepEqual(run.stats.byCode, { ERR_AWS_ACCESS_DENIED: 10 });
});

test('20% throttling on STS and on job calls: no failed target', async () => {
  const { broker } = fakeBroker();
  // Each call's fate depends only on (seed, key, n-th call for that key), so
  // every run sees the same throttles whatever the interleaving: with
  // Math.random a target met six throttles in a row (its retry budget)
  // about once in 40 runs.
  const random = keyedRandom(20);
  const sts = fakeSts({ throttleRate: 0.2, random });
  let jobCalls = 0;
  const run = fanOut(
    targets(accounts(200), ['us-east-1']),
    async (ctx) => {
      jobCalls++;
      if (random(`job:${ctx.account}`) < 0.2) throw awsError('ThrottlingException', 400);
      return 1;
    },
    { broker, sts, backoff: fast },
  );
  const results = await run.all();
  assert.equal(results.filter((r) => !r.ok).length, 0, JSON.stringify(results.filter((r) => !r.ok)));
  assert.ok(run.stats.retries > 0 && run.stats.throttles === run.stats.retries);
  assert.ok(jobCalls > 200);
});

test('per-target timeout and abort stop promptly', async () => {
  const { broker } = fakeBroker();
  const sts = fakeSts();
  const slow = await fanOut([{ account: '111111111111', region: 'us-east-1' }], () => new Promise(() => {}), { broker, sts, timeoutMs: 50 }).all();
  assert.equal(slow[0]!.error?.code, 'ERR_TIMEOUT');

  const ac = new AbortController();
  const t0 = Date.now();
  const run = fanOut(
    targets(accounts(100), ['us-east-1']),
    (ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('x')))),
    {
      broker,
      sts,
      concurrency: 4,
      signal: ac.signal,
    },
  );
  setTimeout(() => ac.abort(), 30);
  const results = await run.all();
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(results.length, 4);
  assert.ok(results.every((r) => r.error?.code === 'ERR_ABORTED'));
  assert.equal(run.stats.aborted, true);
});

test('drain stops launching targets but lets the running ones finish', async () => {
  const { broker } = fakeBroker();
  const sts = fakeSts();
  const drain = new AbortController();
  let signalled = 0;
  const run = fanOut(
    targets(accounts(100), ['us-east-1']),
    async (ctx) => {
      if (!drain.signal.aborted) setTimeout(() => drain.abort(), 10);
      await new Promise((r) => setTimeout(r, 60));
      if (ctx.signal.aborted) signalled++;
      return ctx.account;
    },
    { broker, sts, concurrency: 4, drain: drain.signal },
  );
  const results = await run.all();
  assert.equal(results.length, 4, 'the first window only');
  assert.ok(results.every((r) => r.ok));
  assert.equal(signalled, 0, 'no running unit was aborted');
  assert.equal(run.stats.total - run.stats.started, 96);
});

test('breaking out of the iteration aborts running units', async () => {
  const { broker } = fakeBroker();
  const sts = fakeSts();
  let aborted = 0;
  const run = fanOut(
    targets(accounts(20), ['us-east-1']),
    (ctx) =>
      ctx.account === accounts(1)[0]
        ? Promise.resolve(1)
        : new Promise((_r, reject) =>
            ctx.signal.addEventListener('abort', () => {
              aborted++;
              reject(new Error('x'));
            }),
          ),
    { broker, sts, concurrency: 3 },
  );
  for await (const r of run) {
    assert.equal(r.ok, true);
    break;
  }
  assert.equal(aborted, 2);
});

test('shards partition the accounts; the journal resumes only unfinished units', async () => {
  const { broker } = fakeBroker();
  const ids = accounts(50);
  const all = targets(ids, ['us-east-1', 'eu-west-1']);
  const seen = new Map<string, number>();
  for (let i = 1; i <= 3; i++) {
    const rs = await fanOut(all, async () => 1, { broker, sts: fakeSts(), shard: { index: i, count: 3 } }).all();
    for (const r of rs) seen.set(`${r.account}/${r.region}`, (seen.get(`${r.account}/${r.region}`) ?? 0) + 1);
    // Regions of an account stay together.
    const accs = new Set(rs.map((r) => r.account));
    assert.equal(rs.length, accs.size * 2);
  }
  assert.equal(seen.size, 100);
  assert.ok([...seen.values()].every((n) => n === 1));

  const dir = await mkdtemp(join(tmpdir(), 'rolehop-journal-'));
  try {
    const journal = join(dir, 'sub', 'j.ndjson');
    const flaky = new Set(ids.slice(0, 10));
    const first = fanOut(
      all,
      async (ctx) => {
        if (flaky.has(ctx.account)) throw new Error('boom');
        return 1;
      },
      { broker, sts: fakeSts(), journal },
    );
    const r1 = await first.all();
    assert.equal(r1.filter((r) => !r.ok).length, 20);
    assert.equal(r1.find((r) => !r.ok)!.error!.code, 'ERR_JOB');
    const second = fanOut(all, async () => 2, { broker, sts: fakeSts(), journal });
    const r2 = await second.all();
    assert.equal(second.stats.resumed, 80);
    assert.equal(r2.length, 20);
    assert.ok(r2.every((r) => flaky.has(r.account) && r.ok));
    const third = await fanOut(all, async () => 3, { broker, sts: fakeSts(), journal }).all();
    assert.equal(third.length, 0);
    assert.match(await readFile(journal, 'utf8'), /"ok":true/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('retries and throttles are counted per call: none without faults, exactly the injected ones otherwise', async () => {
  const { broker } = fakeBroker();
  const clean = fakeSts({ delayMs: 2 });
  const run = fanOut(targets(accounts(100), ['us-east-1']), async () => 1, { broker, sts: clean, concurrency: 32, backoff: fast });
  const results = await run.all();
  assert.equal(clean.calls.length, 100);
  assert.equal(run.stats.assumeCalls, 100);
  assert.equal(run.stats.retries, 0);
  assert.equal(run.stats.throttles, 0);
  assert.ok(results.every((r) => r.retries === 0));

  // The first AssumeRole of ten accounts is throttled once, of five more fails with a 500 once.
  const ids = accounts(100);
  const throttled = new Set(ids.slice(0, 10));
  const faulty = new Set(ids.slice(10, 15));
  const seen = new Set<string>();
  const inner = fakeSts({ delayMs: 2 });
  const sts = {
    async assumeRole(caller: Parameters<typeof inner.assumeRole>[0], input: Parameters<typeof inner.assumeRole>[1]) {
      const account = input.roleArn.split(':')[4]!;
      const first = !seen.has(account);
      seen.add(account);
      if (first && throttled.has(account)) throw awsError('Throttling', 400);
      if (first && faulty.has(account)) throw awsError('InternalError', 500);
      return inner.assumeRole(caller, input);
    },
  };
  const retried: string[] = [];
  const run2 = fanOut(targets(ids, ['us-east-1', 'eu-west-1']), async () => 1, {
    broker,
    sts,
    concurrency: 32,
    backoff: fast,
    onRetry: (_w, account) => retried.push(account),
  });
  const results2 = await run2.all();
  assert.equal(results2.filter((r) => !r.ok).length, 0);
  assert.equal(run2.stats.assumeCalls, 115);
  assert.equal(run2.stats.retries, 15);
  assert.equal(run2.stats.throttles, 10);
  assert.equal(retried.length, 15);
  assert.equal(
    results2.reduce((n, r) => n + r.retries, 0),
    15,
  );
});

test('the keep-alive handler the engine creates is closed at the end, also when a pool is passed', async () => {
  const { createServer } = await import('node:http');
  const { CredentialPool } = await import('../../src/engine/credential-pool.js');
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const open = () => new Promise<number>((r, j) => server.getConnections((e, n) => (e ? j(e) : r(n))));
  // A stand-in SDK client: sends one request through the handler it is given.
  class PingClient {
    constructor(readonly config: { requestHandler: { handle(req: unknown): Promise<{ response: { body: NodeJS.ReadableStream } }> } }) {}
    async ping() {
      const { response } = await this.config.requestHandler.handle({
        protocol: 'http:',
        hostname: '127.0.0.1',
        port,
        method: 'GET',
        path: '/',
        query: {},
        headers: { host: `127.0.0.1:${port}` },
      });
      for await (const _ of response.body);
    }
  }
  try {
    const { broker } = fakeBroker();
    const pool = new CredentialPool({ broker, profile: 'p', sts: fakeSts() });
    const results = await fanOut(targets(accounts(3), ['us-east-1']), (ctx) => ctx.client(PingClient).ping(), { pool, backoff: fast }).all();
    assert.ok(
      results.every((r) => r.ok),
      JSON.stringify(results),
    );
    const t0 = Date.now();
    while ((await open()) > 0 && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await open(), 0, 'no keep-alive socket left open');
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('the journal records a unit only once the consumer has taken its result; prepareValue can fail a target', async () => {
  const { broker } = fakeBroker();
  const all = targets(accounts(3), ['us-east-1']);
  const dir = await mkdtemp(join(tmpdir(), 'rolehop-journal-'));
  try {
    const journal = join(dir, 'j.ndjson');
    const taken: string[] = [];
    const run = fanOut(all, async (ctx) => ctx.account, { broker, sts: fakeSts(), journal, concurrency: 1 });
    await assert.rejects(async () => {
      for await (const r of run) {
        // The consumer fails to write its second result (a full disk, a closed pipe).
        if (taken.length === 1) throw new Error('write failed');
        taken.push(r.account);
      }
    }, /write failed/);
    const recorded = (await readFile(journal, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { account: string }).account);
    assert.deepEqual(recorded, taken, 'only the result the consumer took is journalled');

    const bad = all[1]!.account;
    const rs = await fanOut(all, async (ctx) => (ctx.account === bad ? 10n : ctx.account), {
      broker,
      sts: fakeSts(),
      prepareValue: (v) => {
        if (typeof v === 'bigint') throw Object.assign(new Error('not JSON'), { code: 'ERR_JOB_RESULT' });
        return v;
      },
    }).all();
    assert.deepEqual(rs.find((r) => r.account === bad)?.error, { code: 'ERR_JOB_RESULT', message: 'not JSON', stage: 'job' });
    assert.equal(rs.filter((r) => r.ok).length, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Deterministic per-key sequences in [0, 1): the n-th call for `key` always returns the same value for one `seed` (FNV-1a, then a mulberry32 step). */
function keyedRandom(seed: number): (key: string) => number {
  const calls = new Map<string, number>();
  return (key) => {
    const n = calls.get(key) ?? 0;
    calls.set(key, n + 1);
    let h = 0x811c9dc5 ^ seed;
    for (const ch of `${key}#${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    let t = (h + 0x6d2b79f5) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
