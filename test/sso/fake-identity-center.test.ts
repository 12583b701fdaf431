// The Identity Center fake driven by the real SDK clients, so the shapes it
// answers are the ones @aws-sdk/client-sso-oidc and @aws-sdk/client-sso read.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as oidc from '@aws-sdk/client-sso-oidc';
import * as sso from '@aws-sdk/client-sso';
import * as sts from '@aws-sdk/client-sts';
import { ACCESS_SCOPE, DEVICE_GRANT, startFakeIdentityCenter, type FakeIdentityCenter } from '../helpers/fake-identity-center.js';
import { startMoto, type MotoServer } from '../helpers/moto.js';
import { createTargetAccounts } from '../helpers/run-cli.js';

describe('fake IAM Identity Center', () => {
  let moto: MotoServer;
  let fake: FakeIdentityCenter;
  let accounts: string[];
  let o: oidc.SSOOIDCClient;
  let portal: sso.SSOClient;
  before(async () => {
    moto = await startMoto();
    accounts = await createTargetAccounts(moto.url, 3);
    fake = await startFakeIdentityCenter({ motoUrl: moto.url });
    o = new oidc.SSOOIDCClient({ region: 'us-east-1', endpoint: fake.url });
    portal = new sso.SSOClient({ region: 'us-east-1', endpoint: fake.url });
  });
  after(async () => {
    o.destroy();
    portal.destroy();
    await fake.stop();
    await moto.stop();
  });

  const register = (scopes = [ACCESS_SCOPE]) => o.send(new oidc.RegisterClientCommand({ clientName: 't', clientType: 'public', scopes }));
  const deviceLogin = async (scopes?: string[]) => {
    const c = await register(scopes);
    const d = await o.send(new oidc.StartDeviceAuthorizationCommand({ clientId: c.clientId!, clientSecret: c.clientSecret!, startUrl: fake.startUrl }));
    const poll = () =>
      o.send(new oidc.CreateTokenCommand({ clientId: c.clientId!, clientSecret: c.clientSecret!, grantType: DEVICE_GRANT, deviceCode: d.deviceCode! }));
    return { c, d, poll };
  };

  test('device code: pending until approved, then tokens; refresh token only with sso:account:access', async () => {
    const { d, poll } = await deviceLogin();
    assert.match(d.userCode!, /^[0-9A-F]{4}-[0-9A-F]{4}$/);
    assert.ok(d.verificationUriComplete!.includes(d.userCode!));
    await assert.rejects(poll(), { name: 'AuthorizationPendingException' });
    fake.approve(d.userCode!);
    const t = await poll();
    assert.ok(t.accessToken && t.refreshToken);
    assert.equal(t.expiresIn, 3600);

    const noScope = await deviceLogin([]);
    fake.approve(noScope.d.userCode!);
    const t2 = await noScope.poll();
    assert.ok(t2.accessToken);
    assert.equal(t2.refreshToken, undefined);
  });

  test('switches: slow_down, N pending polls, denial, expired device code, wrong start URL', async () => {
    fake.switches.slowDowns = 1;
    fake.switches.pendingPolls = 2;
    const a = await deviceLogin();
    fake.approve(a.d.userCode!);
    await assert.rejects(a.poll(), { name: 'SlowDownException' });
    await assert.rejects(a.poll(), { name: 'AuthorizationPendingException' });
    await assert.rejects(a.poll(), { name: 'AuthorizationPendingException' });
    assert.ok((await a.poll()).accessToken);
    fake.switches.pendingPolls = 0;

    const b = await deviceLogin();
    fake.deny(b.d.userCode!);
    await assert.rejects(b.poll(), { name: 'AccessDeniedException' });

    fake.switches.deviceCodeSeconds = 0;
    const e = await deviceLogin();
    await assert.rejects(e.poll(), { name: 'ExpiredTokenException' });
    fake.switches.deviceCodeSeconds = 600;

    const c = await register();
    await assert.rejects(
      o.send(new oidc.StartDeviceAuthorizationCommand({ clientId: c.clientId!, clientSecret: c.clientSecret!, startUrl: 'https://wrong.awsapps.com/start' })),
      {
        name: 'InvalidRequestException',
      },
    );
  });

  test('refresh_token rotates; a revoked one is invalid_grant', async () => {
    const { c, d, poll } = await deviceLogin();
    fake.approve(d.userCode!);
    const t = await poll();
    const refresh = (rt: string) =>
      o.send(new oidc.CreateTokenCommand({ clientId: c.clientId!, clientSecret: c.clientSecret!, grantType: 'refresh_token', refreshToken: rt }));
    const r = await refresh(t.refreshToken!);
    assert.ok(r.accessToken && r.refreshToken && r.accessToken !== t.accessToken);
    await assert.rejects(refresh(t.refreshToken!), { name: 'InvalidGrantException' });
    fake.revokeRefreshTokens();
    await assert.rejects(refresh(r.refreshToken!), { name: 'InvalidGrantException' });
  });

  test('authorization code with PKCE: the verifier must match the challenge', async () => {
    const c = await o.send(
      new oidc.RegisterClientCommand({
        clientName: 't',
        clientType: 'public',
        scopes: [ACCESS_SCOPE],
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: ['http://127.0.0.1/oauth/callback'],
        issuerUrl: fake.startUrl,
      }),
    );
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://127.0.0.1:9/oauth/callback';
    const authorize = async () => {
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: c.clientId!,
        redirect_uri: redirectUri,
        state: 's1',
        code_challenge_method: 'S256',
        code_challenge: challenge,
      });
      const res = await fetch(`${fake.url}/authorize?${q}`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      const loc = new URL(res.headers.get('location')!);
      assert.equal(loc.port, '9');
      assert.equal(loc.searchParams.get('state'), 's1');
      return loc.searchParams.get('code')!;
    };
    const exchange = (code: string, codeVerifier: string) =>
      o.send(
        new oidc.CreateTokenCommand({ clientId: c.clientId!, clientSecret: c.clientSecret!, grantType: 'authorization_code', code, redirectUri, codeVerifier }),
      );
    await assert.rejects(exchange(await authorize(), 'wrong-verifier'), { name: 'InvalidGrantException' });
    const t = await exchange(await authorize(), verifier);
    assert.ok(t.accessToken && t.refreshToken);
    // A device-code grant is refused to a client registered for the code flow only.
    await assert.rejects(
      o.send(new oidc.CreateTokenCommand({ clientId: c.clientId!, clientSecret: c.clientSecret!, grantType: DEVICE_GRANT, deviceCode: 'x' })),
      {
        name: 'UnauthorizedClientException',
      },
    );
  });

  test('portal: accounts from moto, roles, credentials that land in the account, expiry, logout', async () => {
    const { d, poll } = await deviceLogin();
    fake.approve(d.userCode!);
    const { accessToken } = await poll();
    const listed = await portal.send(new sso.ListAccountsCommand({ accessToken: accessToken! }));
    for (const id of accounts) assert.ok(listed.accountList!.some((a) => a.accountId === id));
    const roles = await portal.send(new sso.ListAccountRolesCommand({ accessToken: accessToken!, accountId: accounts[1]! }));
    assert.deepEqual(
      roles.roleList!.map((r) => r.roleName),
      ['ReadOnly', 'Admin'],
    );
    const creds = await portal.send(new sso.GetRoleCredentialsCommand({ accessToken: accessToken!, accountId: accounts[1]!, roleName: 'ReadOnly' }));
    const r = creds.roleCredentials!;
    assert.ok(r.expiration! > Date.now());
    const s = new sts.STSClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: { accessKeyId: r.accessKeyId!, secretAccessKey: r.secretAccessKey!, sessionToken: r.sessionToken! },
    });
    try {
      const who = await s.send(new sts.GetCallerIdentityCommand({}));
      assert.equal(who.Account, accounts[1]);
      assert.match(who.Arn!, /assumed-role\/ReadOnly\//);
    } finally {
      s.destroy();
    }
    await assert.rejects(portal.send(new sso.GetRoleCredentialsCommand({ accessToken: accessToken!, accountId: accounts[1]!, roleName: 'Nope' })), {
      name: 'ResourceNotFoundException',
    });
    await portal.send(new sso.LogoutCommand({ accessToken: accessToken! }));
    await assert.rejects(portal.send(new sso.ListAccountsCommand({ accessToken: accessToken! })), { name: 'UnauthorizedException' });

    const again = await deviceLogin();
    fake.approve(again.d.userCode!);
    const t = await again.poll();
    fake.expireAccessTokens();
    await assert.rejects(portal.send(new sso.ListAccountsCommand({ accessToken: t.accessToken! })), { name: 'UnauthorizedException' });
  });

  test('counts every call by route and grant type', () => {
    assert.ok(fake.counts.register! > 0);
    assert.ok(fake.counts[`token:${DEVICE_GRANT}`]! > 0);
    assert.ok(fake.counts['token:refresh_token']! >= 3);
    assert.ok(fake.counts.credentials! >= 2);
    fake.resetCounts();
    assert.deepEqual(fake.counts, {});
  });
});
