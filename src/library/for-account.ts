import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Endpoints } from '../config/plan.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import { lazyBroker, type BrokerSource } from '../engine/broker-source.js';
import { createDefaultBroker } from './default-broker.js';
import { CredentialPool } from '../engine/credential-pool.js';
import { DEFAULT_ROLE } from '../engine/fan-out.js';
import { createSharedHandler, type SharedHandler } from '../aws/http.js';
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

/**
 * Per-account credentials and clients, with everything they share held by
 * this instance (no module state): the credential pools per (broker,
 * profile, options), the handles, and one keep-alive HTTP handler created on
 * first use. Two instances share nothing. The package entry holds the one
 * instance behind the exported {@link forAccount} and {@link setDefaultBroker}.
 */
export class AccountLibrary {
  #defaultBroker: BrokerSource | undefined;
  #handler: SharedHandler | undefined;
  readonly #states = new WeakMap<object, Map<string, LibraryState>>();

  /** Sets the broker {@link AccountLibrary.forAccount} uses when none is passed; undefined goes back to a lazily created default broker. */
  setDefaultBroker(source: BrokerSource | undefined): void {
    this.#defaultBroker = source;
  }

  /**
   * Credentials and clients for `accountId`, assuming `role` from the source
   * profile's MFA session. Handles are cached per (broker, profile, account,
   * role, region); credentials per (account, role), so every region and every
   * client of an account shares one AssumeRole, and concurrent callers share
   * the in-flight call. Nothing is written to disk.
   *
   * @throws RolehopError ERR_USAGE for an invalid account id.
   */
  forAccount(accountId: string, opts: ForAccountOptions): AccountHandle {
    if (!ACCOUNT_ID.test(accountId))
      throw new RolehopError(ErrorCodes.USAGE, `"${accountId}" is not a 12-digit account id`, { hint: 'Pass the account id as a string of 12 digits.' });
    // Without an explicit broker, share one configured like the CLI (created on first use).
    const source = opts.broker ?? (this.#defaultBroker ??= () => createDefaultBroker());
    const state = this.#stateFor(source, opts, opts.profile ?? 'default');
    const roleArn = roleArnFor(accountId, opts.role ?? DEFAULT_ROLE, opts.region);
    const key = `${roleArn}|${opts.region}`;
    const held = state.handles.get(key);
    if (held) return held;
    const handle = accountHandle(accountId, roleArn, opts, state.pool.provider(roleArn), this.#sharedHandler());
    state.handles.set(key, handle);
    return handle;
  }

  #sharedHandler(): SharedHandler {
    return (this.#handler ??= createSharedHandler({ maxSockets: LIBRARY_MAX_SOCKETS }));
  }

  #stateFor(source: BrokerSource, opts: ForAccountOptions, profile: string): LibraryState {
    let byProfile = this.#states.get(source);
    if (!byProfile) {
      byProfile = new Map();
      this.#states.set(source, byProfile);
    }
    const key = `${profile}|${opts.externalId ?? ''}|${opts.roleSessionName ?? ''}|${opts.endpoints?.sts ?? ''}`;
    let s = byProfile.get(key);
    if (!s) {
      s = {
        pool: new CredentialPool({
          broker: lazyBroker(source),
          profile,
          handler: this.#sharedHandler(),
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
}

/** A handle whose clients share `credentials`, `handler` and one quota-free retry strategy. */
function accountHandle(
  accountId: string,
  roleArn: string,
  opts: ForAccountOptions,
  credentials: AwsCredentialIdentityProvider,
  handler: SharedHandler,
): AccountHandle {
  const retryStrategy = createRetryStrategy();
  const clients = new Map<unknown, unknown>();
  return {
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
        requestHandler: handler,
        retryStrategy,
        ...(endpoint ? { endpoint } : {}),
        ...config,
      });
      if (!config) clients.set(ClientClass, c);
      return c;
    },
  };
}
