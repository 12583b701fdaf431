// A process stopped (SIGSTOP, Ctrl-Z) while it holds the MFA-session lock
// must not make the processes waiting on that lock ask for a second code:
// when it resumes and caches its session, the waiter uses that session.
// Before owners were recorded in locks, the waiter took the lock over after
// 10 s and ran mfa_process again.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileStore } from '../../src/stores/file-store.js';
import { fileStoreDir } from '../../src/stores/open-store.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { TEST_KDF } from '../stores/helpers/test-kdf.js';

// Past the 10 s after which the old lock took an unrefreshed lock over.
const PAUSE_MS = 11_500;

describe('a paused holder of the MFA-session lock', () => {
  let world: World;
  let mfaLog: string;

  before(async () => {
    world = await startWorld({ env: { AWS_REGION: 'us-east-1' } });
    mfaLog = join(world.box.home, 'mfa.log');
    world.box.writeConfig(
      [
        '[profile alice]',
        `mfa_serial = ${world.alice.mfaSerial}`,
        // Slow enough that the holder is stopped while it waits for the code.
        `mfa_process = echo asked >> ${mfaLog}; sleep 0.3; echo 123456`,
      ].join('\n'),
    );
    // A vault with the tests' cheap KDF (kept in its header), so no process pays the real one.
    await new FileStore({ dir: fileStoreDir(world.box.rolehopHome), getPassphrase: async () => 'test-passphrase', kdf: TEST_KDF }).set('filler', 'x');
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('makes its waiter use the session it caches: one MFA code in all', { timeout: 90_000 }, async () => {
    const exec = (onSpawn?: (c: ChildProcess) => void): Promise<CliResult> =>
      runCli(['exec', 'alice', '--', 'sh', '-c', 'echo $AWS_ACCESS_KEY_ID'], { env: world.env, timeoutMs: 60_000, ...(onSpawn ? { onSpawn } : {}) });
    let a: ChildProcess | undefined;
    const runA = exec((c) => (a = c));
    const deadline = Date.now() + 30_000;
    while (!existsSync(mfaLog) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(existsSync(mfaLog), 'the first exec never asked for a code');
    // Only rolehop itself: its mfa_process child runs on, as with Ctrl-Z of a pipeline's reader.
    a!.kill('SIGSTOP');
    let runB: Promise<CliResult>;
    try {
      runB = exec();
      await Promise.race([runB, new Promise((r) => setTimeout(r, PAUSE_MS))]);
    } finally {
      a!.kill('SIGCONT');
    }
    const [ra, rb] = [await runA, await runB];
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    assert.equal(readFileSync(mfaLog, 'utf8').trim().split('\n').length, 1, 'mfa_process ran more than once');
    assert.equal(rb.stdout.trim(), ra.stdout.trim(), 'the waiter uses the session the paused holder cached');
  });
});
