// The library as a script uses it: the package entry, the same vault and
// session cache as the CLI, per-account SDK clients.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { createDefaultBroker, forAccount, isRolehopError } from '../src/index.js';
import type { MotoServer } from './helpers/moto.js';
import type { Sandbox } from './helpers/sandbox.js';
import { runCli } from './helpers/run-cli.js';
import { startWorld, type World } from './helpers/world.js';

describe('library: createDefaultBroker + forAccount', () => {
  let moto: MotoServer;
  let box: Sandbox;
  let env: Record<string, string>;
  let target: string;
  let world: World;

  before(async () => {
    world = await startWorld({ targets: 1 });
    ({ moto, box, env } = world);
    const { alice } = world;
    [target] = world.accounts as [string];
    box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\n`);
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('without an MFA callback it fails with a stable code, not a hang', async () => {
    const broker = createDefaultBroker({ env });
    await assert.rejects(broker.credentials('alice'), (e: unknown) => isRolehopError(e) && e.code === 'ERR_MFA_UNAVAILABLE');
  });

  it('hands out SDK clients for another account, sharing the CLI session cache', async () => {
    let asked = 0;
    const broker = createDefaultBroker({ env, mfaCode: async () => (asked++, '123456') });
    const acct = forAccount(target, { region: 'us-east-1', profile: 'alice', broker, endpoints: { sts: moto.url, iam: moto.url } });
    const creds = await acct.credentials();
    assert.ok(creds.expiration && creds.expiration.getTime() > Date.now() + 15 * 60_000);
    const roles = await acct.client(IAMClient, { endpoint: moto.url }).send(new ListRolesCommand({}));
    assert.ok(roles.Roles?.some((r) => r.Arn?.includes(`::${target}:role/OrganizationAccountAccessRole`)));
    assert.equal(asked, 1);
    // The CLI now finds the MFA session the library opened: no code needed.
    const r = await runCli(['export', 'alice', '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
  });
});
