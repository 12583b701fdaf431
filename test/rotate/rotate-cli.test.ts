// `rolehop rotate` end to end on moto behind the counting proxy: the IAM
// user alice (MFA) in 123456789012, where moto's GetSessionToken lands.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { MotoServer } from '../helpers/moto.js';
import { failAction, Faults, type CountingProxy } from '../helpers/counting-proxy.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { runCli, MOTO_ROOT_CREDENTIALS, type MotoIdentity } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

interface Report {
  ok: boolean;
  oldKeyId: string;
  newKeyId: string;
  resumed: boolean;
  sessionsCleared?: number;
  steps: { step: string; outcome: string }[];
}

describe('rolehop rotate', () => {
  let moto: MotoServer;
  let proxy: CountingProxy;
  let box: Sandbox;
  let alice: MotoIdentity;
  let env: Record<string, string>;
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true });
    ({ moto, proxy, alice, box, env } = world);
    box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        `mfa_serial = ${alice.mfaSerial}`,
        'mfa_process = echo 123456',
        '',
        '[profile ops]',
        'role_arn = arn:aws:iam::210987654321:role/Ops',
        'source_profile = alice',
        '',
      ].join('\n'),
    );
    await world.storeKey();
  });

  after(async () => world?.stop());

  async function listKeys(): Promise<string[]> {
    const iam = await import('@aws-sdk/client-iam');
    const c = new iam.IAMClient({ endpoint: moto.url, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
    const r = await c.send(new iam.ListAccessKeysCommand({ UserName: alice.userName }));
    c.destroy();
    return (r.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId!);
  }

  async function whoAmI(args: string[]): Promise<{ Arn: string; Account: string }> {
    const r = await runCli(['exec', ...args, '--', 'aws', 'sts', 'get-caller-identity'], { env });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { Arn: string; Account: string };
  }

  it('needs --yes without a terminal', async () => {
    const r = await runCli(['rotate', 'alice'], { env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--yes/);
  });

  it('rotates: one key left, not the old one; exec reaches AWS as the same user', async () => {
    // A cached session to be cleared.
    await whoAmI(['ops']);
    proxy.reset();
    const r = await runCli(['--json', 'rotate', 'alice', '--yes'], { env });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.ok, true);
    assert.equal(report.oldKeyId, alice.accessKeyId);
    assert.notEqual(report.newKeyId, alice.accessKeyId);
    assert.ok((report.sessionsCleared ?? 0) >= 1, 'cached sessions of dependent profiles cleared');
    assert.deepEqual(await listKeys(), [report.newKeyId]);
    assert.equal(proxy.count('CreateAccessKey'), 1);
    assert.equal(proxy.count('DeleteAccessKey'), 1);
    // IAM calls were signed with the MFA session, not the long-lived key.
    for (const c of proxy.calls.filter((c) => c.service === 'iam')) {
      assert.ok(c.accessKeyId !== alice.accessKeyId && c.accessKeyId !== report.newKeyId, `IAM ${c.action} signed with ${c.accessKeyId}`);
    }
    // Through the new key, the same user.
    assert.equal((await whoAmI(['alice', '--no-session'])).Arn, alice.userArn);
    assert.equal((await whoAmI(['alice'])).Account, '123456789012');
    // No secret in plain text anywhere under the sandbox, nor in the report.
    const secret = await runCli(['exec', 'alice', '--no-session', '--', process.execPath, '-e', 'process.stdout.write(process.env.AWS_SECRET_ACCESS_KEY)'], {
      env,
    });
    assert.equal(secret.code, 0, secret.stderr);
    assert.ok(secret.stdout.length > 10);
    assert.ok(!r.stdout.includes(secret.stdout) && !r.stderr.includes(secret.stdout));
    assert.deepEqual(box.grepSecret(secret.stdout), []);
  });

  it('a failed delete names the exact command, and the next run finishes', async () => {
    const [before] = await listKeys();
    proxy.setFault(failAction('DeleteAccessKey', Faults.accessDenied()));
    const r = await runCli(['rotate', 'alice', '--yes'], { env });
    proxy.setFault(undefined);
    assert.equal(r.code, 6, r.stderr);
    assert.ok(r.stderr.includes(`aws iam delete-access-key --user-name ${alice.userName} --access-key-id ${before}`), r.stderr);
    const keys = await listKeys();
    assert.equal(keys.length, 2);
    const now = await whoAmI(['alice', '--no-session']);
    assert.equal(now.Arn, alice.userArn, 'the vault holds a working key');

    const again = await runCli(['--json', 'rotate', 'alice', '--yes'], { env });
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout) as Report;
    assert.equal(report.resumed, true);
    assert.equal(report.oldKeyId, before);
    assert.deepEqual(await listKeys(), [report.newKeyId]);
  });

  it('stops when the user already has two keys', async () => {
    const iam = await import('@aws-sdk/client-iam');
    const c = new iam.IAMClient({ endpoint: moto.url, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
    const extra = (await c.send(new iam.CreateAccessKeyCommand({ UserName: alice.userName }))).AccessKey!.AccessKeyId!;
    const r = await runCli(['rotate', 'alice', '--yes'], { env });
    assert.equal(r.code, 6);
    assert.ok(r.stderr.includes(`--access-key-id ${extra}`), r.stderr);
    await c.send(new iam.DeleteAccessKeyCommand({ UserName: alice.userName, AccessKeyId: extra }));
    c.destroy();
  });
});
