import { ErrorCodes, isRolehopError } from '../errors.js';
import type { Logger } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';

type Operation = 'credentials' | 'sessionCredentials' | 'assumeRole' | 'storedKey' | 'clearSessions';

/**
 * A broker that asks the agent first and, once the agent fails as an agent
 * (ERR_AGENT: it hung up, went silent, answered garbage or refused the
 * request), does this and every later call with the local broker, made by
 * `local()` on first need. Errors the agent reports about the profile (no
 * such profile, MFA refused, AWS errors) pass through as they came.
 *
 * The call is repeated locally from the start, so an MFA code already given
 * to the vanished agent may be asked for again.
 */
export function withLocalFallback(remote: Broker & { close(): void }, local: () => Promise<Broker>, logger: Logger): Broker & { close(): void } {
  let fallback: Promise<Broker> | undefined;
  const run = async <R>(op: Operation, call: (b: Broker) => Promise<R>): Promise<R> => {
    if (!fallback) {
      try {
        return await call(remote);
      } catch (e) {
        if (!isRolehopError(e) || e.code !== ErrorCodes.AGENT) throw e;
        logger.warn(`the rolehop agent failed during ${op} (${e.message}); going on without it`);
        remote.close();
        fallback ??= local();
      }
    }
    return call(await fallback);
  };
  return {
    plan: (profile, opts) => remote.plan(profile, opts),
    credentials: (profile, req) => run('credentials', (b) => b.credentials(profile, req)),
    sessionCredentials: (profile, req) => run('sessionCredentials', (b) => b.sessionCredentials(profile, req)),
    assumeRole: (req) => run('assumeRole', (b) => b.assumeRole(req)),
    storedKey: (profile) => run('storedKey', (b) => b.storedKey(profile)),
    clearSessions: (profile) => run('clearSessions', (b) => b.clearSessions(profile)),
    close: () => remote.close(),
  };
}
