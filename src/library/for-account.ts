import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Endpoints } from '../config/plan.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { lazyBroker, type BrokerSource } from '../engine/broker-source.js';
import { createDefaultBroker } from './default-broker.js';
import { CredentialPool } from '../engine/credential-pool.js';
import { DEFAULT_ROLE } from '../engine/fan-out.js';
import { createSharedHandler, type SharedHandler } from '../engine/http.js';
import { ACCOUNT_ID, roleArnFor } from '../aws/partition.js';
import { createRetryStrategy } from '../engine/retry-strategy.js';
import type { ClientConstructor } from '../engine/types.js';

/** Options of {@link forAccount}. */
export interface ForAccountOptions {
  /** Role name (or full ARN); default OrganizationAccountAccessRole. The ARN's partition follows `region`. */
  role?: string;
  /** Region of the clients (and the partition of the role ARN). */
  region: string;
  /** Source profile whose MFA session assumes the role; default "default". */
  profile?: string;
  /** Where credentials come from; default the one set with {@link setDefaultBroker}. */
  broker?: BrokerSource;
  externalId?: string;
  roleSessionName?: string;
  /** Endpoints for STS/IAM/Organizations clients (moto, VPC endpoints). */
  endpoints?: Endpoints;
}

/** Credentials and SDK clients for one account and region. */
export interface AccountHandle {
  readonly accountId: string;
  readonly region: string;
  readonly roleArn: string;
  /** SDK v3 credential provider: cached per (account, role), refreshed ahead of expiry. */
  readonly credentials: AwsCredentialIdentityProvider;
  /**
   * An SDK v3 client for the account on the shared keep-alive handler, with a
   * retry strategy that has no per-client quota. Without `config` the same
   * client is returned for the same class; with `config` a new one is built.
   */
  client<C>(ClientClass: ClientConstructor<C>, config?: Record<string, unknown>): C;
}

interface LibraryState {
  pool: CredentialPool;
  handles: Map<string, AccountHandle>;
}

/** Sockets of the library's shared handler: ample for scripts running many accounts at once. */
const LIBRARY_MAX_SOCKETS = 128;
const ENDPOINT_KEYS: Record<string, keyof Endpoints> = { STSClient: 'sts', IAMClient: 'iam', OrganizationsClient: 'organizations' };

let defaultBroker: BrokerSource | undefined;
let sharedHandler: SharedHandler | undefined;
const states = new WeakMap<object, Map<string, LibraryState>>();

/**
 * Sets the broker {@link forAccount} uses when none is passed (the package
 * entry wires `createBroker()` here). Pass undefined to clear it.
 */
export function setDefaultBroker(source: BrokerSource | undefined): void {
  defaultBroker = source;
}

function stateFor(source: BrokerSource, opts: ForAccountOptions, profile: string): LibraryState {
  let byProfile = states.get(source);
  if (!byProfile) {
    byProfile = new Map();
    states.set(source, byProfile);
  }
  const key = `${profile}|${opts.externalId ?? ''}|${opts.roleSessionName ?? ''}|${opts.endpoints?.sts ?? ''}`;
  let s = byProfile.get(key);
  if (!s) {
    sharedHandler ??= createSharedHandler({ maxSockets: LIBRARY_MAX_SOCKETS });
    s = {
      pool: new CredentialPool({
        broker: lazyBroker(source),
        profile,
        handler: sharedHandler,
        ...(opts.externalId ? { externalId: opts.externalId } : {}),
        ...(opts.roleSessionName ? { roleSessionName: opts.roleSessionName } : {}),
        ...(opts.endpoints?.sts ? { stsEndpoint: opts.endpoints.sts } : {}),
      }),
      handles: new Map(),
    };
    byProfile.set(key, s);
  }
  return s;
}

/**
 * Credentials and clients for `accountId`, assuming `role` from the source
 * profile's MFA session. Handles are cached per (broker, profile, account,
 * role, region); credentials per (account, role), so every region and every
 * client of an account shares one AssumeRole, and concurrent callers share
 * the in-flight call. Nothing is written to disk.
 *
 * @throws RolehopError ERR_USAGE for an invalid account id or when no broker is available.
 */
export function forAccount(accountId: string, opts: ForAccountOptions): AccountHandle {
  if (!ACCOUNT_ID.test(accountId)) throw new RolehopError(ErrorCodes.USAGE, `"${accountId}" is not a 12-digit account id`, { hint: 'Pass the account id as a string of 12 digits.' });
  // Without an explicit broker, share one configured like the CLI (lazily created).
  const source = opts.broker ?? (defaultBroker ??= () => createDefaultBroker());
  const profile = opts.profile ?? 'default';
  const state = stateFor(source, opts, profile);
  const roleArn = roleArnFor(accountId, opts.role ?? DEFAULT_ROLE, opts.region);
  const key = `${roleArn}|${opts.region}`;
  const held = state.handles.get(key);
  if (held) return held;
  const credentials = state.pool.provider(roleArn);
  const retryStrategy = createRetryStrategy();
  const clients = new Map<unknown, unknown>();
  const handle: AccountHandle = {
    accountId,
    region: opts.region,
    roleArn,
    credentials,
    client<C>(ClientClass: ClientConstructor<C>, config?: Record<string, unknown>): C {
      if (!config && clients.has(ClientClass)) return clients.get(ClientClass) as C;
      const ek = ENDPOINT_KEYS[ClientClass.name];
      const endpoint = ek ? opts.endpoints?.[ek] : undefined;
      const c = new ClientClass({
        region: opts.region,
        credentials,
        requestHandler: sharedHandler,
        retryStrategy,
        ...(endpoint ? { endpoint } : {}),
        ...config,
      });
      if (!config) clients.set(ClientClass, c);
      return c;
    },
  };
  state.handles.set(key, handle);
  return handle;
}
