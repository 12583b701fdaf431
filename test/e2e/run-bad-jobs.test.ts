// `rolehop run --job` through the built CLI with a job that misbehaves in one
// account: the bad target fails with its own ERR_ code, the others finish,
// the run exits 10 without a stack trace, and `--resume` runs the bad one again.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, REPO_ROOT } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 3;
const JOB = join(REPO_ROOT, 'test', 'engine', 'fixtures', 'misbehave.mjs');

interface Line {
  account: string;
  region: string;
  ok: boolean;
  value: unknown;
  error: { code: string; message: string } | null;
}

describe('rolehop run with a misbehaving --job target', () => {
  let world: World;
  let accounts: string[];

  before(async () => {
    world = await startWorld({ targets: N, env: { AWS_PROFILE: 'alice' } });
    accounts = world.accounts;
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
  });
  after(async () => world?.stop());

  const run = async (how: string, extra: string[] = []) => {
    const r = await runCli(['--mfa-token', '123456', '--json', 'run', '--accounts', accounts.join(','), '--job', JOB, ...extra], {
      env: { ...world.env, ROLEHOP_TEST_MISBEHAVE: how, ROLEHOP_TEST_BAD_ACCOUNT: accounts[1]! },
      timeoutMs: 120_000,
    });
    const lines = r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
    return { ...r, lines };
  };

  for (const [how, code] of [
    ['bigint', 'ERR_JOB_RESULT'],
    ['cycle', 'ERR_JOB_RESULT'],
    ['exit0', 'ERR_JOB_EXIT'],
    ['exit-caught', 'ERR_JOB_EXIT'],
    ['exit-later', 'ERR_JOB_EXIT'],
    ['stray-rejection', 'ERR_JOB_CRASH'],
    ['throw-in-timer', 'ERR_JOB_CRASH'],
  ] as const) {
    it(`${how}: that target fails with ${code}, the others finish, exit 10, --resume runs it again`, async () => {
      const journal = join(world.box.home, `${how}.journal`);
      const r = await run(how, ['--resume', journal]);
      assert.equal(r.code, 10, r.stderr);
      assert.equal(r.lines.length, N, r.stdout);
      for (const l of r.lines) {
        if (l.account === accounts[1]) {
          assert.equal(l.ok, false);
          assert.equal(l.error?.code, code, JSON.stringify(l.error));
        } else assert.deepEqual(l.value, { account: l.account, region: 'us-east-1' });
      }
      assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
      assert.doesNotMatch(r.stderr, /report .* as a bug/);
      assert.match(r.stderr, new RegExp(code));
      const again = await run(how, ['--resume', journal]);
      assert.equal(again.code, 10, again.stderr);
      assert.deepEqual(
        again.lines.map((l) => l.account),
        [accounts[1]],
        'only the failed target runs again',
      );
    });
  }

  it('an error no target raised is a warning and exit 10, though every target succeeded', async () => {
    const r = await run('outside-any-target');
    assert.equal(r.code, 10, r.stderr);
    assert.equal(r.lines.length, N);
    assert.ok(r.lines.every((l) => l.ok));
    assert.match(r.stderr, /warning: an error escaped outside any target \(ERR_JOB_CRASH\): thrown by the module itself/);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  });

  it('values JSON can hold only lossily are converted as JSON.stringify does, not failed', async () => {
    const r = await run('lossy');
    assert.equal(r.code, 0, r.stderr);
    const bad = r.lines.find((l) => l.account === accounts[1])!;
    assert.deepEqual(bad.value, { list: [null, 1], when: '1970-01-01T00:00:00.000Z' });
  });
});
