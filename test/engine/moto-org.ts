// Test setup against moto: an organization of N accounts (moto creates
// OrganizationAccountAccessRole in each) and a minimal Broker whose session
// is a real GetSessionToken call, so a proxy can count it.
import { OrganizationsClient, CreateOrganizationCommand, CreateAccountCommand } from '@aws-sdk/client-organizations';
import type { Broker } from '../../src/sessions/broker-contract.js';
import { createStsPort } from '../../src/aws/sts.js';

/** Management-account key: any unknown AKIA key lands in moto's default account 123456789012. */
export const MGMT = { accessKeyId: 'AKIAMANAGEMENT000001', secretAccessKey: 'management-secret', accountId: '123456789012' };

/** Creates the organization and `n` member accounts; returns their ids and names. */
export async function createOrg(motoUrl: string, n: number): Promise<{ id: string; name: string }[]> {
  const c = new OrganizationsClient({ region: 'us-east-1', endpoint: motoUrl, credentials: MGMT });
  await c.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const out: { id: string; name: string }[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (i < n) {
        const k = i++;
        const name = `acct-${String(k).padStart(4, '0')}`;
        const r = await c.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
        out.push({ id: r.CreateAccountStatus!.AccountId!, name });
      }
    }),
  );
  c.destroy();
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A Broker whose sessionCredentials makes a real GetSessionToken each call (no cache: the pool must call it once). */
export function motoBroker(endpoint: string, region = 'us-east-1'): Broker & { sessionCalls: number } {
  const sts = createStsPort({ region, endpoint });
  const b = {
    sessionCalls: 0,
    plan: (profile: string) => ({
      profile,
      region,
      source: { kind: 'stored-key' as const, profile },
      hops: [],
      endpoints: { sts: endpoint, iam: endpoint, organizations: endpoint },
      warnings: [],
    }),
    async credentials(): Promise<never> {
      throw new Error('not used');
    },
    async sessionCredentials(profile: string) {
      b.sessionCalls++;
      const credentials = await sts.getSessionToken(MGMT, { durationSeconds: 3600 });
      return { credentials: { ...credentials, accountId: MGMT.accountId }, plan: b.plan(profile), fromCache: false };
    },
    async assumeRole(): Promise<never> {
      throw new Error('not used');
    },
    async storedKey(): Promise<never> {
      throw new Error('not used');
    },
    async clearSessions() {
      return 0;
    },
  };
  return b;
}
