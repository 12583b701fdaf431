// `rolehop whoami` against moto behind the counting proxy: what a shell set
// by rolehop holds, without an STS call, and with --verify one call.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

interface WhoamiJson {
  profile: string;
  accountId?: string;
  accountName?: string;
  role?: string;
  region?: string;
  secondsLeft?: number;
  expired: boolean;
  verified?: { arn: string; account: string; matches: boolean };
}

describe('whoami', () => {
  let world: World;
  let account: string;
  let accountName: string;

  before(async () => {
    world = await startWorld({ proxy: true, targets: 1 });
    account = world.accounts[0]!;
    world.writeRoleConfig({ prod: account, other: '111111111111' }, { mfaProcess: 'echo 123456' });
    await world.storeKey();
    // A run over the organisation leaves the Organizations inventory in the cache, names included.
    const run = await runCli(['run', '--profile', 'alice', '--org', '--json', '--', 'true'], { env: world.env });
    assert.equal(run.code, 0, run.stderr);
    const org = await import('@aws-sdk/client-organizations');
    const client = new org.OrganizationsClient({ endpoint: world.moto.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAX', secretAccessKey: 'x' } });
    accountName = (await client.send(new org.DescribeAccountCommand({ AccountId: account }))).Account!.Name!;
    client.destroy();
  });
  after(async () => world?.stop());

  it('outside rolehop: exit 3 with a hint, nothing on stdout', async () => {
    const r = await runCli(['whoami'], { env: world.env });
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /This shell holds no rolehop credentials/);
    assert.match(r.stderr, /hint: Run `rh PROFILE`/);
    const j = await runCli(['whoami', '--json'], { env: world.env });
    assert.equal((JSON.parse(j.stderr) as { error: { code: string } }).error.code, 'ERR_NO_CREDENTIALS');
  });

  it('inside exec: profile, account and its cached name, role, region, time left, and no AWS call', async () => {
    await runCli(['exec', 'prod', '--', 'true'], { env: world.env });
    world.proxy.reset();
    const r = await runCli(['exec', 'prod', '--', process.execPath, CLI_PATH, 'whoami', '--json'], { env: world.env });
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout) as WhoamiJson;
    assert.equal(v.profile, 'prod');
    assert.equal(v.accountId, account);
    assert.equal(v.accountName, accountName);
    assert.equal(v.role, 'OrganizationAccountAccessRole');
    assert.equal(v.region, 'us-east-1');
    assert.ok(v.secondsLeft! > 0 && v.secondsLeft! <= 3600, String(v.secondsLeft));
    assert.equal(v.expired, false);
    assert.equal(world.proxy.calls.length, 0, 'no AWS call at all');

    const text = await runCli(['exec', 'prod', '--', process.execPath, CLI_PATH, 'whoami'], { env: world.env });
    assert.match(text.stdout, new RegExp(`^account +${account} \\(${accountName}\\)$`, 'm'));
    assert.match(text.stdout, /^expires +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+m left\)$/m);
  });

  it('--verify asks STS once and agrees', async () => {
    world.proxy.reset();
    const r = await runCli(['exec', 'prod', '--', process.execPath, CLI_PATH, 'whoami', '--json', '--verify'], { env: world.env });
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout) as WhoamiJson;
    assert.equal(v.verified?.account, account);
    assert.match(v.verified!.arn, /:assumed-role\/OrganizationAccountAccessRole\//);
    assert.equal(v.verified?.matches, true);
    assert.equal(world.proxy.count('GetCallerIdentity'), 1);
  });

  it("--verify reports a shell whose credentials are not its profile's: exit 3", async () => {
    const creds = JSON.parse((await runCli(['export', 'prod', '--format', 'json'], { env: world.env })).stdout) as Record<string, string>;
    const env = {
      ...world.env,
      ROLEHOP_PROFILE: 'other',
      AWS_ACCESS_KEY_ID: creds.AccessKeyId!,
      AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey!,
      AWS_SESSION_TOKEN: creds.SessionToken!,
    };
    const plain = await runCli(['whoami', '--json'], { env });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal((JSON.parse(plain.stdout) as WhoamiJson).accountId, '111111111111', 'what the profile says, without asking');
    const r = await runCli(['whoami', '--verify'], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /MISMATCH/);
    assert.match(r.stderr, new RegExp(`credentials are arn:aws:sts::${account}:assumed-role/`));
    for (const secret of [creds.SecretAccessKey!, creds.SessionToken!]) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  });
});
