import { safeSessionName } from '../config/session-name.js';

/**
 * The `Name` for GetFederationToken: the IAM user name from a caller ARN
 * (`arn:aws:iam::<acct>:user/<path/>name`), cut to STS's 32 characters, or
 * `rolehop` when there is none (root, odd ARNs). The name shows in the
 * console and CloudTrail as `federated-user/<name>`.
 */
export function federationName(callerArn: string): string {
  const resource = callerArn.split(':').slice(5).join(':');
  if (!resource.startsWith('user/')) return 'rolehop';
  const name = safeSessionName(resource.split('/').at(-1) ?? '', 32);
  return name.length >= 2 ? name : 'rolehop';
}

/** Session policy that keeps the user's own permissions (none would grant nothing). */
export const ALLOW_ALL_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});
