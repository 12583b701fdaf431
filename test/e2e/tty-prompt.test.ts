// The MFA prompt on the controlling terminal while stdout is a pipe, as
// under credential_process: a pseudo-terminal from util-linux `script`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { CLI_PATH } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('MFA prompt on the terminal', { skip: hasScript ? false : 'util-linux script not installed' }, () => {
  let proxy: CountingProxy;
  let box: Sandbox;
  let env: Record<string, string>;
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true });
    ({ proxy, box, env } = world);
    const { alice } = world;
    box.writeConfig(
      `[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\n[profile t]\nrole_arn = arn:aws:iam::111111111111:role/Admin\nsource_profile = alice\n`,
    );
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('asks on /dev/tty while stdout is piped, and the code reaches STS once', async () => {
    proxy.reset();
    const out = `${box.home}/out.json`;
    // script gives the command a pty as its terminal; stdout is redirected to a file, like a pipe.
    const cmd = `"${process.execPath}" "${CLI_PATH}" export t --format credential-process > "${out}"`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += d;
      if (screen.includes('MFA code for') && !screen.includes('__sent__')) {
        screen += '__sent__';
        child.stdin.write('123456\r');
      }
    });
    const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
    assert.equal(code, 0, screen);
    assert.match(screen, /MFA code for arn:aws:iam::123456789012:mfa\/alice/);
    const { readFileSync } = await import('node:fs');
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { Version: number }).Version, 1);
    const gst = proxy.calls.filter((c) => c.action === 'GetSessionToken');
    assert.equal(gst.length, 1);
    assert.equal(gst[0]!.tokenCode, '123456');
  });
});
