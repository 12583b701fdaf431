// The MFA prompt on the controlling terminal while stdout is a pipe, as
// under credential_process: a pseudo-terminal from util-linux `script`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { startMoto, type MotoServer } from '../helpers/moto.js';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { ensureBuilt, runCli, seedMotoIdentity, CLI_PATH } from '../helpers/run-cli.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('MFA prompt on the terminal', { skip: hasScript ? false : 'util-linux script not installed' }, () => {
  let moto: MotoServer;
  let proxy: CountingProxy;
  let box: Sandbox;
  let env: Record<string, string>;

  before(async () => {
    await ensureBuilt();
    moto = await startMoto();
    proxy = await startCountingProxy(moto.url);
    const alice = await seedMotoIdentity(moto.url);
    box = await makeSandbox();
    box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\n[profile t]\nrole_arn = arn:aws:iam::111111111111:role/Admin\nsource_profile = alice\n`);
    env = box.env({ AWS_ENDPOINT_URL: proxy.url });
    const add = await runCli(['add', 'alice', '--env'], { env: { ...env, AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey } });
    assert.equal(add.code, 0, add.stderr);
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
    await box?.cleanup();
  });

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
