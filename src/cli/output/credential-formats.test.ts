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
  });
  it('rejects unknown formats with a usage error', () => {
    assert.throws(() => formatCredentials('yaml', c, { profile: 'p' }), { code: 'ERR_USAGE' });
  });
});
