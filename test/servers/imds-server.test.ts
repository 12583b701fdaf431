import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startImdsServer, imdsRoleName, type ImdsServer } from '../../src/servers/imds-server.js';
import { call } from './http-client.js';
import { fakeSource, SECRET, SESSION } from './fake-source.js';

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const CREDS = '/latest/meta-data/iam/security-credentials/';

function assertNoLeak(body: string) {
  assert.ok(!body.includes(SECRET) && !body.includes(SESSION) && !body.includes('ASIAFAKE'), `leaked: ${body}`);
}

describe('IMDSv2 credential server', () => {
  let a: ImdsServer;
  let b: ImdsServer;
  let now = Date.now();
  const clock = { now: () => now };
  let src: ReturnType<typeof fakeSource>;
  const token = async (s: ImdsServer, ttl = '21600') => {
    const r = await call(s.url, { method: 'PUT', path: '/latest/api/token', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-aws-ec2-metadata-token-ttl-seconds'], ttl);
    return r.body;
  };
  before(async () => {
    src = fakeSource(3600_000, clock.now);
    a = await startImdsServer({ getCredentials: src.fn, roleName: 'dev-admin', region: 'eu-west-1', clock });
    b = await startImdsServer({ getCredentials: fakeSource().fn });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('serves the IMDSv2 flow: token, role name, credentials', async () => {
    assert.match(a.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const t = await token(a);
    const name = await call(a.url, { path: CREDS, headers: { 'X-aws-ec2-metadata-token': t } });
    assert.equal(name.status, 200);
    assert.equal(name.body, 'dev-admin', 'no trailing newline');
    const r = await call(a.url, { path: CREDS + 'dev-admin', headers: { 'X-aws-ec2-metadata-token': t } });
    assert.equal(r.status, 200);
    const j = JSON.parse(r.body) as Record<string, string>;
    assert.equal(j.Code, 'Success');
    assert.equal(j.Type, 'AWS-HMAC');
    assert.equal(j.SecretAccessKey, SECRET);
    assert.equal(j.Token, SESSION);
    assert.match(j.Expiration!, ISO_SECONDS);
    assert.match(j.LastUpdated!, ISO_SECONDS);
  });

  it('answers the region routes', async () => {
    const t = await token(a);
    const r = await call(a.url, { path: '/latest/meta-data/placement/region', headers: { 'X-aws-ec2-metadata-token': t } });
    assert.equal(r.body, 'eu-west-1');
    const d = await call(a.url, { path: '/latest/dynamic/instance-identity/document', headers: { 'X-aws-ec2-metadata-token': t } });
    assert.equal((JSON.parse(d.body) as { region: string }).region, 'eu-west-1');
  });

  for (const ttl of ['0', '21601', '-1', 'abc', '1.5']) {
    it(`refuses a token TTL of ${ttl}`, async () => {
      const r = await call(a.url, { method: 'PUT', path: '/latest/api/token', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl } });
      assert.equal(r.status, 400);
    });
  }

  it('refuses a token PUT without the TTL header', async () => {
    const r = await call(a.url, { method: 'PUT', path: '/latest/api/token' });
    assert.equal(r.status, 400);
  });

  it('refuses a token PUT with X-Forwarded-For (403)', async () => {
    const r = await call(a.url, {
      method: 'PUT',
      path: '/latest/api/token',
      headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60', 'X-Forwarded-For': '1.2.3.4' },
    });
    assert.equal(r.status, 403);
    assert.ok(r.body.length < 100);
  });

  const attacks: Array<[string, number, () => Promise<{ path: string; headers: Record<string, string> }>]> = [
    ['IMDSv1 (no token) on the role list', 401, async () => ({ path: CREDS, headers: {} })],
    ['IMDSv1 (no token) on the credentials', 401, async () => ({ path: CREDS + 'dev-admin', headers: {} })],
    ['a forged token', 401, async () => ({ path: CREDS + 'dev-admin', headers: { 'X-aws-ec2-metadata-token': `${Date.now() + 1e9}.AAAA` } })],
    ['a token of another server', 401, async () => ({ path: CREDS + 'dev-admin', headers: { 'X-aws-ec2-metadata-token': await token(b) } })],
    [
      'a token with its expiry edited',
      401,
      async () => {
        const t = await token(a, '5');
        return { path: CREDS + 'dev-admin', headers: { 'X-aws-ec2-metadata-token': t.replace(/^\d+/, (d) => String(Number(d) + 1e9)) } };
      },
    ],
    ['another role', 404, async () => ({ path: CREDS + 'admin', headers: { 'X-aws-ec2-metadata-token': await token(a) } })],
    ['a path traversal', 404, async () => ({ path: CREDS + 'dev-admin/../admin', headers: { 'X-aws-ec2-metadata-token': await token(a) } })],
    [
      'X-Forwarded-For on a GET',
      403,
      async () => ({ path: CREDS + 'dev-admin', headers: { 'X-aws-ec2-metadata-token': await token(a), 'X-Forwarded-For': '1.2.3.4' } }),
    ],
    ['a spoofed Host', 403, async () => ({ path: CREDS + 'dev-admin', headers: { 'X-aws-ec2-metadata-token': await token(a), Host: '169.254.169.254' } })],
    ['user-data', 404, async () => ({ path: '/latest/user-data', headers: { 'X-aws-ec2-metadata-token': await token(a) } })],
  ];
  for (const [name, status, make] of attacks) {
    it(`refuses ${name} (${status}) without leaking anything`, async () => {
      const r = await call(a.url, await make());
      assert.equal(r.status, status);
      assertNoLeak(r.body);
    });
  }

  it('refuses an expired token', async () => {
    const t = await token(a, '1');
    now += 2000;
    const r = await call(a.url, { path: CREDS + 'dev-admin', headers: { 'X-aws-ec2-metadata-token': t } });
    assert.equal(r.status, 401);
  });

  it('derives a valid role name from any profile name', () => {
    assert.equal(imdsRoleName('team/prod:admin'), 'team-prod-admin');
    assert.equal(imdsRoleName('dev'), 'dev');
  });

  it('1,000 warm requests call the source no more', async () => {
    const before = src.calls;
    const t = await token(a);
    for (let i = 0; i < 1000; i++) assert.equal((await call(a.url, { path: CREDS + 'dev-admin', headers: { 'X-aws-ec2-metadata-token': t } })).status, 200);
    assert.equal(src.calls, before);
  });
});
