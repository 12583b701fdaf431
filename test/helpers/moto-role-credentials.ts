// Credentials that moto knows, minted the way an instance or task role gets
// them: an AssumeRole into a role of moto's default (management) account,
// signed with the test root key and sent straight to moto (never through the
// counting proxy, so the proxy counts only what rolehop itself calls).
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { MOTO_ROOT_CREDENTIALS } from './run-cli.js';

/** moto's default account: unknown AKIA keys and the roles minted here live in it. */
export const MOTO_MANAGEMENT_ACCOUNT = '123456789012';

/** The credential document fields the container endpoint and IMDS serve. */
export interface MintedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`, the form both SDKs parse. */
  Expiration: string;
}

/** A function minting fresh role credentials on each call, for a fake credential endpoint to serve. */
export type Minter = () => Promise<MintedCredentials>;

/** Mints credentials of `roleName` in the management account through moto at `motoUrl`. */
export function motoRoleMinter(motoUrl: string, roleName: string): Minter {
  const sts = new STSClient({ region: 'us-east-1', endpoint: motoUrl, credentials: MOTO_ROOT_CREDENTIALS });
  return async () => {
    const r = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MOTO_MANAGEMENT_ACCOUNT}:role/${roleName}`, RoleSessionName: 'fake-endpoint', DurationSeconds: 3600 }),
    );
    const c = r.Credentials!;
    return {
      AccessKeyId: c.AccessKeyId!,
      SecretAccessKey: c.SecretAccessKey!,
      Token: c.SessionToken!,
      Expiration: `${c.Expiration!.toISOString().slice(0, 19)}Z`,
    };
  };
}
