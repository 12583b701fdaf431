import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsConfig } from '../config/aws-config.js';
import type { Credentials } from '../credentials/types.js';
import { silentLogger, type MfaRequest } from '../io/context.js';
import { testContext } from '../../test/helpers/context.js';
import type { StsPort } from '../aws/sts-port.js';
import { MemoryStore } from '../stores/memory-store.js';
import { createBroker } from './broker.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function config(): AwsConfig {
  const profiles = new Map<string, Record<string, string>>([
    ['alice', { region: 'eu-west-1', mfa_serial: 'arn:aws:iam::123456789012:mfa/alice' }],
    ['hub', { role_arn: 'arn:aws:iam::222222222222:role/Hub', source_profile: 'alice' }],
    ['prod', { role_arn: 'arn:aws:iam::333333333333:role/Admin', source_profile: 'hub' }],
    ['dev', { role_arn: 'arn:aws:iam::444444444444:role/Admin', source_profile: 'alice' }],
  ]);
  return { path: '/fake', profiles, services: new Map() };
}

function fakeSts(calls: string[], now: () => number): StsPort {
  const issue = (account: string, seconds: number): Credentials => ({
    accessKeyId: `ASIA${calls.length}`,
    secretAccessKey: `secret-${calls.length}`,
    sessionToken: `token-${calls.length}`,
    expiration: new Date(now() + seconds * 1000),
    accountId: account,
  });
  return {
    async getSessionToken(_c, input) {
      calls.push(`GetSessionToken:${input.tokenCode ? 'mfa' : 'nomfa'}`);
      return issue('123456789012', input.durationSeconds ?? 43200);
    },
    async assumeRole(_c, input) {
      calls.push(`AssumeRole:${input.roleArn.split(':')[4]}`);
      return issue(input.roleArn.split(':')[4]!, input.durationSeconds ?? 3600);
    },
    async getCallerIdentity() {
      throw new Error('unexpected');
    },
    async getFederationToken() {
      throw new Error('unexpected');
    },
  };
}

describe('createBroker', () => {
  let home: string;
  let now: number;
  let calls: string[];
  let prompts: MfaRequest[];
  let broker: ReturnType<typeof createBroker>;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'rolehop-broker-'));
    now = Date.parse('2026-11-23T10:00:00Z');
    calls = [];
    prompts = [];
    const ctx = testContext({
      env: {},
      homeDir: home,
      rolehopHome: home,
      userName: 'alice',
      clock: { now: () => now },
      logger: silentLogger,
      prompter: {
        async mfaCode(req) {
          prompts.push(req);
          return '123456';
        },
      },
    });
    const store = new MemoryStore();
    broker = createBroker({
      ctx,
      config,
      vault: {
        list: () => [],
        has: (p) => p === 'alice',
        meta: () => ({ accessKeyId: 'AKIAALICE' }),
        get: async () => ({ accessKeyId: 'AKIAALICE', secretAccessKey: SECRET }),
        put: async () => {},
        remove: async () => true,
      },
      store: async () => store,
      sts: () => fakeSts(calls, () => now),
    });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('one MFA code opens a session that serves every role, then the cache answers', async () => {
    const r = await broker.credentials('prod');
    assert.equal(r.fromCache, false);
    assert.equal(r.credentials.accountId, '333333333333');
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:222222222222', 'AssumeRole:333333333333']);
    assert.equal(prompts.length, 1);

    const again = await broker.credentials('prod');
    assert.equal(again.fromCache, true);
    await broker.credentials('dev');
    assert.deepEqual(calls.slice(3), ['AssumeRole:444444444444']);
    assert.equal(prompts.length, 1, 'no second MFA prompt');
  });

  it('refreshes a role ahead of expiry without asking for MFA again', async () => {
    await broker.credentials('dev');
    now += 46 * 60_000; // 14 min left on the 1 h role: inside the 15 min window
    const r = await broker.credentials('dev');
    assert.equal(r.fromCache, false);
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:444444444444', 'AssumeRole:444444444444']);
    assert.equal(prompts.length, 1);
  });

  it('keeps one cache entry per STS step', async () => {
    await broker.credentials('prod');
    const listed = readdirSync(join(home, 'sessions'));
    assert.equal(listed.length, 3);
  });

  it('never writes secrets in clear and clears sessions by profile', async () => {
    const r = await broker.credentials('prod');
    for (const f of readdirSync(join(home, 'sessions'))) {
      const text = readFileSync(join(home, 'sessions', f), 'utf8');
      assert.ok(!text.includes(r.credentials.secretAccessKey));
      assert.ok(!text.includes(r.credentials.sessionToken!));
      assert.ok(!text.includes(SECRET));
    }
    assert.equal(await broker.clearSessions('hub'), 2, 'hub and prod hops');
    assert.equal(await broker.clearSessions(), 1);
  });

  it('coalesces concurrent callers in one process', async () => {
    await Promise.all(Array.from({ length: 10 }, () => broker.credentials('prod')));
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:222222222222', 'AssumeRole:333333333333']);
  });

  it('assumes arbitrary roles from the session, in memory when asked', async () => {
    const a = await broker.assumeRole({ sourceProfile: 'alice', roleArn: 'arn:aws:iam::555555555555:role/OrganizationAccountAccessRole', persist: false });
    const b = await broker.assumeRole({ sourceProfile: 'alice', roleArn: 'arn:aws:iam::555555555555:role/OrganizationAccountAccessRole', persist: false });
    assert.equal(a, b);
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:555555555555']);
  });
});
