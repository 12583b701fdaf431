import { join } from 'node:path';
import { ssoEndpoints, type SsoSession } from '../config/sso-settings.js';
import { SingleFlight } from '../async/single-flight.js';
import type { RolehopError } from '../errors.js';
import { withLock } from '../io/lock.js';
import { loadDataKey } from '../sessions/data-key.js';
import { deviceLogin } from './device-flow.js';
import { createOidcPort, type OidcPort } from './oidc.js';
import { pkceLogin } from './pkce-flow.js';
import { loginNeeded, sdkErrorName, ssoError } from './sso-errors.js';
import { SsoTokenStore, ssoStoreKey, type SsoTokenRecord } from './token-store.js';
import type { SsoAccessToken, SsoDeps, SsoFlow, SsoRegistration, SsoTokenGrant } from './types.js';

/** A token with less life than this is refreshed first (the SDK v3 window). */
export const DEFAULT_MIN_TOKEN_TTL_MS = 5 * 60_000;
/** A registration this close to its expiry is replaced rather than used for a login. */
const REGISTRATION_MARGIN_MS = 60 * 60_000;
/** Waiters queue behind a person approving a login (device codes live 10 min). */
const LOCK_OPTIONS = { timeoutMs: 15 * 60_000 };
/** Refresh answers meaning the refresh token (or its registration) is no good any more: log in instead. */
const REFRESH_REFUSED = new Set(['InvalidGrantException', 'InvalidClientException', 'UnauthorizedClientException', 'AccessDeniedException']);

/** Options of {@link ssoToken}. */
export interface SsoTokenOptions {
  /** Log in even when a valid token or refresh token is stored (`rolehop sso login`). */
  forceLogin?: boolean;
  /** The flow of a login; default the session's last one, else the device code. */
  flow?: SsoFlow;
  /** Least life the returned token must have; default {@link DEFAULT_MIN_TOKEN_TTL_MS}. */
  minTtlMs?: number;
  /** Injected for tests: the OIDC port; default over the SDK at the session's endpoint. */
  oidc?: OidcPort;
  /**
   * An access token the portal refused although it had not expired
   * (revoked, or logged out elsewhere): renewed like an expired one, unless
   * the stored token is already another (a process that renewed first).
   */
  refused?: string;
}

/** Where a session's login is kept and locked. */
function places(deps: SsoDeps, session: SsoSession) {
  const key = ssoStoreKey(session);
  return {
    key,
    store: new SsoTokenStore(join(deps.rolehopHome, 'sso'), deps.logger),
    lock: join(deps.rolehopHome, 'locks', `sso-${key}`),
    dataKey: async () => loadDataKey(await deps.store(), join(deps.rolehopHome, 'locks', 'cache-key')),
  };
}

function usable(r: SsoTokenRecord | undefined, now: number, minTtlMs: number, refused?: string): r is SsoTokenRecord {
  return !!r && Date.parse(r.meta.expiresAt) - now > minTtlMs && r.secrets.accessToken !== refused;
}

function tokenOf(session: SsoSession, r: SsoTokenRecord): SsoAccessToken {
  return { session, accessToken: r.secrets.accessToken, expiresAt: new Date(r.meta.expiresAt) };
}

function recordOf(session: SsoSession, reg: SsoRegistration, grant: SsoTokenGrant, now: number, keptRefresh?: string): SsoTokenRecord {
  const refreshToken = grant.refreshToken ?? keptRefresh;
  return {
    meta: {
      session: session.name,
      startUrl: session.startUrl,
      region: session.region,
      flow: reg.flow,
      expiresAt: new Date(now + grant.expiresInSeconds * 1000).toISOString(),
      registrationExpiresAt: reg.expiresAt,
      refreshable: !!refreshToken,
      updatedAt: new Date(now).toISOString(),
    },
    secrets: { accessToken: grant.accessToken, ...(refreshToken ? { refreshToken } : {}), registration: reg },
  };
}

/**
 * A valid IAM Identity Center access token for `session`, with at least
 * `minTtlMs` left. In order: the stored token (one file read, nothing
 * loaded); else, under the session's cross-process lock, the stored token
 * again (another process may just have renewed it), a refresh with the
 * stored refresh token, and only then a login through `deps.present`
 * (device code by default, or PKCE; the choice is stored with the token).
 * So any number of parallel callers that find the token expired make one
 * refresh or one login between them; the others wait on the lock and use
 * its result.
 *
 * Without `deps.present` a needed login is ERR_AWS_EXPIRED with the
 * `rolehop sso login` hint. A refused refresh token (revoked, registration
 * gone) falls back to the login; a refresh that fails otherwise returns the
 * stored token while it is still valid, else fails. Tokens and registration
 * are written sealed (see {@link SsoTokenStore}); nothing secret is logged.
 */
export async function ssoToken(session: SsoSession, deps: SsoDeps, opts: SsoTokenOptions = {}): Promise<SsoAccessToken> {
  const minTtlMs = opts.minTtlMs ?? DEFAULT_MIN_TOKEN_TTL_MS;
  const p = places(deps, session);
  const metaFresh = () => {
    const m = p.store.meta(p.key);
    return !!m && Date.parse(m.expiresAt) - deps.clock.now() > minTtlMs;
  };
  if (!opts.forceLogin && metaFresh()) {
    const hit = p.store.read(p.key, await p.dataKey());
    if (usable(hit, deps.clock.now(), minTtlMs, opts.refused)) return tokenOf(session, hit);
  }
  const dataKey = await p.dataKey();
  const flightKey = [deps.rolehopHome, p.key, opts.forceLogin ? 'login' : 'renew', opts.flow ?? ''].join('\0');
  return inflight.run(flightKey, () => renewLocked(session, deps, opts, p, dataKey, minTtlMs));
}

/** Callers in one process share one renewal (on top of the lock, which orders processes). */
const inflight = new SingleFlight<string, SsoAccessToken>();

function renewLocked(
  session: SsoSession,
  deps: SsoDeps,
  opts: SsoTokenOptions,
  p: ReturnType<typeof places>,
  dataKey: Buffer,
  minTtlMs: number,
): Promise<SsoAccessToken> {
  return withLock(
    p.lock,
    async () => {
      const stored = p.store.read(p.key, dataKey);
      if (!opts.forceLogin && usable(stored, deps.clock.now(), minTtlMs, opts.refused)) return tokenOf(session, stored);
      const oidc = opts.oidc ?? createOidcPort(session.region, ssoEndpoints(deps.env, session.region).oidc, deps.signal);
      if (!opts.forceLogin && stored?.secrets.refreshToken) {
        const refreshed = await refresh(session, stored, oidc, deps, opts.refused);
        if (refreshed) return keep(session, deps, p, refreshed, dataKey);
        if (usable(stored, deps.clock.now(), 0, opts.refused) && !deps.present) return tokenOf(session, stored);
      }
      if (!deps.present) throw loginNeeded(session, stored ? 'has expired and cannot be refreshed' : 'does not exist yet');
      const flow = opts.flow ?? stored?.meta.flow ?? 'device';
      return keep(session, deps, p, await login(session, deps, oidc, flow, stored?.secrets.registration), dataKey);
    },
    LOCK_OPTIONS,
  );
}

/** Stores a new login (and its AWS CLI copy when asked for) and returns its token. */
async function keep(session: SsoSession, deps: SsoDeps, p: ReturnType<typeof places>, record: SsoTokenRecord, dataKey: Buffer): Promise<SsoAccessToken> {
  await p.store.write(p.key, record, dataKey);
  const token = tokenOf(session, record);
  if (deps.awsCliCacheDir) await (await import('./aws-cli-cache.js')).writeAwsCliToken(deps.awsCliCacheDir, token, deps.logger);
  return token;
}

/** The refreshed login, or undefined when the refresh token was refused (so a login is due). */
async function refresh(session: SsoSession, stored: SsoTokenRecord, oidc: OidcPort, deps: SsoDeps, refused?: string): Promise<SsoTokenRecord | undefined> {
  const reg = stored.secrets.registration;
  if (Date.parse(reg.expiresAt) <= deps.clock.now()) return undefined;
  try {
    const grant = await oidc.createToken(reg, { grantType: 'refresh_token', refreshToken: stored.secrets.refreshToken! });
    deps.logger.debug(`sso: refreshed the access token of "${session.name}"`);
    return recordOf(session, reg, grant, deps.clock.now(), stored.secrets.refreshToken);
  } catch (e) {
    if (REFRESH_REFUSED.has(sdkErrorName(e))) {
      deps.logger.debug(`sso: the refresh token of "${session.name}" was refused (${sdkErrorName(e)}); a login is needed`);
      return undefined;
    }
    if (usable(stored, deps.clock.now(), 0, refused)) {
      deps.logger.warn(`Could not refresh the IAM Identity Center token of "${session.name}" (${sdkErrorName(e) || 'error'}); using it while it lasts.`);
      return stored;
    }
    throw ssoError(e, 'CreateToken (refresh)', session);
  }
}

async function register(session: SsoSession, oidc: OidcPort, flow: SsoFlow): Promise<SsoRegistration> {
  try {
    return await oidc.register({ flow, scopes: session.scopes, startUrl: session.startUrl });
  } catch (e) {
    throw ssoError(e, 'RegisterClient', session);
  }
}

/** A login with the kept registration when it suits, else a new one; a kept one Identity Center no longer knows is replaced once. */
async function login(session: SsoSession, deps: SsoDeps, oidc: OidcPort, flow: SsoFlow, previous?: SsoRegistration): Promise<SsoTokenRecord> {
  const present = deps.present!;
  const signal = deps.signal ? { signal: deps.signal } : {};
  const run = (reg: SsoRegistration) =>
    flow === 'pkce'
      ? pkceLogin(session, reg, { oidc, endpoints: ssoEndpoints(deps.env, session.region), present, ...signal })
      : deviceLogin(session, reg, { oidc, present, clock: deps.clock, ...signal });
  const kept = previous && previous.flow === flow && Date.parse(previous.expiresAt) - deps.clock.now() >= REGISTRATION_MARGIN_MS ? previous : undefined;
  let reg = kept ?? (await register(session, oidc, flow));
  let grant: SsoTokenGrant;
  try {
    grant = await run(reg);
  } catch (e) {
    if (!kept || (e as RolehopError).details?.awsCode !== 'InvalidClientException') throw e;
    deps.logger.debug(`sso: the kept client registration of "${session.name}" was refused; registering again`);
    reg = await register(session, oidc, flow);
    grant = await run(reg);
  }
  return recordOf(session, reg, grant, deps.clock.now());
}

/** Non-secret facts of a session's stored login (for `list`), or undefined when there is none. */
export function ssoLoginStatus(
  session: SsoSession,
  deps: Pick<SsoDeps, 'rolehopHome' | 'logger'>,
): { expiresAt: Date; refreshable: boolean; flow: SsoFlow } | undefined {
  const m = new SsoTokenStore(join(deps.rolehopHome, 'sso'), deps.logger).meta(ssoStoreKey(session));
  return m ? { expiresAt: new Date(m.expiresAt), refreshable: m.refreshable, flow: m.flow } : undefined;
}

/** Exposed for {@link ssoLogout}: the store, key, lock and data key of a session. */
export { places as ssoPlaces };
