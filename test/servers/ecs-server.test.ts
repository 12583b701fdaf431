import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { startEcsServer, type EcsServer } from '../../src/servers/ecs-server.js';
import { ErrorCodes, RolehopError } from '../../src/errors.js';
import { call } from './http-client.js';
import { fakeSource, SECRET, SESSION } from './fake-source.js';

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function assertNoLeak(body: string, token?: string) {
  assert.ok(!body.includes(SECRET), 'secret key leaked');
  assert.ok(!body.includes(SESSION), 'session token leaked');
  assert.ok(!body.includes('ASIAFAKE'), 'access key id leaked');
  if (token) assert.ok(!body.includes(token), 'server token echoed');
}

describe('ECS credential server', () => {
  let src: ReturnType<typeof fakeSource>;
  let a: EcsServer;
  let b: EcsServer;
  before(async () => {
    src = fakeSource();
    a = await startEcsServer({ getCredentials: src.fn });
    b = await startEcsServer({ getCredentials: fakeSource().fn });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('binds 127.0.0.1 with a random path and a 256-bit token, and prefetches', () => {
    const u = new URL(a.url);
    assert.equal(u.hostname, '127.0.0.1');
    assert.equal(Buffer.from(a.token, 'base64url').length, 32);
    assert.ok(u.pathname.length > 16);
    assert.notEqual(a.token, b.token);
    assert.equal(src.calls, 1, 'credentials fetched at start');
  });

  it('serves the four fields with Expiration in whole seconds', async () => {
    const r = await call(a.url, { headers: { Authorization: a.token } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const j = JSON.parse(r.body) as Record<string, string>;
    assert.equal(j.SecretAccessKey, SECRET);
    assert.equal(j.Token, SESSION);
    assert.match(j.AccessKeyId!, /^ASIAFAKE/);
    assert.match(j.Expiration!, ISO_SECONDS);
    assert.equal(j.AccountId, '123456789012');
  });

  const attacks: Array<[string, (s: EcsServer) => Parameters<typeof call>[1]]> = [
    ['no token', () => ({})],
    ['an empty token', () => ({ headers: { Authorization: '' } })],
    ['a wrong token', (s) => ({ headers: { Authorization: s.token.slice(0, -1) + (s.token.endsWith('A') ? 'B' : 'A') } })],
    ['a longer token', (s) => ({ headers: { Authorization: s.token + 'x' } })],
    ['a Bearer-prefixed token', (s) => ({ headers: { Authorization: `Bearer ${s.token}` } })],
    ['the token of another server', () => ({ headers: { Authorization: b.token } })],
    ['a spoofed Host', (s) => ({ headers: { Authorization: s.token, Host: 'evil.example.com' } })],
    ['Host localhost', (s) => ({ headers: { Authorization: s.token, Host: `localhost:${s.port}` } })],
    ['X-Forwarded-For', (s) => ({ headers: { Authorization: s.token, 'X-Forwarded-For': '10.0.0.1' } })],
    ['x-forwarded-for in lower case', (s) => ({ headers: { Authorization: s.token, 'x-forwarded-for': '127.0.0.1' } })],
    ['another path', (s) => ({ headers: { Authorization: s.token }, path: '/latest/meta-data/iam/security-credentials/other' })],
    ['the path with a suffix', (s) => ({ headers: { Authorization: s.token }, path: new URL(s.url).pathname + '/admin' })],
    ['a query string', (s) => ({ headers: { Authorization: s.token }, path: new URL(s.url).pathname + '?role=admin' })],
    ['POST', (s) => ({ method: 'POST', headers: { Authorization: s.token } })],
  ];
  for (const [name, make] of attacks) {
    it(`refuses ${name} without leaking anything`, async () => {
      const r = await call(a.url, make(a));
      assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
      assertNoLeak(r.body, a.token);
      const j = JSON.parse(r.body) as { Code: string; Message: string };
      assert.equal(typeof j.Code, 'string');
      assert.ok(r.body.length < 200);
    });
  }

  it('10,000 requests to a warm server call the source 0 more times', async () => {
    const before = src.calls;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let ok = 0;
    const worker = async (n: number) => {
      for (let i = 0; i < n; i++) if ((await call(a.url, { headers: { Authorization: a.token }, agent })).status === 200) ok++;
    };
    await Promise.all(Array.from({ length: 8 }, () => worker(1250)));
    agent.destroy();
    assert.equal(ok, 10_000);
    assert.equal(src.calls - before, 0);
    assert.ok(a.stats.served >= 10_000);
  });

  it('refreshes ahead of expiry, once for concurrent requests, and hands out credentials with more than 15 min left', async () => {
    let now = Date.now();
    const s = fakeSource(3600_000, () => now);
    const srv = await startEcsServer({ getCredentials: s.fn, clock: { now: () => now } });
    try {
      now += 41 * 60_000; // 19 min left: inside the 20-min window
      const rs = await Promise.all(Array.from({ length: 20 }, () => call(srv.url, { headers: { Authorization: srv.token } })));
      assert.ok(rs.every((r) => r.status === 200));
      assert.equal(s.calls, 2, 'one refresh shared by 20 requests');
      const exp = Date.parse((JSON.parse(rs[0]!.body) as { Expiration: string }).Expiration);
      assert.ok(exp - now > 15 * 60_000);
    } finally {
      await srv.close();
    }
  });

  it('keeps serving valid credentials when a refresh fails, and answers 500 without detail once they are gone', async () => {
    let now = Date.now();
    let fail = false;
    const s = fakeSource(3600_000, () => now);
    const srv = await startEcsServer({
      getCredentials: async (o) => {
        if (fail) throw new RolehopError(ErrorCodes.AWS_EXPIRED, 'token expired');
        return s.fn(o);
      },
      clock: { now: () => now },
    });
    try {
      fail = true;
      now += 50 * 60_000;
      const r1 = await call(srv.url, { headers: { Authorization: srv.token } });
      assert.equal(r1.status, 200, 'stale but valid credentials served');
      now += 11 * 60_000; // expired
      const r2 = await call(srv.url, { headers: { Authorization: srv.token } });
      assert.equal(r2.status, 500);
      assert.match(r2.body, /ERR_AWS_EXPIRED/);
      assertNoLeak(r2.body, srv.token);
    } finally {
      await srv.close();
    }
  });

  it('fails to start (and closes) when the first fetch fails', async () => {
    await assert.rejects(
      startEcsServer({ getCredentials: async () => Promise.reject(new RolehopError(ErrorCodes.MFA_INVALID, 'bad code')) }),
      (e: RolehopError) => e.code === ErrorCodes.MFA_INVALID,
    );
  });

  it('refuses to serve long-lived keys', async () => {
    await assert.rejects(
      startEcsServer({ getCredentials: async () => ({ accessKeyId: 'AKIAX', secretAccessKey: 'x' }) }),
      (e: RolehopError) => e.code === ErrorCodes.SERVER,
    );
  });
});
