// The library where a CI job or an IRSA pod runs it: a process whose only
// AWS settings are AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (plus the
// region and the endpoint, aimed at the counting proxy in front of moto). No
// profile, no config file, no vault: forAccount just works.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MOTO_MANAGEMENT_ACCOUNT } from './helpers/moto-role-credentials.js';
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

describe('library: the environment form of web identity, no profile', () => {
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true, identity: false, targets: N });
  });
  after(async () => world?.stop());

  it('reaches every account with forAccount from one AssumeRoleWithWebIdentity', () => {
    const { box, proxy } = world;
    const tokenFile = join(box.home, 'web-identity-token');
    const token = writeOidcToken(tokenFile);
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: box.home,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: `arn:aws:iam::${MOTO_MANAGEMENT_ACCOUNT}:role/github-deploy`,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: proxy.url,
    };
    proxy.reset();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify(world.accounts)], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), world.accounts);
    const web = proxy.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity');
    assert.equal(web.length, 1);
    assert.equal(web[0]!.params.WebIdentityToken, token);
    assert.equal(proxy.count('AssumeRole'), N);
    assert.equal(proxy.count('GetCallerIdentity'), N);
    assert.ok(!existsSync(join(box.home, '.rolehop', 'vault')), 'no vault was created');
  });
});
