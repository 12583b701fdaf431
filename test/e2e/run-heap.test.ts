// The fan-out commands' young-generation cap (src/cli/fan-out-heap.ts), seen
// from the jobs `run` starts: their parent is rolehop itself (same pid after
// process.execve), and /proc shows what Node it runs as.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../helpers/sandbox.js';
import { runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { SEMI_SPACE_FLAG } from '../../src/cli/fan-out-heap.js';

// The CLI runs on this test's Node (runCli uses process.execPath).
const canRestart = typeof (process as { execve?: unknown }).execve === 'function';

describe('rolehop run under a capped young generation', { skip: !existsSync('/proc/self/cmdline') && 'needs /proc' }, () => {
  let box: Sandbox;
  let env: Record<string, string>;
  let accountsFile: string;
  let world: World;

  before(async () => {
    world = await startWorld({ targets: 2, env: { AWS_PROFILE: 'alice' } });
    ({ box, env } = world);
    box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    accountsFile = join(box.home, 'accounts.txt');
    writeFileSync(accountsFile, `${world.accounts.join('\n')}\n`);
    await world.storeKey();
  });
  after(async () => world?.stop());

  /** The command line of the rolehop process each job ran under. */
  async function parentCommandLines(extraEnv: Record<string, string> = {}): Promise<string[]> {
    const r = await runCli(
      ['--mfa-token', '123456', '--json', 'run', '--accounts-file', accountsFile, '--', 'sh', '-c', 'tr "\\0" " " < /proc/$PPID/cmdline'],
      { env: { ...env, ...extraEnv }, timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok: boolean; stdout: string });
    assert.equal(lines.length, 2);
    return lines.map((l) => l.stdout);
  }

  it(canRestart ? "restarts itself once with the cap: the jobs' parent runs with it" : 'runs without the cap where Node cannot restart itself', async () => {
    for (const line of await parentCommandLines()) {
      assert.match(line, /cli\.cjs --mfa-token 123456 --json run /);
      assert.equal(line.split(' ').filter((a) => a === SEMI_SPACE_FLAG).length, canRestart ? 1 : 0, line);
    }
  });

  it("leaves a size given in NODE_OPTIONS as the user's choice", async () => {
    for (const line of await parentCommandLines({ NODE_OPTIONS: '--max-semi-space-size=32' })) {
      assert.ok(!line.includes(SEMI_SPACE_FLAG), line);
    }
  });
});
