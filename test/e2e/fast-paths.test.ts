// `export` in every format, `exec` and `login --stdout` on a cache hit are
// answered by dist/cli.cjs (and, for the keychain, dist/hot-keychain.cjs;
// for login and list, dist/hot-login.cjs and dist/hot-list.cjs) without
// main.mjs, exactly as the full CLI answers them. A copy of those bundles
// with no main.mjs beside it can only answer through the fast path: a run
// that needs the normal path fails there naming main.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hasSessionBus, makeSandbox } from '../helpers/sandbox.js';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { EXPORT_FORMATS } from '../../src/cli/output/credential-formats.js';
import { startFederationStandIn } from '../console/federation-stand-in.js';

/** A copy of `files` of dist/ in a directory of its own; returns its cli.cjs. */
function fastOnly(dir: string, files: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const f of files) copyFileSync(join(dirname(CLI_PATH), f), join(dir, f));
  return join(dir, 'cli.cjs');
}

/** A child that prints its whole environment as JSON. */
const PRINT_ENV = [process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'];

const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what}: ${r.stderr}`);

/** A profile that never has a session: `clear idle` clears nothing, and is no typo. */
const IDLE = '\n[profile idle]\nrole_arn = arn:aws:iam::210987654321:role/Idle\nsource_profile = alice\n';

/** What `clear NAME` says when NAME is no profile of the config in `home` and nothing was cleared. */
const typoHint = (name: string, home: string, near: string) =>
  `Cleared 0 cached sessions involving "${name}".\n  hint: No profile "${name}" in ${home}/.aws/config, and no key stored for it. Did you mean "${near}"? \`rolehop list\` shows all profiles.\n`;

/**
 * `clear` of a name with nothing to clear goes to the normal path, which
 * alone says whether the name is a typo (unless the config plainly has the
 * profile): the bundles without main.mjs cannot finish it; the full CLI says it as the parser's path does, in text
 * and in JSON, and says nothing more for a real profile or for no name.
 */
async function clearNothingChecks(env: Record<string, string>, fast: string, normal: string[], home: string): Promise<void> {
  const handed = await runCli(['clear', 'nobody'], { env, cli: fast });
  assert.notEqual(handed.code, 0, 'a named clear of nothing is handed to main.mjs');
  assert.match(handed.stderr, /main\.mjs/);
  for (const [name, near] of [
    ['tt', 't'],
    ['idel', 'idle'],
  ] as const) {
    const typo = await runCli(['clear', name], { env });
    ok(typo, `clear ${name}`);
    assert.equal(typo.stderr, typoHint(name, home, near));
    assert.equal(typo.stdout, '');
    const full = await runCli([...normal, 'clear', name], { env });
    assert.equal(full.stderr, typo.stderr, 'the parser path says it the same');
    const json = await runCli(['--json', 'clear', name], { env });
    ok(json, `--json clear ${name}`);
    assert.equal(json.stderr, '');
    const o = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(o), ['profile', 'sessionsCleared', 'hint']);
    assert.equal(o.sessionsCleared, 0);
    assert.match(String(o.hint), new RegExp(`^No profile "${name}" .* Did you mean "${near}"\\?`));
  }
  const idle = await runCli(['clear', 'idle'], { env });
  ok(idle, 'clear idle');
  assert.equal(idle.stderr, 'Cleared 0 cached sessions involving "idle".\n', 'a real profile with nothing cached: no hint');
  const fastIdle = await runCli(['clear', 'idle'], { env, cli: fast });
  ok(fastIdle, 'a profile the config plainly has stays on the fast path');
  assert.equal(fastIdle.stderr, idle.stderr);
  assert.deepEqual(JSON.parse((await runCli(['--json', 'clear', 'idle'], { env })).stdout), { profile: 'idle', sessionsCleared: 0 });
}

/**
 * The checks both worlds share: `fast` (the bundles without main.mjs) and
 * the full CLI, made to take the normal path by a global option in front
 * (`normal`), print and run the same.
 */
function sharedChecks(get: () => { env: Record<string, string>; fast: string; normal: string[] }): void {
  it('prints every export format byte for byte as the normal path does, with and without --region', async () => {
    const { env, fast, normal } = get();
    for (const format of EXPORT_FORMATS)
      for (const extra of [[], ['--region', 'eu-west-2']]) {
        const args = ['export', 't', '--format', format, ...extra];
        const hot = await runCli(args, { env, cli: fast });
        ok(hot, `fast ${args.join(' ')}`);
        assert.equal(hot.stderr, '');
        const full = await runCli([...normal, ...args], { env });
        ok(full, `normal ${args.join(' ')}`);
        assert.equal(hot.stdout, full.stdout, args.join(' '));
      }
    // The other spellings and the default format.
    const env0 = await runCli([...normal, 'export', 't'], { env });
    assert.equal((await runCli(['export', 't'], { env, cli: fast })).stdout, env0.stdout);
    assert.match(env0.stdout, /^AWS_ACCESS_KEY_ID=ASIA/);
    const json = await runCli([...normal, 'export', 't', '-f', 'json', '-r', 'eu-west-2'], { env });
    assert.equal((await runCli(['export', 't', '--format=json', '--region=eu-west-2'], { env, cli: fast })).stdout, json.stdout);
    assert.equal((JSON.parse(json.stdout) as { Region: string }).Region, 'eu-west-2');
  });

  it('gives an exec child the environment the normal path gives it', async () => {
    const { env, fast, normal } = get();
    const user = { ...env, AWS_PROFILE: 'stale', AWS_ACCESS_KEY_ID: 'AKIASTALE', SOMETHING: 'kept' };
    for (const extra of [[], ['-r', 'eu-west-2']]) {
      const hot = await runCli(['exec', 't', ...extra, '--', ...PRINT_ENV], { env: user, cli: fast });
      ok(hot, 'fast exec');
      const full = await runCli([...normal, 'exec', 't', ...extra, '--', ...PRINT_ENV], { env: user });
      ok(full, 'normal exec');
      const child = JSON.parse(hot.stdout) as Record<string, string>;
      assert.deepEqual(child, JSON.parse(full.stdout));
      assert.equal(child.ROLEHOP_PROFILE, 't');
      assert.equal(child.SOMETHING, 'kept');
      assert.equal(child.AWS_PROFILE, undefined);
      assert.match(child.AWS_ACCESS_KEY_ID!, /^ASIA/);
      assert.equal(child.ROLEHOP_FILE_PASSPHRASE, undefined, 'rolehop secrets stay with rolehop');
      if (extra.length) assert.equal(child.AWS_REGION, 'eu-west-2');
    }
  });

  it('passes on the exit code, death by signal, stdin and a failed spawn as the normal path does', async () => {
    const { env, fast, normal } = get();
    for (const [args, code] of [
      [['sh', '-c', 'exit 7'], 7],
      [['sh', '-c', 'kill -TERM $$'], 143],
      [['/nonexistent/command'], undefined],
    ] as const) {
      const hot = await runCli(['exec', 't', '--', ...args], { env, cli: fast });
      const full = await runCli([...normal, 'exec', 't', '--', ...args], { env });
      assert.equal(hot.code, full.code, args.join(' '));
      assert.equal(hot.stderr, full.stderr, args.join(' '));
      if (code !== undefined) assert.equal(hot.code, code);
      else assert.match(hot.stderr, /Could not run "\/nonexistent\/command": command not found/);
    }
    const echo = await runCli(['exec', 't', '--', 'cat'], { env, cli: fast, input: 'through stdin\n' });
    ok(echo, 'cat');
    assert.equal(echo.stdout, 'through stdin\n');
    // No command: the user's shell, as on the normal path.
    const shell = await runCli(['exec', 't'], { env: { ...env, SHELL: '/bin/sh' }, cli: fast, input: 'echo "in $ROLEHOP_PROFILE"\n' });
    ok(shell, 'shell');
    assert.equal(shell.stdout, 'in t\n');
  });

  it('forwards a signal to the child and exits as the child does', async () => {
    const { env, fast } = get();
    const script = 'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.05; done';
    const r = await runCli(['exec', 't', '--', 'sh', '-c', script], {
      env,
      cli: fast,
      onStdout: (chunk, child) => {
        if (chunk.includes('ready')) child.kill('SIGTERM');
      },
    });
    assert.equal(r.code, 42, r.stderr);
    assert.match(r.stdout, /got-term/);
  });

  it('prints the sign-in link of login --stdout as the normal path does, and its errors too', async () => {
    const { env, fast, normal } = get();
    const fed = await startFederationStandIn('TOKEN-fast-path');
    try {
      const fedEnv = { ...env, ROLEHOP_FEDERATION_ENDPOINT: fed.url };
      for (const extra of [[], ['-r', 'eu-west-2'], ['--region=ap-south-1']]) {
        const args = ['login', 't', '--stdout', ...extra];
        const hot = await runCli(args, { env: fedEnv, cli: fast });
        ok(hot, `fast ${args.join(' ')}`);
        assert.equal(hot.stderr, '');
        const full = await runCli([...normal, ...args], { env: fedEnv });
        ok(full, `normal ${args.join(' ')}`);
        assert.equal(hot.stdout, full.stdout, args.join(' '));
        assert.match(hot.stdout, /^http:\/\/127\.0\.0\.1:\d+\/federation\?Action=login&Issuer=rolehop&Destination=.*&SigninToken=TOKEN-fast-path\n$/);
      }
      assert.deepEqual(
        fed.seen.map((s) => s.problems),
        fed.seen.map(() => []),
      );
      // The endpoint unreachable: the same error, said the same way.
      const down = { ...env, ROLEHOP_FEDERATION_ENDPOINT: 'http://127.0.0.1:9/federation' };
      const hot = await runCli(['login', 't', '--stdout'], { env: down, cli: fast });
      const full = await runCli([...normal, 'login', 't', '--stdout'], { env: down });
      assert.notEqual(hot.code, 0);
      assert.equal(hot.code, full.code);
      assert.equal(hot.stderr, full.stderr);
      assert.equal(hot.stdout, '');
      // An IAM-user profile needs its stored key and STS: the normal path's.
      const user = await runCli(['login', 'alice', '--stdout'], { env: fedEnv, cli: fast });
      assert.notEqual(user.code, 0);
      assert.match(user.stderr, /main\.mjs/);
    } finally {
      await fed.stop();
    }
  });

  it('prints list as the normal path does, and leaves it what only it would say', async () => {
    const { env, fast, normal } = get();
    for (const args of [['list'], ['ls']]) {
      const hot = await runCli(args, { env, cli: fast });
      ok(hot, `fast ${args.join(' ')}`);
      assert.equal(hot.stderr, '');
      const full = await runCli([...normal, ...args], { env });
      ok(full, `normal ${args.join(' ')}`);
      assert.equal(hot.stdout, full.stdout);
      assert.match(hot.stdout, /^Profiles\n┌/);
    }
    // An unknown backend is the normal path's usage error.
    const bogus = await runCli(['list'], { env: { ...env, ROLEHOP_BACKEND: 'bogus' }, cli: fast });
    assert.notEqual(bogus.code, 0);
    assert.match(bogus.stderr, /main\.mjs/);
  });

  it('leaves a nested exec, and anything the fast path does not know, to the normal path', async () => {
    const { env, fast } = get();
    for (const [args, extraEnv] of [
      [['exec', 't', '--', 'true'], { ROLEHOP_PROFILE: 'outer' }],
      [['exec', 't', '--server', '--', 'true'], {}],
      [['export', 't', '--duration', '900'], {}],
      [['export', 't', '--format', 'yaml'], {}],
    ] as const) {
      const r = await runCli([...args], { env: { ...env, ...extraEnv }, cli: fast });
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, /main\.mjs/, args.join(' '));
    }
    const nested = await runCli(['exec', 't', '--', 'true'], { env: { ...env, ROLEHOP_PROFILE: 'outer' } });
    assert.match(nested.stderr, /Already inside a rolehop environment for profile "outer"/);
  });
}

describe('fast paths on an agent hit (file backend)', () => {
  let world: World;
  let fast: string;
  before(async () => {
    world = await startWorld({ targets: 1 });
    const [target] = world.accounts as [string];
    world.box.writeConfig(
      `[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n\n[profile t]\nrole_arn = arn:aws:iam::${target}:role/OrganizationAccountAccessRole\nsource_profile = alice\n${IDLE}`,
    );
    await world.storeKey();
    ok(await runCli(['agent', 'start'], { env: world.env }), 'agent start');
    ok(await runCli(['--mfa-token', '123456', 'export', 't'], { env: world.env }), 'fill the cache');
    fast = fastOnly(join(world.box.home, 'fast-only'), ['cli.cjs', 'hot-login.cjs', 'hot-list.cjs']);
  });
  after(async () => {
    if (world) await runCli(['agent', 'stop'], { env: world.env });
    await world?.stop();
  });

  sharedChecks(() => ({ env: world.env, fast, normal: ['--backend', 'file'] }));

  it('list, clear and login skip the parser but print as with it', async () => {
    const direct = await runCli(['list'], { env: world.env });
    ok(direct, 'list');
    assert.equal(direct.stdout, (await runCli(['--backend', 'file', 'list'], { env: world.env })).stdout);
    assert.match(direct.stdout, /^Profiles\n/);
    const noAgent = { ...world.env, ROLEHOP_NO_AGENT: '1' };
    const clear = await runCli(['clear', 'idle'], { env: noAgent });
    ok(clear, 'clear without the agent');
    assert.equal(clear.stderr, 'Cleared 0 cached sessions involving "idle".\n');
    const typo = await runCli(['clear', 'tt'], { env: noAgent });
    ok(typo, 'a typo, without the agent');
    assert.equal(typo.stderr, typoHint('tt', world.box.home, 't'));
    const bad = await runCli(['login', 'nobody', '--stdout'], { env: world.env });
    const badFull = await runCli(['--backend', 'file', 'login', 'nobody', '--stdout'], { env: world.env });
    assert.equal(bad.code, badFull.code);
    assert.equal(bad.stderr, badFull.stderr);
    assert.notEqual(bad.code, 0);
  });

  it('without the agent, a file-backend home takes the normal path', async () => {
    const r = await runCli(['export', 't', '-f', 'json'], { env: { ...world.env, ROLEHOP_NO_AGENT: '1' }, cli: fast });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /main\.mjs/);
    ok(await runCli(['exec', 't', '--', 'true'], { env: { ...world.env, ROLEHOP_NO_AGENT: '1' } }), 'the normal path serves it');
  });

  it('clear is done by the agent without main.mjs, and said as the normal path says it', async () => {
    await clearNothingChecks(world.env, fast, ['--backend', 'file'], world.box.home);
    // The last test here: t's sessions go on the fast path, then the rest, and the next export asks for MFA again.
    const one = await runCli(['clear', 't'], { env: world.env, cli: fast });
    ok(one, 'fast clear t');
    assert.match(one.stderr, /^Cleared [1-9]\d* cached sessions? involving "t"\.\n$/);
    const all = await runCli(['clear'], { env: world.env, cli: fast });
    ok(all, 'fast clear all');
    assert.match(all.stderr, /^Cleared [1-9]\d* cached sessions?\.\n$/);
    const list = await runCli(['--json', 'list'], { env: world.env });
    assert.deepEqual((JSON.parse(list.stdout) as { sessions: unknown[] }).sessions, []);
  });
});

describe('fast paths on a keychain hit', { skip: hasSessionBus() ? false : 'no D-Bus session bus' }, () => {
  let world: World;
  let fast: string;
  let env: Record<string, string>;
  before(async () => {
    world = await startWorld({ targets: 1, env: { ROLEHOP_BACKEND: 'keychain', ROLEHOP_FILE_PASSPHRASE: undefined }, envOptions: { dbus: true } });
    env = world.env;
    const [target] = world.accounts as [string];
    world.box.writeConfig(
      `[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n\n[profile t]\nrole_arn = arn:aws:iam::${target}:role/OrganizationAccountAccessRole\nsource_profile = alice\n${IDLE}`,
    );
    await world.storeKey();
    ok(await runCli(['--mfa-token', '123456', 'export', 't'], { env }), 'fill the cache');
    fast = fastOnly(join(world.box.home, 'fast-only'), ['cli.cjs', 'hot-keychain.cjs', 'hot-login.cjs', 'hot-list.cjs']);
  });
  after(async () => {
    if (env) await runCli(['remove', 'alice'], { env });
    await world?.stop();
  });

  sharedChecks(() => ({ env, fast, normal: ['--backend', 'keychain'] }));

  it('a miss (another home) is handed to the normal path', async () => {
    const other = { ...env, ROLEHOP_HOME: join(world.box.home, 'another-home') };
    for (const args of [
      ['export', 't', '-f', 'env'],
      ['exec', 't', '--', 'true'],
      ['login', 't', '--stdout'],
    ]) {
      const r = await runCli(args, { env: other, cli: fast });
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, /main\.mjs/);
    }
    // A first explicit choice of backend is the normal path's to remember.
    const r = await runCli(['clear'], { env: other, cli: fast });
    assert.notEqual(r.code, 0, 'clear in a home with no backend yet');
    assert.match(r.stderr, /main\.mjs/);
  });

  it('hands over the copies it could not delete: the normal path counts the sessions cleared before it', async () => {
    const main = join(dirname(CLI_PATH), 'main.mjs');
    const r = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(main)}).then((m) => m.runDirect('clear', ['nobody'], { alreadyCleared: 2 }))`], {
      env,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'Cleared 2 cached sessions involving "nobody".\n');
  });

  it('clear is done without main.mjs or the binding, and said as the normal path says it', async () => {
    await clearNothingChecks(env, fast, ['--backend', 'keychain'], world.box.home);
    // The last tests here: t's session and its copy go (the hot path has nothing left to serve), alice's stays.
    const one = await runCli(['clear', 't'], { env, cli: fast });
    ok(one, 'fast clear t');
    assert.equal(one.stderr, 'Cleared 1 cached session involving "t".\n');
    const miss = await runCli(['export', 't', '--format', 'credential-process'], { env, cli: fast });
    assert.notEqual(miss.code, 0, 'a copy outlived clear');
    assert.match(miss.stderr, /main\.mjs/);
    const all = await runCli(['clear'], { env, cli: fast });
    ok(all, 'fast clear all');
    assert.equal(all.stderr, 'Cleared 1 cached session.\n');
    const list = await runCli(['--json', 'list'], { env });
    assert.deepEqual((JSON.parse(list.stdout) as { sessions: unknown[] }).sessions, []);
  });
});

describe('list in a home not made yet', () => {
  it('prints the empty lists, each with what fills it, and writes nothing, not even a code cache', async () => {
    const box = await makeSandbox();
    try {
      const home = join(box.home, 'not-yet');
      const r = await runCli(['list'], { env: box.env({ ROLEHOP_HOME: home }) });
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^Profiles\n {2}\(none: add a key with `rolehop add PROFILE`, role profiles with `rolehop config generate`\)\n\nStored keys\n {2}\(none: add one with `rolehop add PROFILE`\)\n/,
      );
      assert.equal(existsSync(home), false);
    } finally {
      await box.cleanup();
    }
  });
});
