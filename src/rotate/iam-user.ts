import { ErrorCodes, RolehopError } from '../errors.js';

/** An IAM user as identified by GetCallerIdentity with its long-lived key. */
export interface IamUser {
  userName: string;
  arn: string;
  account: string;
}

/**
 * The IAM user behind a caller ARN (`arn:aws:iam::<acct>:user/<path/>name`).
 * Root and non-user principals are refused: rolehop rotates IAM user keys only.
 */
export function iamUserFromArn(arn: string, profile: string): IamUser {
  const parts = arn.split(':');
  const resource = parts.slice(5).join(':');
  if (resource === 'root') {
    throw new RolehopError(ErrorCodes.ROTATE, `The key stored for "${profile}" is a root user key`, {
      hint: 'rolehop does not rotate root keys; delete them in the console and use an IAM user instead.',
    });
  }
  if (parts[2] !== 'iam' || !resource.startsWith('user/')) {
    throw new RolehopError(ErrorCodes.ROTATE, `The key stored for "${profile}" does not belong to an IAM user (${arn})`, {
      hint: 'Only long-lived IAM user keys can be rotated.',
    });
  }
  const userName = resource.split('/').at(-1) ?? '';
  if (!userName)
    throw new RolehopError(ErrorCodes.ROTATE, `Cannot read an IAM user name from ${arn}`, {
      hint: 'Check the stored key with `rolehop exec PROFILE -- aws sts get-caller-identity`.',
    });
  return { userName, arn, account: parts[4] ?? '' };
}
