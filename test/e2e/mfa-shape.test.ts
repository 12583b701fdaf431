// MFA codes of the wrong shape, from every source: the terminal asks again
// (saying why, at most 3 times), `--mfa-token` is a usage error and
// `mfa_process` an MFA error, and none of them reaches STS or is repeated
// in a message. Run with and without an agent: with one, the executable's
// fast path asks the code through main's askMfaCode, and must ask alike.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { hasPythonPty, runInPty } from '../helpers/pty.js';
import { startWorld, type World } from '../helpers/world.js';

const ASKED = 'MFA code for arn:aws:iam::123456789012:mfa/alice (profile t):';
/** The start of a second or third ask (the whole line wraps at 100 columns). */
const AGAIN = (left: number) => `An MFA code is 6 digits, try again (${left} left).`;

async function mfaWorld(): Promise<World> {
  const world = await startWorld({ proxy: true });
  const serial = world.alice.mfaSerial;
  world.box.writeConfig(
    `[profile alice]\nregion = us-east-1\nmfa_serial = ${serial}\n` +
      `[profile t]\nrole_arn = arn:aws:iam::111111111111:role/Admin\nsource_profile = alice\n` +
      `[profile bob]\nregion = us-east-1\nmfa_serial = ${serial}\nmfa_process = printf 12345x\n` +
      `[profile bt]\nrole_arn = arn:aws:iam::111111111111:role/Admin\nsource_profile = bob\n`,
  );
  await world.storeKey();
  await world.storeKey({ profile: 'bob' });
  return world;
}

/**
 * The terminal checks both worlds share. `argv` asks t's credentials with
 * nothing cached (`clear` before each); the answers are typed on a pty.
 */
function terminalChecks(get: () => World): void {
  const cli = [process.execPath, CLI_PATH, 'export', 't', '--format', 'credential-process'];

  it('a code of the wrong shape is asked again, saying why; one with spaces is taken', async () => {
    const { env, proxy } = get();
    await runCli(['clear'], { env });
    proxy.reset();
    const r = await runInPty(cli, {
      env,
      captureStdout: true,
      answers: [
        [ASKED, '12345x\r'],
        [AGAIN(2), '12345\r'],
        [AGAIN(1), ' 123 456 \r'],
      ],
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.transcript);
    assert.equal((JSON.parse(r.stdout!) as { Version: number }).Version, 1);
    const gst = proxy.calls.filter((c) => c.action === 'GetSessionToken');
    assert.deepEqual(
      gst.map((c) => c.tokenCode),
      ['123456'],
      'only the good code reaches STS, once, without its spaces',
    );
  });

  it('three codes of the wrong shape: exit 5, ERR_MFA_INVALID with a hint, and no STS call', async () => {
    const { env, proxy } = get();
    await runCli(['clear'], { env });
    proxy.reset();
    const r = await runInPty(cli, {
      env,
      captureStdout: true,
      answers: [
        [ASKED, '98765x\r'],
        [AGAIN(2), '\r'],
        [AGAIN(1), '9876 5\r'],
      ],
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 5, r.transcript);
    assert.match(r.transcript, /rolehop: error: No MFA code for arn:aws:iam::123456789012:mfa\/alice in 3 attempts\r\n {2}hint: An MFA code is 6 digits/);
    assert.equal(r.stdout, '');
    assert.equal(proxy.count('GetSessionToken'), 0);
    assert.equal(proxy.count('AssumeRole'), 0);
  });
}

describe('MFA codes of the wrong shape', () => {
  let world: World;
  before(async () => {
    world = await mfaWorld();
  });
  after(async () => world?.stop());

  it('--mfa-token that is not a code: exit 2 before any STS call, and the value is never repeated', async () => {
    for (const value of ['12345x', '12345', '1234567']) {
      world.proxy.reset();
      const r = await runCli(['--mfa-token', value, 'export', 't'], { env: world.env });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr,
        'rolehop: error: --mfa-token is not an MFA code\n  hint: An MFA code is 6 digits: pass the one your MFA device shows now, or leave --mfa-token out to be asked for it.\n',
      );
      assert.equal(r.stdout, '');
      assert.equal(world.proxy.calls.length, 0);
    }
    const json = await runCli(['--json', '--mfa-token', '12345x', 'exec', 't', '--', 'true'], { env: world.env });
    assert.equal(json.code, 2);
    assert.equal((JSON.parse(json.stderr) as { error: { code: string } }).error.code, 'ERR_USAGE');
    assert.doesNotMatch(json.stdout + json.stderr, /12345x/);
  });

  it('--mfa-token with surrounding and inner spaces is taken, sent to STS without them', async () => {
    await runCli(['clear'], { env: world.env });
    world.proxy.reset();
    const r = await runCli(['--mfa-token', ' 123 456 ', 'export', 't', '--format', 'json'], { env: world.env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      world.proxy.calls.filter((c) => c.action === 'GetSessionToken').map((c) => c.tokenCode),
      ['123456'],
    );
  });

  it('mfa_process printing something that is not a code: exit 5 naming the helper, not its output, and no STS call', async () => {
    world.proxy.reset();
    const r = await runCli(['export', 'bt'], { env: world.env });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(
      r.stderr,
      'rolehop: error: mfa_process of profile "bt" (printf) printed no MFA code\n  hint: An MFA code is 6 digits. Run the command by hand; it must print the 6-digit code on stdout.\n',
    );
    assert.equal(world.proxy.count('GetSessionToken'), 0);
  });

  describe('at the terminal', { skip: hasPythonPty ? false : 'python3 pty not available' }, () => {
    terminalChecks(() => world);
  });
});

describe('MFA codes of the wrong shape, with an agent (the fast path asks)', { skip: hasPythonPty ? false : 'python3 pty not available' }, () => {
  let world: World;
  before(async () => {
    world = await mfaWorld();
    const start = await runCli(['agent', 'start'], { env: world.env });
    assert.equal(start.code, 0, start.stderr);
  });
  after(async () => {
    if (world) await runCli(['agent', 'stop'], { env: world.env });
    await world?.stop();
  });

  terminalChecks(() => world);

  it('mfa_process printing something that is not a code: the same error through the agent', async () => {
    world.proxy.reset();
    const r = await runCli(['export', 'bt', '--format', 'credential-process'], { env: world.env });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(
      r.stderr,
      'rolehop: error: mfa_process of profile "bt" (printf) printed no MFA code\n  hint: An MFA code is 6 digits. Run the command by hand; it must print the 6-digit code on stdout.\n',
    );
    assert.equal(world.proxy.count('GetSessionToken'), 0);
  });
});
