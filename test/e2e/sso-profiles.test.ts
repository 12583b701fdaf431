// IAM Identity Center profiles used where any profile is used, through the
// built CLI against the Identity Center fake (backed by moto): exec and
// credential_process for the AWS CLI and boto3, a role chained from an SSO
// profile, role credentials cached so a warm call makes no network call, a
// silent refresh, and twenty parallel callers that find the login gone
// producing one device authorization between them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeIdentityCenter, type FakeIdentityCenter } from '../helpers/fake-identity-center.js';
import { CLI_PATH, REPO_ROOT, runCli, type CliResult } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

describe('IAM Identity Center profiles', { timeout: 600_000 }, () => {
  let world: World;
  let fake: FakeIdentityCenter;
  let env: Record<string, string>;

  const account = (r: { stdout: string; stderr: string }, code: number | null) => {
    assert.equal(code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { Account: string }).Account;
  };
  const execCaller = async (profile: string): Promise<string> => {
    const r: CliResult = await runCli(['exec', profile, '--', 'aws', 'sts', 'get-caller-identity'], { env });
    return account(r, r.code);
  };

  before(async () => {
    world = await startWorld({ identity: false, targets: 2 });
    // The person approves at once in the browser: these tests are about who asks, and how often.
    fake = await startFakeIdentityCenter({ motoUrl: world.moto.url, switches: { autoApprove: true } });
    env = { ...world.env, AWS_ENDPOINT_URL_SSO_OIDC: fake.url, AWS_ENDPOINT_URL_SSO: fake.url };
    world.box.writeConfig(
      [
        '[sso-session corp]',
        `sso_start_url = ${fake.startUrl}`,
        'sso_region = us-east-1',
        '',
        '[profile dev]',
        'sso_session = corp',
        `sso_account_id = ${world.accounts[0]}`,
        'sso_role_name = ReadOnly',
        'region = us-east-1',
        '',
        '[profile prod-admin]',
        `role_arn = arn:aws:iam::${world.accounts[1]}:role/OrganizationAccountAccessRole`,
        'source_profile = dev',
        '',
        '[profile cp]',
        `credential_process = "${process.execPath}" "${CLI_PATH}" export dev --format credential-process`,
        'region = us-east-1',
        '',
      ].join('\n'),
    );
    const login = await runCli(['sso', 'login', '--session', 'corp', '--no-browser'], { env });
    assert.equal(login.code, 0, login.stderr);
  });
  after(async () => {
    await fake?.stop();
    await world?.stop();
  });

  test('exec with an SSO profile reaches its account; the AWS CLI and boto3 through credential_process too', async () => {
    assert.equal(await execCaller('dev'), world.accounts[0]);
    const cli = spawnSync('aws', ['sts', 'get-caller-identity', '--profile', 'cp'], { env, encoding: 'utf8' });
    assert.equal(account(cli, cli.status), world.accounts[0]);
    const py = spawnSync('python3', ['-c', 'import boto3, json; print(json.dumps(boto3.Session(profile_name="cp").client("sts").get_caller_identity()))'], {
      env,
      encoding: 'utf8',
    });
    assert.equal(account(py, py.status), world.accounts[0]);
  });

  test('list shows the SSO session with its time left and no token', async () => {
    const r = await runCli(['--json', 'list'], { env });
    assert.equal(r.code, 0, r.stderr);
    const view = JSON.parse(r.stdout) as { ssoSessions: Array<{ name: string; loggedIn: boolean; refreshable?: boolean; secondsLeft?: number }> };
    const corp = view.ssoSessions.find((x) => x.name === 'corp');
    assert.ok(corp?.loggedIn && corp.refreshable && (corp.secondsLeft ?? 0) > 3000, JSON.stringify(view.ssoSessions));
    for (const secret of fake.secrets()) assert.ok(!r.stdout.includes(secret));
    const table = await runCli(['list'], { env });
    assert.match(table.stdout, /SSO sessions\n[\s\S]*│ corp +│ https:\/\/d-1234567890\.awsapps\.com\/start +│ us-east-1 +│ (59|60)m/);
  });

  test('the Node SDK reaches the account through the ECS-style server of exec --server', async () => {
    const sts = join(REPO_ROOT, 'node_modules', '@aws-sdk', 'client-sts');
    const script = `const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(sts)}); new STSClient({}).send(new GetCallerIdentityCommand({})).then((r) => console.log(JSON.stringify(r)));`;
    const r = await runCli(['exec', '--server', 'dev', '--', process.execPath, '-e', script], {
      env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    assert.equal(account(r, r.code), world.accounts[0]);
  });

  test('the library: createDefaultBroker serves an SSO profile from the stored login, and a role chained from it', async () => {
    const { createDefaultBroker } = await import('../../src/library/default-broker.js');
    const broker = createDefaultBroker({ env });
    const dev = await broker.credentials('dev');
    assert.equal(dev.credentials.accountId, world.accounts[0]);
    const chained = await broker.credentials('prod-admin');
    assert.equal(chained.credentials.accountId, world.accounts[1]);
  });

  test('role credentials are cached: a warm export makes no Identity Center or STS call', async () => {
    assert.equal((await runCli(['export', 'dev', '--format', 'credential-process'], { env })).code, 0);
    fake.resetCounts();
    const r = await runCli(['export', 'dev', '--format', 'credential-process'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.counts, {});
  });

  test('a role chained from an SSO profile: GetRoleCredentials, then AssumeRole into the other account', async () => {
    assert.equal(await execCaller('prod-admin'), world.accounts[1]);
  });

  test('run with an SSO profile as its source: one GetRoleCredentials, then one AssumeRole per account', async () => {
    fake.resetCounts();
    const r = await runCli(['--json', 'run', '--profile', 'dev', '--accounts', world.accounts.join(','), '--', 'aws', 'sts', 'get-caller-identity'], { env });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { account: string; ok: boolean; stdout?: string });
    assert.deepEqual(lines.map((l) => l.account).sort(), [...world.accounts].sort());
    for (const l of lines) assert.ok(l.ok && l.stdout?.includes(`"Account": "${l.account}"`), JSON.stringify(l));
    assert.ok((fake.counts.credentials ?? 0) <= 1, 'the SSO role credentials come from the cache or one call');
  });

  test('a token the portal refuses before its expiry is refreshed without a login, not an error until `clear`', async () => {
    fake.expireAccessTokens();
    assert.equal((await runCli(['clear'], { env })).code, 0);
    fake.resetCounts();
    assert.equal(await execCaller('dev'), world.accounts[0]);
    assert.equal(fake.counts.device_authorization, undefined);
    assert.equal(fake.counts['token:refresh_token'], 1);
    assert.equal(fake.counts.credentials, 2, 'refused with the stale token, then served with the refreshed one');
  });

  test('twenty parallel credential_process calls that find the login gone make one device authorization and one token request', async () => {
    fake.switches.accessTokenSeconds = 0;
    assert.equal((await runCli(['sso', 'login', '--session', 'corp', '--no-browser'], { env })).code, 0);
    fake.switches.accessTokenSeconds = 3600;
    fake.revokeRefreshTokens();
    assert.equal((await runCli(['clear'], { env })).code, 0);
    fake.resetCounts();
    const calls = await Promise.all(Array.from({ length: 20 }, () => runCli(['export', 'dev', '--format', 'credential-process'], { env })));
    for (const c of calls) assert.equal(c.code, 0, c.stderr);
    assert.equal(fake.counts.device_authorization, 1);
    assert.equal(calls.filter((c) => /To sign in to IAM Identity Center/.test(c.stderr)).length, 1, 'one login shown');
    assert.equal(fake.counts['token:refresh_token'], 1, 'the refresh is tried once, before the one login');
    assert.equal(fake.counts.credentials, 1, 'one GetRoleCredentials for all twenty');
    fake.resetCounts();
    const again = await Promise.all(Array.from({ length: 20 }, () => runCli(['export', 'dev', '--format', 'credential-process'], { env })));
    for (const c of again) assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(fake.counts, {}, 'a second burst makes no network call');
    for (const s of fake.secrets()) assert.deepEqual(world.box.grepSecret(s), [], 'no token in plain text');
  });
});
