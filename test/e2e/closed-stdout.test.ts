// A reader that goes away early (`rolehop … | head -1`): the command ends
// quietly with exit 141 (128 + SIGPIPE), never a stack trace, and `run` stops
// starting targets; `server` keeps serving with its output discarded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { call } from '../servers/http-client.js';

/**
 * Runs the built CLI, reads stdout until `until` matches, then closes the
 * read end, as `| head` does. `whileOpen` runs after the close and before the
 * process is told to stop with SIGTERM (only if `stop`).
 */
async function runClosingEarly(
  args: string[],
  env: Record<string, string>,
  opts: { until: RegExp; whileOpen?: (head: string) => Promise<void>; stop?: boolean },
): Promise<CliResult> {
  let head = '';
  let closed = false;
  let during: Promise<void> = Promise.resolve();
  const r = await runCli(args, {
    env,
    timeoutMs: 90_000,
    onStdout: (chunk, child) => {
      if (closed) return;
      head += chunk;
      if (!opts.until.test(head)) return;
      closed = true;
      child.stdout.destroy();
      during = (async () => {
        await opts.whileOpen?.(head);
        if (opts.stop) child.kill('SIGTERM');
      })();
    },
  });
  await during;
  return r;
}

function assertQuiet(r: CliResult): void {
  assert.doesNotMatch(r.stderr, /EPIPE|\n\s+at .*\.(m?js|ts):\d+/, `no stack trace:\n${r.stderr}`);
}

describe('a closed stdout', () => {
  let world: World;
  let env: Record<string, string>;

  before(async () => {
    world = await startWorld({ env: { AWS_REGION: 'us-east-1' } });
    env = world.env;
    const many = Array.from({ length: 3000 }, (_, i) => `[profile p${i}]\nrole_arn = arn:aws:iam::111111111111:role/R${i}\nsource_profile = alice\n`);
    world.box.writeConfig(['[profile alice]', 'region = us-east-1', ...many].join('\n'));
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('list --json | head -1 ends quietly with 141', async () => {
    const r = await runClosingEarly(['list', '--json'], env, { until: /\n/ });
    assertQuiet(r);
    assert.equal(r.code, 141, r.stderr);
  });

  it('list | head -1 (plain rows) ends quietly with 141 and says nothing', async () => {
    const r = await runClosingEarly(['list'], env, { until: /\n/ });
    assert.equal(r.code, 141, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('server keeps serving after its reader went away, and stops cleanly on SIGTERM', async () => {
    let status = 0;
    const r = await runClosingEarly(['server', 'alice'], env, {
      until: /AWS_CONTAINER_AUTHORIZATION_TOKEN='([^']+)'/,
      stop: true,
      whileOpen: async (head) => {
        const url = /AWS_CONTAINER_CREDENTIALS_FULL_URI='([^']+)'/.exec(head)![1]!;
        const token = /AWS_CONTAINER_AUTHORIZATION_TOKEN='([^']+)'/.exec(head)![1]!;
        status = (await call(url, { headers: { authorization: token } })).status;
      },
    });
    assert.equal(status, 200, r.stderr);
    assertQuiet(r);
    assert.equal(r.code, 0, `exited by itself after SIGTERM, not killed by it: ${r.stderr}`);
  });

  it('run --json | head -1 stops starting targets and ends quietly', async () => {
    const log = join(world.box.home, 'ran.log');
    const ids = Array.from({ length: 40 }, (_, i) => String(100000000000 + i)).join(',');
    const r = await runClosingEarly(
      ['run', '--profile', 'alice', '--accounts', ids, '--concurrency', '2', '--json', '--', 'sh', '-c', `echo {account} >> ${log}; sleep 0.3`],
      env,
      { until: /\n/ },
    );
    assertQuiet(r);
    assert.equal(r.code, 141, r.stderr);
    // One line on what did not run, not a failure list of targets the reader did not want.
    assert.match(r.stderr, /stdout was closed: \d+ finished, \d+ not started/);
    assert.doesNotMatch(r.stderr, /ERR_ABORTED|interrupted/);
    const ran = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0;
    assert.ok(ran < 40, `stopped early (${ran} of 40 ran)`);
  });
});
