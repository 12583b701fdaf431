import type { Credentials } from '../credentials/types.js';

/** Static SDK v3 credentials for signing with `c` (no provider, no refresh). */
export function sdkCredentials(c: Credentials): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
  };
}
