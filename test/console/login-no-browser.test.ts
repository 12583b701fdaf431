// `rolehop login` where no browser can start (no DISPLAY, no xdg-open on
// PATH, or a launcher that fails): never "Opened the AWS console". A
// terminal gets the link with a warning that it is a secret; a pipe gets an
// error with the --stdout hint; no hand-off page is left behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../helpers/sandbox.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { startFederationStandIn, type FederationStandIn } from './federation-stand-in.js';

/** util-linux `script`, found on the test's own PATH (the CLI's PATH is deliberately empty). */
const SCRIPT = (process.env.PATH ?? '/usr/bin:/bin')
  .split(':')
  .map((d) => join(d, 'script'))
  .find((f) => existsSync(f));

/** Runs the CLI with its stdio on a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
function runOnTerminal(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI_PATH, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT!, ['-qec', command, '/dev/null'], { env: { ...env, SHELL: '/bin/sh' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('rolehop login without a browser', () => {
  let fed: FederationStandIn;
  let box: Sandbox;
  let env: Record<string, string>;
  let world: World;
  const pagesLeft = () => {
    const dir = join(box.rolehopHome, 'login');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  before(async () => {
    fed = await startFederationStandIn();
    world = await startWorld({ env: { ROLEHOP_FEDERATION_ENDPOINT: fed.url } });
    ({ box } = world);
    // No display, and a PATH with no xdg-open (or anything else) on it.
    const { DISPLAY: _d, WAYLAND_DISPLAY: _w, BROWSER: _b, ...rest } = world.env;
    env = { ...rest, PATH: join(box.home, 'empty-bin') };
    box.writeConfig(
      ['[profile alice]', 'region = us-east-1', '', '[profile admin]', 'role_arn = arn:aws:iam::210987654321:role/Admin', 'source_profile = alice', ''].join(
        '\n',
      ),
    );
    await world.storeKey();
  });

  after(async () => {
    await fed?.stop();
    await world?.stop();
  });

  it('into a pipe: fails with exit 2 and a --stdout hint, prints no link and leaves no page', async () => {
    const r = await runCli(['login', 'admin'], { env, timeoutMs: 60_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Could not open a browser: no graphical session/);
    assert.match(r.stderr, /hint: .*--stdout/);
    assert.doesNotMatch(r.stderr, /Opened the AWS console/);
    assert.equal(r.stdout, '');
    assert.ok(!r.stderr.includes(fed.token), 'the link is not in the message');
    assert.deepEqual(pagesLeft(), []);
  });

  it('a launcher that fails (BROWSER=false makes xdg-open exit 3) is caught the same way', async () => {
    const r = await runCli(['login', 'admin'], { env: { ...env, PATH: '/usr/bin:/bin', BROWSER: 'false' }, timeoutMs: 60_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Could not open a browser: the default browser exited with code \d+/);
    assert.doesNotMatch(r.stderr, /Opened the AWS console/);
    assert.equal(r.stdout, '');
    assert.deepEqual(pagesLeft(), []);
  });

  it('--json into a pipe fails too: a script never gets the link unasked', async () => {
    const r = await runCli(['--json', 'login', 'admin'], { env, timeoutMs: 60_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.ok(!r.stdout.includes(fed.token) && !r.stderr.includes(fed.token));
  });

  it(
    'at a terminal: prints the link, warns that it is a secret for 15 minutes, exits 0, leaves no page',
    { skip: SCRIPT ? false : 'needs util-linux script for a pseudo-terminal' },
    async () => {
      const r = await runOnTerminal(['login', 'admin'], env);
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /warning: Could not open a browser: no graphical session/);
      assert.match(r.output, /secret .*15 minutes/);
      assert.ok(r.output.includes(`SigninToken=${encodeURIComponent(fed.token)}`) || r.output.includes(`SigninToken=${fed.token}`), r.output);
      assert.doesNotMatch(r.output, /Opened the AWS console/);
      assert.deepEqual(pagesLeft(), []);
    },
  );
});
