import type { Credentials } from '../credentials/types.js';
import { sdkCredentials } from '../aws/sdk-credentials.js';
import type { AssumeRoleInput, StsPort, StsTarget } from '../aws/sts-port.js';
import { mapAwsError } from '../aws/map-error.js';
import { accountFromArn } from '../aws/sts.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { SharedHandler } from './http.js';

/** The one STS call fan-out makes per account. */
export type AssumePort = Pick<StsPort, 'assumeRole'>;

type StsModule = typeof import('@aws-sdk/client-sts');
type StsClient = InstanceType<StsModule['STSClient']>;

/**
 * An {@link AssumePort} over the SDK that, unlike the general-purpose
 * adapter, reuses one STS client per caller key on the shared keep-alive
 * handler and makes exactly one attempt per call (`maxAttempts: 1`): the
 * engine retries itself, through its rate limiter, so each attempt is
 * counted against the STS quota and no SDK retry quota is involved.
 */
export function createFanOutSts(target: StsTarget, handler: SharedHandler): AssumePort {
  let mod: Promise<StsModule> | undefined;
  const clients = new Map<string, StsClient>();
  const clientFor = async (caller: Credentials) => {
    mod ??= import('@aws-sdk/client-sts');
    const { STSClient } = await mod;
    const key = `${caller.accessKeyId}:${caller.sessionToken?.slice(-16) ?? ''}`;
    let c = clients.get(key);
    if (!c) {
      // A refreshed session gets a new client; the old ones are few and small.
      if (clients.size > 8) clients.clear();
      c = new STSClient({
        region: target.region ?? 'us-east-1',
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        credentials: sdkCredentials(caller),
        // The SDK types its handler input through @smithy/protocol-http, which we do not depend on.
        requestHandler: handler as never,
        maxAttempts: 1,
      });
      clients.set(key, c);
    }
    return { c, AssumeRoleCommand: (await mod).AssumeRoleCommand };
  };
  return {
    async assumeRole(caller: Credentials, input: AssumeRoleInput): Promise<Credentials> {
      const { c, AssumeRoleCommand } = await clientFor(caller);
      let r;
      try {
        r = await c.send(
          new AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.roleSessionName,
            DurationSeconds: input.durationSeconds,
            ExternalId: input.externalId,
          }),
        );
      } catch (e) {
        throw mapAwsError(e, `AssumeRole ${input.roleArn}`);
      }
      const k = r.Credentials;
      if (!k?.AccessKeyId || !k.SecretAccessKey) throw new RolehopError(ErrorCodes.AWS_OTHER, `AssumeRole ${input.roleArn} returned no credentials`, { hint: 'Check the STS endpoint in use.' });
      const account = accountFromArn(r.AssumedRoleUser?.Arn) ?? accountFromArn(input.roleArn);
      return {
        accessKeyId: k.AccessKeyId,
        secretAccessKey: k.SecretAccessKey,
        ...(k.SessionToken ? { sessionToken: k.SessionToken } : {}),
        ...(k.Expiration ? { expiration: new Date(k.Expiration) } : {}),
        ...(account ? { accountId: account } : {}),
      };
    },
  };
}
