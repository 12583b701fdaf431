import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';
import type { Credentials } from '../credentials/types.js';
import { sdkCredentials } from './sdk-credentials.js';
import type { AssumeRoleInput, CallerIdentity, StsPort, StsTarget, WebIdentityInput } from './sts-port.js';
import { mapAwsError } from './map-error.js';
import { ErrorCodes, RolehopError } from '../errors.js';

type StsModule = typeof import('@aws-sdk/client-sts');
type StsClient = InstanceType<StsModule['STSClient']>;

let stsModule: Promise<StsModule> | undefined;
/** The SDK is loaded on the first STS call only, never on a cache hit. */
function loadSts(): Promise<StsModule> {
  stsModule ??= import('@aws-sdk/client-sts');
  return stsModule;
}

interface SdkCredentials {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  SessionToken?: string;
  Expiration?: Date;
}

function toCredentials(c: SdkCredentials | undefined, what: string, accountId?: string): Credentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new RolehopError(ErrorCodes.AWS_OTHER, `${what} returned no credentials`, { hint: 'Check the STS endpoint in use.' });
  }
  const out: Credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey };
  if (c.SessionToken) out.sessionToken = c.SessionToken;
  if (c.Expiration) out.expiration = new Date(c.Expiration);
  if (accountId) out.accountId = accountId;
  return out;
}

/** Account id from an ARN such as arn:aws:sts::123456789012:assumed-role/x/y. */
export function accountFromArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

/** Options of {@link createStsPort}. */
export interface StsPortOptions {
  /**
   * A keep-alive handler shared by many calls (the fan-out's). With one,
   * clients are kept per caller credential and reused, and never destroyed
   * (the handler's owner closes it); without, each call builds a client on
   * the SDK's default handler and destroys it.
   */
  requestHandler?: RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions>;
  /**
   * SDK attempts per call; default the SDK's. The engine passes 1: it retries
   * itself through its rate limiter, so every attempt counts against the STS
   * quota and no SDK retry quota is involved.
   */
  maxAttempts?: number;
}

/** A refreshed session gets a new client; beyond this many, the old ones are dropped. */
const MAX_KEPT_CLIENTS = 8;

/** An StsPort over `@aws-sdk/client-sts`, loaded on the first call. */
export function createStsPort(target: StsTarget, opts: StsPortOptions = {}): StsPort {
  const region = target.region ?? 'us-east-1';
  const kept = new Map<string, StsClient>();
  /** A client signing with `caller`, or (undefined) one for unsigned calls. */
  function build(STSClient: StsModule['STSClient'], caller: Credentials | undefined): StsClient {
    return new STSClient({
      region,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      ...(caller ? { credentials: sdkCredentials(caller) } : {}),
      // The SDK types its handler input through @smithy/protocol-http, which we do not depend on.
      ...(opts.requestHandler ? { requestHandler: opts.requestHandler as never } : {}),
      ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
    });
  }
  async function client(caller: Credentials): Promise<StsClient> {
    const { STSClient } = await loadSts();
    if (!opts.requestHandler) return build(STSClient, caller);
    // Looked up and stored without an await in between, so concurrent first calls share one client.
    const key = `${caller.accessKeyId}:${caller.sessionToken?.slice(-16) ?? ''}`;
    let c = kept.get(key);
    if (!c) {
      if (kept.size > MAX_KEPT_CLIENTS) kept.clear();
      c = build(STSClient, caller);
      kept.set(key, c);
    }
    return c;
  }
  /** Per-call clients are destroyed; kept ones live on the shared handler. */
  function release(c: StsClient): void {
    if (!opts.requestHandler) c.destroy();
  }
  return {
    async getSessionToken(caller, input) {
      const sts = await loadSts();
      const c = await client(caller);
      try {
        const r = await c.send(
          new sts.GetSessionTokenCommand({
            DurationSeconds: input.durationSeconds,
            SerialNumber: input.serialNumber,
            TokenCode: input.tokenCode,
          }),
        );
        return toCredentials(r.Credentials, 'GetSessionToken', caller.accountId);
      } catch (e) {
        throw mapAwsError(e, 'GetSessionToken');
      } finally {
        release(c);
      }
    },
    async assumeRole(caller, input: AssumeRoleInput) {
      const sts = await loadSts();
      const c = await client(caller);
      try {
        const r = await c.send(
          new sts.AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.roleSessionName,
            DurationSeconds: input.durationSeconds,
            ExternalId: input.externalId,
            SerialNumber: input.serialNumber,
            TokenCode: input.tokenCode,
          }),
        );
        return toCredentials(r.Credentials, 'AssumeRole', accountFromArn(r.AssumedRoleUser?.Arn) ?? accountFromArn(input.roleArn));
      } catch (e) {
        throw mapAwsError(e, `AssumeRole ${input.roleArn}`);
      } finally {
        release(c);
      }
    },
    async assumeRoleWithWebIdentity(input: WebIdentityInput) {
      const sts = await loadSts();
      // No credentials at all: the SDK sends this operation unsigned, and a
      // per-call client keeps the token out of any kept client's state.
      const c = build(sts.STSClient, undefined);
      try {
        const r = await c.send(
          new sts.AssumeRoleWithWebIdentityCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.roleSessionName,
            WebIdentityToken: input.webIdentityToken,
            DurationSeconds: input.durationSeconds,
          }),
        );
        return toCredentials(r.Credentials, 'AssumeRoleWithWebIdentity', accountFromArn(r.AssumedRoleUser?.Arn) ?? accountFromArn(input.roleArn));
      } catch (e) {
        throw mapAwsError(e, `AssumeRoleWithWebIdentity ${input.roleArn}`);
      } finally {
        // Never kept, so destroyed even on a shared handler (whose destroy is a no-op).
        c.destroy();
      }
    },
    async getCallerIdentity(caller): Promise<CallerIdentity> {
      const sts = await loadSts();
      const c = await client(caller);
      try {
        const r = await c.send(new sts.GetCallerIdentityCommand({}));
        return { account: r.Account ?? '', arn: r.Arn ?? '', userId: r.UserId ?? '' };
      } catch (e) {
        throw mapAwsError(e, 'GetCallerIdentity');
      } finally {
        release(c);
      }
    },
    async getFederationToken(caller, input) {
      const sts = await loadSts();
      const c = await client(caller);
      try {
        const r = await c.send(new sts.GetFederationTokenCommand({ Name: input.name, DurationSeconds: input.durationSeconds, Policy: input.policy }));
        return toCredentials(r.Credentials, 'GetFederationToken', accountFromArn(r.FederatedUser?.Arn));
      } catch (e) {
        throw mapAwsError(e, 'GetFederationToken');
      } finally {
        release(c);
      }
    },
  };
}
