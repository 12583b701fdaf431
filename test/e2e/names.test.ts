// Profile names that could break rolehop: `__proto__` and the other
// Object.prototype names, and non-ASCII names the AWS CLI reads. The built
// CLI against moto, with the file vault read back to prove what is stored.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileStore } from '../../src/stores/file-store.js';
import { keyId } from '../../src/stores/contract.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const PASSPHRASE = 'test-passphrase'; // what sandbox.env() sets

function assertClean(r: CliResult, code: number, message: RegExp) {
  assert.equal(r.code, code, r.stderr);
  assert.match(r.stderr, message);
  assert.match(r.stderr, /hint: /);
  assert.doesNotMatch(r.stderr, /\n\s+at .*\.(m?js|ts):\d+/, 'no stack trace without --debug');
}

describe('profile names', () => {
  let world: World;
  let env: Record<string, string>;
  let keyEnv: Record<string, string>;

  /** The secret stored under `profile` in the file vault, read with the passphrase, or undefined. */
  async function storedSecret(profile: string): Promise<string | undefined> {
    const store = new FileStore({ dir: join(world.box.rolehopHome, 'vault'), getPassphrase: async () => PASSPHRASE });
    return store.get(keyId(profile));
  }
  const indexText = () => {
    const p = join(world.box.rolehopHome, 'vault-index.json');
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
  };
  const listJson = async () => {
    const r = await runCli(['list', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    return { view: JSON.parse(r.stdout) as { profiles: Array<{ name: string }>; keys: Array<{ profile: string }> }, stderr: r.stderr };
  };
  const callerAccount = (r: CliResult) => {
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { Account: string }).Account;
  };

  before(async () => {
    world = await startWorld({ targets: 1 });
    env = world.env;
    keyEnv = { ...env, AWS_ACCESS_KEY_ID: world.alice.accessKeyId, AWS_SECRET_ACCESS_KEY: world.alice.secretAccessKey };
    world.box.writeConfig(
      [
        '[profile alice]',
        'region = us-east-1',
        '',
        '[profile café-prod]',
        `role_arn = arn:aws:iam::${world.accounts[0]}:role/OrganizationAccountAccessRole`,
        'source_profile = alice',
        '',
        '[profile zoë]',
        'region = us-east-1',
        '',
        '[profile __proto__]',
        'region = us-east-1',
        '',
        ...['constructor', 'toString', 'hasOwnProperty'].flatMap((p) => [`[profile ${p}]`, 'region = us-east-1', '']),
      ].join('\n'),
    );
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('a non-ASCII profile in the config leaves the other profiles working', async () => {
    const { view } = await listJson();
    assert.ok(view.profiles.some((p) => p.name === 'café-prod'));
    const r = await runCli(['exec', 'alice', '--', 'aws', 'sts', 'get-caller-identity'], { env });
    assert.equal(callerAccount(r), world.alice.account);
  });

  it('a non-ASCII role profile and a non-ASCII key profile work end to end', async () => {
    const role = await runCli(['exec', 'café-prod', '--', 'aws', 'sts', 'get-caller-identity'], { env });
    assert.equal(callerAccount(role), world.accounts[0]);
    const who = await runCli(['exec', 'café-prod', '--', 'node', '-e', 'process.stdout.write(process.env.ROLEHOP_PROFILE)'], { env });
    assert.equal(who.stdout, 'café-prod', who.stderr);
    const cp = await runCli(['export', 'café-prod', '--format', 'credential-process'], { env });
    assert.equal(cp.code, 0, cp.stderr);
    assert.equal((JSON.parse(cp.stdout) as { Version: number }).Version, 1);

    assert.equal((await runCli(['add', 'zoë', '--env'], { env: keyEnv })).code, 0);
    assert.ok(await storedSecret('zoë'));
    const key = await runCli(['exec', 'zoë', '--', 'aws', 'sts', 'get-caller-identity'], { env });
    assert.equal(callerAccount(key), world.alice.account);
    const removed = await runCli(['remove', 'zoë'], { env });
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(await storedSecret('zoë'), undefined);
  });

  it('__proto__ is refused before anything is stored, by every command', async () => {
    const add = await runCli(['add', '__proto__', '--env'], { env: keyEnv });
    assertClean(add, 2, /__proto__/);
    assert.equal(await storedSecret('__proto__'), undefined, 'no secret left in the vault');
    assert.doesNotMatch(indexText(), /__proto__/);
    for (const args of [
      ['exec', '__proto__', '--', 'true'],
      ['export', '__proto__'],
      ['clear', '__proto__'],
      ['rotate', '__proto__', '--yes'],
    ]) {
      assertClean(await runCli(args, { env }), 2, /__proto__/);
    }
  });

  it('remove __proto__ deletes the orphan secret an older rolehop left in the vault', async () => {
    assertClean(await runCli(['remove', '__proto__'], { env }), 3, /No key/);
    // What `add __proto__` used to leave: the secret in the store, no index entry.
    const store = new FileStore({ dir: join(world.box.rolehopHome, 'vault'), getPassphrase: async () => PASSPHRASE });
    await store.set(keyId('__proto__'), JSON.stringify({ accessKeyId: world.alice.accessKeyId, secretAccessKey: world.alice.secretAccessKey }));
    const r = await runCli(['remove', '__proto__'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await storedSecret('__proto__'), undefined, 'the orphan is gone');
  });

  it('[profile __proto__] in the config is skipped with a warning; list and the other profiles still work', async () => {
    const { view, stderr } = await listJson();
    assert.ok(!view.profiles.some((p) => p.name === '__proto__'));
    assert.match(stderr, /__proto__.*ignored|ignored.*__proto__/);
    assert.ok(view.profiles.some((p) => p.name === 'alice'));
  });

  for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
    it(`${name} is an ordinary name: add, exec, list, remove, and nothing left behind`, async () => {
      assert.equal((await runCli(['add', name, '--env'], { env: keyEnv })).code, 0);
      assert.ok((await listJson()).view.keys.some((k) => k.profile === name));
      const r = await runCli(['exec', name, '--', 'aws', 'sts', 'get-caller-identity'], { env });
      assert.equal(callerAccount(r), world.alice.account);
      const removed = await runCli(['remove', name], { env });
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal(await storedSecret(name), undefined);
      assert.ok(!(await listJson()).view.keys.some((k) => k.profile === name));
      assert.doesNotMatch(indexText(), new RegExp(`"${name}"`));
      assertClean(await runCli(['remove', name], { env }), 3, /No key/);
    });
  }
});
