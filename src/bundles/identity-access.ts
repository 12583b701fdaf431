import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { iamSigningRegion, loadIam } from '../aws/iam.js';
import { createIamRolesPort } from '../aws/iam-roles.js';
import type { IamRolesPort } from '../aws/iam-roles-port.js';
import { roleArnFor } from '../aws/partition.js';
import { sdkCredentials } from '../aws/sdk-credentials.js';
import { lazyBroker } from '../engine/broker-source.js';
import { CredentialPool } from '../engine/credential-pool.js';
import { DEFAULT_ROLE } from '../engine/fan-out.js';
import { createRetryStrategy } from '../engine/retry-strategy.js';
import type { LiveIdentity } from './identity-plan.js';
import type { Bundle } from './model.js';
import type { BundleSweepOptions } from './sweep.js';

/** IAM of the identity account, and how to let go of it. */
export interface IdentityIam {
  port: IamRolesPort;
  close(): void;
}

/**
 * Opens IAM in the identity account: with the source session itself when
 * it belongs to that account (the usual case: the people who assume the
 * roles live there), else through the bootstrap role like any other account.
 */
export async function openIdentityIam(opts: BundleSweepOptions, account: string): Promise<IdentityIam> {
  const profile = opts.profile ?? 'default';
  const session = opts.sourceSession ?? (await lazyBroker(opts.broker!).sessionCredentials(profile)).credentials;
  let credentials: AwsCredentialIdentityProvider;
  if (session.accountId === account) {
    const own = sdkCredentials(session);
    credentials = async () => own;
  } else {
    const pool =
      opts.pool ??
      new CredentialPool({
        broker: lazyBroker(opts.broker!),
        profile,
        sourceSession: session,
        ...(opts.roleSessionName ? { roleSessionName: opts.roleSessionName } : {}),
        ...(opts.endpoints?.sts ? { stsEndpoint: opts.endpoints.sts } : {}),
      });
    credentials = pool.provider(roleArnFor(account, opts.bootstrapRole ?? DEFAULT_ROLE, opts.region));
  }
  const { IAMClient } = await loadIam();
  const client = new IAMClient({
    region: iamSigningRegion(opts.region),
    credentials,
    retryStrategy: createRetryStrategy(),
    ...(opts.handler ? { requestHandler: opts.handler } : {}),
    ...(opts.endpoints?.iam ? { endpoint: opts.endpoints.iam } : {}),
  });
  return { port: await createIamRolesPort(client), close: () => client.destroy() };
}

/** The identity account's groups and customer managed policies (policy tags read for the bundle's paths). */
export function readIdentity(port: IamRolesPort, bundle: Bundle): Promise<LiveIdentity> {
  return port.readIdentity([...new Set(bundle.roles.map((r) => r.path))]);
}
