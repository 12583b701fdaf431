import type { Credentials } from '../credentials/types.js';
import { sdkCredentials } from './sdk-credentials.js';
import type { AssumeRoleInput, CallerIdentity, StsPort, StsTarget } from './sts-port.js';
import { mapAwsError } from './map-error.js';
import { ErrorCodes, RolehopError } from '../errors.js';

type StsModule = typeof import('@aws-sdk/client-sts');

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

/**
 * An StsPort over `@aws-sdk/client-sts`. One client per caller credential
 * would waste sockets, so clients are built per call with static
 * credentials and a shared handler created lazily.
 */
export function createStsPort(target: StsTarget): StsPort {
  const region = target.region ?? 'us-east-1';
  async function client(caller: Credentials) {
    const { STSClient } = await loadSts();
    return new STSClient({
      region,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      credentials: sdkCredentials(caller),
    });
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
        c.destroy();
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
        c.destroy();
      }
    },
    async getFederationToken(caller, input) {
      const sts = await loadSts();
      const c = await client(caller);
      try {
        const r = await c.send(
          new sts.GetFederationTokenCommand({ Name: input.name, DurationSeconds: input.durationSeconds, Policy: input.policy }),
        );
        return toCredentials(r.Credentials, 'GetFederationToken', accountFromArn(r.FederatedUser?.Arn));
      } catch (e) {
        throw mapAwsError(e, 'GetFederationToken');
      } finally {
        c.destroy();
      }
    },
  };
}
