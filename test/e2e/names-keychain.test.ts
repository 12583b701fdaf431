// Non-ASCII and Object.prototype profile names through the OS keystore: the
// binding, the hot path's own D-Bus reader (the session copy's account is
// the profile name) and removal, read back from gnome-keyring. Skipped
// without a session bus (run under scripts/with-keyring.sh).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { keyId } from '../../src/stores/contract.js';
import { KeychainStore, keychainServiceFor } from '../../src/stores/keychain-store.js';
import { hasSessionBus } from '../helpers/sandbox.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

describe('profile names in the keychain backend', { skip: hasSessionBus() ? false : 'no D-Bus session bus' }, () => {
  let world: World;
  let env: Record<string, string>;
  let keychain: KeychainStore;

  before(async () => {
    world = await startWorld({ targets: 1, env: { ROLEHOP_BACKEND: 'keychain', ROLEHOP_FILE_PASSPHRASE: undefined }, envOptions: { dbus: true } });
    env = world.env;
    keychain = new KeychainStore({ service: keychainServiceFor(world.box.rolehopHome) });
    world.box.writeConfig(
      `[profile zoë]\nregion = us-east-1\n\n[profile café-prod]\nrole_arn = arn:aws:iam::${world.accounts[0]}:role/OrganizationAccountAccessRole\nsource_profile = zoë\n`,
    );
  });
  after(async () => {
    if (env) await runCli(['remove', 'zoë'], { env });
    await world?.stop();
  });

  it('a non-ASCII key profile is stored, served by the hot path through its session copy, and removed', async () => {
    await world.storeKey({ profile: 'zoë' });
    assert.ok(await keychain.get(keyId('zoë')), 'the key is in the keychain under its own name');
    const full = await runCli(['export', 'café-prod', '--format', 'credential-process'], { env });
    assert.equal(full.code, 0, full.stderr);
    assert.equal(JSON.parse(full.stdout).AccountId, world.accounts[0]);

    // Only cli.cjs and hot-keychain.cjs: an answer can only come from the copy read over D-Bus.
    const dir = join(world.box.home, 'hot-only');
    mkdirSync(dir);
    for (const f of ['cli.cjs', 'hot-keychain.cjs']) copyFileSync(join(dirname(CLI_PATH), f), join(dir, f));
    const hot = await runCli(['export', 'café-prod', '--format', 'credential-process'], { env, cli: join(dir, 'cli.cjs') });
    assert.equal(hot.code, 0, hot.stderr);
    assert.deepEqual(JSON.parse(hot.stdout), JSON.parse(full.stdout));

    const removed = await runCli(['remove', 'zoë'], { env });
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(await keychain.get(keyId('zoë')), undefined, 'nothing left in the keychain');
  });

  it('__proto__ never reaches the keychain', async () => {
    const add = await runCli(['add', '__proto__', '--env'], {
      env: { ...env, AWS_ACCESS_KEY_ID: world.alice.accessKeyId, AWS_SECRET_ACCESS_KEY: world.alice.secretAccessKey },
    });
    assert.equal(add.code, 2, add.stderr);
    assert.equal(await keychain.get(keyId('__proto__')), undefined);
  });
});
