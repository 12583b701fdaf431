import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sdkError, TEST_SSO_SESSION } from '../../test/helpers/sso-session.js';
import { deviceLogin, SLOW_DOWN_STEP_MS } from './device-flow.js';
import type { OidcPort } from './oidc.js';
import type { LoginPrompt, SsoRegistration } from './types.js';

const session = TEST_SSO_SESSION;
const reg: SsoRegistration = { flow: 'device', clientId: 'c', clientSecret: 's', expiresAt: new Date(Date.now() + 86_400_000).toISOString() };

/** A port whose token answers are scripted; time moves only by the waits. */
function scripted(answers: string[], opts: { expiresIn?: number; interval?: number } = {}) {
  let now = 0;
  const waits: number[] = [];
  const oidc: OidcPort = {
    register: async () => reg,
    startDeviceAuthorization: async () => ({
      deviceCode: 'dc',
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://x/device',
      expiresInSeconds: opts.expiresIn ?? 600,
      ...(opts.interval !== undefined ? { intervalSeconds: opts.interval } : {}),
    }),
    createToken: async () => {
      const a = answers.shift();
      if (a) throw sdkError(a);
      return { accessToken: 'at', refreshToken: 'rt', expiresInSeconds: 3600 };
    },
  };
  const shown: LoginPrompt[] = [];
  const deps = {
    oidc,
    present: (p: LoginPrompt) => void shown.push(p),
    clock: { now: () => now },
    wait: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
  return { deps, waits, shown };
}

test('polls at the given interval through authorization_pending; slow_down adds 5 s', async () => {
  const s = scripted(['AuthorizationPendingException', 'SlowDownException', 'AuthorizationPendingException'], { interval: 2 });
  const grant = await deviceLogin(session, reg, s.deps);
  assert.equal(grant.accessToken, 'at');
  assert.deepEqual(s.waits, [2000, 2000, 2000 + SLOW_DOWN_STEP_MS, 2000 + SLOW_DOWN_STEP_MS]);
  assert.equal(s.shown.length, 1);
  assert.equal(s.shown[0]!.kind === 'device' && s.shown[0]!.userCode, 'ABCD-EFGH');
});

test('default interval is 5 s', async () => {
  const s = scripted([]);
  await deviceLogin(session, reg, s.deps);
  assert.deepEqual(s.waits, [5000]);
});

test('a code that expires while pending, expired_token and a denial are clear errors', async () => {
  await assert.rejects(deviceLogin(session, reg, scripted(Array(10).fill('AuthorizationPendingException'), { expiresIn: 10, interval: 4 }).deps), {
    code: 'ERR_AWS_EXPIRED',
    message: /expired before it was approved/,
  });
  await assert.rejects(deviceLogin(session, reg, scripted(['ExpiredTokenException']).deps), { code: 'ERR_AWS_EXPIRED' });
  await assert.rejects(deviceLogin(session, reg, scripted(['AccessDeniedException']).deps), {
    code: 'ERR_AWS_ACCESS_DENIED',
    hint: /sso login --session corp/,
  });
});
