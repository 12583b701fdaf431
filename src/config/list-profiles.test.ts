import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig } from './load-config.js';
import { listProfiles } from './list-profiles.js';
import { parseIni } from './parse-ini.js';

test('listProfiles: sorted names with their kind and key facts', () => {
  const ini = [
    '[profile zed]',
    'role_arn = arn:aws:iam::123456789012:role/Z',
    'source_profile = alice',
    'region = eu-west-1',
    '[profile alice]',
    'mfa_serial = arn:aws:iam::123456789012:mfa/alice',
    '[profile proc]',
    'credential_process = creds',
    '[profile env]',
    'credential_source = Environment',
    '[default]',
    '[services s]',
  ].join('\n');
  assert.deepEqual(listProfiles(buildConfig(parseIni(ini, 'c'), 'c')), [
    { name: 'alice', kind: 'key', mfaSerial: 'arn:aws:iam::123456789012:mfa/alice' },
    { name: 'default', kind: 'key' },
    { name: 'env', kind: 'environment' },
    { name: 'proc', kind: 'process' },
    {
      name: 'zed',
      kind: 'role',
      roleArn: 'arn:aws:iam::123456789012:role/Z',
      accountId: '123456789012',
      roleName: 'Z',
      sourceProfile: 'alice',
      region: 'eu-west-1',
      effectiveRegion: 'eu-west-1',
    },
  ]);
});

test('listProfiles: SSO profiles are kind sso (not a vault key), with their account and role', () => {
  const ini = [
    '[profile viasession]',
    'sso_session = corp',
    'sso_account_id = 222222222222',
    'sso_role_name = ReadOnly',
    '[profile legacy]',
    'sso_start_url = https://corp.awsapps.com/start',
    '[profile onsso]',
    'role_arn = arn:aws:iam::333333333333:role/team/Deploy',
    'source_profile = viasession',
    '[sso-session corp]',
    'sso_start_url = https://corp.awsapps.com/start',
  ].join('\n');
  const got = listProfiles(buildConfig(parseIni(ini, 'c'), 'c'));
  assert.deepEqual(
    got.map((p) => [p.name, p.kind, p.accountId, p.roleName]),
    [
      ['legacy', 'sso', undefined, undefined],
      ['onsso', 'role', '333333333333', 'team/Deploy'],
      ['viasession', 'sso', '222222222222', 'ReadOnly'],
    ],
  );
});

test('listProfiles: a role profile shows the region it inherits along source_profile, and from where', () => {
  const ini = [
    '[profile me]',
    'region = eu-west-1',
    '[profile a]',
    'role_arn = arn:aws:iam::111111111111:role/A',
    'source_profile = me',
    '[profile b]',
    'role_arn = arn:aws:iam::111111111111:role/B',
    'source_profile = a',
    '[profile own]',
    'role_arn = arn:aws:iam::111111111111:role/O',
    'source_profile = me',
    'region = us-west-2',
    '[profile env]',
    'role_arn = arn:aws:iam::111111111111:role/E',
    'credential_source = Environment',
    '[profile notrole]',
    'source_profile = me',
    '[profile x]',
    'role_arn = arn:aws:iam::111111111111:role/X',
    'source_profile = y',
    '[profile y]',
    'role_arn = arn:aws:iam::111111111111:role/Y',
    'source_profile = x',
  ].join('\n');
  const got = new Map(listProfiles(buildConfig(parseIni(ini, 'c'), 'c')).map((p) => [p.name, [p.region, p.effectiveRegion, p.regionFrom]]));
  assert.deepEqual(got.get('me'), ['eu-west-1', 'eu-west-1', undefined]);
  assert.deepEqual(got.get('a'), [undefined, 'eu-west-1', 'me']);
  assert.deepEqual(got.get('b'), [undefined, 'eu-west-1', 'me']);
  assert.deepEqual(got.get('own'), ['us-west-2', 'us-west-2', undefined]);
  // Like resolvePlan: only role profiles follow source_profile; a cycle has no region (and does not hang).
  assert.deepEqual(got.get('env'), [undefined, undefined, undefined]);
  assert.deepEqual(got.get('notrole'), [undefined, undefined, undefined]);
  assert.deepEqual(got.get('x'), [undefined, undefined, undefined]);
});

test('listProfiles: a chain 20,000 profiles deep is walked without recursion', () => {
  const n = 20_000;
  const lines = ['[profile p0]', 'region = ap-south-1'];
  for (let i = 1; i < n; i++) lines.push(`[profile p${i}]`, `role_arn = arn:aws:iam::111111111111:role/R`, `source_profile = p${i - 1}`);
  const got = listProfiles(buildConfig(parseIni(lines.join('\n'), 'c'), 'c'));
  const last = got.find((p) => p.name === `p${n - 1}`)!;
  assert.equal(last.effectiveRegion, 'ap-south-1');
  assert.equal(last.regionFrom, 'p0');
});
