import { ErrorCodes, RolehopError } from '../errors.js';

/** The AWS partitions whose console rolehop can sign in to. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

const PARTITIONS: readonly Partition[] = ['aws', 'aws-cn', 'aws-us-gov'];

/** The partition a region belongs to (`cn-*`, `us-gov-*`, else `aws`). */
export function partitionOfRegion(region: string): Partition {
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
 * Picks the partition for a console sign-in: the role ARN decides when
 * there is one (credentials only work in their own partition), else the
 * region, else `aws`. A region from another partition than the role is a
 * usage error: the console would reject the session.
 */
export function resolvePartition(input: { roleArn?: string; region?: string }): Partition {
  const fromArn = input.roleArn ? partitionOfArn(input.roleArn) : undefined;
  const fromRegion = input.region ? partitionOfRegion(input.region) : undefined;
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
      return region === 'us-gov-east-1'
        ? 'https://us-gov-east-1.signin.amazonaws-us-gov.com/federation'
        : 'https://signin.amazonaws-us-gov.com/federation';
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
