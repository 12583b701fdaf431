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
    { name: 'zed', kind: 'role', roleArn: 'arn:aws:iam::123456789012:role/Z', sourceProfile: 'alice', region: 'eu-west-1' },
  ]);
});
