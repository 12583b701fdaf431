// `rolehop roles` through the built CLI, as a user runs it: init writes a
// bundle, plan shows creates and exits 11, apply changes and proves the
// roles, plan then exits 0; a bad bundle fails with its line and exit 3
// before any AWS call; a stale saved plan is refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { hasPythonPty, runInPty } from '../helpers/pty.js';
import { renderScreen } from '../helpers/screen.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 4;

describe('rolehop roles end to end', { timeout: 300_000 }, () => {
  let proxy: CountingProxy;
  let box: Sandbox;
  let env: Record<string, string>;
  let accounts: string[];
  let world: World;
  let file: string;
  const cli = (args: string[], opts: { input?: string } = {}) => runCli(['--mfa-token', '123456', ...args], { env, timeoutMs: 120_000, ...opts });

  before(async () => {
    world = await startWorld({ proxy: true, targets: N, moto: { env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } }, env: { AWS_PROFILE: 'alice' } });
    ({ proxy, accounts, box, env } = world);
    box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
    file = join(box.home, 'rolehop-roles.yaml');
  });
  after(async () => world?.stop());

  it('init writes the three-tier bundle for the profile’s account and will not overwrite it', async () => {
    const r = await cli(['roles', 'init', file]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /identityAccount: "123456789012"/);
    for (const tier of ['RolehopAdministrator', 'RolehopOperator', 'RolehopSpectator']) assert.match(text, new RegExp(`name: ${tier}`));
    const again = await cli(['roles', 'init', file]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists; not overwritten[\s\S]*--force/);
  });

  it('plan lists the creates and exits 11; apply creates and proves them; plan again exits 0', async () => {
    const sel = ['--accounts', accounts.join(',')];
    const plan = await cli(['--json', 'roles', 'plan', file, ...sel, '--out', join(box.home, 'plan.json')]);
    assert.equal(plan.code, 11, plan.stderr);
    const lines = plan.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { account: string; kind?: string; role: string; action: string; changes: unknown[] });
    const roles = lines.filter((l) => !l.kind);
    assert.equal(roles.length, N * 3);
    assert.ok(lines.every((l) => l.action === 'create' && Array.isArray(l.changes)));
    // The identity account's side: one assume policy per role, the MFA guard, one group per tier.
    const identity = lines.filter((l) => l.kind).map((l) => `${l.account} ${l.kind} ${l.role}`);
    assert.deepEqual(identity.sort(), [
      '123456789012 group RolehopAdministrators',
      '123456789012 group RolehopOperators',
      '123456789012 group RolehopSpectators',
      '123456789012 policy rolehop-assume-RolehopAdministrator',
      '123456789012 policy rolehop-assume-RolehopOperator',
      '123456789012 policy rolehop-assume-RolehopSpectator',
      '123456789012 policy rolehop-standard-require-mfa',
    ]);
    assert.match(plan.stderr, /Plan: 19 to create, 0 to update, 0 unchanged, in 5 accounts/);

    const noYes = await cli(['roles', 'apply', file, ...sel]);
    assert.equal(noYes.code, 2, 'without a terminal apply needs --yes');
    assert.match(noYes.stderr, /needs --yes/);

    proxy.reset();
    const apply = await cli(['roles', 'apply', file, ...sel, '--plan', join(box.home, 'plan.json'), '--yes']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(apply.stdout, /✓ \d{12}: created RolehopAdministrator, RolehopOperator, RolehopSpectator \(\d+ IAM calls, assumable after/);
    assert.match(
      apply.stdout,
      /✓ 123456789012 identity account: created policies rolehop-assume-RolehopAdministrator, .* and groups RolehopAdministrators, RolehopOperators, RolehopSpectators \(\d+ IAM calls\)/,
    );
    assert.match(apply.stderr, /Applied: 5 changed, 0 failed/);
    assert.ok(proxy.count('GetSessionToken') <= 1, 'one MFA session for plan, apply and the proofs');

    const after = await cli(['roles', 'plan', file, ...sel]);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, '', 'nothing to show when nothing differs');
    assert.match(after.stderr, /0 to create, 0 to update, 19 unchanged/);

    const stale = await cli(['roles', 'apply', file, ...sel, '--plan', join(box.home, 'plan.json'), '--yes']);
    assert.equal(stale.code, 3, stale.stderr);
    assert.match(stale.stderr, /ERR_PLAN_STALE|changed since/);
  });

  it('config generate writes one profile per account and role, and exec reaches each account through it', async () => {
    const sel = ['--accounts', accounts.join(',')];
    const show = await cli(['config', 'generate', file, ...sel, '--template', '{account}-{role}']);
    assert.equal(show.code, 0, show.stderr);
    assert.equal((show.stdout.match(/^\[profile /gm) ?? []).length, N * 3);
    const written = await cli(['config', 'generate', file, ...sel, '--template', '{account}-{role}', '--write']);
    assert.equal(written.code, 0, written.stderr);
    const config = readFileSync(join(box.home, '.aws', 'config'), 'utf8');
    assert.match(config, /^\[profile alice\]/m, "the user's own section is kept");
    for (const account of accounts) {
      const r = await cli(['exec', `${account}-RolehopSpectator`, '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const who = JSON.parse(r.stdout) as { Account: string; Arn: string };
      assert.equal(who.Account, account);
      assert.match(who.Arn, /assumed-role\/RolehopSpectator\//);
    }
  });

  it(
    'on a terminal: asks for the MFA code once, shows the plan, asks before changing, and every account line stays on screen',
    { skip: hasPythonPty ? false : 'python3 with the pty module is not installed' },
    async () => {
      await cli(['clear']);
      const bundle = join(box.home, 'tty.yaml');
      writeFileSync(bundle, readFileSync(file, 'utf8').replace('name: standard', 'name: tty').replaceAll('Rolehop', 'Tty'));
      const r = await runInPty([process.execPath, CLI_PATH, 'roles', 'apply', bundle, '--accounts', accounts.join(',')], {
        env,
        cols: 120,
        rows: 60,
        answers: [
          ['MFA code', '123456\r'],
          ['? [y/N]', 'y\r'],
        ],
      });
      const screen = renderScreen(r.transcript, 120);
      const text = screen.join('\n');
      assert.equal(r.code, 0, text);
      assert.equal(screen.filter((l) => l.includes('MFA code for')).length, 1, text);
      assert.match(text, /Apply 19 changes in 5 accounts\? \[y\/N\]/);
      for (const account of accounts)
        assert.ok(
          screen.some((l) => l.startsWith(`✓ ${account}: created TtyAdministrator, TtyOperator, TtySpectator`)),
          `${account}:\n${text}`,
        );
      assert.match(text, /Applied: 5 changed, 0 failed/);
    },
  );

  it('a reader that goes away (| head -1) ends the plan quietly with 141, saving nothing', async () => {
    let closed = false;
    const out = join(box.home, 'partial.json');
    const r = await runCli(['--mfa-token', '123456', '--json', 'roles', 'plan', file, '--accounts', accounts.join(','), '--concurrency', '1', '--out', out], {
      env,
      timeoutMs: 120_000,
      onStdout: (_chunk, child) => {
        if (closed) return;
        closed = true;
        child.stdout.destroy();
      },
    });
    assert.equal(r.code, 141, r.stderr);
    assert.match(r.stderr, /stdout was closed: \d+ of 5 accounts planned/);
    assert.doesNotMatch(r.stderr, /EPIPE|Plan:|\n\s+at /);
    assert.ok(!existsSync(out), 'an incomplete plan is not saved');
  });

  it('a broken bundle fails with its file, line and key, exit 3, before any AWS call', async () => {
    const cases: [string, RegExp][] = [
      ['version: 1\nroles:\n  - name: A\n    trust: [unclosed\n', /bad\.yaml:\d+/],
      ['version: 1\nidentityAccount: "111111111111"\nroles:\n  - name: A\n    maxSesionDuration: 3600\n', /bad\.yaml:5: .*maxSesionDuration/],
      [
        'version: 1\nidentityAccount: "111111111111"\nroles:\n  - name: A\n    inlinePolicies:\n      p:\n        Statement:\n          - Action: "s3:*"\n            Resource: "*"\n',
        /bad\.yaml:8: .*Effect/,
      ],
      [
        'version: 1\nidentityAccount: "111111111111"\nroles:\n  - name: Admin\n  - name: admin\n',
        /bad\.yaml:5: roles\[1\]\.name: role admin clashes with Admin/,
      ],
    ];
    const bad = join(box.home, 'bad.yaml');
    for (const [text, re] of cases) {
      writeFileSync(bad, text);
      proxy.reset();
      const r = await cli(['roles', 'plan', bad, '--accounts', accounts[0]!]);
      assert.equal(r.code, 3, `${text}\n${r.stderr}`);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(proxy.calls.length, 0, 'no AWS call before the bundle is valid');
    }
  });
});
