import { ErrorCodes, RolehopError } from '../errors.js';

/**
 * AWS partitions and the ARNs and endpoints that depend on them. A role ARN
 * built for the wrong partition fails with a confusing "invalid ARN", so every
 * ARN rolehop builds comes from here; the engine and the console share it.
 */

/** The partitions rolehop knows: commercial, China and GovCloud (US). */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

const PARTITIONS: readonly Partition[] = ['aws', 'aws-cn', 'aws-us-gov'];

/** The partition of a region name: `cn-*` → aws-cn, `us-gov-*` → aws-us-gov, else aws. */
export function partitionOf(region: string | undefined): Partition {
  if (!region) return 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The partition named by an ARN's second field, or undefined for an unknown one. */
export function partitionOfArn(arn: string): Partition | undefined {
  const p = arn.split(':')[1];
  return (PARTITIONS as readonly string[]).includes(p ?? '') ? (p as Partition) : undefined;
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

/**
 * Picks the partition for a console sign-in: the role ARN decides when
 * there is one (credentials only work in their own partition), else the
 * region, else `aws`. A region from another partition than the role is a
 * usage error: the console would reject the session.
 */
export function resolvePartition(input: { roleArn?: string; region?: string }): Partition {
  const fromArn = input.roleArn ? partitionOfArn(input.roleArn) : undefined;
  const fromRegion = input.region ? partitionOf(input.region) : undefined;
  if (fromArn && fromRegion && fromArn !== fromRegion) {
    throw new RolehopError(ErrorCodes.USAGE, `Region "${input.region}" is not in partition ${fromArn} of role ${input.roleArn}`, {
      hint: `Pick a region of the ${fromArn} partition with --region.`,
    });
  }
  return fromArn ?? fromRegion ?? 'aws';
}

/**
 * The federation endpoint (getSigninToken and Action=login share it) for a
 * partition and region, per the AWS Sign-In endpoint table.
 */
export function federationEndpoint(partition: Partition, region?: string): string {
  switch (partition) {
    case 'aws-cn':
      return 'https://signin.amazonaws.cn/federation';
    case 'aws-us-gov':
      return region === 'us-gov-east-1' ? 'https://us-gov-east-1.signin.amazonaws-us-gov.com/federation' : 'https://signin.amazonaws-us-gov.com/federation';
    default:
      return !region || region === 'us-east-1' ? 'https://signin.aws.amazon.com/federation' : `https://${region}.signin.aws.amazon.com/federation`;
  }
}

/** The console host of a partition; only the `aws` partition has regional hosts. */
export function consoleHost(partition: Partition, region?: string): string {
  switch (partition) {
    case 'aws-cn':
      return 'console.amazonaws.cn';
    case 'aws-us-gov':
      return 'console.amazonaws-us-gov.com';
    default:
      return !region || region === 'us-east-1' ? 'console.aws.amazon.com' : `${region}.console.aws.amazon.com`;
  }
}
