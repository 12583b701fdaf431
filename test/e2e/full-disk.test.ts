// End to end: the disk holding the session cache is full when STS has just
// accepted the MFA code. The credentials that cost the code must still serve
// the command, with a warning; nothing may end as an internal error. The
// sessions directory is a full tmpfs when the test may mount (root), else a
// regular file in its place (see full-disk.ts): either way the write fails
// inside rolehop's own code, after the STS call.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeFullDir, type FullDir } from '../helpers/full-disk.js';
import { runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

describe('a full disk after STS accepted the MFA code', () => {
  let world: World;
  let mfaLog: string;
  let full: FullDir;
  const mfaAsked = () => {
    try {
      return readFileSync(mfaLog, 'utf8').trim().split('\n').length;
    } catch {
      return 0;
    }
  };

  before(async () => {
    world = await startWorld({ proxy: true, targets: 1 });
    mfaLog = join(world.box.home, 'mfa.log');
    world.box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        `mfa_serial = ${world.alice.mfaSerial}`,
        `mfa_process = echo asked >> ${mfaLog}; echo 123456`,
        '',
        '[profile one]',
        `role_arn = arn:aws:iam::${world.accounts[0]}:role/OrganizationAccountAccessRole`,
        'source_profile = alice',
        '',
      ].join('\n'),
    );
    await world.storeKey();
  });
  after(async () => world?.stop());

  beforeEach(() => {
    rmSync(mfaLog, { force: true });
    rmSync(join(world.box.rolehopHome, 'sessions'), { recursive: true, force: true });
    full = makeFullDir(join(world.box.rolehopHome, 'sessions'));
    world.proxy.reset();
  });
  afterEach(() => full.release());

  const assertWarned = (stderr: string) => {
    assert.match(stderr, /rolehop: warning: .*could not be cached/);
    assert.ok(stderr.includes(full.errno), `the warning names the cause (${full.errno}): ${stderr}`);
    assert.match(stderr, /MFA code again/);
    assert.doesNotMatch(stderr, /Unexpected error|rolehop: error/);
  };

  it(`exec runs the child with the credentials and returns its exit code, asking for MFA once`, { timeout: 120_000 }, async () => {
    const r = await runCli(['exec', 'alice', '--', 'sh', '-c', 'test -n "$AWS_SESSION_TOKEN" && test -n "$AWS_SECRET_ACCESS_KEY" && exit 7'], {
      env: world.env,
    });
    assert.equal(r.code, 7, `the child's own exit code (${full.how}): ${r.stderr}`);
    assertWarned(r.stderr);
    assert.equal(mfaAsked(), 1);
    assert.equal(world.proxy.count('GetSessionToken'), 1);
  });

  it('exec into a role: the child reaches the role account', { timeout: 120_000 }, async () => {
    const r = await runCli(['exec', 'one', '--', 'aws', 'sts', 'get-caller-identity'], { env: world.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { Account: string }).Account, world.accounts[0]);
    assertWarned(r.stderr);
    assert.equal(mfaAsked(), 1, 'the session is reused for the hop within the process');
    assert.equal(world.proxy.count('GetSessionToken'), 1);
    assert.equal(world.proxy.count('AssumeRole'), 1);
  });

  it('export --format credential-process prints the credentials, and the next call asks again as the warning says', { timeout: 120_000 }, async () => {
    const r = await runCli(['export', 'one', '--format', 'credential-process'], { env: world.env });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(doc.Version, 1);
    assert.ok(doc.AccessKeyId && doc.SecretAccessKey && doc.SessionToken);
    assertWarned(r.stderr);
    const again = await runCli(['export', 'one', '--format', 'credential-process'], { env: world.env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(mfaAsked(), 2);
  });

  it('run: every target gets its credentials, with one MFA code, one AssumeRole per account and one warning', { timeout: 120_000 }, async () => {
    const account = world.accounts[0]!;
    const r = await runCli(
      [
        '--json',
        'run',
        '--profile',
        'alice',
        '--accounts',
        account,
        '--regions',
        'us-east-1,eu-west-1',
        '--',
        'sh',
        '-c',
        'test -n "$AWS_SESSION_TOKEN" && echo {account}',
      ],
      { env: world.env, timeoutMs: 100_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok: boolean; stdout?: string });
    assert.equal(lines.length, 2);
    for (const l of lines) assert.ok(l.ok && l.stdout?.trim() === account, JSON.stringify(l));
    assertWarned(r.stderr);
    assert.equal(r.stderr.split('could not be cached').length - 1, 1, 'one warning for the whole run');
    assert.equal(mfaAsked(), 1);
    assert.equal(world.proxy.count('GetSessionToken'), 1);
    assert.equal(world.proxy.count('AssumeRole'), 1);
  });

  it('once the disk has room again, the session is cached and MFA is not asked again', { timeout: 120_000 }, async () => {
    full.release();
    const first = await runCli(['exec', 'alice', '--', 'true'], { env: world.env });
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stderr, /could not be cached/);
    const second = await runCli(['exec', 'alice', '--', 'true'], { env: world.env });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(mfaAsked(), 1);
  });
});
