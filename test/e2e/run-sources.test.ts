// `rolehop run` started where automation runs, through the built CLI with
// the counting proxy in front of moto: from an OIDC token file (the
// environment form, as in a CI job), from IMDSv2 (credential_source =
// Ec2InstanceMetadata) and from a container endpoint (the environment form,
// as in an ECS task). Each: one source call, one AssumeRole per account.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeEcs, type FakeEcs } from '../helpers/fake-ecs.js';
import { startFakeImds, type FakeImds } from '../helpers/fake-imds.js';
import { MOTO_MANAGEMENT_ACCOUNT, motoRoleMinter } from '../helpers/moto-role-credentials.js';
import { writeOidcToken } from '../helpers/oidc-token.js';
import { runCli, REPO_ROOT } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 50;
const JOB = join(REPO_ROOT, 'test', 'engine', 'fixtures', 'list-roles.mjs');

describe('rolehop run from web identity, IMDS and container credentials', () => {
  let world: World;
  let accountsFile: string;
  let imds: FakeImds;
  let ecs: FakeEcs;

  before(async () => {
    world = await startWorld({ proxy: true, identity: false, targets: N, env: { AWS_REGION: 'us-east-1' } });
    accountsFile = join(world.box.home, 'accounts.txt');
    writeFileSync(accountsFile, `${world.accounts.join('\n')}\n`);
    imds = await startFakeImds(motoRoleMinter(world.moto.url, 'instance-role'));
    ecs = await startFakeEcs(motoRoleMinter(world.moto.url, 'task-role'));
  });
  after(async () => {
    await imds?.stop();
    await ecs?.stop();
    await world?.stop();
  });

  /** Runs the job over every account; asserts one ok result per account, landed in that account. */
  async function runAll(env: Record<string, string>, args: string[] = []): Promise<string> {
    world.proxy.reset();
    const r = await runCli(['--json', 'run', ...args, '--accounts-file', accountsFile, '--job', JOB], { env, timeoutMs: 180_000 });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { account: string; ok: boolean; value: { arns: string[] } });
    assert.deepEqual(lines.map((l) => l.account).sort(), [...world.accounts].sort());
    for (const l of lines) {
      assert.ok(l.ok, JSON.stringify(l));
      assert.ok(
        l.value.arns.some((a) => a.includes(`::${l.account}:role/`)),
        `job ran in ${l.account}`,
      );
    }
    assert.equal(world.proxy.count('AssumeRole'), N);
    assert.equal(world.proxy.count('GetSessionToken'), 0);
    return r.stderr;
  }

  it('from AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN with no profile: one AssumeRoleWithWebIdentity', async () => {
    const tokenFile = join(world.box.home, 'oidc-token');
    const token = writeOidcToken(tokenFile);
    const env = { ...world.env, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${MOTO_MANAGEMENT_ACCOUNT}:role/ci-deploy` };
    const stderr = await runAll(env);
    const calls = world.proxy.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.params.WebIdentityToken, token);
    assert.equal(calls[0]!.accessKeyId, undefined, 'AssumeRoleWithWebIdentity is sent unsigned');
    assert.ok(!stderr.includes(token), 'the token never reaches the output');
    assert.deepEqual(world.box.grepSecret(token.split('.')[2]!), [tokenFile], 'the token is nowhere but its own file');
  });

  it('from credential_source = Ec2InstanceMetadata: one IMDSv2 credential fetch', async () => {
    world.box.writeConfig('[profile ec2]\ncredential_source = Ec2InstanceMetadata\nregion = us-east-1\n');
    try {
      await runAll({ ...world.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, ['--profile', 'ec2']);
    } finally {
      world.box.writeConfig('');
    }
    assert.equal(imds.tokenCalls, 1);
    assert.equal(imds.credentialCalls, 1);
    assert.equal(imds.refused, 0);
  });

  it('from AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN with no profile: one container fetch', async () => {
    await runAll({ ...world.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: ecs.token });
    assert.equal(ecs.credentialCalls, 1);
    assert.equal(ecs.refused, 0);
  });

  it('a wrong container token fails the run once, with the endpoint named and no secret shown', async () => {
    const before = ecs.refused;
    const r = await runCli(['--json', 'run', '--accounts', world.accounts[0]!, '--job', JOB], {
      env: { ...world.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: ecs.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong-token-value' },
      timeoutMs: 60_000,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /container credentials endpoint http:\/\/127\.0\.0\.1:\d+ answered HTTP 403/);
    assert.ok(!r.stderr.includes('wrong-token-value') && !r.stderr.includes(new URL(ecs.url).pathname));
    assert.ok(ecs.refused > before);
  });
});
