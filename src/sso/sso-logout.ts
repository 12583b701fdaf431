import type { SsoSession } from '../config/sso-settings.js';
import { withLock } from '../io/lock.js';
import { ssoPortalLogout } from './portal.js';
import { ssoPlaces } from './sso-token.js';
import type { SsoDeps } from './types.js';

/**
 * Logs `session` out: the portal's Logout with the stored token (when it has
 * not expired yet), then the stored login is deleted, under the session's
 * lock. Resolves whether there was a stored login. The login is deleted
 * even when Logout fails (network): it is gone from this machine either way,
 * and the failure is rethrown after.
 */
export async function ssoLogout(session: SsoSession, deps: SsoDeps): Promise<boolean> {
  const p = ssoPlaces(deps, session);
  const dataKey = await p.dataKey();
  return withLock(p.lock, async () => {
    const stored = p.store.read(p.key, dataKey);
    let failure: unknown;
    if (stored && Date.parse(stored.meta.expiresAt) > deps.clock.now()) {
      try {
        await ssoPortalLogout(
          { session, accessToken: stored.secrets.accessToken, expiresAt: new Date(stored.meta.expiresAt) },
          { env: deps.env, ...(deps.signal ? { signal: deps.signal } : {}) },
        );
      } catch (e) {
        failure = e;
      }
    }
    const had = p.store.remove(p.key) || !!stored;
    if (deps.awsCliCacheDir) (await import('./aws-cli-cache.js')).removeAwsCliToken(deps.awsCliCacheDir, session);
    if (failure) throw failure;
    return had;
  });
}
