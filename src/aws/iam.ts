import type { Credentials } from '../credentials/types.js';
import { sdkCredentials } from './sdk-credentials.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { AccessKeyInfo, CreatedAccessKey, IamPort, IamTarget } from './iam-port.js';
import { mapAwsError } from './map-error.js';

type IamModule = typeof import('@aws-sdk/client-iam');

let iamModule: Promise<IamModule> | undefined;
/** The IAM SDK module, loaded on the first IAM call only and then shared (one import per process, not per account). */
export function loadIam(): Promise<IamModule> {
  iamModule ??= import('@aws-sdk/client-iam');
  return iamModule;
}

/**
 * IAM is a global service signed in one region per partition; signing for
 * the wrong one fails, so the profile's region only selects the partition.
 */
export function iamSigningRegion(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'cn-north-1';
  if (region?.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/**
 * An IamPort over `@aws-sdk/client-iam`. A client is built per call because
 * every call may be signed with different credentials (old key, MFA
 * session, new key) during a rotation.
 */
export function createIamPort(target: IamTarget): IamPort {
  const region = iamSigningRegion(target.region);
  async function client(caller: Credentials) {
    const { IAMClient } = await loadIam();
    return new IAMClient({
      region,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      credentials: sdkCredentials(caller),
    });
  }
  return {
    async listAccessKeys(caller, userName): Promise<AccessKeyInfo[]> {
      const iam = await loadIam();
      const c = await client(caller);
      try {
        const out: AccessKeyInfo[] = [];
        let marker: string | undefined;
        do {
          const r = await c.send(new iam.ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }));
          for (const k of r.AccessKeyMetadata ?? []) {
            if (!k.AccessKeyId) continue;
            out.push({ accessKeyId: k.AccessKeyId, status: k.Status ?? 'Active', ...(k.CreateDate ? { createDate: new Date(k.CreateDate) } : {}) });
          }
          marker = r.IsTruncated ? r.Marker : undefined;
        } while (marker);
        return out;
      } catch (e) {
        throw mapAwsError(e, `ListAccessKeys ${userName}`);
      } finally {
        c.destroy();
      }
    },
    async createAccessKey(caller, userName): Promise<CreatedAccessKey> {
      const iam = await loadIam();
      const c = await client(caller);
      try {
        const r = await c.send(new iam.CreateAccessKeyCommand({ UserName: userName }));
        const k = r.AccessKey;
        if (!k?.AccessKeyId || !k.SecretAccessKey) {
          throw new RolehopError(ErrorCodes.AWS_OTHER, 'CreateAccessKey returned no key', { hint: 'Check the IAM endpoint in use.' });
        }
        return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, ...(k.CreateDate ? { createDate: new Date(k.CreateDate) } : {}) };
      } catch (e) {
        throw mapAwsError(e, `CreateAccessKey ${userName}`);
      } finally {
        c.destroy();
      }
    },
    async deleteAccessKey(caller, userName, accessKeyId): Promise<void> {
      const iam = await loadIam();
      const c = await client(caller);
      try {
        await c.send(new iam.DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
      } catch (e) {
        throw mapAwsError(e, `DeleteAccessKey ${accessKeyId}`);
      } finally {
        c.destroy();
      }
    },
  };
}
