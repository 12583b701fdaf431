// The library where a CI job or an IRSA pod runs it: a process whose only
// AWS settings are AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (plus the
// region and the endpoint, aimed at the counting proxy in front of moto). No
// profile, no config file, no vault: forAccount just works. And on an EC2
// instance, where only the metadata service offers credentials.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeImds } from './helpers/fake-imds.js';
import { MOTO_MANAGEMENT_ACCOUNT, motoRoleMinter } from './helpers/moto-role-credentials.js';
import { writeOidcToken } from './helpers/oidc-token.js';
import { REPO_ROOT } from './helpers/run-cli.js';
import { startWorld, type World } from './helpers/world.js';

const N = 10;

const SCRIPT = `
import { forAccount } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'index.mjs')).href)};
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const ids = JSON.parse(process.argv[1]);
const seen = await Promise.all(ids.map((id) => forAccount(id, { region: 'us-east-1' }).client(STSClient).send(new GetCallerIdentityCommand({}))));
process.stdout.write(JSON.stringify(seen.map((r) => r.Account)));
`;

describe('library: the machine credentials, no profile', () => {
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true, identity: false, targets: N });
  });
  after(async () => world?.stop());

  /** Runs the script in a process whose environment is only `extra` plus PATH, HOME, the region and the endpoint. */
  async function runScript(extra: Record<string, string>): Promise<void> {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: world.box.home, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: world.proxy.url, ...extra };
    world.proxy.reset();
    // Not spawnSync: the fake IMDS answers from this process's event loop.
    const r = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify(world.accounts)], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.deepEqual(JSON.parse(r.stdout), world.accounts);
    assert.equal(world.proxy.count('AssumeRole'), N);
    assert.equal(world.proxy.count('GetCallerIdentity'), N);
  }

  it('reaches every account with forAccount from one AssumeRoleWithWebIdentity', async () => {
    const { box, proxy } = world;
    const tokenFile = join(box.home, 'web-identity-token');
    const token = writeOidcToken(tokenFile);
    await runScript({ AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${MOTO_MANAGEMENT_ACCOUNT}:role/github-deploy` });
    const web = proxy.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity');
    assert.equal(web.length, 1);
    assert.equal(web[0]!.params.WebIdentityToken, token);
    assert.ok(!existsSync(join(box.home, '.rolehop', 'vault')), 'no vault was created');
  });

  it('on an instance: with nothing else set, the instance role from IMDS, fetched once', async () => {
    const imds = await startFakeImds(motoRoleMinter(world.moto.url, 'instance-role'));
    try {
      await runScript({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
      assert.equal(imds.credentialCalls, 1);
      assert.equal(imds.refused, 0);
    } finally {
      await imds.stop();
    }
  });
});
