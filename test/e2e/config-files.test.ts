// AWS_CONFIG_FILE pointing at something that is not a regular file (a FIFO,
// /dev/zero, a directory) or at a huge file: a prompt, clear exit 3 naming
// the file, never a hang or an out-of-memory abort. Normal files still work.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { ensureBuilt, runCli, type CliResult } from '../helpers/run-cli.js';

// Long enough for a loaded 2-core machine, short enough that a CLI blocked on
// a FIFO (or reading /dev/zero until it runs out of memory) fails the test
// instead of stalling the suite.
const PROMPT_MS = 30_000;

function assertRefused(r: CliResult, path: string, what: RegExp) {
  assert.equal(r.timedOut, false, `rolehop did not exit within ${PROMPT_MS} ms: ${r.stderr}`);
  assert.equal(r.code, 3, r.stderr);
  assert.ok(r.stderr.includes(path), `the message names ${path}: ${r.stderr}`);
  assert.match(r.stderr, what);
  assert.match(r.stderr, /hint: .*AWS_CONFIG_FILE/);
  assert.doesNotMatch(r.stderr, /\n\s+at .*\.(m?js|ts):\d+/, 'no stack trace without --debug');
}

describe('config files that are not regular files', () => {
  let box: Sandbox;

  before(async () => {
    await ensureBuilt();
    box = await makeSandbox();
  });
  after(async () => box?.cleanup());

  const list = (configFile: string) => runCli(['list'], { env: box.env({ AWS_CONFIG_FILE: configFile }), timeoutMs: PROMPT_MS });

  it('a FIFO is refused at once, without waiting for a writer', async () => {
    const fifo = join(box.home, 'config.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    assert.equal(made.status, 0, String(made.stderr));
    assertRefused(await list(fifo), fifo, /FIFO/);
  });

  it('/dev/zero is refused instead of read until memory runs out', async () => {
    assertRefused(await list('/dev/zero'), '/dev/zero', /device/);
  });

  it('a directory is refused with a message saying so', async () => {
    const dir = join(box.home, 'config.d');
    mkdirSync(dir);
    assertRefused(await list(dir), dir, /directory/);
  });

  it('a file over the size cap is refused', async () => {
    const big = join(box.home, 'big-config');
    // Valid ini (comments only), so only the size can make it fail.
    writeFileSync(big, `${'# padding padding padding padding padding padding padding\n'.repeat(400_000)}[profile ok]\n`);
    assertRefused(await list(big), big, /larger than/);
  });

  it('a normal config file is unaffected', async () => {
    const file = join(box.home, 'normal-config');
    writeFileSync(file, '[profile ok]\nregion = eu-west-1\n');
    const r = await runCli(['list', '--json'], { env: box.env({ AWS_CONFIG_FILE: file }), timeoutMs: PROMPT_MS });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"ok"/);
  });
});
