// Bad input a user will try: each gives a clear message with a hint, a
// documented exit code, no stack trace, and loses nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { ensureBuilt, runCli } from '../helpers/run-cli.js';

const KEY = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

function assertClean(r: { stderr: string }, message: RegExp) {
  assert.match(r.stderr, message);
  assert.match(r.stderr, /hint: /);
  assert.doesNotMatch(r.stderr, /\n\s+at .*\.(m?js|ts):\d+/, 'no stack trace without --debug');
}

describe('bad input', () => {
  let box: Sandbox;
  let env: Record<string, string>;

  before(async () => {
    await ensureBuilt();
    box = await makeSandbox();
    env = box.env();
    box.writeConfig('[profile alice]\nregion = us-east-1\n\n[profile prod]\nrole_arn = arn:aws:iam::111111111111:role/Admin\nsource_profile = alice\n');
    const r = await runCli(['add', 'alice', '--env'], { env: { ...env, ...KEY } });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => box?.cleanup());

  it('broken ini names the file and line', async () => {
    box.writeConfig('[profile alice]\nregion = us-east-1\nthis line has no equals sign\n');
    const r = await runCli(['export', 'alice'], { env });
    assert.equal(r.code, 3);
    assertClean(r, /line 3/);
  });

  it('a source_profile cycle is named', async () => {
    box.writeConfig(
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = a\n',
    );
    const r = await runCli(['export', 'a'], { env });
    assert.equal(r.code, 3);
    assertClean(r, /cycle/i);
  });

  it('an unknown profile is named', async () => {
    box.writeConfig('[profile alice]\n');
    const r = await runCli(['exec', 'nope', '--', 'true'], { env });
    assert.equal(r.code, 3);
    assertClean(r, /nope/);
  });

  it('a malformed role ARN is named', async () => {
    box.writeConfig('[profile alice]\n[profile bad]\nrole_arn = arn:aws:iam::12:role/x\nsource_profile = alice\n');
    const r = await runCli(['export', 'bad'], { env });
    assert.equal(r.code, 3);
    assertClean(r, /role_arn|ARN/);
  });

  it('a wrong passphrase is refused and the vault still opens with the right one', async () => {
    box.writeConfig('[profile alice]\nregion = us-east-1\n');
    const wrong = await runCli(['add', 'bob', '--env'], { env: { ...env, ...KEY, ROLEHOP_FILE_PASSPHRASE: 'wrong' } });
    assert.equal(wrong.code, 4);
    assertClean(wrong, /passphrase/i);
    const ok = await runCli(['add', 'bob', '--env'], { env: { ...env, ...KEY } });
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('a corrupted vault file falls back to its backup, or fails clearly when both are damaged', async () => {
    const dir = join(box.rolehopHome, 'vault');
    const file = readdirSync(dir).find((f) => f.endsWith('.enc'))!;
    const path = join(dir, file);
    const good = readFileSync(path);
    writeFileSync(path, good.subarray(0, Math.floor(good.length / 2)));
    // The main file is damaged: the backup (written before every replace) serves, with a warning.
    const r = await runCli(['add', 'carol', '--env'], { env: { ...env, ...KEY } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /backup/i);
    // Both damaged: a clear error naming the files, exit 4, and nothing overwritten.
    const backup = join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.bak'))!,
    );
    const savedMain = readFileSync(path);
    const savedBackup = readFileSync(backup);
    writeFileSync(path, 'garbage');
    writeFileSync(backup, 'garbage');
    const both = await runCli(['add', 'dave', '--env'], { env: { ...env, ...KEY } });
    assert.equal(both.code, 4);
    assertClean(both, /unusable|corrupt/i);
    assert.equal(readFileSync(path, 'utf8'), 'garbage', 'a broken vault is never overwritten');
    writeFileSync(path, savedMain);
    writeFileSync(backup, savedBackup);
  });

  it('with no terminal and no MFA source it fails fast with a hint', async () => {
    box.writeConfig('[profile alice]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = us-east-1\n');
    const t = Date.now();
    const r = await runCli(['export', 'alice'], { env: { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    assert.equal(r.code, 5);
    assertClean(r, /MFA/);
    assert.ok(Date.now() - t < 10_000);
  });

  it('unknown options and formats are usage errors', async () => {
    assert.equal((await runCli(['export', 'alice', '--format', 'yaml'], { env })).code, 2);
    assert.equal((await runCli(['frobnicate'], { env })).code, 2);
  });

  it('--debug shows the stack', async () => {
    box.writeConfig('[profile alice]\n');
    const r = await runCli(['--debug', 'export', 'nope'], { env });
    assert.match(r.stderr, /ERR_PROFILE_NOT_FOUND/);
    assert.match(r.stderr, /at /);
  });
});
