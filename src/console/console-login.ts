import type { StsPort, StsTarget } from '../aws/sts-port.js';
import type { Logger } from '../io/context.js';
import type { Broker } from '../sessions/broker-contract.js';
import { consoleCredentials } from './console-credentials.js';
import { signInLink, signInTarget, type ConsoleLogin } from './signin-link.js';
import type { FetchLike } from './signin-token.js';

/** What a console login is built from. Everything is injected. */
export interface ConsoleLoginDeps {
  broker: Pick<Broker, 'plan' | 'credentials' | 'storedKey'>;
  /** STS port factory; default `createStsPort` over the AWS SDK, loaded lazily. */
  sts?: (target: StsTarget) => StsPort;
  /** HTTP client for getSigninToken; default node:https (`nodeFetch`). */
  fetch?: FetchLike;
  logger?: Logger;
  signal?: AbortSignal;
}

/** What the user asked for. */
export interface ConsoleLoginRequest {
  profile: string;
  /** Console region; default the profile's region. */
  region?: string;
  /** Console path, e.g. `ec2/home`; default `console/home`. */
  path?: string;
  /** Console session length in seconds (see {@link consoleCredentials} for when it applies). */
  durationSeconds?: number;
  /** Overrides the partition's federation endpoint (ROLEHOP_FEDERATION_ENDPOINT). */
  federationEndpoint?: string;
  /** Issuer shown by the console; default `rolehop`. */
  issuer?: string;
}

export type { ConsoleLogin } from './signin-link.js';

/**
 * Builds an AWS console sign-in URL for a profile: console-capable
 * credentials from the broker (role session or GetFederationToken),
 * getSigninToken at the partition's federation endpoint, then the
 * `Action=login` link to the destination in the same partition and host.
 */
export async function createConsoleLogin(deps: ConsoleLoginDeps, req: ConsoleLoginRequest): Promise<ConsoleLogin> {
  const plan = deps.broker.plan(req.profile);
  // First: a --path that is a full URL is refused before any credentials are fetched.
  const link = signInTarget(plan, req);

  const target: StsTarget = { ...(plan.region ? { region: plan.region } : {}), ...(plan.endpoints.sts ? { endpoint: plan.endpoints.sts } : {}) };
  const sts = async () => {
    if (deps.sts) return deps.sts(target);
    const { createStsPort } = await import('../aws/sts.js');
    return createStsPort(target);
  };
  const creds = await consoleCredentials({ broker: deps.broker, sts, ...(deps.logger ? { logger: deps.logger } : {}) }, plan, req.durationSeconds);
  return signInLink(link, creds, {
    ...(req.issuer ? { issuer: req.issuer } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
}
