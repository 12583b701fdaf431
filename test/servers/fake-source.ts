// A fake credential source counting how often it would have reached STS.
import type { Credentials } from '../../src/credentials/types.js';

export const SECRET = 'fake-secret-access-key-000000000000000000';
export const SESSION = 'fake-session-token-IQoJb3JpZ2luX2VjEXAMPLE';

export function fakeSource(lifetimeMs = 3600_000, now: () => number = Date.now) {
  let n = 0;
  const fn = async (_o: { minTtlSeconds: number }): Promise<Credentials> => {
    n++;
    return {
      accessKeyId: `ASIAFAKE${String(n).padStart(12, '0')}`,
      secretAccessKey: SECRET,
      sessionToken: SESSION,
      expiration: new Date(now() + lifetimeMs + 0.123),
      accountId: '123456789012',
    };
  };
  return {
    fn,
    get calls() {
      return n;
    },
  };
}
