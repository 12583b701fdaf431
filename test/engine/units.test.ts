import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../src/engine/token-bucket.js';
import { parseAccountsFile, globToRegExp, parseAccountList } from '../../src/engine/selection.js';
import { parseRegions, DEFAULT_ENABLED_REGIONS } from '../../src/engine/regions.js';
import { parseShard } from '../../src/engine/shard.js';
import { forAccount } from '../../src/package-library.js';
import { CredentialPool } from '../../src/engine/credential-pool.js';
import { fakeBroker, fakeSts } from './fakes.js';

test('token bucket: no 1-second window exceeds the rate', async () => {
  const b = new TokenBucket(100);
  const at: number[] = [];
  for (let i = 0; i < 160; i++) {
    await b.take();
    at.push(performance.now());
  }
  for (let i = 0; i < at.length; i++) {
    const inWindow = at.filter((t) => t >= at[i]! && t < at[i]! + 1000).length;
    assert.ok(inWindow <= 100, `window from ${i}: ${inWindow}`);
  }
});

test('selection parsing', () => {
  assert.deepEqual(parseAccountsFile('# c\n111122223333 prod main\n\n444455556666 # x\n'), [
    { account: '111122223333', name: 'prod main' },
    { account: '444455556666' },
  ]);
  assert.throws(() => parseAccountsFile('12345'), /12-digit/);
  assert.throws(() => parseAccountList('1,2'), /12-digit/);
  assert.ok(globToRegExp('prod-*').test('PROD-eu'));
  assert.ok(!globToRegExp('prod-?').test('prod-eu'));
  assert.deepEqual(parseRegions('all'), DEFAULT_ENABLED_REGIONS);
  assert.deepEqual(parseRegions(undefined, 'eu-west-1'), ['eu-west-1']);
  assert.throws(() => parseRegions('moon-1'), /not a region/);
  // The profile's region names --output-dir files: '../x' would leave the directory.
  assert.throws(() => parseRegions(undefined, '../x'), /not a region name/);
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  assert.throws(() => parseShard('0/4'));
});

test('forAccount: one AssumeRole per (account, role) shared by regions and concurrent callers', async () => {
  const { broker, calls } = fakeBroker();
  const a = forAccount('111122223333', { region: 'us-east-1', broker });
  const b = forAccount('111122223333', { region: 'eu-west-1', broker });
  assert.equal(a, forAccount('111122223333', { region: 'us-east-1', broker }));
  assert.equal(a.roleArn, 'arn:aws:iam::111122223333:role/OrganizationAccountAccessRole');
  assert.throws(() => forAccount('nope', { region: 'us-east-1', broker }), /12-digit/);
  // The library uses the SDK STS port; check the pool behaviour with a fake port instead.
  const sts = fakeSts({ delayMs: 5 });
  let now = Date.now();
  const pool = new CredentialPool({ broker, profile: 'p', sts, now: () => now });
  const arn = a.roleArn;
  const got = await Promise.all(Array.from({ length: 20 }, () => pool.get(arn)));
  assert.equal(sts.calls.length, 1);
  assert.ok(got.every((c) => c === got[0]));
  await pool.provider(arn)();
  assert.equal(sts.calls.length, 1);
  // Near expiry (chained roles last 1 h) it re-assumes from the session.
  now += 55 * 60_000;
  await pool.get(arn);
  assert.equal(sts.calls.length, 2);
  assert.equal(calls.session, 1);
  assert.equal(b.accountId, '111122223333');
});
