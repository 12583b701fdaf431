import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsFromProcess, parseProcessOutput } from './from-process.js';

describe('credentialsFromProcess', () => {
  it('parses a Version 1 document and hides rolehop secrets from the helper', async () => {
    const doc = '{"Version":1,"AccessKeyId":"ASIAX","SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-01T00:00:00Z"}';
    const cmd = `test -z "$ROLEHOP_FILE_PASSPHRASE" && test "$KEEP" = yes && echo '${doc}'`;
    const c = await credentialsFromProcess(cmd, 'p', { PATH: process.env.PATH, ROLEHOP_FILE_PASSPHRASE: 'secret', KEEP: 'yes' });
    assert.equal(c.accessKeyId, 'ASIAX');
    assert.equal(c.expiration?.toISOString(), '2030-01-01T00:00:00.000Z');
  });
  it('fails with ERR_PROCESS_FAILED on a non-zero exit or a bad document', async () => {
    await assert.rejects(credentialsFromProcess('exit 3', 'p', { PATH: process.env.PATH }), { code: 'ERR_PROCESS_FAILED' });
    await assert.rejects(credentialsFromProcess('echo nope', 'p', { PATH: process.env.PATH }), { code: 'ERR_PROCESS_FAILED' });
  });
  it('accepts the historical UTC suffix and rejects Version 2', () => {
    assert.equal(
      parseProcessOutput('{"Version":1,"AccessKeyId":"a","SecretAccessKey":"b","Expiration":"2030-01-01T00:00:00UTC"}').expiration?.getUTCFullYear(),
      2030,
    );
    assert.throws(() => parseProcessOutput('{"Version":2,"AccessKeyId":"a","SecretAccessKey":"b"}'));
  });
});
