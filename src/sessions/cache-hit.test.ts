import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsConfig } from '../config/aws-config.js';
import type { Credentials } from '../credentials/types.js';
import type { VaultIndex } from '../credentials/vault-index.js';
import type { Context } from '../io/context.js';
import type { StsPort } from '../aws/sts-port.js';
import { CACHE_KEY_ID } from '../stores/contract.js';
import { createBroker } from './broker.js';
import { cachedCredentials, type CacheHitInputs } from './cache-hit.js';

// The hot path must answer exactly when, and exactly what, the broker's cache
// would: these tests fill the cache through the real broker and compare.

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
    getCallerIdentity: async () => {
      throw new Error('unexpected');
    },
    getFederationToken: async () => {
      throw new Error('unexpected');
    },
  };
}

describe('cachedCredentials', () => {
  let home: string;
  let now: number;
  let secrets: Map<string, string>;
  let cfg: AwsConfig;
  const index: VaultIndex = { version: 1, keys: { alice: { accessKeyId: 'AKIAALICE', backend: 'keychain', addedAt: '2026-11-01T00:00:00Z' } } };

  const inputs = (over: Partial<CacheHitInputs> = {}): CacheHitInputs => ({
    config: cfg,
    profile: 'prod',
    env: {},
    userName: 'alice',
    rolehopHome: home,
    index,
    now,
    dataKey: async () => {
      const k = secrets.get(CACHE_KEY_ID);
      return k ? Buffer.from(k, 'base64') : undefined;
    },
    ...over,
  });

  const fill = async (profile = 'prod') => {
    const ctx: Context = {
      env: {},
      homeDir: home,
      rolehopHome: home,
      userName: 'alice',
      clock: { now: () => now },
      logger: { debug() {}, info() {}, warn() {} },
      prompter: {
        mfaCode: async () => '123456',
        passphrase: async () => {
          throw new Error('unexpected');
        },
        text: async () => {
          throw new Error('unexpected');
        },
      },
    };
    const broker = createBroker({
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
      store: async () => ({
        kind: 'memory',
        get: async (id) => secrets.get(id),
        set: async (id, v) => void secrets.set(id, v),
        delete: async (id) => secrets.delete(id),
      }),
      sts: () => fakeSts(() => now),
    });
    return (await broker.credentials(profile)).credentials;
  };

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'rolehop-cache-hit-'));
    now = Date.parse('2026-11-23T10:00:00Z');
    secrets = new Map();
    cfg = config();
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('answers with what the broker cached for a depth-2 chain', async () => {
    const filled = await fill();
    const hit = await cachedCredentials(inputs());
    assert.deepEqual(hit?.credentials, filled);
    assert.equal(hit?.plan.hops.length, 2);
  });

  it('is a miss with an empty cache, without asking for the data key', async () => {
    let asked = false;
    assert.equal(await cachedCredentials(inputs({ dataKey: async () => ((asked = true), undefined) })), undefined);
    assert.equal(asked, false);
  });

  it('is a miss once 15 minutes or less are left, as for the broker', async () => {
    await fill();
    assert.ok(await cachedCredentials(inputs({ now: now + 44 * 60_000 })));
    assert.equal(await cachedCredentials(inputs({ now: now + 45 * 60_000 })), undefined);
  });

  it('is a miss after a config edit, a key rotation or with another data key', async () => {
    await fill();
    cfg = config({ prod: { role_arn: 'arn:aws:iam::333333333333:role/Other', source_profile: 'hub' } });
    assert.equal(await cachedCredentials(inputs()), undefined, 'edited role');
    cfg = config();
    const rotated: VaultIndex = { version: 1, keys: { alice: { ...index.keys.alice!, accessKeyId: 'AKIANEWKEY' } } };
    assert.equal(await cachedCredentials(inputs({ index: rotated })), undefined, 'rotated key');
    assert.equal(await cachedCredentials(inputs({ dataKey: async () => Buffer.alloc(32, 7) })), undefined, 'wrong data key');
    assert.ok(await cachedCredentials(inputs()), 'unchanged inputs still hit');
  });

  it('leaves warnings and errors to the normal path', async () => {
    await fill();
    assert.equal(await cachedCredentials(inputs({ config: { ...cfg, warnings: ['both [default] and [profile default]'] } })), undefined);
    await assert.rejects(() => cachedCredentials(inputs({ profile: 'nope' })), /nope/);
  });
});
