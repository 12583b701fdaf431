// The built CLI end to end against moto behind a counting proxy: exec
// --server / --imds, the foreground `server` (10,000 requests, 0 STS calls),
// and the agent (start, credential_process through it, stop).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { runCli, type MotoIdentity } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { cliWithServers } from '../agent/cli-build.js';
import { call } from './http-client.js';

const TARGET = '210987654321';

describe('servers and agent through the CLI', () => {
  let proxy: CountingProxy;
  let box: Sandbox;
  let cli: string;
  let env: Record<string, string>;
  let alice: MotoIdentity;
  let world: World;

  before(async () => {
    cli = await cliWithServers();
    world = await startWorld({ build: false, proxy: true });
    ({ proxy, alice, box, env } = world);
    box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        `mfa_serial = ${alice.mfaSerial}`,
        'mfa_process = echo 123456',
        '',
        '[profile target]',
        `role_arn = arn:aws:iam::${TARGET}:role/Admin`,
        'source_profile = alice',
        'region = eu-west-1',
        '',
      ].join('\n'),
    );
    await world.storeKey({ cli });
  });

  after(async () => {
    await runCli(['agent', 'stop'], { cli, env }).catch(() => {});
    await world?.stop();
  });

  for (const flag of ['--server', '--imds']) {
    it(`exec ${flag} gives the AWS CLI the target account, with no static keys in the child`, async () => {
      const r = await runCli(
        [
          'exec',
          flag,
          'target',
          '--',
          'sh',
          '-c',
          'env | grep -E "^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)=" ; aws sts get-caller-identity',
        ],
        { cli, env },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { Account: string }).Account, TARGET);
    });
  }

  it('rolehop server --json: 10,000 requests to the warm server make 0 STS calls', async () => {
    const child = spawn(process.execPath, [cli, '--json', 'server', 'target'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const info = JSON.parse(line) as { env: Record<string, string> };
      const url = info.env.AWS_CONTAINER_CREDENTIALS_FULL_URI!;
      const token = info.env.AWS_CONTAINER_AUTHORIZATION_TOKEN!;
      assert.equal(info.env.AWS_REGION, 'eu-west-1');
      proxy.reset();
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      let ok = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < 1250; i++) if ((await call(url, { headers: { Authorization: token }, agent })).status === 200) ok++;
        }),
      );
      agent.destroy();
      assert.equal(ok, 10_000);
      assert.equal(proxy.calls.length, 0, 'no STS call while warm');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('agent: start takes the passphrase over a pipe, credential_process goes through it, stop wipes it', async () => {
    const start = await runCli(['agent', 'start', '--idle-timeout', '10m'], { cli, env });
    assert.equal(start.code, 0, start.stderr);
    const pid = Number(/pid (\d+)/.exec(start.stdout)?.[1]);
    assert.ok(pid > 0, start.stdout);
    // Never in the daemon's argv or environment.
    assert.ok(!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('test-passphrase'));
    assert.ok(!readFileSync(`/proc/${pid}/environ`, 'utf8').includes('test-passphrase'));
    const dir = join(box.rolehopHome, 'agent');
    assert.equal(statSync(dir).mode & 0o777, 0o700);

    // Without any passphrase in the caller's environment, the agent answers.
    const noPass = { ...env };
    delete noPass.ROLEHOP_FILE_PASSPHRASE;
    const first = await runCli(['export', 'target', '--format', 'credential-process'], { cli, env: noPass });
    assert.equal(first.code, 0, first.stderr);
    assert.equal((JSON.parse(first.stdout) as { Version: number }).Version, 1);
    proxy.reset();
    const again = await Promise.all(Array.from({ length: 5 }, () => runCli(['export', 'target', '--format', 'credential-process'], { cli, env: noPass })));
    assert.ok(again.every((r) => r.code === 0));
    assert.equal(proxy.calls.length, 0, 'warm sessions: no STS call');
    // The executable alone (no main.mjs beside it) answers through the agent.
    const alone = join(box.home, 'cli.cjs');
    copyFileSync(cli, alone);
    const hot = await runCli(['export', 'target', '--format', 'credential-process'], { cli: alone, env: noPass });
    assert.equal(hot.code, 0, hot.stderr);
    assert.equal(JSON.parse(hot.stdout).AccessKeyId, JSON.parse(first.stdout).AccessKeyId);
    const refused = await runCli(['export', 'nope', '--format', 'credential-process'], { cli: alone, env: noPass });
    assert.equal(refused.code, 3, "the agent's error is rendered with its exit code");
    assert.match(refused.stderr, /rolehop: error: .*nope[\s\S]*hint:/);

    const status = await runCli(['--json', 'agent', 'status'], { cli, env });
    assert.equal(status.code, 0);
    assert.ok((JSON.parse(status.stdout) as { requests: number }).requests >= 6);

    const stop = await runCli(['agent', 'stop'], { cli, env });
    assert.equal(stop.code, 0, stop.stderr);
    assert.ok(!existsSync(join(dir, 'agent.sock')));
    const after = await runCli(['agent', 'status'], { cli, env });
    assert.equal(after.code, 1);
    // Without the agent and without a passphrase, the vault cannot be opened.
    const locked = await runCli(['export', 'target', '--format', 'credential-process'], { cli, env: noPass });
    assert.notEqual(locked.code, 0);
  });

  it('agent start with a wrong passphrase fails and leaves nothing running', async () => {
    const r = await runCli(['agent', 'start'], { cli, env: { ...env, ROLEHOP_FILE_PASSPHRASE: 'wrong' } });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /passphrase/i);
    assert.equal((await runCli(['agent', 'status'], { cli, env })).code, 1);
  });
});
