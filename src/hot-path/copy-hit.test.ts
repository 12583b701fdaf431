import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsConfig } from '../config/aws-config.js';
import type { Credentials } from '../credentials/types.js';
import type { VaultIndex } from '../credentials/vault-index.js';
import { silentLogger } from '../io/context.js';
import { testContext } from '../../test/helpers/context.js';
import type { StsPort } from '../aws/sts-port.js';
import type { SessionCopies } from '../stores/contract.js';
import { createBroker } from '../sessions/broker.js';
import { MemoryStore } from '../stores/memory-store.js';
import { sessionCopyHit, type SessionCopyHitInputs } from './copy-hit.js';

// The hot path must answer exactly when, and exactly what, the broker's cache
// would: these tests fill the cache (and the session copies) through the real
// broker and compare.

function config(extra: Record<string, Record<string, string>> = {}): AwsConfig {
  const profiles = new Map<string, Record<string, string>>([
    ['alice', { region: 'eu-west-1', mfa_serial: 'arn:aws:iam::123456789012:mfa/alice' }],
    ['hub', { role_arn: 'arn:aws:iam::222222222222:role/Hub', source_profile: 'alice' }],
    ['prod', { role_arn: 'arn:aws:iam::333333333333:role/Admin', source_profile: 'hub' }],
    ...Object.entries(extra),
  ]);
  return { path: '/fake', profiles, services: new Map() };
}

function fakeSts(now: () => number): StsPort {
  let n = 0;
  const issue = (account: string, seconds: number): Credentials => ({
    accessKeyId: `ASIA${++n}`,
    secretAccessKey: `secret-${n}`,
    sessionToken: `token-${n}`,
    expiration: new Date(now() + seconds * 1000),
    accountId: account,
  });
  return {
    getSessionToken: async (_c, input) => issue('123456789012', input.durationSeconds ?? 43200),
    assumeRole: async (_c, input) => issue(input.roleArn.split(':')[4]!, input.durationSeconds ?? 3600),
    assumeRoleWithWebIdentity: async () => {
      throw new Error('unexpected');
    },
    getCallerIdentity: async () => {
      throw new Error('unexpected');
    },
    getFederationToken: async () => {
      throw new Error('unexpected');
    },
  };
}

describe('sessionCopyHit', () => {
  let home: string;
  let now: number;
  let copies: Map<string, string>;
  let secrets: MemoryStore;
  let failCopies: boolean;
  let warnings: string[];
  let stsCalls: number;
  let cfg: AwsConfig;
  const index: VaultIndex = { version: 1, keys: { alice: { accessKeyId: 'AKIAALICE', backend: 'keychain', addedAt: '2026-11-01T00:00:00Z' } } };

  const inputs = (over: Partial<SessionCopyHitInputs> = {}): SessionCopyHitInputs => ({
    config: cfg,
    profile: 'prod',
    env: {},
    userName: 'alice',
    index,
    now,
    copy: async () => copies.get('prod'),
    ...over,
  });

  const broker = () => {
    const ctx = testContext({
      env: {},
      homeDir: home,
      rolehopHome: home,
      userName: 'alice',
      clock: { now: () => now },
      logger: { ...silentLogger, warn: (m) => void warnings.push(m) },
      prompter: { mfaCode: async () => '123456' },
    });
    const sessionCopies: SessionCopies = {
      get: async (p) => copies.get(p),
      put: async (p, text) => {
        if (failCopies) throw new Error('keychain gone');
        copies.set(p, text);
      },
      remove: async (match) => {
        if (failCopies) throw new Error('Could not list the session copies in the OS keychain');
        let n = 0;
        for (const [p, text] of copies) if (match(text) && copies.delete(p)) n++;
        return n;
      },
    };
    const sts = fakeSts(() => now);
    return createBroker({
      ctx,
      config: () => cfg,
      vault: {
        list: () => [],
        has: (p) => p === 'alice',
        meta: () => ({ accessKeyId: 'AKIAALICE' }),
        get: async () => ({ accessKeyId: 'AKIAALICE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
        put: async () => {},
        remove: async () => true,
      },
      // One store per test, shared by its brokers; only the copies are faked.
      store: async () => Object.assign(secrets, { sessionCopies }),
      sts: () => ({
        ...sts,
        getSessionToken: (...a) => (stsCalls++, sts.getSessionToken(...a)),
        assumeRole: (...a) => (stsCalls++, sts.assumeRole(...a)),
      }),
    });
  };
  const fill = async (profile = 'prod') => (await broker().credentials(profile)).credentials;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'rolehop-copy-hit-'));
    now = Date.parse('2026-11-23T10:00:00Z');
    copies = new Map();
    secrets = new MemoryStore();
    failCopies = false;
    warnings = [];
    stsCalls = 0;
    cfg = config();
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('answers with what the broker served for a depth-2 chain', async () => {
    const filled = await fill();
    const hit = await sessionCopyHit(inputs());
    assert.deepEqual(hit?.credentials, filled);
    assert.equal(hit?.plan.hops.length, 2);
  });

  it('is a miss without a copy', async () => {
    assert.equal(await sessionCopyHit(inputs()), undefined);
    await fill('hub');
    assert.equal(await sessionCopyHit(inputs()), undefined, "another profile's copy is not this one's");
  });

  it('is a miss once 15 minutes or less are left, as for the broker', async () => {
    await fill();
    assert.ok(await sessionCopyHit(inputs({ now: now + 44 * 60_000 })));
    assert.equal(await sessionCopyHit(inputs({ now: now + 45 * 60_000 })), undefined);
  });

  it('is a miss after a config edit, a key rotation, or for a copy that is not one', async () => {
    await fill();
    cfg = config({ prod: { role_arn: 'arn:aws:iam::333333333333:role/Other', source_profile: 'hub' } });
    assert.equal(await sessionCopyHit(inputs()), undefined, 'edited role');
    cfg = config({ hub: { role_arn: 'arn:aws:iam::222222222222:role/Hub', source_profile: 'alice', duration_seconds: '900' } });
    assert.equal(await sessionCopyHit(inputs()), undefined, 'edited upstream hop');
    cfg = config();
    const rotated: VaultIndex = { version: 1, keys: { alice: { ...index.keys.alice!, accessKeyId: 'AKIANEWKEY' } } };
    assert.equal(await sessionCopyHit(inputs({ index: rotated })), undefined, 'rotated key');
    for (const junk of ['', 'not json', '{"v":2}', JSON.stringify({ ...JSON.parse(copies.get('prod')!), expiration: 5 })]) {
      assert.equal(await sessionCopyHit(inputs({ copy: async () => junk })), undefined, junk);
    }
    assert.ok(await sessionCopyHit(inputs()), 'unchanged inputs still hit');
  });

  it("serves another region of the copy's partition, and only that partition", async () => {
    cfg = config({ alice: { mfa_serial: 'arn:aws:iam::123456789012:mfa/alice' } });
    const filled = await fill();
    assert.equal(filled.accountId, '333333333333');
    for (const region of ['us-west-2', 'eu-central-1']) {
      const hit = await sessionCopyHit(inputs({ env: { AWS_REGION: region } }));
      assert.deepEqual(hit?.credentials, filled, region);
      assert.equal(hit?.plan.region, region, 'the plan keeps the region asked for');
    }
    assert.equal(await sessionCopyHit(inputs({ env: { AWS_REGION: 'cn-north-1' } })), undefined, 'another partition');
  });

  it('leaves warnings and errors to the normal path', async () => {
    await fill();
    assert.equal(await sessionCopyHit(inputs({ config: { ...cfg, warnings: ['both [default] and [profile default]'] } })), undefined);
    await assert.rejects(() => sessionCopyHit(inputs({ profile: 'nope' })), /nope/);
  });

  it('the broker restores a missing copy on a cache hit, without calling STS', async () => {
    const filled = await fill();
    copies.clear();
    const calls = stsCalls;
    assert.deepEqual(await fill(), filled);
    assert.equal(stsCalls, calls);
    assert.deepEqual((await sessionCopyHit(inputs()))?.credentials, filled);
  });

  it('a copy that cannot be written costs only the hot path', async () => {
    failCopies = true;
    const filled = await fill();
    assert.ok(filled.sessionToken);
    assert.equal(await sessionCopyHit(inputs()), undefined);
  });

  it('clear removes the copies that name the profile, and only those', async () => {
    await fill('prod');
    await fill('hub');
    cfg = config({ other: { role_arn: 'arn:aws:iam::444444444444:role/X', source_profile: 'alice' } });
    await fill('other');
    assert.deepEqual([...copies.keys()].sort(), ['hub', 'other', 'prod']);
    await broker().clearSessions('hub');
    assert.deepEqual([...copies.keys()].sort(), ['other'], 'prod runs through hub');
    assert.equal(await sessionCopyHit(inputs()), undefined);
    await broker().clearSessions();
    assert.equal(copies.size, 0);
  });
  it('clear still forgets the cache when the keychain does not answer, and says what is left', async () => {
    await fill();
    failCopies = true;
    assert.equal(await broker().clearSessions('prod'), 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /stay valid until they expire.*rolehop clear prod/);
    assert.doesNotMatch(warnings[0]!, /token-|secret-/);
  });
  it('a long-lived broker checks the keychain once per session, not on every call', async () => {
    let gets = 0;
    const b = broker();
    const filled = (await b.credentials('prod')).credentials;
    const original = copies.get.bind(copies);
    copies.get = (p: string) => (gets++, original(p));
    for (let i = 0; i < 5; i++) assert.deepEqual((await b.credentials('prod')).credentials, filled);
    assert.equal(gets, 0, 'the copy this broker wrote is known to be current');
    copies.clear();
    assert.equal(await sessionCopyHit(inputs()), undefined);
    await broker().credentials('prod');
    assert.ok(await sessionCopyHit(inputs()), 'a fresh broker (process) restores it');
  });
});
