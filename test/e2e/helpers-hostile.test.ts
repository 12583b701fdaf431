// Helper processes that misbehave (mfa_process, credential_process): one
// that hangs, one that forks and leaves a grandchild on stdout, one that
// floods stdout. Each ends with a clear error and a documented exit code,
// never a stack trace; whatever the helper started is stopped; and the lock
// the first process held is free for the next.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { processAlive, waitFor } from '../helpers/processes.js';

const DOC = '{"Version":1,"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"not-a-real-secret"}';

function assertClean(stderr: string, message: RegExp): void {
  assert.match(stderr, message);
  assert.match(stderr, /hint: /);
  assert.doesNotMatch(stderr, /\n\s+at .*\.(m?js|ts):\d+/, 'no stack trace without --debug');
}

describe('hostile helper processes', () => {
  let world: World;
  let env: Record<string, string>;
  let home: string;

  before(async () => {
    world = await startWorld({ env: { AWS_REGION: 'us-east-1', ROLEHOP_MFA_PROCESS_TIMEOUT: '2', ROLEHOP_CREDENTIAL_PROCESS_TIMEOUT: '2' } });
    env = world.env;
    home = world.box.home;
    const marker = join(home, 'first-ran');
    const pidFile = join(home, 'grandchild.pid');
    world.box.writeConfig(
      [
        '[profile alice]',
        `mfa_serial = ${world.alice.mfaSerial}`,
        // The first run hangs with a grandchild; any later one answers.
        `mfa_process = if mkdir ${marker} 2>/dev/null; then sleep 1000 & echo $! > ${pidFile}; wait; else echo 123456; fi`,
        '[profile flood-mfa]',
        `mfa_serial = ${world.alice.mfaSerial}`,
        'mfa_process = yes 123456',
        '[profile cp-hang]',
        'credential_process = sleep 1000',
        '[profile cp-fork]',
        `credential_process = (sleep 1000 &) ; echo '${DOC}'`,
        '[profile cp-flood]',
        'credential_process = cat /dev/zero',
        '[profile cp-wait]',
        // $PPID of the shell is rolehop itself: the test signals it.
        `credential_process = echo $PPID > ${join(home, 'rolehop.pid')}; sleep 1000 & echo $! > ${join(home, 'wait-grandchild.pid')}; wait`,
        '[profile via-fork]',
        'role_arn = arn:aws:iam::111111111111:role/Admin',
        'source_profile = cp-fork',
      ].join('\n'),
    );
    await world.storeKey();
    await world.storeKey({ profile: 'flood-mfa' });
  });
  after(async () => world?.stop());

  it('a hanging mfa_process times out, is stopped with its grandchild, and frees the lock for a waiting process', async () => {
    const first = runCli(['export', 'alice', '--format', 'json'], { env, timeoutMs: 60_000 });
    // The second starts while the first holds the MFA-session lock and waits behind it.
    await waitFor(() => existsSync(join(home, 'grandchild.pid')) && readFileSync(join(home, 'grandchild.pid'), 'utf8').trim() !== '', 20_000);
    const second = runCli(['export', 'alice', '--format', 'json'], { env, timeoutMs: 60_000 });
    const a = await first;
    assert.equal(a.code, 5, a.stderr);
    assertClean(a.stderr, /mfa_process of profile "alice" \(if\) did not finish within 2 s/);
    assert.match(a.stderr, /ROLEHOP_MFA_PROCESS_TIMEOUT/);
    await waitFor(() => !processAlive(Number(readFileSync(join(home, 'grandchild.pid'), 'utf8'))), 20_000);
    const b = await second;
    assert.equal(b.code, 0, b.stderr);
    assert.ok((JSON.parse(b.stdout) as { SessionToken?: string }).SessionToken);
  });

  it('an mfa_process flooding stdout fails clearly with exit 5', async () => {
    const r = await runCli(['export', 'flood-mfa'], { env, timeoutMs: 60_000 });
    assert.equal(r.code, 5, r.stderr);
    assertClean(r.stderr, /mfa_process of profile "flood-mfa" \(yes\) printed more than 1024 KiB on stdout/);
  });

  it('a hanging credential_process times out with exit 3', async () => {
    const r = await runCli(['export', 'cp-hang'], { env, timeoutMs: 60_000 });
    assert.equal(r.code, 3, r.stderr);
    assertClean(r.stderr, /credential_process of profile "cp-hang" \(sleep\) did not finish within 2 s/);
  });

  it('SIGTERM while a credential_process runs stops it with everything it started, exit 130', async () => {
    const pending = runCli(['export', 'cp-wait'], { env: { ...env, ROLEHOP_CREDENTIAL_PROCESS_TIMEOUT: '600' }, timeoutMs: 60_000 });
    const grandchildFile = join(home, 'wait-grandchild.pid');
    await waitFor(() => existsSync(grandchildFile) && readFileSync(grandchildFile, 'utf8').trim() !== '', 20_000);
    process.kill(Number(readFileSync(join(home, 'rolehop.pid'), 'utf8')), 'SIGTERM');
    const r = await pending;
    assert.equal(r.code, 130, r.stderr);
    await waitFor(() => !processAlive(Number(readFileSync(grandchildFile, 'utf8'))), 20_000);
  });

  it('a credential_process whose grandchild keeps stdout open answers promptly', async () => {
    const started = Date.now();
    const r = await runCli(['export', 'via-fork', '--format', 'json'], { env, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - started < 30_000);
  });

  it('a credential_process flooding stdout fails clearly with exit 3', async () => {
    const r = await runCli(['export', 'cp-flood'], { env, timeoutMs: 60_000 });
    assert.equal(r.code, 3, r.stderr);
    assertClean(r.stderr, /credential_process of profile "cp-flood" \(cat\) printed more than 1024 KiB on stdout/);
  });
});
