import { paginateDescribeLaunchTemplateVersions, type EC2Client } from '@aws-sdk/client-ec2';
import { findInstances } from './discover.js';
import { LIVE_STATES } from './filters.js';

/**
 * The AMIs still in use in this account and region, each with what uses it:
 * any instance not terminated (its ImageId), and the `$Latest` and
 * `$Default` version of every launch template (one paginated
 * DescribeLaunchTemplateVersions call with no template named lists them
 * all). A launch template whose ImageId is `resolve:ssm:…` takes its AMI
 * from an SSM parameter, which is not resolved here. An error (AccessDenied
 * on either call) propagates: without the list nothing may be deleted.
 */
export async function imagesInUse(ec2: EC2Client, signal?: AbortSignal): Promise<Map<string, string>> {
  const used = new Map<string, string>();
  const instances = await findInstances(ec2, [{ Name: 'instance-state-name', Values: [...LIVE_STATES] }], signal);
  for (const i of instances) if (i.imageId && !used.has(i.imageId)) used.set(i.imageId, `instance ${i.instanceId} (${i.state})`);
  // No MaxResults: moto truncates to it without a NextToken; AWS pages by itself.
  const pages = paginateDescribeLaunchTemplateVersions({ client: ec2 }, { Versions: ['$Latest', '$Default'] }, { abortSignal: signal });
  for await (const page of pages)
    for (const v of page.LaunchTemplateVersions ?? []) {
      const id = v.LaunchTemplateData?.ImageId;
      if (id?.startsWith('ami-') && !used.has(id))
        used.set(id, `launch template ${v.LaunchTemplateName ?? v.LaunchTemplateId} version ${v.VersionNumber}${v.DefaultVersion ? ' (default)' : ''}`);
    }
  return used;
}
