// `rolehop audit trust` through the built CLI against moto: 20 accounts,
// roles with good and bad trust policies seeded by the test, one account
// that denies the way in.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import { MOTO_ROOT_CREDENTIALS, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 20;
const STRANGER = '999999999999';

describe('rolehop audit trust end to end', { timeout: 300_000 }, () => {
  let world: World;
  let proxy: CountingProxy;
  let env: Record<string, string>;
  let accounts: string[];
  const cli = (args: string[]) => runCli(['--mfa-token', '123456', ...args], { env, timeoutMs: 120_000 });
  const expected: string[] = [];

  async function createRole(account: string, name: string, Statement: unknown[]): Promise<void> {
    const sts = new STSClient({ region: 'us-east-1', endpoint: world.moto.url, credentials: MOTO_ROOT_CREDENTIALS });
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'seed' })))
      .Credentials!;
    sts.destroy();
    const iam = new IAMClient({
      region: 'us-east-1',
      endpoint: world.moto.url,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    });
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement }) }));
    iam.destroy();
  }
  const allow = (Principal: unknown, Condition?: unknown) => ({ Effect: 'Allow', Principal, Action: 'sts:AssumeRole', ...(Condition ? { Condition } : {}) });

  before(async () => {
    world = await startWorld({ proxy: true, targets: N, env: { AWS_PROFILE: 'alice' } });
    ({ proxy, env, accounts } = world);
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
    const [a, b, c, d, e, f] = accounts as [string, string, string, string, string, string];
    await createRole(a, 'OpenDoor', [allow('*')]);
    expected.push(`${a} OpenDoor high *`);
    await createRole(b, 'Vendor', [allow({ AWS: `arn:aws:iam::${STRANGER}:root` }, { StringEquals: { 'sts:ExternalId': 'acme-1234' } })]);
    expected.push(`${b} Vendor high arn:aws:iam::${STRANGER}:root`);
    await createRole(c, 'PeerNoMfa', [allow({ AWS: `arn:aws:iam::${d}:root` })]);
    expected.push(`${c} PeerNoMfa medium arn:aws:iam::${d}:root`);
    await createRole(d, 'PeerWithMfa', [allow({ AWS: `arn:aws:iam::${c}:root` }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })]);
    await createRole(e, 'Lambda', [allow({ Service: 'lambda.amazonaws.com' })]);
    await createRole(f, 'Orphan', [allow({ AWS: 'AROAEXAMPLEDELETED001' }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })]);
    expected.push(`${f} Orphan medium AROAEXAMPLEDELETED001`);
  });
  after(async () => world?.stop());

  it('flags exactly the seeded bad roles (and the management account’s way in, which has no MFA condition); exit 12', async () => {
    const r = await cli(['--json', 'audit', 'trust', '--accounts', accounts.join(',')]);
    assert.equal(r.code, 12, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { account: string; role: string; principal: string; reason: string; severity: string });
    const seeded = lines.filter((l) => l.role !== 'OrganizationAccountAccessRole').map((l) => `${l.account} ${l.role} ${l.severity} ${l.principal}`);
    assert.deepEqual(seeded.sort(), [...expected].sort());
    const ways = lines.filter((l) => l.role === 'OrganizationAccountAccessRole');
    assert.equal(ways.length, N, 'moto, like AWS, lets the management account in without MFA');
    assert.ok(
      ways.every((l) => l.severity === 'medium' && l.principal === 'arn:aws:iam::123456789012:root' && l.reason === 'another account, no MFA condition'),
    );
    assert.equal(proxy.count('AssumeRole'), N, 'one AssumeRole per account');
  });

  it('shows a table worst first on a terminal-less stdout, and an account that denies the way in is a failure row; exit 10', async () => {
    const denied = accounts[N - 1]!;
    proxy.setFault((c) =>
      c.action === 'AssumeRole' && c.roleArn?.includes(denied) ? { status: 403, code: 'AccessDenied', message: 'not authorized' } : undefined,
    );
    try {
      const r = await cli(['audit', 'trust', '--accounts', accounts.join(','), '--allow-accounts', STRANGER]);
      assert.equal(r.code, 10, r.stderr);
      assert.match(r.stderr, new RegExp(`✗ ${denied} us-east-1: ERR_AWS_ACCESS_DENIED`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      const rows = r.stdout.split('\n').filter((l) => /│ (high|medium|low) /.test(l));
      assert.match(rows[0]!, /│ high .*OpenDoor/, 'worst first');
      assert.ok(!rows.some((l) => l.includes('Vendor')), 'an allowed account is not a stranger');
      assert.match(r.stderr, /findings? .* in \d+ roles?, 19 accounts audited; 1 could not be read/);
    } finally {
      proxy.setFault(undefined);
    }
  });

  it('bad input fails before any AWS call', async () => {
    proxy.reset();
    const r = await cli(['audit', 'trust', '--accounts', accounts[0]!, '--allow-accounts', '12345']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--allow-accounts: "12345" is not a 12-digit account id/);
    assert.equal(proxy.calls.length, 0);
  });
});
