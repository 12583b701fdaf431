import type { Credentials } from '../credentials/types.js';
import type { Broker } from '../sessions/broker-contract.js';

/**
 * The source session with its account id: from the broker when it knows it,
 * else one GetCallerIdentity (a session from a stored key does not say).
 */
export async function sessionWithAccount(broker: Broker, profile: string, plan: ReturnType<Broker['plan']>): Promise<Credentials> {
  const { credentials } = await broker.sessionCredentials(profile);
  if (credentials.accountId) return credentials;
  const { createStsPort } = await import('../aws/sts.js');
  const sts = createStsPort({ ...(plan.region ? { region: plan.region } : {}), ...(plan.endpoints.sts ? { endpoint: plan.endpoints.sts } : {}) });
  const who = await sts.getCallerIdentity(credentials);
  return { ...credentials, accountId: who.account };
}
