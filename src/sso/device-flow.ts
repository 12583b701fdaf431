import { sleep } from '../async/sleep.js';
import type { SsoSession } from '../config/sso-settings.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Clock } from '../io/context.js';
import { DEVICE_CODE_GRANT, type OidcPort } from './oidc.js';
import { sdkErrorName, ssoError } from './sso-errors.js';
import type { LoginPresenter, SsoRegistration, SsoTokenGrant } from './types.js';

/** RFC 8628: the default poll interval, and what each `slow_down` adds to it. */
export const DEFAULT_INTERVAL_MS = 5_000;
export const SLOW_DOWN_STEP_MS = 5_000;

/** What the device flow needs beyond the OIDC port. */
export interface DeviceFlowDeps {
  oidc: OidcPort;
  present: LoginPresenter;
  clock: Clock;
  signal?: AbortSignal;
  /** Injected for tests; default {@link sleep}. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The device authorization flow (RFC 8628): starts a device authorization,
 * shows its URL and user code, and polls the token endpoint at the interval
 * given (default 5 s) until the person approves. `authorization_pending`
 * polls again; `slow_down` adds 5 s to the interval; `expired_token`, or the
 * code's own expiry passing, is ERR_AWS_EXPIRED; a denial is
 * ERR_AWS_ACCESS_DENIED (see {@link ssoError}).
 */
export async function deviceLogin(session: SsoSession, reg: SsoRegistration, deps: DeviceFlowDeps): Promise<SsoTokenGrant> {
  const wait = deps.wait ?? sleep;
  let device;
  try {
    device = await deps.oidc.startDeviceAuthorization(reg, session.startUrl);
  } catch (e) {
    throw ssoError(e, `StartDeviceAuthorization for ${session.startUrl}`, session);
  }
  const deadline = deps.clock.now() + device.expiresInSeconds * 1000;
  await deps.present({
    kind: 'device',
    verificationUri: device.verificationUri,
    ...(device.verificationUriComplete ? { verificationUriComplete: device.verificationUriComplete } : {}),
    userCode: device.userCode,
    expiresAt: new Date(deadline),
  });
  let interval = device.intervalSeconds !== undefined ? device.intervalSeconds * 1000 : DEFAULT_INTERVAL_MS;
  for (;;) {
    try {
      await wait(interval, deps.signal);
    } catch (e) {
      throw new RolehopError(ErrorCodes.ABORTED, 'The sign-in was interrupted', { cause: e });
    }
    try {
      return await deps.oidc.createToken(reg, { grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode });
    } catch (e) {
      const name = sdkErrorName(e);
      const expired = deps.clock.now() >= deadline;
      if (name === 'SlowDownException' && !expired) interval += SLOW_DOWN_STEP_MS;
      else if (name !== 'AuthorizationPendingException' || expired) {
        throw ssoError(
          expired && name === 'AuthorizationPendingException' ? Object.assign(new Error('expired'), { name: 'ExpiredTokenException' }) : e,
          'CreateToken',
          session,
        );
      }
    }
  }
}
