// End to end: the built CLI, the real AWS CLI v1 and moto behind a counting
// proxy. One IAM user with MFA in 123456789012, two target accounts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { runCli, type MotoIdentity } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const CLI = join(process.cwd(), 'dist', 'cli.cjs');

describe('rolehop core against moto', () => {
  let proxy: CountingProxy;
  let box: Sandbox;
  let alice: MotoIdentity;
  let accounts: string[];
  let env: Record<string, string>;
  let mfaLog: string;
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true, targets: 2 });
    ({ proxy, alice, accounts, box, env } = world);
    mfaLog = join(box.home, 'mfa.log');
    box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        `mfa_serial = ${alice.mfaSerial}`,
        `mfa_process = echo asked >> ${mfaLog}; echo 123456`,
        '',
        '[profile one]',
        `role_arn = arn:aws:iam::${accounts[0]}:role/OrganizationAccountAccessRole`,
        'source_profile = alice',
        '',
        '[profile two]',
        `role_arn = arn:aws:iam::${accounts[1]}:role/OrganizationAccountAccessRole`,
        'source_profile = one',
        '',
        '[profile via-process]',
        `credential_process = "${process.execPath}" "${CLI}" export two --format credential-process`,
        'region = us-east-1',
        '',
      ].join('\n'),
    );
    await world.storeKey();
  });

  after(async () => world?.stop());

  const callerAccount = (out: string) => (JSON.parse(out) as { Account: string }).Account;

  it('exec reaches the right account for chains of depth 1 and 2 with one MFA code', async () => {
    proxy.reset();
    const one = await runCli(['exec', 'one', '--', 'aws', 'sts', 'get-caller-identity'], { env });
    assert.equal(one.code, 0, one.stderr);
    assert.equal(callerAccount(one.stdout), accounts[0]);
    const two = await runCli(['exec', 'two', '--', 'aws', 'sts', 'get-caller-identity'], { env });
    assert.equal(two.code, 0, two.stderr);
    assert.equal(callerAccount(two.stdout), accounts[1]);
    assert.equal(readFileSync(mfaLog, 'utf8').trim().split('\n').length, 1, 'MFA asked once');
    assert.equal(proxy.count('GetSessionToken'), 1);
    assert.equal(proxy.count('AssumeRole'), 2, 'one per hop, the first hop reused from cache');
  });

  it('the AWS CLI reads credentials through credential_process', async () => {
    const r = spawnSync('aws', ['sts', 'get-caller-identity', '--profile', 'via-process'], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(callerAccount(r.stdout), accounts[1]);
    const doc = JSON.parse((await runCli(['export', 'two', '--format', 'credential-process'], { env })).stdout) as Record<string, unknown>;
    assert.equal(doc.Version, 1);
    assert.match(String(doc.Expiration), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('the child gets exactly the credential variables it should', async () => {
    const r = await runCli(['exec', 'one', '--', 'env'], { env: { ...env, AWS_PROFILE: 'stale', AWS_SECURITY_TOKEN: 'stale' } });
    assert.equal(r.code, 0, r.stderr);
    const childEnv = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION'])
      assert.ok(childEnv[k], k);
    assert.equal(childEnv.ROLEHOP_PROFILE, 'one');
    for (const k of ['AWS_PROFILE', 'AWS_SECURITY_TOKEN', 'ROLEHOP_FILE_PASSPHRASE']) assert.equal(childEnv[k], undefined, k);
    assert.ok(!childEnv.AWS_ACCESS_KEY_ID!.startsWith('AKIA'), 'never the long-lived key');
  });

  it('returns the child exit code and refuses to nest', async () => {
    const r = await runCli(['exec', 'one', '--', 'sh', '-c', 'exit 7'], { env });
    assert.equal(r.code, 7);
    const nested = await runCli(['exec', 'one', '--', process.execPath, CLI, 'exec', 'two', '--', 'true'], { env });
    assert.equal(nested.code, 2);
    assert.match(nested.stderr, /Already inside a rolehop environment/);
  });

  it('list shows keys and sessions without a passphrase, --json for scripts', async () => {
    const { ROLEHOP_FILE_PASSPHRASE: _drop, ...noPass } = env;
    const r = await runCli(['list', '--json'], { env: noPass });
    assert.equal(r.code, 0, r.stderr);
    const view = JSON.parse(r.stdout) as { keys: Array<{ profile: string; accessKeyId: string }>; sessions: Array<{ profile: string; secondsLeft: number }> };
    assert.deepEqual(
      view.keys.map((k) => k.profile),
      ['alice'],
    );
    assert.ok(view.sessions.some((s) => s.profile === 'two' && s.secondsLeft > 3000));
  });

  it('never leaves the secret key or session secrets in plain text', async () => {
    const exported = JSON.parse((await runCli(['export', 'one', '--format', 'json'], { env })).stdout) as { SecretAccessKey: string; SessionToken: string };
    assert.deepEqual(box.grepSecret(alice.secretAccessKey), []);
    assert.deepEqual(box.grepSecret(exported.SecretAccessKey), []);
    assert.deepEqual(box.grepSecret(exported.SessionToken), []);
  });

  it('clear forgets sessions, the next call fetches again with one new MFA code', async () => {
    const c = await runCli(['clear', 'one'], { env });
    assert.equal(c.code, 0, c.stderr);
    proxy.reset();
    const r = await runCli(['export', 'two', '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(proxy.count('GetSessionToken'), 0, 'the MFA session itself was kept');
    assert.equal(proxy.count('AssumeRole'), 2);
    assert.ok(existsSync(mfaLog));
  });
});
