// The profile picker: `exec`, `export` and `login` without a profile, run by
// the built CLI on a pseudo-terminal (python3 pty) against moto. Where
// stdout is captured, it is a pipe while stdin and stderr are the terminal:
// the `eval "$(rolehop export --format export-env)"` case.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import { hasPythonPty, runInPty } from '../helpers/pty.js';
import { CLI_PATH, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { startWorld, type World } from '../helpers/world.js';

const PROD_ROLE = 'arn:aws:iam::111111111111:role/Admin';
const BILLING_ACCOUNT = '333333333333';

describe('profile picker', { skip: hasPythonPty ? false : 'python3 with the pty module is not installed' }, () => {
  let world: World;
  let box: Sandbox;
  let env: Record<string, string>;
  let proxy: CountingProxy;

  before(async () => {
    world = await startWorld({ proxy: true });
    ({ box, env, proxy } = world);
    box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        `mfa_serial = ${world.alice.mfaSerial}`,
        '[profile dev]',
        'role_arn = arn:aws:iam::222222222222:role/Developer',
        'source_profile = alice',
        'region = eu-central-1',
        '[profile prod]',
        `role_arn = ${PROD_ROLE}`,
        'source_profile = alice',
        'region = eu-west-1',
        '[profile billing]',
        `role_arn = arn:aws:iam::${BILLING_ACCOUNT}:role/ReadOnly`,
        'source_profile = alice',
        '',
      ].join('\n'),
    );
    await world.storeKey();
    // An Organizations inventory as `run --org` leaves it in the cache.
    const cache = join(box.rolehopHome, 'cache');
    mkdirSync(cache, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(cache, 'org-0123456789abcdef.json'),
      JSON.stringify({ version: 1, accounts: { fetchedAt: Date.now(), data: [{ id: BILLING_ACCOUNT, name: 'Payments Platform', state: 'ACTIVE' }] } }),
      { mode: 0o600 },
    );
  });
  after(async () => world?.stop());

  const cli = (...args: string[]) => [process.execPath, CLI_PATH, '--mfa-token', '123456', ...args];

  it('export: typing "prd" and Enter prints prod\'s credentials on the piped stdout, the picker only on the terminal', async () => {
    proxy.reset();
    const r = await runInPty(cli('export', '--format', 'export-env'), {
      env,
      captureStdout: true,
      answers: [
        ['Profile', 'prd'],
        ['❯ prod', '\r'],
      ],
    });
    assert.equal(r.code, 0, r.transcript);
    assert.match(r.stdout!, /^export AWS_ACCESS_KEY_ID=/m);
    assert.match(r.stdout!, /^export AWS_SESSION_TOKEN=/m);
    assert.match(r.stdout!, /^export AWS_REGION='?eu-west-1'?$/m);
    assert.doesNotMatch(r.stdout!, /Profile|❯/);
    // The screen showed the choices with their accounts, and never a secret.
    assert.match(r.transcript, /prod\s+111111111111 Admin/);
    assert.match(r.transcript, /Profile: prod\r?\n/);
    const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(r.stdout!)![1]!.replace(/'/g, '');
    assert.ok(!r.transcript.includes(secret), 'the secret key was drawn on the terminal');
    const assumed = proxy.calls.filter((c) => c.action === 'AssumeRole').map((c) => c.roleArn);
    assert.deepEqual(assumed, [PROD_ROLE]);
  });

  it('exec -- cmd: the account name from the cached Organizations inventory finds the profile', async () => {
    const r = await runInPty(cli('exec', '--', 'sh', '-c', 'printf "%s %s" "$ROLEHOP_PROFILE" "$AWS_ACCESS_KEY_ID"'), {
      env,
      captureStdout: true,
      answers: [
        ['Profile', 'payments'],
        ['❯ billing', '\r'],
      ],
    });
    assert.equal(r.code, 0, r.transcript);
    assert.match(r.stdout!, /^billing \S+$/);
    assert.match(r.transcript, /billing\s+333333333333 \(Payments Platform\) ReadOnly/);
  });

  it('Esc cancels with exit 130 and nothing on stdout; so does Ctrl-C', async () => {
    for (const key of ['\x1b', '\x03']) {
      const r = await runInPty(cli('export', '--format', 'export-env'), { env, captureStdout: true, answers: [['Profile', key]] });
      assert.equal(r.code, 130, `${JSON.stringify(key)}: ${r.transcript}`);
      assert.equal(r.stdout, '');
      assert.match(r.transcript, /No profile picked \(cancelled\)/);
    }
  });

  it('login and exec alone open the picker too', async () => {
    for (const args of [['login', '--stdout'], ['exec']]) {
      const r = await runInPty(cli(...args), { env, captureStdout: true, answers: [['Profile', '\x1b']] });
      assert.equal(r.code, 130, `${args.join(' ')}: ${r.transcript}`);
      assert.equal(r.stdout, '');
    }
  });

  it('without a terminal, a left-out profile stays a usage error with a hint, and nothing waits for input', async () => {
    for (const args of [['export', '--format', 'export-env'], ['exec', '--', 'true'], ['exec'], ['login', '--stdout']]) {
      const r = await runCli(args, { env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /A profile name is required/);
      assert.match(r.stderr, /rolehop list/);
    }
  });

  it('a named profile never loads the picker or its prompt library', async () => {
    // A copy of the build without the picker's chunk and the chunk it imports:
    // a named profile must still work, and only a left-out one must miss them.
    const copy = join(box.home, 'lazy');
    cpSync(join(REPO_ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
    const chunks = join(copy, 'dist', 'chunks');
    const picker = readdirSync(chunks).find((f) => f.startsWith('pick-profile-'))!;
    const imported = [...readFileSync(join(chunks, picker), 'utf8').matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1]!);
    assert.ok(imported.length > 0, 'the picker chunk imports its prompt library lazily');
    for (const f of [picker, ...imported]) rmSync(join(chunks, f));
    const lazyCli = join(copy, 'dist', 'cli.cjs');
    const named = await runCli(['--mfa-token', '123456', 'export', 'prod', '--format', 'env'], { env, cli: lazyCli });
    assert.equal(named.code, 0, named.stderr);
    assert.match(named.stdout, /^AWS_ACCESS_KEY_ID=/m);
    const exec = await runCli(['exec', 'prod', '--', 'true'], { env, cli: lazyCli });
    assert.equal(exec.code, 0, exec.stderr);
    const picked = await runInPty([process.execPath, lazyCli, 'export'], { env, captureStdout: true, answers: [['Profile', '\x1b']] });
    assert.notEqual(picked.code, 0);
    assert.doesNotMatch(picked.transcript, /\? Profile/);
  });

  it('a named profile still works as before, with `--` and without', async () => {
    const r = await runCli(['--mfa-token', '123456', 'exec', 'prod', '--', 'sh', '-c', 'printf %s "$ROLEHOP_PROFILE"'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'prod');
    const plain = await runCli(['exec', 'prod', 'printenv', 'AWS_REGION'], { env });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, 'eu-west-1\n');
  });
});
