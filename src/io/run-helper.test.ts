import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../errors.js';
import { commandName, runHelper, type HelperLabel } from './run-helper.js';
import { processAlive, waitFor } from '../../test/helpers/processes.js';

const label: HelperLabel = { key: 'mfa_process', profile: 'p', code: ErrorCodes.MFA_UNAVAILABLE, hint: 'h', timeoutVariable: 'ROLEHOP_MFA_PROCESS_TIMEOUT' };
const env = { PATH: process.env.PATH };

describe('runHelper', () => {
  it('returns stdout of a helper that exits 0', async () => {
    assert.equal(await runHelper({ command: 'echo 123456', env, label, timeoutMs: 10_000 }), '123456\n');
  });

  it('stops a hanging helper and its grandchildren at the timeout, naming it and never its arguments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolehop-helper-'));
    const pidFile = join(dir, 'pid');
    const started = Date.now();
    await assert.rejects(
      runHelper({ command: `SECRET=hunter2 sh -c 'sleep 1000 & echo $! > ${pidFile}; wait'`, env, label, timeoutMs: 500 }),
      (e: Error & { code: string; hint: string }) => {
        assert.equal(e.code, 'ERR_MFA_UNAVAILABLE');
        assert.match(e.message, /mfa_process of profile "p" \(sh\) did not finish within 0\.5 s/);
        assert.doesNotMatch(e.message, /hunter2/);
        assert.match(e.hint, /ROLEHOP_MFA_PROCESS_TIMEOUT/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 8_000, 'settles promptly');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !processAlive(grandchild));
  });

  it('answers once the helper exits, though a grandchild keeps stdout open, and stops that grandchild', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolehop-helper-'));
    const pidFile = join(dir, 'pid');
    const started = Date.now();
    const out = await runHelper({ command: `sleep 1000 & echo $! > ${pidFile}; echo 654321`, env, label, timeoutMs: 60_000 });
    assert.equal(out, '654321\n');
    assert.ok(Date.now() - started < 8_000, 'does not wait for the grandchild');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !processAlive(grandchild));
  });

  it('fails clearly on a flood of stdout, and stops the helper', async () => {
    await assert.rejects(runHelper({ command: 'yes', env, label, timeoutMs: 60_000, maxStdoutBytes: 64 * 1024 }), /printed more than 64 KiB on stdout/);
  });

  it('reports a non-zero exit and a missing command', async () => {
    await assert.rejects(runHelper({ command: 'exit 3', env, label, timeoutMs: 10_000 }), /exited with status 3$/);
    await assert.rejects(runHelper({ command: 'no-such-command-rolehop', env, label, timeoutMs: 10_000 }), /status 127 \(command not found\?\)/);
  });

  it('stops the helper group when aborted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolehop-helper-'));
    const pidFile = join(dir, 'pid');
    const abort = new AbortController();
    const p = runHelper({ command: `sleep 1000 & echo $! > ${pidFile}; wait`, env, label, timeoutMs: 60_000, signal: abort.signal });
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    abort.abort();
    await assert.rejects(p, { code: 'ERR_ABORTED' });
    await waitFor(() => !processAlive(Number(readFileSync(pidFile, 'utf8'))));
  });

  it('names a command by its first word, skipping assignments', () => {
    assert.equal(commandName('  ykman oath accounts code -s aws'), 'ykman');
    assert.equal(commandName('TOKEN=abc "/opt/my tool" x'), '/opt/my');
    assert.equal(commandName(''), '(empty)');
  });
});
