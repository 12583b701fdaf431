import { paginateDescribeLaunchConfigurations, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { paginateDescribeLaunchTemplateVersions, type EC2Client, type LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { findInstances } from './discover.js';
import { LIVE_STATES } from './filters.js';
import { awsName } from './row-error.js';

/** What uses AMIs in one account and region, as far as it could be read. */
export interface ImageUsage {
  /** Each AMI in use, with what uses it (the first user found). */
  used: Map<string, string>;
  /**
   * Why some user's AMI is not known (an SSM parameter that cannot be read,
   * launch configurations that may not be listed). Not empty: any
   * candidate might be in use, so none may be deleted in this region.
   */
  unknown: string[];
}

/** The clients {@link imagesInUse} reads with, all of one account and region. */
export interface UsageClients {
  ec2: EC2Client;
  ssm: SSMClient;
  autoScaling: AutoScalingClient;
}

const SSM_PREFIX = 'resolve:ssm:';
/** Errors that mean "not allowed to look", as EC2, SSM and Auto Scaling name them. */
const DENIED = /^(AccessDenied(Exception)?|UnauthorizedOperation|UnauthorizedAccess)$/;

/**
 * The SSM parameter a launch template's ImageId names (`resolve:ssm:name`,
 * `…:name:version` or `…:name:label`, as GetParameter takes it), or
 * undefined for a plain AMI id.
 */
export function ssmParameterOf(imageId: string): string | undefined {
  return imageId.startsWith(SSM_PREFIX) && imageId.length > SSM_PREFIX.length ? imageId.slice(SSM_PREFIX.length) : undefined;
}

function templateName(v: LaunchTemplateVersion): string {
  return `launch template ${v.LaunchTemplateName ?? v.LaunchTemplateId} version ${v.VersionNumber}${v.DefaultVersion ? ' (default)' : ''}`;
}

/** Why an error stopped a read, for an `unknown` entry: the AWS error name, else the message. */
function cause(e: unknown): string {
  return awsName(e) || (e instanceof Error ? e.message : String(e));
}

/**
 * The AMIs still in use in this account and region, each with what uses it:
 * any instance not terminated (its ImageId); the `$Latest` and `$Default`
 * version of every launch template (one paginated
 * DescribeLaunchTemplateVersions with no template named lists them all),
 * an ImageId of `resolve:ssm:…` resolved with SSM GetParameter; and every
 * Auto Scaling launch configuration (paginated). A parameter that cannot
 * be read, or launch configurations that may not be listed (AccessDenied),
 * make the usage `unknown` rather than failing: the caller must then delete
 * nothing in this region. Any other error, and any on the EC2 calls,
 * propagates: without the list nothing may be deleted either.
 */
export async function imagesInUse(clients: UsageClients, signal?: AbortSignal): Promise<ImageUsage> {
  const usage: ImageUsage = { used: new Map(), unknown: [] };
  const use = (id: string | undefined, by: string) => {
    if (id?.startsWith('ami-') && !usage.used.has(id)) usage.used.set(id, by);
  };
  const instances = await findInstances(clients.ec2, [{ Name: 'instance-state-name', Values: [...LIVE_STATES] }], signal);
  for (const i of instances) use(i.imageId, `instance ${i.instanceId} (${i.state})`);
  // No MaxResults: moto truncates to it without a NextToken; AWS pages by itself.
  const pages = paginateDescribeLaunchTemplateVersions({ client: clients.ec2 }, { Versions: ['$Latest', '$Default'] }, { abortSignal: signal });
  const viaSsm = new Map<string, string[]>();
  for await (const page of pages)
    for (const v of page.LaunchTemplateVersions ?? []) {
      const id = v.LaunchTemplateData?.ImageId ?? '';
      const parameter = ssmParameterOf(id);
      if (!parameter) use(id, templateName(v));
      // $Latest and $Default are often the same version: listed twice, named once.
      else if (!viaSsm.get(parameter)?.includes(templateName(v))) viaSsm.set(parameter, [...(viaSsm.get(parameter) ?? []), templateName(v)]);
    }
  for (const [parameter, templates] of viaSsm) {
    try {
      const r = await clients.ssm.send(new GetParameterCommand({ Name: parameter }), { abortSignal: signal });
      use(r.Parameter?.Value, `${templates[0]} through SSM parameter ${parameter}`);
    } catch (e) {
      if (signal?.aborted) throw e;
      usage.unknown.push(`SSM parameter ${parameter} of ${templates.join(', ')} could not be read (${cause(e)})`);
    }
  }
  await launchConfigurationImages(clients.autoScaling, usage, use, signal);
  return usage;
}

/** Every launch configuration's ImageId (all pages); AccessDenied adds an `unknown` entry instead. */
async function launchConfigurationImages(
  autoScaling: AutoScalingClient,
  usage: ImageUsage,
  use: (id: string | undefined, by: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  try {
    for await (const page of paginateDescribeLaunchConfigurations({ client: autoScaling }, {}, { abortSignal: signal }))
      for (const lc of page.LaunchConfigurations ?? []) use(lc.ImageId, `launch configuration ${lc.LaunchConfigurationName}`);
  } catch (e) {
    if (signal?.aborted || !DENIED.test(awsName(e))) throw e;
    usage.unknown.push(`launch configurations could not be listed (${cause(e)})`);
  }
}
