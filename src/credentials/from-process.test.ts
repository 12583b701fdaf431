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

describe('credentialsFromProcess under a hostile helper', () => {
  const DOC = '{"Version":1,"AccessKeyId":"ASIAX","SecretAccessKey":"s"}';
  it('answers promptly when the command forks a grandchild that keeps stdout open', async () => {
    const started = Date.now();
    const c = await credentialsFromProcess(`(sleep 1000 &) ; echo '${DOC}'`, 'p', { PATH: process.env.PATH }, { timeoutMs: 60_000 });
    assert.equal(c.accessKeyId, 'ASIAX');
    assert.ok(Date.now() - started < 8_000);
  });
  it('times out with ERR_PROCESS_FAILED naming the profile and the command', async () => {
    await assert.rejects(credentialsFromProcess('sleep 1000', 'slow', { PATH: process.env.PATH }, { timeoutMs: 300 }), (e: Error & { code: string }) => {
      assert.equal(e.code, 'ERR_PROCESS_FAILED');
      assert.match(e.message, /credential_process of profile "slow" \(sleep\) did not finish within 0\.3 s/);
      return true;
    });
  });
  it('takes its timeout from ROLEHOP_CREDENTIAL_PROCESS_TIMEOUT', async () => {
    await assert.rejects(credentialsFromProcess('sleep 1000', 'p', { PATH: process.env.PATH, ROLEHOP_CREDENTIAL_PROCESS_TIMEOUT: '0.3' }), /within 0\.3 s/);
    await assert.rejects(credentialsFromProcess('true', 'p', { PATH: process.env.PATH, ROLEHOP_CREDENTIAL_PROCESS_TIMEOUT: 'soon' }), { code: 'ERR_USAGE' });
  });
  it('fails clearly on a stdout flood', async () => {
    await assert.rejects(credentialsFromProcess('cat /dev/zero', 'p', { PATH: process.env.PATH }), /printed more than 1024 KiB on stdout/);
  });
});
