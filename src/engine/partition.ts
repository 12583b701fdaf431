/**
 * AWS partitions and the ARNs and endpoints that depend on them. A role ARN
 * built for the wrong partition fails with a confusing "invalid ARN", so every
 * ARN rolehop builds comes from here.
 */

/** The partitions rolehop knows: commercial, China and GovCloud (US). */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** The partition of a region name: `cn-*` → aws-cn, `us-gov-*` → aws-us-gov, else aws. */
export function partitionOf(region: string | undefined): Partition {
  if (!region) return 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The role ARN for `role` in `account`. `role` is a role name (optionally
 * with a path, `path/name`) or a full ARN, which is returned unchanged.
 */
export function roleArnFor(account: string, role: string, region?: string): string {
  if (role.startsWith('arn:')) return role;
  return `arn:${partitionOf(region)}:iam::${account}:role/${role.replace(/^\/+/, '')}`;
}

/** The region where a partition's Organizations API lives (it is a global service). */
export function organizationsRegion(partition: Partition): string {
  if (partition === 'aws-cn') return 'cn-northwest-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
