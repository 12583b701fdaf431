// Shell completion as a user meets it: `rolehop completion SHELL` loaded by
// an interactive bash and zsh on a pseudo-terminal, TAB pressed on partial
// words, and the screen read; fish through its own `complete -C`. Also the
// hidden `__complete` the scripts call, which must stay silent whatever goes
// wrong, and the man page the build writes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasPythonPty } from '../helpers/pty.js';
import { ensureBuilt, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { completeInShell, type InteractiveShell } from '../helpers/shell-pty.js';

const CONFIG = [
  '[profile prod-admin]',
  'region = eu-west-1',
  '[profile prod-readonly]',
  '[profile dev-sandbox]',
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  'sso_region = eu-west-1',
  '',
].join('\n');

const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

describe('rolehop completion', () => {
  let box: Sandbox;
  before(async () => {
    await ensureBuilt();
    box = await makeSandbox();
    box.writeConfig(CONFIG);
  });
  after(async () => box?.cleanup());

  it('prints a script for each shell that the shell parses; another shell is a usage error', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runCli(['completion', shell], { env: box.env() });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /rolehop __complete/);
      assert.match(r.stdout, /\brh\b/, 'the rh function is completed by default');
      if (!has(shell)) continue;
      const file = join(box.home, `completion.${shell}`);
      writeFileSync(file, r.stdout);
      const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      assert.equal(check.status, 0, `${shell} -n: ${check.stderr}`);
    }
    const bad = await runCli(['completion', 'tcsh'], { env: box.env() });
    assert.equal(bad.code, 2);
    const name = await runCli(['completion', 'bash', '--rh-name', 'a b'], { env: box.env() });
    assert.equal(name.code, 2);
    assert.match(name.stderr, /cannot name a shell function/);
  });

  it('__complete prints candidates, and on any failure nothing: exit 0, no stderr, no store touched', async () => {
    const ok = await runCli(['__complete', '--', 'exec', 'prod'], { env: box.env() });
    assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, 'prod-admin\nprod-readonly\n', '']);
    const sessions = await runCli(['__complete', '--', 'run', '--sso-session', ''], { env: box.env() });
    assert.equal(sessions.stdout, 'corp\n');

    const broken = join(box.home, 'broken-config');
    writeFileSync(broken, '[profile ok\nnot = ini = at all\n\xff\n');
    for (const env of [
      box.env({ AWS_CONFIG_FILE: broken }),
      box.env({ AWS_CONFIG_FILE: box.home }),
      // A file vault with no passphrase to open it: completion must not ask for one.
      box.env({ ROLEHOP_FILE_PASSPHRASE: undefined }),
    ]) {
      const r = await runCli(['__complete', '--', 'exec', ''], { env });
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
    }
    for (const args of [['--bash-line'], ['--bogus', '--', 'exec'], ['--help'], ['--bash-cur']]) {
      const r = await runCli(['__complete', ...args], { env: box.env() });
      assert.deepEqual([r.code, r.stderr], [0, ''], `__complete ${args.join(' ')}`);
    }
    assert.ok(!existsSync(box.rolehopHome), 'nothing was written to ROLEHOP_HOME');
  });

  const shells: InteractiveShell[] = ['bash', 'zsh'];
  for (const shell of shells) {
    describe(
      `in ${shell} on a terminal`,
      { skip: !hasPythonPty ? 'python3 with the pty module is not installed' : !has(shell) ? `${shell} is not installed` : false },
      () => {
        const complete = (typed: string, waitFor: string, extraRc?: string) =>
          completeInShell(shell, typed, { dir: mkdtempSync(join(box.home, `${shell}-`)), env: box.env(), waitFor, ...(extraRc ? { extraRc } : {}) });

        it('a partial profile name offers the profiles that match, and only those', async () => {
          const r = await complete('rolehop exec pro\t', 'prod-readonly');
          assert.equal(r.line, 'rolehop exec prod-');
          assert.match(r.text, /prod-admin\s+prod-readonly/);
          assert.doesNotMatch(r.text, /dev-sandbox/);
        });

        it('a unique profile, command name and flag are completed in the line', async () => {
          assert.equal((await complete('rolehop login prod-a\t', 'admin')).line, 'rolehop login prod-admin');
          assert.equal((await complete('rolehop rot\t', 'rotate')).line, 'rolehop rotate');
          assert.equal((await complete('rolehop run --sso-se\t', 'session')).line, 'rolehop run --sso-session');
          assert.equal((await complete('rolehop run --sso-session c\t', 'corp')).line, 'rolehop run --sso-session corp');
          // After `=`, which bash splits words at.
          assert.equal((await complete('rolehop run --sso-session=\t', 'corp')).line, 'rolehop run --sso-session=corp');
          assert.equal((await complete('rolehop export --format=credential-p\t', 'process')).line, 'rolehop export --format=credential-process');
        });

        it('--regions completes the region after the last comma', async () => {
          assert.equal((await complete('rolehop run --regions us-east-1,eu-nor\t', 'north-1')).line, 'rolehop run --regions us-east-1,eu-north-1');
          const r = await complete('rolehop run --regions us-east-1,eu-west-\t', 'eu-west-3');
          assert.match(r.text, /us-east-1,eu-west-1\s+us-east-1,eu-west-2\s+us-east-1,eu-west-3/);
        });

        it("completes the profile of shell-init's rh function, and of one renamed with --rh-name", async () => {
          const rh = await complete('rh dev\t', 'sandbox', 'rh() { :; }');
          assert.equal(rh.line, 'rh dev-sandbox');
          const load = shell === 'bash' ? 'eval "$(rolehop completion bash --rh-name assume)"' : 'source <(rolehop completion zsh --rh-name assume)';
          const renamed = await complete('assume prod-r\t', 'readonly', `assume() { :; }\n${load}`);
          assert.equal(renamed.line, 'assume prod-readonly');
        });
      },
    );
  }

  it('in fish: complete -C offers the matching profiles', { skip: has('fish') ? false : 'fish is not installed' }, async () => {
    const script = join(box.home, 'rolehop.fish');
    writeFileSync(script, (await runCli(['completion', 'fish'], { env: box.env() })).stdout);
    const bin = join(box.home, 'fish-bin');
    spawnSync('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'rolehop'), `#!/bin/sh\nexec '${process.execPath}' '${join(REPO_ROOT, 'dist', 'cli.cjs')}' "$@"\n`, { mode: 0o755 });
    const env = { ...box.env(), PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, XDG_CONFIG_HOME: join(box.home, '.config') };
    const run = (line: string) => spawnSync('fish', ['--no-config', '-c', `source ${script}; complete -C '${line}'`], { env, encoding: 'utf8' });
    const profiles = run('rolehop exec pro');
    assert.equal(profiles.status, 0, profiles.stderr);
    assert.deepEqual(profiles.stdout.trim().split('\n'), ['prod-admin', 'prod-readonly']);
    assert.deepEqual(run('rolehop run --regions us-east-1,eu-nor').stdout.trim().split('\n'), ['us-east-1,eu-north-1']);
    assert.deepEqual(run('rh dev').stdout.trim().split('\n'), ['dev-sandbox']);
  });
});

describe('the man page', () => {
  before(ensureBuilt);

  it('is built into dist/, installed through package.json "man" and published', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { man: string[] };
    assert.deepEqual(pkg.man, ['./dist/rolehop.1']);
    const page = readFileSync(join(REPO_ROOT, 'dist', 'rolehop.1'), 'utf8');
    assert.match(page, /^\.TH ROLEHOP 1 /);
    assert.match(page, /^\.SS "rolehop completion \[options\] <shell>"$/m);
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    assert.ok(files.includes('dist/rolehop.1'), 'dist/rolehop.1 is in the package');
  });

  it('renders with man, without warnings', { skip: has('man') ? false : 'man is not installed' }, () => {
    const r = spawnSync('man', ['--warnings', '-l', join(REPO_ROOT, 'dist', 'rolehop.1')], {
      encoding: 'utf8',
      env: { ...process.env, MANPAGER: 'cat', MANWIDTH: '100' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /EXIT STATUS/);
    assert.match(r.stdout, /rolehop exec \[options\] \[profile\] \[command\.\.\.\]/);
  });
});
