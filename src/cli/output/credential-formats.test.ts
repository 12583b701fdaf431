import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatCredentials } from './credential-formats.js';

const c = { accessKeyId: 'ASIAX', secretAccessKey: 'se/cr+et', sessionToken: "to'k", expiration: new Date('2026-01-01T13:00:00Z') };

describe('formatCredentials', () => {
  it('credential-process is a Version 1 document with a Z timestamp', () => {
    assert.deepEqual(JSON.parse(formatCredentials('credential-process', c, { profile: 'p' })), {
      Version: 1,
      AccessKeyId: 'ASIAX',
      SecretAccessKey: 'se/cr+et',
      SessionToken: "to'k",
      Expiration: '2026-01-01T13:00:00Z',
    });
  });
  it('export-env quotes for the shell', () => {
    assert.match(formatCredentials('export-env', c, { profile: 'p' }), /^export AWS_SESSION_TOKEN='to'\\''k'$/m);
  });
  it('env and ini', () => {
    assert.match(formatCredentials('env', c, { profile: 'p', region: 'eu-west-1' }), /^AWS_DEFAULT_REGION=eu-west-1$/m);
    assert.equal(formatCredentials('ini', c, { profile: 'p' }).split('\n')[0], '[p]');
    // The account id and rolehop's markers are exec's and rh's, never in env or export-env.
    assert.equal(
      formatCredentials('env', { ...c, accountId: '123456789012' }, { profile: 'p', region: 'eu-west-1' }),
      "AWS_ACCESS_KEY_ID=ASIAX\nAWS_SECRET_ACCESS_KEY=se/cr+et\nAWS_SESSION_TOKEN=to'k\nAWS_CREDENTIAL_EXPIRATION=2026-01-01T13:00:00Z\nAWS_REGION=eu-west-1\nAWS_DEFAULT_REGION=eu-west-1\n",
    );
  });
  it('sh clears stale variables first, then sets what exec would give a child', () => {
    const lines = formatCredentials('sh', c, { profile: 'prod' }).trimEnd().split('\n');
    assert.match(lines[0]!, /^unset /);
    const cleared = lines[0]!.slice('unset '.length).split(' ');
    for (const k of ['AWS_PROFILE', 'AWS_SECURITY_TOKEN', 'AWS_REGION', 'AWS_ACCOUNT_ID']) assert.ok(cleared.includes(k), k);
    assert.ok(!cleared.includes('AWS_ACCESS_KEY_ID'), 'what is set is not cleared');
    assert.deepEqual(lines.slice(1), [
      "export AWS_ACCESS_KEY_ID='ASIAX'",
      "export AWS_SECRET_ACCESS_KEY='se/cr+et'",
      "export AWS_SESSION_TOKEN='to'\\''k'",
      "export AWS_CREDENTIAL_EXPIRATION='2026-01-01T13:00:00Z'",
      "export ROLEHOP_PROFILE='prod'",
      "export ROLEHOP_EXPIRES='1767272400'",
    ]);
  });
  it('fish sets globals with fish quoting', () => {
    const out = formatCredentials('fish', { ...c, secretAccessKey: 'a\\b' }, { profile: 'p', region: 'eu-west-1' });
    assert.match(out, /^set -e .*\bAWS_PROFILE\b/);
    assert.match(out, /^set -gx AWS_SESSION_TOKEN 'to\\'k'$/m);
    assert.match(out, /^set -gx AWS_SECRET_ACCESS_KEY 'a\\\\b'$/m);
    assert.match(out, /^set -gx AWS_REGION 'eu-west-1'$/m);
  });
  it('rejects unknown formats with a usage error', () => {
    assert.throws(() => formatCredentials('yaml', c, { profile: 'p' }), { code: 'ERR_USAGE' });
  });
});
