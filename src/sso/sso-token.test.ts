import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sdkError, TEST_SSO_SESSION } from '../../test/helpers/sso-session.js';
import { silentLogger } from '../io/context.js';
import { MemoryStore } from '../stores/memory-store.js';
import type { OidcPort, TokenRequest } from './oidc.js';
import { ssoLoginStatus, ssoToken } from './sso-token.js';
import type { LoginPrompt, SsoDeps, SsoRegistration } from './types.js';

const session = TEST_SSO_SESSION;

/** An in-memory OIDC port: counts calls, answers device polls at once, scripts failures. */
function port() {
  const calls: string[] = [];
  let n = 0;
  const fail: Partial<Record<string, string>> = {};
  const oidc: OidcPort = {
    register: async ({ flow }) => {
      calls.push('register');
      return { flow, clientId: `c${++n}`, clientSecret: 's', expiresAt: new Date(Date.now() + 86_400_000).toISOString() } satisfies SsoRegistration;
    },
    startDeviceAuthorization: async () => {
      calls.push('device');
      const f = fail.device;
      if (f) {
        delete fail.device;
        throw sdkError(f);
      }
      return { deviceCode: 'dc', userCode: 'AAAA-BBBB', verificationUri: 'https://x', expiresInSeconds: 600, intervalSeconds: 0 };
    },
    createToken: async (_reg, req: TokenRequest) => {
      calls.push(req.grantType === 'refresh_token' ? 'refresh' : 'token');
      const f = fail[req.grantType];
      if (f) throw sdkError(f);
      await new Promise((r) => setTimeout(r, 5));
      return { accessToken: `at${++n}`, refreshToken: `rt${n}`, expiresInSeconds: ttl.seconds };
    },
  };
  const ttl = { seconds: 3600 };
  return { oidc, calls, fail, ttl };
}

function deps(present?: (p: LoginPrompt) => void): SsoDeps {
  const store = new MemoryStore();
  return {
    rolehopHome: mkdtempSync(join(tmpdir(), 'rolehop-sso-token-')),
    env: {},
    logger: silentLogger,
    clock: { now: () => Date.now() },
    store: async () => store,
    ...(present ? { present } : {}),
  };
}

test('no login yet and nobody to ask: ERR_AWS_EXPIRED with the sso login hint', async () => {
  const p = port();
  await assert.rejects(ssoToken(session, deps(), { oidc: p.oidc }), { code: 'ERR_AWS_EXPIRED', hint: /rolehop sso login --session corp/ });
  assert.deepEqual(p.calls, []);
});

test('a login, then the stored token; parallel callers in one process share one refresh', async () => {
  const p = port();
  const shown: LoginPrompt[] = [];
  const d = deps((x) => void shown.push(x));
  p.ttl.seconds = 60;
  const first = await ssoToken(session, d, { oidc: p.oidc });
  assert.deepEqual(p.calls, ['register', 'device', 'token']);
  assert.equal(shown.length, 1);
  assert.equal(ssoLoginStatus(session, d)?.flow, 'device');
  p.ttl.seconds = 3600;
  p.calls.length = 0;
  const tokens = await Promise.all(Array.from({ length: 10 }, () => ssoToken(session, d, { oidc: p.oidc })));
  assert.deepEqual(p.calls, ['refresh']);
  assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
  assert.notEqual(tokens[0]!.accessToken, first.accessToken);
  p.calls.length = 0;
  await ssoToken(session, d, { oidc: p.oidc });
  assert.deepEqual(p.calls, []);
});

test('a refresh that fails for the network keeps a still-valid token; a refused one logs in again', async () => {
  const p = port();
  const d = deps(() => {});
  p.ttl.seconds = 120; // valid, but inside the refresh window
  const first = await ssoToken(session, d, { oidc: p.oidc });
  p.fail.refresh_token = 'ECONNREFUSED';
  assert.equal((await ssoToken(session, d, { oidc: p.oidc })).accessToken, first.accessToken);
  p.fail.refresh_token = 'InvalidGrantException';
  p.calls.length = 0;
  const again = await ssoToken(session, d, { oidc: p.oidc });
  assert.notEqual(again.accessToken, first.accessToken);
  assert.deepEqual(p.calls, ['refresh', 'device', 'token'], 'the kept registration is reused');
});

test('a kept registration Identity Center refuses is replaced once', async () => {
  const p = port();
  const d = deps(() => {});
  await ssoToken(session, d, { oidc: p.oidc });
  p.fail.device = 'InvalidClientException';
  p.calls.length = 0;
  await ssoToken(session, d, { oidc: p.oidc, forceLogin: true });
  assert.deepEqual(p.calls, ['device', 'register', 'device', 'token']);
});

test('a flow change registers for that flow', async () => {
  const p = port();
  const d = deps(() => {});
  await ssoToken(session, d, { oidc: p.oidc });
  p.calls.length = 0;
  await assert.rejects(
    ssoToken(session, { ...d, present: () => Promise.reject(sdkError('stop here')) }, { oidc: p.oidc, forceLogin: true, flow: 'pkce' }),
    /stop here/,
  );
  assert.deepEqual(p.calls, ['register']);
});
