// The sweeps benchmark's ceiling: for each built-in sweep, the AWS reads its
// job makes in one (account, region), written as the most direct SDK v3
// code, with no judging of what comes back beyond what decides the next
// call (which certificates to describe). Each returns how many items it read.
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand, type CertificateStatus, type KeyAlgorithm } from '@aws-sdk/client-acm';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import { GetServerCertificateCommand, IAMClient, ListRolesCommand, ListServerCertificatesCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AutoScalingClient, DescribeLaunchConfigurationsCommand } from '@aws-sdk/client-auto-scaling';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { BENCH_DAYS, BENCH_FILTER, type SweepJobName } from './targets.js';

/** What one unit of the ceiling has: where, with which keys, through which handler. */
export interface CeilingUnit {
  account: string;
  region: string;
  endpoint: string;
  requestHandler: NodeHttpHandler;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** The run's clock, ms since the epoch. */
  now: number;
}

const KEY_TYPES: KeyAlgorithm[] = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];
const STATUSES: CertificateStatus[] = ['ISSUED', 'EXPIRED', 'INACTIVE'];
const DAY = 86_400_000;

const client = <C>(Ctor: new (config: Record<string, unknown>) => C, u: CeilingUnit): C =>
  new Ctor({ region: u.region, endpoint: u.endpoint, credentials: u.credentials, requestHandler: u.requestHandler });

async function trustRoles(u: CeilingUnit): Promise<number> {
  const iam = client(IAMClient, u);
  let n = 0;
  let Marker: string | undefined;
  do {
    const r = await iam.send(new ListRolesCommand({ MaxItems: 1000, ...(Marker ? { Marker } : {}) }));
    n += r.Roles?.length ?? 0;
    Marker = r.IsTruncated ? r.Marker : undefined;
  } while (Marker);
  return n;
}

async function certificates(u: CeilingUnit): Promise<number> {
  const acm = client(ACMClient, u);
  const soon: string[] = [];
  let n = 0;
  let NextToken: string | undefined;
  do {
    const r = await acm.send(
      new ListCertificatesCommand({ CertificateStatuses: STATUSES, Includes: { keyTypes: KEY_TYPES }, MaxItems: 1000, ...(NextToken ? { NextToken } : {}) }),
    );
    for (const s of r.CertificateSummaryList ?? []) {
      n++;
      // What uses a certificate matters only for those within --days (none seeded is renewable).
      if (s.CertificateArn && s.NotAfter && s.NotAfter.getTime() - u.now < BENCH_DAYS * DAY) soon.push(s.CertificateArn);
    }
    NextToken = r.NextToken || undefined;
  } while (NextToken);
  for (const CertificateArn of soon) await acm.send(new DescribeCertificateCommand({ CertificateArn }));
  if (u.region !== 'us-east-1') return n;
  const iam = client(IAMClient, u);
  let Marker: string | undefined;
  do {
    const r = await iam.send(new ListServerCertificatesCommand(Marker ? { Marker } : {}));
    for (const m of r.ServerCertificateMetadataList ?? []) {
      await iam.send(new GetServerCertificateCommand({ ServerCertificateName: m.ServerCertificateName! }));
      n++;
    }
    Marker = r.IsTruncated ? r.Marker : undefined;
  } while (Marker);
  return n;
}

async function instances(ec2: EC2Client, Filters: Filter[]): Promise<number> {
  let n = 0;
  let NextToken: string | undefined;
  do {
    const r = await ec2.send(new DescribeInstancesCommand({ Filters, ...(NextToken ? { NextToken } : {}) }));
    for (const res of r.Reservations ?? []) n += res.Instances?.length ?? 0;
    NextToken = r.NextToken || undefined;
  } while (NextToken);
  return n;
}

async function amiCreateDryRun(u: CeilingUnit): Promise<number> {
  return instances(client(EC2Client, u), [
    { Name: `tag:${BENCH_FILTER.key}`, Values: [BENCH_FILTER.value] },
    { Name: 'instance-state-name', Values: ['running', 'stopped'] },
  ]);
}

async function amiPruneReads(u: CeilingUnit): Promise<number> {
  const ec2 = client(EC2Client, u);
  const created = { Name: 'tag:rolehop:created-by', Values: ['rolehop'] };
  let n = 0;
  let NextToken: string | undefined;
  do {
    const r = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true, Filters: [created], ...(NextToken ? { NextToken } : {}) }));
    n += r.Images?.length ?? 0;
    NextToken = r.NextToken || undefined;
  } while (NextToken);
  await instances(ec2, [{ Name: 'instance-state-name', Values: ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] }]);
  const parameters = new Set<string>();
  do {
    const r = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest', '$Default'], ...(NextToken ? { NextToken } : {}) }));
    for (const v of r.LaunchTemplateVersions ?? [])
      if (v.LaunchTemplateData?.ImageId?.startsWith('resolve:ssm:')) parameters.add(v.LaunchTemplateData.ImageId.slice('resolve:ssm:'.length));
    NextToken = r.NextToken || undefined;
  } while (NextToken);
  if (parameters.size) {
    const ssm = client(SSMClient, u);
    for (const Name of parameters) await ssm.send(new GetParameterCommand({ Name }));
  }
  const autoScaling = client(AutoScalingClient, u);
  do {
    const r = await autoScaling.send(new DescribeLaunchConfigurationsCommand(NextToken ? { NextToken } : {}));
    NextToken = r.NextToken || undefined;
  } while (NextToken);
  do {
    const r = await ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'owner-id', Values: [u.account] }, created], ...(NextToken ? { NextToken } : {}) }),
    );
    NextToken = r.NextToken || undefined;
  } while (NextToken);
  return n;
}

/** The ceiling's reads for each sweep, per unit. */
export const CEILING_READS: Record<SweepJobName, (u: CeilingUnit) => Promise<number>> = {
  'audit-trust': trustRoles,
  certs: certificates,
  'ami-create': amiCreateDryRun,
  'ami-prune': amiPruneReads,
};
