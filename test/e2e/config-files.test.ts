// AWS_CONFIG_FILE pointing at something that is not a regular file (a FIFO,
// /dev/zero, a directory) or at a huge file: a prompt, clear exit 3 naming
// the file, never a hang or an out-of-memory abort. Normal files still work.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { CLI_PATH, ensureBuilt, runCli, type CliResult } from '../helpers/run-cli.js';
import { MAX_CONFIG_BYTES } from '../../src/config/load-config.js';

// Long enough for a loaded 2-core machine, short enough that a CLI blocked on
// a FIFO (or reading /dev/zero until it runs out of memory) fails the test
// instead of stalling the suite.
const PROMPT_MS = 30_000;

function assertRefused(r: CliResult, path: string, what: RegExp, opts: { code?: number; hint?: RegExp } = {}) {
  assert.equal(r.timedOut, false, `rolehop did not exit within ${PROMPT_MS} ms: ${r.stderr}`);
  assert.equal(r.code, opts.code ?? 3, r.stderr);
  assert.ok(r.stderr.includes(path), `the message names ${path}: ${r.stderr}`);
  assert.match(r.stderr, what);
  assert.match(r.stderr, opts.hint ?? /hint: .*AWS_CONFIG_FILE/);
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
    const line = '# padding padding padding padding padding padding padding\n';
    writeFileSync(big, `${line.repeat(Math.ceil(MAX_CONFIG_BYTES / line.length))}[profile ok]\n`);
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

describe('other files rolehop is given', () => {
  let box: Sandbox;
  let env: Record<string, string>;
  let fifo: string;

  before(async () => {
    await ensureBuilt();
    box = await makeSandbox();
    // No AWS call is made below: every refusal comes before one.
    env = box.env({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    box.writeConfig('[profile me]\nregion = us-east-1\n');
    const add = await runCli(['add', 'me', '--env'], {
      env: { ...env, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    });
    assert.equal(add.code, 0, add.stderr);
    fifo = join(box.home, 'pipe');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  });
  after(async () => box?.cleanup());

  const run = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: { ...env, ...extra }, timeoutMs: PROMPT_MS });

  it('AWS_SHARED_CREDENTIALS_FILE as a FIFO is refused before the AWS SDK would wait on it', async () => {
    assertRefused(await run(['exec', '--server', 'me', '--', 'true'], { AWS_SHARED_CREDENTIALS_FILE: fifo }), fifo, /FIFO/, {
      hint: /hint: .*AWS_SHARED_CREDENTIALS_FILE/,
    });
    assertRefused(await run(['list'], { AWS_SHARED_CREDENTIALS_FILE: '/dev/zero' }), '/dev/zero', /device/, { hint: /hint: .*AWS_SHARED_CREDENTIALS_FILE/ });
  });

  it('run --job and --resume refuse a FIFO; --accounts-file refuses /dev/zero and a directory', async () => {
    const usage = { code: 2, hint: /hint: / };
    assertRefused(await run(['run', '--profile', 'me', '--accounts', '111111111111', '--yes', '--job', fifo]), fifo, /FIFO/, usage);
    assertRefused(await run(['run', '--profile', 'me', '--accounts', '111111111111', '--yes', '--resume', fifo, '--', 'true']), fifo, /FIFO/, usage);
    assertRefused(await run(['run', '--profile', 'me', '--accounts-file', '/dev/zero']), '/dev/zero', /device/, usage);
    assertRefused(await run(['run', '--profile', 'me', '--accounts-file', box.home]), box.home, /directory/, usage);
  });

  it('run --accounts-file still reads a pipe, as from <(command)', async () => {
    // A writer that opens the FIFO only once rolehop is waiting on it.
    const writer = spawn('sh', ['-c', `printf '111111111111 one\\n222222222222\\n' > '${fifo}'`]);
    const r = await run(['run', '--profile', 'me', '--accounts-file', fifo]);
    writer.kill();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /111111111111/);
    assert.match(r.stdout, /222222222222/);
  });

  it('SIGTERM ends a run that is waiting on an --accounts-file pipe', { skip: existsSync('/proc/self/fd') ? false : 'needs /proc' }, async () => {
    // Our end of the pipe stays open and silent, so rolehop waits for data.
    const writer = openSync(fifo, constants.O_RDWR);
    const { NODE_TEST_CONTEXT: _ctx, ...childEnv } = env;
    const child = spawn(process.execPath, [CLI_PATH, 'run', '--profile', 'me', '--accounts-file', fifo], { env: childEnv, stdio: 'ignore' });
    try {
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      const holdsPipe = () => {
        try {
          return readdirSync(`/proc/${child.pid}/fd`).some((fd) => readlinkSync(`/proc/${child.pid}/fd/${fd}`) === fifo);
        } catch {
          return false;
        }
      };
      for (const deadline = Date.now() + PROMPT_MS; !holdsPipe();) {
        assert.ok(Date.now() < deadline, 'rolehop never opened the pipe');
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGTERM');
      const timeout = new Promise<'hung'>((r) => setTimeout(() => r('hung'), PROMPT_MS).unref());
      const outcome = await Promise.race([exited, timeout]);
      assert.notEqual(outcome, 'hung', 'rolehop ignored SIGTERM while waiting on the pipe');
      assert.deepEqual(outcome, { code: 130, signal: null });
    } finally {
      child.kill('SIGKILL');
      closeSync(writer);
    }
  });
});
