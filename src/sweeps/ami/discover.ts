import { paginateDescribeInstances, type EC2Client, type Filter } from '@aws-sdk/client-ec2';

/** An instance as discovery sees it. */
export interface InstanceInfo {
  instanceId: string;
  /** Its `Name` tag, if any. */
  name?: string;
  state: string;
  /** The AMI it was launched from. */
  imageId?: string;
}

/**
 * Every instance matching `filters`, through the DescribeInstances
 * paginator (its MaxResults counts reservations, not instances, so only
 * following NextToken sees them all).
 */
export async function findInstances(ec2: EC2Client, filters: Filter[], signal?: AbortSignal): Promise<InstanceInfo[]> {
  const out: InstanceInfo[] = [];
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: filters }, { abortSignal: signal })) {
    for (const r of page.Reservations ?? [])
      for (const i of r.Instances ?? []) {
        if (!i.InstanceId) continue;
        const name = i.Tags?.find((t) => t.Key === 'Name')?.Value;
        out.push({
          instanceId: i.InstanceId,
          state: i.State?.Name ?? 'unknown',
          ...(name !== undefined ? { name } : {}),
          ...(i.ImageId ? { imageId: i.ImageId } : {}),
        });
      }
  }
  return out;
}
