import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsConfig } from '../config/aws-config.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { MfaRequest } from '../io/context.js';
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
    async assumeRoleWithWebIdentity(input) {
      calls.push(`AssumeRoleWithWebIdentity:${input.webIdentityToken}`);
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
  let warnings: string[];
  let store: MemoryStore;
  /** The region of each STS port the broker asked for. */
  let stsRegions: Array<string | undefined>;

  beforeEach(() => {
    stsRegions = [];
    warnings = [];
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
      logger: { debug() {}, info() {}, warn: (m) => warnings.push(m) },
      prompter: {
        async mfaCode(req) {
          prompts.push(req);
          return '123456';
        },
      },
    });
    store = new MemoryStore();
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
      sts: (target) => {
        stsRegions.push(target.region);
        return fakeSts(calls, () => now);
      },
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

  it('serves every region of the partition from one MFA session and one role session', async () => {
    const first = await broker.credentials('prod');
    assert.equal(first.plan.region, 'eu-west-1');
    for (const region of ['us-west-2', 'us-east-1', 'ap-southeast-2']) {
      const r = await broker.credentials('prod', { region });
      assert.equal(r.fromCache, true, region);
      assert.equal(r.plan.region, region, 'the child still gets its own region');
      assert.equal(r.credentials.accessKeyId, first.credentials.accessKeyId);
    }
    await broker.credentials('dev', { region: 'us-west-2' });
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:222222222222', 'AssumeRole:333333333333', 'AssumeRole:444444444444']);
    assert.equal(prompts.length, 1, 'one MFA prompt for every region');
    assert.deepEqual(stsRegions, ['eu-west-1', 'eu-west-1', 'eu-west-1', 'us-west-2'], 'STS is called in the region of the call that misses');
  });

  it('asks again for another partition, whose STS does not accept the session', async () => {
    await broker.credentials('dev');
    const china = await broker.credentials('dev', { region: 'cn-north-1' });
    assert.equal(china.fromCache, false);
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:444444444444', 'GetSessionToken:mfa', 'AssumeRole:444444444444']);
    assert.equal(prompts.length, 2);
    await broker.credentials('dev', { region: 'cn-northwest-1' });
    assert.equal(calls.length, 4, 'but one session serves both China regions');
  });

  it('shares an assumed role between regions of a partition', async () => {
    const roleArn = 'arn:aws:iam::555555555555:role/Audit';
    const a = await broker.assumeRole({ sourceProfile: 'alice', roleArn, region: 'us-east-1' });
    const b = await broker.assumeRole({ sourceProfile: 'alice', roleArn, region: 'eu-central-1' });
    assert.equal(b.accessKeyId, a.accessKeyId);
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:555555555555']);
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

  it('serves credentials it could not cache, warns once, and keeps them for the rest of the process', async () => {
    // A regular file where the sessions directory should be: every cache write fails in the cache's own code.
    writeFileSync(join(home, 'sessions'), 'not a directory');
    const r = await broker.credentials('prod');
    assert.equal(r.credentials.accountId, '333333333333');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /could not be cached/);
    assert.match(warnings[0]!, /EEXIST/);
    assert.match(warnings[0]!, /MFA code again/);
    const again = await broker.credentials('prod');
    assert.equal(again.credentials, r.credentials);
    await broker.assumeRole({ sourceProfile: 'alice', roleArn: 'arn:aws:iam::555555555555:role/Audit' });
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:222222222222', 'AssumeRole:333333333333', 'AssumeRole:555555555555']);
    assert.equal(prompts.length, 1, 'the MFA session is held in memory, not asked for again');
    assert.equal(warnings.length, 1, 'one warning per process, not one per step');
    await broker.clearSessions();
    await broker.credentials('alice');
    assert.equal(prompts.length, 2, 'clear forgets what was held in memory too');
  });

  it('serves credentials when the data key that seals the cache cannot be stored', async () => {
    store.set = async () => {
      throw new RolehopError(ErrorCodes.VAULT_IO, 'Cannot write the file vault (ENOSPC)');
    };
    const r = await broker.credentials('alice');
    assert.equal(r.credentials.accountId, '123456789012');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /ENOSPC/);
  });

  it('still stops when the user interrupts while the data key is being stored', async () => {
    store.set = async () => {
      throw new RolehopError(ErrorCodes.ABORTED, 'Interrupted');
    };
    await assert.rejects(broker.credentials('alice'), { code: 'ERR_ABORTED' });
    assert.deepEqual(warnings, []);
  });

  it('assumes arbitrary roles from the session, in memory when asked', async () => {
    const a = await broker.assumeRole({ sourceProfile: 'alice', roleArn: 'arn:aws:iam::555555555555:role/OrganizationAccountAccessRole', persist: false });
    const b = await broker.assumeRole({ sourceProfile: 'alice', roleArn: 'arn:aws:iam::555555555555:role/OrganizationAccountAccessRole', persist: false });
    assert.equal(a, b);
    assert.deepEqual(calls, ['GetSessionToken:mfa', 'AssumeRole:555555555555']);
  });
});
