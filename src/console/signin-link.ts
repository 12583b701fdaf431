import type { Plan } from '../config/plan.js';
import { federationEndpoint, resolvePartition, type Partition } from '../aws/partition.js';
import type { ConsoleCredentials } from './console-credentials.js';
import { buildDestination, buildLoginUrl } from './login-url.js';
import { requestSigninToken, type FetchLike } from './signin-token.js';

/** Where a sign-in link leads and which federation endpoint makes it. */
export interface SignInTarget {
  partition: Partition;
  /** Console region, when there is one. */
  region?: string;
  destination: string;
  federationEndpoint: string;
}

/**
 * The link's partition, console destination and federation endpoint for a
 * profile's plan: the partition of its final role (or its region), the
 * region asked for or else the profile's. Throws a usage error for a
 * `path` that is a full URL, before any credentials are fetched.
 */
export function signInTarget(plan: Pick<Plan, 'hops' | 'region'>, req: { region?: string; path?: string; federationEndpoint?: string }): SignInTarget {
  const region = req.region ?? plan.region;
  const partition = resolvePartition({ ...(plan.hops.length ? { roleArn: plan.hops.at(-1)!.roleArn } : {}), ...(region ? { region } : {}) });
  const destination = buildDestination({ partition, ...(region ? { region } : {}), ...(req.path ? { path: req.path } : {}) });
  return { partition, ...(region ? { region } : {}), destination, federationEndpoint: req.federationEndpoint ?? federationEndpoint(partition, region) };
}

/** A built sign-in link. `url` is a 15-minute secret: never log it. */
export interface ConsoleLogin {
  url: string;
  destination: string;
  partition: Partition;
  region?: string;
  federationEndpoint: string;
  kind: 'role' | 'federated';
  /** The `SessionDuration` sent, when one was. */
  sessionDuration?: number;
}

/**
 * getSigninToken at the target's federation endpoint with console-capable
 * credentials, then the `Action=login` link to the destination in the same
 * partition and host. Errors as `requestSigninToken` throws them.
 */
export async function signInLink(
  target: SignInTarget,
  creds: ConsoleCredentials,
  opts: { issuer?: string; fetch?: FetchLike; signal?: AbortSignal } = {},
): Promise<ConsoleLogin> {
  const signinToken = await requestSigninToken(target.federationEndpoint, creds.credentials, {
    ...(creds.sessionDuration !== undefined ? { sessionDuration: creds.sessionDuration } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return {
    url: buildLoginUrl({ federationEndpoint: target.federationEndpoint, issuer: opts.issuer ?? 'rolehop', destination: target.destination, signinToken }),
    destination: target.destination,
    partition: target.partition,
    ...(target.region ? { region: target.region } : {}),
    federationEndpoint: target.federationEndpoint,
    kind: creds.kind,
    ...(creds.sessionDuration !== undefined ? { sessionDuration: creds.sessionDuration } : {}),
  };
}
