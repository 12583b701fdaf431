// The agent starting itself on the first unlock of the file vault (as
// gpg-agent does), through the built CLI against moto: later calls are
// answered by it, the passphrase reaches it only through a pipe, and the
// opt-outs, a wrong passphrase and a killed agent behave.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep } from '../../src/async/sleep.js';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const PASSPHRASE = 'test-passphrase'; // what sandbox.env() sets

interface Status {
  running: boolean;
  pid?: number;
  requests?: number;
}

describe('agent autostart (file backend)', () => {
  let world: World;
  /** The sandbox's environment with autostart left at its default (on). */
  let env: Record<string, string>;

  const status = async (): Promise<Status> => {
    const r = await runCli(['--json', 'agent', 'status'], { env });
    return JSON.parse(r.stdout) as Status;
  };
  /** The agent pays the KDF before it answers: poll until it does. */
  const untilRunning = async (): Promise<Status> => {
    for (let i = 0; i < 150; i++) {
      const s = await status();
      if (s.running) return s;
      await sleep(200);
    }
    throw new Error('the agent did not come up within 30 s');
  };
  const exportLine = (extra: Record<string, string> = {}): Promise<CliResult> =>
    runCli(['export', 'alice', '--format', 'credential-process'], { env: { ...env, ...extra } });

  before(async () => {
    world = await startWorld();
    const { ROLEHOP_AGENT_AUTOSTART: _off, ...rest } = world.env;
    env = rest;
    world.box.writeConfig(
      `[profile alice]\nregion = us-east-1\n\n[profile cp]\ncredential_process = "${process.execPath}" "${CLI_PATH}" export alice --format credential-process\nregion = us-east-1\n`,
    );
    await world.storeKey();
  });
  afterEach(async () => {
    await runCli(['agent', 'stop'], { env });
  });
  after(async () => world?.stop());

  it('the first unlock starts the agent, which answers the next calls; the passphrase is in neither its argv nor its environment', async () => {
    const first = await exportLine();
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /started the agent \(pid \d+\): it keeps the file vault unlocked .* ROLEHOP_AGENT_AUTOSTART=0 turns this off/);
    const s = await untilRunning();
    const before = s.requests ?? 0;
    // Without the passphrase in its environment, only the agent can answer.
    const { ROLEHOP_FILE_PASSPHRASE: _p, ...noPass } = env;
    const second = await runCli(['export', 'alice', '--format', 'credential-process'], { env: noPass });
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /started the agent/);
    assert.equal((JSON.parse(second.stdout) as { Version: number }).Version, 1);
    assert.ok(((await status()).requests ?? 0) > before, 'the agent served the second call');
    const cmdline = readFileSync(`/proc/${s.pid}/cmdline`, 'utf8');
    const environ = readFileSync(`/proc/${s.pid}/environ`, 'utf8');
    assert.ok(!cmdline.includes(PASSPHRASE) && !environ.includes(PASSPHRASE), 'passphrase not in argv or env');
    assert.deepEqual(world.box.grepSecret(PASSPHRASE), [], 'passphrase in no file');
  });

  it('the AWS CLI running rolehop as credential_process does not wait for the agent it started', async () => {
    const t0 = Date.now();
    const r = spawnSync('aws', ['sts', 'get-caller-identity', '--profile', 'cp'], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    // (botocore keeps the process's stderr to itself.) The agent lives on (idle timeout 1 h); the AWS CLI returned as soon as rolehop printed.
    assert.ok(Date.now() - t0 < 60_000);
    assert.equal((await untilRunning()).running, true);
  });

  it('twenty commands unlocking at once start one agent', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => exportLine()));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const started = results.filter((r) => /started the agent/.test(r.stderr)).length;
    assert.equal(started, 1, 'one starter among 20');
    await untilRunning();
  });

  for (const [name, extra] of [
    ['ROLEHOP_AGENT_AUTOSTART=0', { ROLEHOP_AGENT_AUTOSTART: '0' }],
    ['ROLEHOP_AGENT_AUTOSTART=off', { ROLEHOP_AGENT_AUTOSTART: 'off' }],
    ['ROLEHOP_NO_AGENT=1', { ROLEHOP_NO_AGENT: '1' }],
  ] as const) {
    it(`${name} starts no agent`, async () => {
      const r = await exportLine(extra);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /started the agent/);
      await sleep(1500);
      assert.equal((await status()).running, false);
    });
  }

  it('a wrong passphrase starts no agent', async () => {
    const r = await exportLine({ ROLEHOP_FILE_PASSPHRASE: 'wrong' });
    assert.equal(r.code, 4, r.stderr);
    assert.doesNotMatch(r.stderr, /started the agent/);
    await sleep(1500);
    assert.equal((await status()).running, false);
  });

  it('a killed agent costs nothing: the next call works and starts a new one', async () => {
    assert.equal((await exportLine()).code, 0);
    const s = await untilRunning();
    process.kill(s.pid!, 'SIGKILL');
    const r = await exportLine();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /started the agent/);
    assert.notEqual((await untilRunning()).pid, s.pid);
  });
});
