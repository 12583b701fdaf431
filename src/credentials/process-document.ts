import { isoSeconds } from './child-env.js';
import type { Credentials } from './types.js';

/**
 * The credential_process Version 1 document
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html), as
 * `rolehop export --format credential-process` prints it and the agent
 * serves it: SessionToken, Expiration and AccountId only when known.
 */
export function credentialProcessDocument(c: Credentials): Record<string, unknown> {
  return {
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { SessionToken: c.sessionToken } : {}),
    ...(c.expiration ? { Expiration: isoSeconds(c.expiration) } : {}),
    ...(c.accountId ? { AccountId: c.accountId } : {}),
  };
}

/** The document as one line, ready to print. */
export function credentialProcessLine(c: Credentials): string {
  return JSON.stringify(credentialProcessDocument(c)) + '\n';
}
