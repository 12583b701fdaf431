// The sweeps benchmark's state in moto: a light seed so every sweep finds
// real work in some accounts (roles with good and bad trust, imported ACM
// certificates near and far from expiry, an IAM server certificate, tagged
// and untagged instances, rolehop's AMIs, one held by a launch template through an SSM parameter),
// and a first touch of IAM, ACM and EC2 in every other account and region:
// moto builds an account's EC2 region (default VPC and the rest) on first
// use, which would otherwise be timed in whichever side ran first.
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ACMClient, ImportCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { CreateRoleCommand, IAMClient, ListRolesCommand, UploadServerCertificateCommand } from '@aws-sdk/client-iam';
import {
  CreateImageCommand,
  CreateLaunchTemplateCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  EC2Client,
  RegisterImageCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { MGMT } from '../../test/engine/moto-org.js';
import { makeCert } from '../../test/helpers/test-certs.js';
import { AmiTags, CREATED_BY_VALUE } from '../../src/sweeps/ami/index.js';
import { BENCH_FILTER, BENCH_REGIONS } from './targets.js';

const DAY = 86_400_000;
/** A trust policy letting in one principal, without conditions. */
const trust = (Principal: Record<string, string>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }] });

/** What {@link seedSweeps} did. */
export interface SweepSeed {
  /** Accounts given the seed; the others were only touched. */
  seededAccounts: number;
  /** Calls made to moto, AssumeRole included. */
  calls: number;
}

/** A keep-alive handler that counts the requests it sends. */
class CountingHandler extends NodeHttpHandler {
  calls = 0;
  override handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    this.calls++;
    return super.handle(...args);
  }
}

async function seedIamAndAcm(cfg: Record<string, unknown>, certs: { soon: PemPair; far: PemPair; server: PemPair }): Promise<void> {
  const iam = new IAMClient({ ...cfg, region: 'us-east-1' });
  await iam.send(new CreateRoleCommand({ RoleName: 'bench-partner', AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::999999999999:root' }) }));
  await iam.send(new CreateRoleCommand({ RoleName: 'bench-ec2', AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }) }));
  const c = certs.server;
  await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'bench-legacy', CertificateBody: c.cert, PrivateKey: c.key }));
  for (const region of BENCH_REGIONS) {
    const acm = new ACMClient({ ...cfg, region });
    for (const p of [certs.soon, certs.far]) await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(p.cert), PrivateKey: Buffer.from(p.key) }));
  }
}

async function seedEc2(ec2: EC2Client, ssm: SSMClient, region: string): Promise<void> {
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 8 }));
  const snap = await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId! }));
  const base = await ec2.send(
    new RegisterImageCommand({
      Name: 'bench-base',
      RootDeviceName: '/dev/sda1',
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: snap.SnapshotId! } }],
    }),
  );
  const run = async (Tags: { Key: string; Value: string }[], n: number) =>
    (
      await ec2.send(new RunInstancesCommand({ ImageId: base.ImageId!, MinCount: n, MaxCount: n, TagSpecifications: [{ ResourceType: 'instance', Tags }] }))
    ).Instances!.map((i) => i.InstanceId!);
  const daily = await run([{ Key: BENCH_FILTER.key, Value: BENCH_FILTER.value }], 2);
  await run([{ Key: 'Name', Value: 'untagged-for-backup' }], 1);
  // Two backups per instance: with --keep 1 the older is due, except the one a launch template still uses (through SSM).
  for (const [k, instance] of daily.entries()) {
    const images: string[] = [];
    for (const age of ['older', 'newer']) {
      const r = await ec2.send(
        new CreateImageCommand({
          InstanceId: instance,
          Name: `${instance}-${age}`,
          NoReboot: true,
          TagSpecifications: [
            {
              ResourceType: 'image',
              Tags: [
                { Key: AmiTags.CREATED_BY, Value: CREATED_BY_VALUE },
                { Key: AmiTags.SOURCE_INSTANCE, Value: instance },
                { Key: AmiTags.RUN_ID, Value: `bench-${age}` },
              ],
            },
          ],
        }),
      );
      images.push(r.ImageId!);
    }
    if (k === 1) {
      await ssm.send(new PutParameterCommand({ Name: '/bench/golden', Type: 'String', DataType: 'aws:ec2:image', Value: images[0]! }));
      await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'bench-web', LaunchTemplateData: { ImageId: 'resolve:ssm:/bench/golden' } }));
    }
  }
}

/** What makeCert gives: a certificate and its key, PEM. */
interface PemPair {
  cert: string;
  key: string;
}

/**
 * Seeds every `every`-th account of `accounts` (from the first) and touches
 * IAM, ACM and EC2 in every region of all the others, `concurrency`
 * accounts at a time, straight against moto (entered through
 * OrganizationAccountAccessRole from the management account).
 */
export async function seedSweeps(motoUrl: string, accounts: readonly string[], every = 20, concurrency = 16): Promise<SweepSeed> {
  const now = Date.now();
  const certs = {
    soon: makeCert({ domain: 'soon.bench.example', notAfter: new Date(now + 10 * DAY) }),
    far: makeCert({ domain: 'far.bench.example', notAfter: new Date(now + 200 * DAY) }),
    server: makeCert({ domain: 'legacy.bench.example', notAfter: new Date(now + 5 * DAY) }),
  };
  const requestHandler = new CountingHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency * 2 }) });
  const sts = new STSClient({ region: 'us-east-1', endpoint: motoUrl, credentials: MGMT, requestHandler });
  let next = 0;
  let seededAccounts = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < accounts.length) {
        const k = next++;
        const account = accounts[k]!;
        const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'seed' }));
        const credentials = {
          accessKeyId: r.Credentials!.AccessKeyId!,
          secretAccessKey: r.Credentials!.SecretAccessKey!,
          sessionToken: r.Credentials!.SessionToken!,
        };
        const cfg = { endpoint: motoUrl, credentials, requestHandler };
        const seeded = k % every === 0;
        if (seeded) {
          seededAccounts++;
          await seedIamAndAcm(cfg, certs);
        } else await new IAMClient({ ...cfg, region: 'us-east-1' }).send(new ListRolesCommand({}));
        for (const region of BENCH_REGIONS) {
          const ec2 = new EC2Client({ ...cfg, region });
          if (seeded) await seedEc2(ec2, new SSMClient({ ...cfg, region }), region);
          else {
            await ec2.send(new DescribeInstancesCommand({}));
            await new ACMClient({ ...cfg, region }).send(new ListCertificatesCommand({}));
          }
        }
      }
    }),
  );
  requestHandler.destroy();
  return { seededAccounts, calls: requestHandler.calls };
}
