// IAM Identity Center end to end: the built CLI's `sso login` (device code
// and PKCE) and `sso logout` against the fake, backed by moto; the token
// API (silent refresh, revoked refresh token, 20 parallel processes); role
// credentials that the AWS CLI uses in the right moto account.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveSsoSession, type SsoSession } from '../../src/config/sso-settings.js';
import { silentLogger, systemClock } from '../../src/io/context.js';
import { ssoRoleCredentials } from '../../src/sso/portal.js';
import { ssoToken } from '../../src/sso/sso-token.js';
import type { LoginPresenter, SsoDeps } from '../../src/sso/types.js';
import { openStore } from '../../src/stores/open-store.js';
import type { SecretStore } from '../../src/stores/contract.js';
import { DEVICE_GRANT, startFakeIdentityCenter, type FakeIdentityCenter } from '../helpers/fake-identity-center.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const WORKER = fileURLToPath(new URL('./fixtures/sso-token-worker.ts', import.meta.url));
const USER_CODE = /\b([0-9A-F]{4}-[0-9A-F]{4})\b/;

/** Runs the AWS CLI without blocking this process (which serves the fake). */
function runAws(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('aws', args, { env, encoding: 'utf8', timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ status: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('IAM Identity Center login', { timeout: 600_000 }, () => {
  let world: World;
  let fake: FakeIdentityCenter;
  let env: Record<string, string>;
  let session: SsoSession;
  let store: Promise<SecretStore> | undefined;

  before(async () => {
    world = await startWorld({ identity: false, targets: 2 });
    fake = await startFakeIdentityCenter({ motoUrl: world.moto.url });
    env = { ...world.env, AWS_ENDPOINT_URL_SSO_OIDC: fake.url, AWS_ENDPOINT_URL_SSO: fake.url };
    world.box.writeConfig(
      [
        '[sso-session corp]',
        `sso_start_url = ${fake.startUrl}`,
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[profile dev]',
        'sso_session = corp',
        `sso_account_id = ${world.accounts[0]}`,
        'sso_role_name = ReadOnly',
        '',
        '[sso-session broken]',
        `sso_start_url = ${fake.startUrl}`,
        '',
      ].join('\n'),
    );
    session = resolveSsoSession(new Map([['corp', { sso_start_url: fake.startUrl, sso_region: 'us-east-1' }]]), 'corp', world.box.awsConfigFile);
  });
  after(async () => {
    await fake?.stop();
    await world?.stop();
  });

  /** The library's view of the sandbox: the same file vault the CLI uses. */
  const deps = (present?: LoginPresenter): SsoDeps => ({
    rolehopHome: world.box.rolehopHome,
    env,
    logger: silentLogger,
    clock: systemClock,
    store: () =>
      (store ??= openStore({ kind: 'file', rolehopHome: world.box.rolehopHome, getPassphrase: async () => 'test-passphrase', logger: silentLogger })),
    ...(present ? { present } : {}),
  });

  /** `rolehop sso login --no-browser ...`, answering the code it prints on stderr as the user would (approve by default). */
  const deviceLogin = (args: string[] = [], opts: { answer?: 'approve' | 'deny'; env?: Record<string, string> } = {}): Promise<CliResult> => {
    let seen = '';
    let answered = false;
    return runCli(['sso', 'login', '--session', 'corp', '--no-browser', ...args], {
      env: opts.env ?? env,
      onStderr: (chunk) => {
        seen += chunk;
        const m = USER_CODE.exec(seen);
        if (m && !answered) {
          answered = true;
          fake[opts.answer ?? 'approve'](m[1]!);
        }
      },
    });
  };

  const assertNoSecretsLeaked = (...outputs: string[]) => {
    for (const s of fake.secrets()) {
      for (const o of outputs) assert.ok(!o.includes(s), 'a token or client secret was printed');
      assert.deepEqual(world.box.grepSecret(s), [], 'a token or client secret is in plain text under HOME');
    }
  };

  test('device code: the built CLI shows the URL and code on stderr, polls through pending, keeps the token sealed', async () => {
    fake.resetCounts();
    fake.switches.pendingPolls = 1;
    const r = await deviceLogin(['--json']);
    fake.switches.pendingPolls = 0;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /To sign in to IAM Identity Center, open\n {2}https:\/\/d-1234567890\.awsapps\.com\/start\/#\/device\?user_code=/);
    assert.match(r.stderr, USER_CODE);
    const out = JSON.parse(r.stdout) as { session: string; expiresAt: string };
    assert.equal(out.session, 'corp');
    assert.ok(Date.parse(out.expiresAt) > Date.now() + 50 * 60_000);
    assert.equal(fake.counts.register, 1);
    assert.equal(fake.counts.device_authorization, 1);
    assert.equal(fake.counts[`token:${DEVICE_GRANT}`], 2, 'one pending poll, then the token');
    assertNoSecretsLeaked(r.stdout, r.stderr);
    assert.equal(readdirSync(join(world.box.rolehopHome, 'sso')).filter((n) => n.endsWith('.json')).length, 1);
  });

  test('an expiring token is refreshed silently: no device authorization, no prompt', async () => {
    fake.switches.accessTokenSeconds = 60; // inside the 5-minute refresh window
    assert.equal((await deviceLogin()).code, 0);
    fake.switches.accessTokenSeconds = 3600;
    fake.resetCounts();
    const t = await ssoToken(session, deps()); // no presenter: a prompt would fail
    assert.ok(t.expiresAt.getTime() > Date.now() + 50 * 60_000);
    assert.equal(fake.counts['token:refresh_token'], 1);
    assert.equal(fake.counts.device_authorization, undefined);
    // Warm: the stored token is used as it is.
    fake.resetCounts();
    assert.equal((await ssoToken(session, deps())).accessToken, t.accessToken);
    assert.deepEqual(fake.counts, {});
  });

  test('a revoked refresh token: a clear error without a terminal, exactly one new login with one', async () => {
    fake.switches.accessTokenSeconds = 0; // expired at once: the old token cannot stand in
    assert.equal((await deviceLogin()).code, 0);
    fake.switches.accessTokenSeconds = 3600;
    fake.revokeRefreshTokens();
    await assert.rejects(ssoToken(session, deps()), (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, 'ERR_AWS_EXPIRED');
      assert.match(e.hint ?? '', /rolehop sso login --session corp/);
      return true;
    });
    fake.resetCounts();
    let shown = 0;
    const t = await ssoToken(
      session,
      deps((p) => {
        shown++;
        assert.equal(p.kind, 'device');
        if (p.kind === 'device') fake.approve(p.userCode);
      }),
    );
    assert.ok(t.accessToken);
    assert.equal(shown, 1);
    assert.equal(fake.counts.device_authorization, 1);
    assert.equal(fake.counts['token:refresh_token'], 1, 'the refresh token is tried first');
    assert.equal(fake.counts.register, undefined, 'the kept registration is reused');
  });

  const burst = async (mode: 'batch' | 'interactive') => {
    const runs = Array.from(
      { length: 20 },
      () =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const c = spawn(process.execPath, ['--import', 'tsx', WORKER, world.box.rolehopHome, JSON.stringify(session), mode], {
            env: { ...env, NODE_NO_WARNINGS: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
          c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
          c.once('close', (code) => resolve({ code, out, err }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) assert.equal(r.code, 0, r.err);
    return new Set(results.map((r) => (JSON.parse(r.out) as { digest: string }).digest));
  };

  test('20 parallel processes on an expiring token: exactly one refresh, one token for all', async () => {
    fake.switches.accessTokenSeconds = 60;
    assert.equal((await deviceLogin()).code, 0);
    fake.switches.accessTokenSeconds = 3600;
    fake.resetCounts();
    const tokens = await burst('batch');
    assert.equal(tokens.size, 1);
    assert.deepEqual(fake.counts, { token: 1, 'token:refresh_token': 1 });
  });

  test('20 parallel processes with a revoked refresh token: exactly one device authorization and one token call', async () => {
    fake.switches.accessTokenSeconds = 60;
    assert.equal((await deviceLogin()).code, 0);
    fake.switches.accessTokenSeconds = 3600;
    fake.revokeRefreshTokens();
    fake.switches.autoApprove = true;
    fake.resetCounts();
    try {
      const tokens = await burst('interactive');
      assert.equal(tokens.size, 1);
    } finally {
      fake.switches.autoApprove = false;
    }
    assert.equal(fake.counts.device_authorization, 1);
    assert.equal(fake.counts[`token:${DEVICE_GRANT}`], 1);
    assert.equal(fake.counts['token:refresh_token'], 1);
  });

  test('PKCE (with --debug): the authorize URL leads the browser to the loopback redirect; nothing secret in the output; the flow is remembered', async () => {
    fake.resetCounts();
    let seen = '';
    let followed: Promise<Response> | undefined;
    const r = await runCli(['--debug', 'sso', 'login', '--session', 'corp', '--pkce', '--no-browser'], {
      env,
      onStderr: (chunk) => {
        seen += chunk;
        const m = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(seen);
        if (m && !followed) followed = fetch(m[1]!); // the "browser": follows the 302 to rolehop's 127.0.0.1 listener
      },
    });
    assert.equal(r.code, 0, r.stderr);
    const page = await followed!;
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Signed in/);
    assert.equal(fake.counts.authorize, 1);
    assert.equal(fake.counts['token:authorization_code'], 1);
    assert.equal(fake.counts.device_authorization, undefined);
    assertNoSecretsLeaked(r.stdout, r.stderr);

    // The next login of the session uses PKCE again without being told.
    fake.resetCounts();
    fake.revokeRefreshTokens();
    fake.switches.accessTokenSeconds = 3600;
    await ssoToken(
      session,
      {
        ...deps(async (p) => {
          assert.equal(p.kind, 'pkce');
          if (p.kind === 'pkce') await fetch(p.url);
        }),
      },
      { forceLogin: true },
    );
    assert.equal(fake.counts['token:authorization_code'], 1);
    assert.equal(fake.counts.register, undefined);
  });

  test('role credentials from the token: the AWS CLI lands in the assigned moto account', async () => {
    const token = await ssoToken(session, deps());
    const creds = await ssoRoleCredentials(token, { accountId: world.accounts[1]!, roleName: 'Admin' }, { env });
    assert.equal(creds.accountId, world.accounts[1]);
    assert.ok(creds.expiration && creds.expiration.getTime() > Date.now());
    const aws = spawnSync('aws', ['sts', 'get-caller-identity', '--output', 'json', '--endpoint-url', world.moto.url, '--region', 'us-east-1'], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: world.box.home,
        AWS_CONFIG_FILE: join(world.box.home, 'none'),
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        AWS_SESSION_TOKEN: creds.sessionToken ?? '',
      },
    });
    assert.equal(aws.status, 0, aws.stderr);
    const who = JSON.parse(aws.stdout) as { Account: string; Arn: string };
    assert.equal(who.Account, world.accounts[1]);
    assert.match(who.Arn, /assumed-role\/Admin\//);

    await assert.rejects(ssoRoleCredentials(token, { accountId: world.accounts[1]!, roleName: 'Nope' }, { env }), { code: 'ERR_AWS_ACCESS_DENIED' });
    fake.expireAccessTokens();
    await assert.rejects(
      ssoRoleCredentials(token, { accountId: world.accounts[1]!, roleName: 'Admin' }, { env }),
      (e: Error & { code?: string; hint?: string }) => {
        assert.equal(e.code, 'ERR_AWS_EXPIRED');
        assert.match(e.hint ?? '', /rolehop sso login --session corp/);
        return true;
      },
    );
  });

  test('logout calls the portal and deletes the stored token', async () => {
    // The session remembers PKCE from the test before: ask for the device code.
    assert.equal((await deviceLogin(['--device-code'])).code, 0);
    fake.resetCounts();
    const r = await runCli(['sso', 'logout', '--session', 'corp'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Logged out of "corp"/);
    assert.equal(fake.counts.logout, 1);
    assert.equal(readdirSync(join(world.box.rolehopHome, 'sso')).filter((n) => n.endsWith('.json')).length, 0);
    const again = await runCli(['sso', 'logout', '--session', 'corp'], { env });
    assert.equal(again.code, 0);
    assert.match(again.stderr, /no stored login/);
    assert.ok(existsSync(world.box.rolehopHome));
  });

  test('opt-in AWS CLI copy: the AWS CLI reads the login through its SSO profile; no refresh token or client secret in it; logout removes it', async () => {
    const cacheFile = join(world.box.home, '.aws', 'sso', 'cache', 'ee0bfd2552fbd840c02cc48b6e823320543c450f.json');
    const withCopy = { ...env, ROLEHOP_SSO_AWS_CLI_CACHE: '1' };
    const r = await deviceLogin(['--device-code'], { env: withCopy });
    assert.equal(r.code, 0, r.stderr);
    const copy = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(copy).sort(), ['accessToken', 'expiresAt', 'region', 'startUrl']);
    assert.match(copy.expiresAt!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(statSync(cacheFile).mode & 0o777, 0o600);
    fake.resetCounts();
    // Not spawnSync: the fake answers from this process's event loop.
    const aws = await runAws(['sts', 'get-caller-identity', '--profile', 'dev', '--output', 'json'], {
      PATH: process.env.PATH ?? '',
      HOME: world.box.home,
      AWS_CONFIG_FILE: world.box.awsConfigFile,
      AWS_SHARED_CREDENTIALS_FILE: world.box.awsCredentialsFile,
      AWS_ENDPOINT_URL: world.moto.url,
      AWS_ENDPOINT_URL_SSO: fake.url,
      AWS_DEFAULT_REGION: 'us-east-1',
    });
    assert.equal(aws.status, 0, aws.stderr);
    assert.equal((JSON.parse(aws.stdout) as { Account: string }).Account, world.accounts[0]);
    assert.equal(fake.counts.credentials, 1, 'the AWS CLI exchanged our token');
    assert.equal(fake.counts.token, undefined, 'and did not log in or refresh itself');

    const out = await runCli(['sso', 'logout', '--session', 'corp'], { env: withCopy });
    assert.equal(out.code, 0, out.stderr);
    assert.ok(!existsSync(cacheFile));
  });

  test('bad input: unknown session, missing sso_region, a denied code, a wrong start URL, both flows', async () => {
    const unknown = await runCli(['sso', 'login', '--session', 'nope', '--no-browser'], { env });
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /no \[sso-session nope\] section/);
    assert.match(unknown.stderr, /corp, broken/);

    const noRegion = await runCli(['sso', 'login', '--session', 'broken', '--no-browser'], { env });
    assert.equal(noRegion.code, 3);
    assert.match(noRegion.stderr, /has no sso_region/);

    const several = await runCli(['sso', 'login', '--no-browser'], { env });
    assert.equal(several.code, 2);
    assert.match(several.stderr, /--session with one of: corp, broken/);

    const both = await runCli(['sso', 'login', '--session', 'corp', '--pkce', '--device-code'], { env });
    assert.equal(both.code, 2);

    const deny = await deviceLogin(['--device-code'], { answer: 'deny' });
    assert.equal(deny.code, 6);
    assert.match(deny.stderr, /was denied/);

    const wrong = await runCli(['sso', 'login', '--session', 'corp', '--no-browser'], {
      env: { ...env, AWS_CONFIG_FILE: join(world.box.home, 'wrong-config') },
    });
    assert.equal(wrong.code, 3, 'no such session in an empty config');
  });
});
