// The keychain backend for real: gnome-keyring's Secret Service inside the
// private D-Bus session that `npm test` starts. Skipped without a bus.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hasSessionBus, type Sandbox } from '../helpers/sandbox.js';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI_PATH, runCli, type MotoIdentity } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

describe('keychain backend end to end', { skip: hasSessionBus() ? false : 'no D-Bus session bus' }, () => {
  let box: Sandbox;
  let env: Record<string, string>;
  let alice: MotoIdentity;
  let target: string;
  let world: World;

  before(async () => {
    world = await startWorld({ targets: 1, env: { ROLEHOP_BACKEND: 'keychain', ROLEHOP_FILE_PASSPHRASE: undefined }, envOptions: { dbus: true } });
    ({ alice, box, env } = world);
    [target] = world.accounts as [string];
    box.writeConfig(
      `[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\n\n[profile t]\nrole_arn = arn:aws:iam::${target}:role/OrganizationAccountAccessRole\nsource_profile = alice\n`,
    );
  });
  after(async () => {
    if (env) await runCli(['remove', 'alice'], { env });
    await world?.stop();
  });

  it('stores the key in the OS keystore and exec reaches the target account', async () => {
    const add = await runCli(['add', 'alice', '--env'], {
      env: { ...env, AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey },
    });
    assert.equal(add.code, 0, add.stderr);
    const r = await runCli(['--mfa-token', '123456', 'exec', 't', '--', 'aws', 'sts', 'get-caller-identity', '--query', 'Account', '--output', 'text'], {
      env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), target);
    const hit = await runCli(['export', 't', '--format', 'credential-process'], { env });
    assert.equal(hit.code, 0, hit.stderr);
    const list = JSON.parse((await runCli(['list', '--json'], { env })).stdout) as { keys: Array<{ backend: string }> };
    assert.equal(list.keys[0]?.backend, 'keychain');
    assert.deepEqual(box.grepSecret(alice.secretAccessKey), [], 'nothing in plain text under HOME');
  });

  it('a cache hit is answered by dist/cli.cjs and dist/hot-keychain.cjs alone, exactly as the full CLI answers it', async () => {
    // Runs after the test above filled the cache. A copy of the executable
    // and the keychain bundle, with no main.mjs beside them, can only answer
    // through the hot path.
    const dir = join(box.home, 'hot-only');
    mkdirSync(dir);
    for (const f of ['cli.cjs', 'hot-keychain.cjs']) copyFileSync(join(dirname(CLI_PATH), f), join(dir, f));
    const alone = join(dir, 'cli.cjs');
    const hot = await runCli(['export', 't', '--format', 'credential-process'], { env, cli: alone });
    assert.equal(hot.code, 0, hot.stderr);
    assert.equal(hot.stderr, '');
    // Any extra flag takes the normal path: the broker, @napi-rs/keyring and all.
    const full = await runCli(['--backend', 'keychain', 'export', 't', '--format', 'credential-process'], { env });
    assert.equal(full.code, 0, full.stderr);
    assert.deepEqual(JSON.parse(hot.stdout), JSON.parse(full.stdout));
    assert.equal(JSON.parse(hot.stdout).AccountId, target);
    // A miss is not the hot path's to answer: it hands over to main.mjs (absent here).
    const miss = await runCli(['export', 't', '--format', 'credential-process'], { env: { ...env, ROLEHOP_HOME: join(box.home, 'another-home') }, cli: alone });
    assert.notEqual(miss.code, 0);
    assert.match(miss.stderr, /main\.mjs/);
    // The session the hot path serves lives in the keychain, never on disk in the clear.
    assert.deepEqual(box.grepSecret(JSON.parse(hot.stdout).SessionToken), [], 'session token in plain text under HOME');
    assert.deepEqual(box.grepSecret(JSON.parse(hot.stdout).SecretAccessKey), []);
    const caches = readdirSync(join(box.rolehopHome, 'code-cache'));
    assert.ok(
      caches.some((f) => f.startsWith('hot-keychain.cjs-') && f.includes(`-${process.version}-`)),
      caches.join(' '),
    );
  });

  it('a cold export is answered by dist/cli.cjs with dist/export-miss.cjs, as the full CLI answers it, through a private code cache', async () => {
    // A copy of the executable and its two CommonJS bundles, with no
    // main.mjs beside them: a miss can only be answered by export-miss.cjs.
    const dir = join(box.home, 'miss-only');
    mkdirSync(dir);
    for (const f of ['cli.cjs', 'hot-keychain.cjs', 'export-miss.cjs']) copyFileSync(join(dirname(CLI_PATH), f), join(dir, f));
    const alone = join(dir, 'cli.cjs');
    const good = readFileSync(box.awsConfigFile, 'utf8');
    const cacheDir = join(box.rolehopHome, 'code-cache');
    const missCaches = () => readdirSync(cacheDir).filter((f) => f.startsWith('export-miss.cjs-') && f.includes(`-${process.version}-`));
    try {
      // The MFA code from mfa_process, so the call stays the plain credential_process line.
      box.writeConfig(good.replace(`mfa_serial = ${alice.mfaSerial}\n`, `mfa_serial = ${alice.mfaSerial}\nmfa_process = echo 123456\n`));
      let made: number | undefined;
      for (const round of ['makes the cache', 'uses it']) {
        assert.equal((await runCli(['clear'], { env })).code, 0, round);
        const cold = await runCli(['export', 't', '--format', 'credential-process'], { env, cli: alone });
        assert.equal(cold.code, 0, `${round}: ${cold.stderr}`);
        assert.equal(cold.stderr, '', round);
        assert.equal(JSON.parse(cold.stdout).AccountId, target, round);
        // The full CLI serves the session the cold call just cached, and prints it the same way.
        const full = await runCli(['--backend', 'keychain', 'export', 't', '--format', 'credential-process'], { env });
        assert.equal(full.code, 0, full.stderr);
        assert.deepEqual(JSON.parse(cold.stdout), JSON.parse(full.stdout), round);
        // And the hot path serves it from the session copy the cold call kept.
        const hot = await runCli(['export', 't', '--format', 'credential-process'], { env, cli: alone });
        assert.deepEqual(JSON.parse(hot.stdout), JSON.parse(cold.stdout), round);
        const [cache, ...others] = missCaches();
        assert.ok(cache, readdirSync(cacheDir).join(' '));
        assert.deepEqual(others, []);
        assert.equal(statSync(join(cacheDir, cache)).mode & 0o777, 0o600);
        const mtime = statSync(join(cacheDir, cache)).mtimeMs;
        if (made !== undefined) assert.equal(mtime, made, 'an accepted cache is not written again');
        made = mtime;
      }
      // A code cache others could write to is never used: the normal path refuses the home, as before.
      chmodSync(cacheDir, 0o777);
      try {
        assert.equal((await runCli(['clear'], { env })).code, 4);
        const refused = await runCli(['export', 't', '--format', 'credential-process'], { env });
        assert.equal(refused.code, 4, refused.stderr);
        assert.match(refused.stderr, /Refusing to use .*code-cache: it is writable by every user \(mode 0777\)/);
        assert.equal(refused.stdout, '');
      } finally {
        chmodSync(cacheDir, 0o700);
      }
    } finally {
      box.writeConfig(good);
    }
  });

  it('the AWS CLI reaches the target account through credential_process on the keychain hot path', async () => {
    const good = readFileSync(box.awsConfigFile, 'utf8');
    try {
      box.writeConfig(
        `${good}\n[profile t-cp]\nregion = us-east-1\ncredential_process = "${process.execPath}" "${CLI_PATH}" export t --format credential-process\n`,
      );
      const r = spawnSync('aws', ['sts', 'get-caller-identity', '--profile', 't-cp', '--query', 'Account', '--output', 'text'], { env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), target);
    } finally {
      box.writeConfig(good);
    }
  });

  it('bad input on the credential_process path is reported as on any other path', async () => {
    const good = readFileSync(box.awsConfigFile, 'utf8');
    try {
      box.writeConfig(good + 'this line has no equals sign\n');
      const broken = await runCli(['export', 't', '--format', 'credential-process'], { env });
      assert.equal(broken.code, 3);
      assert.match(broken.stderr, /rolehop: error: .*line \d+[\s\S]*hint:/);
      assert.doesNotMatch(broken.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(broken.stdout, '');
      box.writeConfig(good);
      const unknown = await runCli(['export', 'nope', '--format', 'credential-process'], { env });
      assert.equal(unknown.code, 3);
      assert.match(unknown.stderr, /nope/);
    } finally {
      box.writeConfig(good);
    }
  });

  it('after clear, the hot path has nothing left to serve', async () => {
    const alone = join(box.home, 'hot-only', 'cli.cjs');
    assert.equal((await runCli(['export', 't', '--format', 'credential-process'], { env, cli: alone })).code, 0);
    const clear = await runCli(['clear', 't'], { env });
    assert.equal(clear.code, 0, clear.stderr);
    const after = await runCli(['export', 't', '--format', 'credential-process'], { env, cli: alone });
    assert.notEqual(after.code, 0, 'a copy outlived clear');
    assert.match(after.stderr, /main\.mjs/);
  });

  it('clear in a file-backend home also removes copies a ROLEHOP_BACKEND=keychain run left', async () => {
    const alone = join(box.home, 'hot-only', 'cli.cjs');
    const fill = await runCli(['--mfa-token', '123456', 'export', 't'], { env });
    assert.equal(fill.code, 0, fill.stderr);
    assert.equal((await runCli(['export', 't', '--format', 'credential-process'], { env, cli: alone })).code, 0, 'a copy to clear');
    const clear = await runCli(['--backend', 'file', 'clear', 't'], { env: { ...env, ROLEHOP_FILE_PASSPHRASE: 'unused' } });
    assert.equal(clear.code, 0, clear.stderr);
    assert.doesNotMatch(clear.stderr, /warning/);
    assert.notEqual((await runCli(['export', 't', '--format', 'credential-process'], { env, cli: alone })).code, 0, 'the copy outlived clear');
  });

  it('clear in a home with no backend yet neither probes nor chooses one', async () => {
    const fresh = join(box.home, 'fresh-home');
    const { ROLEHOP_BACKEND: _chosen, ...unchosen } = env;
    const r = await runCli(['clear'], { env: { ...unchosen, ROLEHOP_HOME: fresh } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(join(fresh, 'backend')), false);
  });

  it('an explicit keychain choice without a bus fails fast with a hint', async () => {
    const t = Date.now();
    const r = await runCli(['export', 't'], { env: box.env({ ROLEHOP_BACKEND: 'keychain', ROLEHOP_FILE_PASSPHRASE: undefined }) });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /hint:/);
    assert.ok(Date.now() - t < 5000);
  });
});
