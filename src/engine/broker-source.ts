import { ErrorCodes, RolehopError } from '../errors.js';
import type { Broker } from '../sessions/broker-contract.js';

/** A Broker, or a function returning one (called once, on first use). */
export type BrokerSource = Broker | (() => Broker | Promise<Broker>);

/**
 * A Broker over a {@link BrokerSource}, resolving the source on the first
 * async call. `plan()` works once any async call has resolved it, which is
 * how the credential pool uses it (session first, then the plan).
 */
export function lazyBroker(src: BrokerSource): Broker {
  if (typeof src !== 'function') return src;
  let resolved: Broker | undefined;
  let pending: Promise<Broker> | undefined;
  const get = () => (pending ??= Promise.resolve(src()).then((b) => (resolved = b)));
  return {
    plan(profile, opts) {
      if (!resolved) throw new RolehopError(ErrorCodes.INTERNAL, 'broker not resolved yet');
      return resolved.plan(profile, opts);
    },
    credentials: async (profile, req) => (await get()).credentials(profile, req),
    sessionCredentials: async (profile, req) => (await get()).sessionCredentials(profile, req),
    assumeRole: async (req) => (await get()).assumeRole(req),
    storedKey: async (profile) => (await get()).storedKey(profile),
    clearSessions: async (profile) => (await get()).clearSessions(profile),
  };
}
