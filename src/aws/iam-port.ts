import type { Credentials } from '../credentials/types.js';

/** Where and how to reach IAM. */
export interface IamTarget {
  /**
   * Any region of the partition; the port signs for the partition's IAM
   * region (us-east-1, cn-north-1 or us-gov-west-1). Default us-east-1.
   */
  region?: string;
  /** Custom endpoint URL (AWS_ENDPOINT_URL_IAM, moto in tests). */
  endpoint?: string;
}

/** Non-secret facts about one access key, as ListAccessKeys reports them. */
export interface AccessKeyInfo {
  accessKeyId: string;
  /** `Active` or `Inactive` (AWS may add values; kept as a string). */
  status: string;
  createDate?: Date;
}

/** A freshly created key: the only moment AWS reveals its secret. */
export interface CreatedAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  createDate?: Date;
}

/**
 * The IAM calls rolehop makes (key rotation), behind a narrow port so the
 * rotation logic can be tested with fakes. `userName` is always passed
 * because IAM requires it when the caller signs with temporary (MFA
 * session) credentials. Implementations map AWS errors to RolehopErrors
 * (see `aws/map-error.ts`; the AWS error name stays in `details.awsCode`)
 * and never include secrets in messages.
 */
export interface IamPort {
  /** Every key of the user (all pages). */
  listAccessKeys(caller: Credentials, userName: string): Promise<AccessKeyInfo[]>;
  /** Creates a key; fails with awsCode `LimitExceeded` when the user has two. */
  createAccessKey(caller: Credentials, userName: string): Promise<CreatedAccessKey>;
  /** Deletes a key; fails with awsCode `NoSuchEntity` when it does not exist. */
  deleteAccessKey(caller: Credentials, userName: string, accessKeyId: string): Promise<void>;
}
