// `rolehop run` through the built CLI, as a user runs it: one MFA code, one
// AssumeRole per account across two regions, NDJSON results, exit codes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { runCli, REPO_ROOT } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 24;

describe('rolehop run end to end', () => {
  let proxy: CountingProxy;
  let box: Sandbox;
  let env: Record<string, string>;
  let accounts: string[];
  let accountsFile: string;
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true, targets: N, env: { AWS_PROFILE: 'alice' } });
    ({ proxy, accounts, box, env } = world);
    const { alice } = world;
    box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\n`);
    accountsFile = join(box.home, 'accounts.txt');
    writeFileSync(accountsFile, `# targets\n${accounts.map((a, i) => `${a} team-${i}`).join('\n')}\n`);
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('runs a job in every account and region with one AssumeRole per account', async () => {
    proxy.reset();
    const job = join(REPO_ROOT, 'test', 'engine', 'fixtures', 'list-roles.mjs');
    const r = await runCli(['--mfa-token', '123456', '--json', 'run', '--accounts-file', accountsFile, '--regions', 'us-east-1,eu-west-1', '--job', job], {
      env,
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { account: string; region: string; ok: boolean; value: { arns: string[] } });
    assert.equal(lines.length, N * 2);
    for (const l of lines) {
      assert.ok(l.ok);
      assert.ok(
        l.value.arns.some((a) => a.includes(`::${l.account}:role/`)),
        `job ran in ${l.account}`,
      );
    }
    assert.equal(proxy.count('AssumeRole'), N);
    assert.ok(proxy.count('GetSessionToken') <= 1);
    assert.equal(proxy.count('GetCallerIdentity'), 0);
  });

  it('reports denied accounts and exits 10, placeholders reach the command', async () => {
    const denied = new Set(accounts.slice(0, 2));
    proxy.setFault((c) =>
      c.action === 'AssumeRole' && c.roleArn && denied.has(c.roleArn.split(':')[4]!)
        ? { status: 403, code: 'AccessDenied', message: 'not authorized' }
        : undefined,
    );
    try {
      const r = await runCli(['--json', 'run', '--accounts-file', accountsFile, '--', 'sh', '-c', 'echo {account} {region} {name}'], {
        env,
        timeoutMs: 120_000,
      });
      assert.equal(r.code, 10, r.stderr);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { account: string; ok: boolean; stdout?: string; error?: { code: string } });
      assert.equal(lines.filter((l) => !l.ok).length, 2);
      for (const l of lines) {
        if (denied.has(l.account)) assert.equal(l.error?.code, 'ERR_AWS_ACCESS_DENIED');
        else assert.match(l.stdout ?? '', new RegExp(`^${l.account} us-east-1 team-\\d+`));
      }
      assert.match(r.stderr, /ERR_AWS_ACCESS_DENIED/);
    } finally {
      proxy.setFault(undefined);
    }
  });

  it('with no command prints the selection and stops', async () => {
    const r = await runCli(['--json', 'run', '--accounts', accounts.slice(0, 3).join(',')], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.includes(accounts[0]!), true);
  });
});
