// `list` with 100,000 profiles and `run`'s selection of 100,000 accounts:
// printed in linear time (plain rows past 1,000), and a SIGTERM while they
// print ends the command with exit 130.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { ensureBuilt, runCli, type CliResult } from '../helpers/run-cli.js';

const N = 100_000;
const KEY = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** A run that gets SIGTERM as soon as it has printed `after`. */
function terminatedAfter(args: string[], env: Record<string, string>, after: RegExp): Promise<CliResult> {
  let sent = false;
  let seen = '';
  return runCli(args, {
    env,
    timeoutMs: 90_000,
    onStdout: (chunk, child) => {
      seen += chunk;
      if (sent || !after.test(seen)) return;
      sent = true;
      child.kill('SIGTERM');
    },
  });
}

describe('large tables', () => {
  let box: Sandbox;
  let env: Record<string, string>;
  let accountsFile: string;

  before(async () => {
    await ensureBuilt();
    box = await makeSandbox();
    env = box.env({ AWS_REGION: 'us-east-1' });
    const profiles = Array.from({ length: N }, (_, i) => `[profile p${i}]\nrole_arn = arn:aws:iam::111111111111:role/R${i}\nsource_profile = alice\n`);
    box.writeConfig(['[profile alice]', 'region = us-east-1', ...profiles].join('\n'));
    accountsFile = join(box.home, 'accounts.txt');
    writeFileSync(accountsFile, Array.from({ length: N }, (_, i) => `${100000000000 + i} account-${i}`).join('\n'));
    const r = await runCli(['add', 'alice', '--env'], { env: { ...env, ...KEY } });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => box?.cleanup());

  it('list prints 100,000 profiles as plain rows, well within a generous ceiling', async () => {
    const r = await runCli(['list'], { env, timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.ok(lines.some((l) => /^p99999\s+role\s+111111111111 R99999\s+alice\s+us-east-1 \(from alice\)\s+-\s+-\s+-$/.test(l)));
    assert.ok(lines.length > N);
  });

  it('run without a command prints a selection of 100,000 accounts and its summary', async () => {
    const r = await runCli(['run', '--profile', 'alice', '--accounts-file', accountsFile], { env, timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^100000099999\s+account-99999$/m);
    assert.match(r.stdout, /100000 accounts × 1 region \(us-east-1\) = 100000 targets/);
  });

  it('SIGTERM while list prints ends it with exit 130', async () => {
    const r = await terminatedAfter(['list'], env, /Profiles\n/);
    assert.equal(r.code, 130, r.stderr);
    assert.ok(!r.stdout.includes('Sessions'), 'stopped before the end');
  });

  it('SIGTERM while run prints its selection ends it with exit 130', async () => {
    const r = await terminatedAfter(['run', '--profile', 'alice', '--accounts-file', accountsFile], env, /Account/);
    assert.equal(r.code, 130, r.stderr);
    assert.doesNotMatch(r.stdout, /100000 accounts/);
  });
});
