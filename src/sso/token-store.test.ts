import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../io/context.js';
import { SsoTokenStore, ssoStoreKey, type SsoTokenRecord } from './token-store.js';

const record: SsoTokenRecord = {
  meta: {
    session: 'corp',
    startUrl: 'https://x.awsapps.com/start',
    region: 'us-east-1',
    flow: 'device',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    registrationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    refreshable: true,
    updatedAt: new Date().toISOString(),
  },
  secrets: {
    accessToken: 'secret-access-token',
    refreshToken: 'secret-refresh-token',
    registration: { flow: 'device', clientId: 'cid', clientSecret: 'secret-client', expiresAt: '' },
  },
};

test('the key is sha1 of the session name, as the AWS CLI names its files', () => {
  assert.equal(ssoStoreKey({ name: 'corp' }), 'ee0bfd2552fbd840c02cc48b6e823320543c450f');
  assert.equal(ssoStoreKey({ name: 'https://d-1234567890.awsapps.com/start' }), '7487b5b67d5fa1132cf33fa93ae51ef38cc37752');
});

test('tokens are sealed on disk (0600), metadata readable without the key, a wrong key or a moved file is a miss', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'rolehop-sso-')), 'sso');
  const store = new SsoTokenStore(dir, silentLogger);
  const dataKey = randomBytes(32);
  const key = ssoStoreKey({ name: 'corp' });
  assert.equal(store.read(key, dataKey), undefined);
  await store.write(key, record, dataKey);
  const file = join(dir, `${key}.json`);
  const text = readFileSync(file, 'utf8');
  for (const s of ['secret-access-token', 'secret-refresh-token', 'secret-client', 'cid']) assert.ok(!text.includes(s), `${s} in plain text`);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(store.meta(key), record.meta);
  assert.deepEqual(store.read(key, dataKey), record);
  assert.equal(store.read(key, randomBytes(32)), undefined);
  const other = ssoStoreKey({ name: 'other' });
  renameSync(file, join(dir, `${other}.json`));
  assert.equal(store.read(other, dataKey), undefined, 'bound to its own key');
  assert.equal(store.remove(other), true);
  assert.equal(store.remove(other), false);
});
