// Ctrl-C in the middle of `rolehop ami create` and `ami prune`, through the
// built CLI against moto: SIGINT is sent while the call after CreateImage
// (tagging the snapshots) or after DeregisterImage (DeleteSnapshot) is held
// up in the counting proxy. The AMI carries its ownership mark from
// CreateImage itself; prune marks the snapshots before it deregisters, so
// the snapshots a cut prune leaves behind are found and deleted by the next.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RegisterImageCommand,
  RunInstancesCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import { MOTO_ROOT_CREDENTIALS, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const REGION = 'us-east-1';
const tagsOf = (tags: Tag[] | undefined): Record<string, string> => Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value ?? '']));

describe('rolehop ami: interrupted create and prune', { timeout: 300_000 }, () => {
  let world: World;
  let proxy: CountingProxy;
  let env: Record<string, string>;
  let account: string;
  let ec2: EC2Client;
  let baseSnapshot: string;
  const sel = () => ['--accounts', account, '--regions', REGION];
  const cli = (args: string[], onSpawn?: (child: ChildProcess) => void) =>
    runCli(['--mfa-token', '123456', ...args], { env, timeoutMs: 120_000, ...(onSpawn ? { onSpawn } : {}) });

  /** SIGINT to the CLI when the first `action` arrives; that call is answered with a 500 after `delayMs`, never sent to moto. */
  function interruptAt(action: string, delayMs: number): (child: ChildProcess) => void {
    let sent = false;
    return (child) =>
      proxy.setFault((call) => {
        if (sent || call.action !== action) return undefined;
        sent = true;
        child.kill('SIGINT');
        return { status: 500, code: 'InternalError', message: 'held up by the test', delayMs };
      });
  }

  const rolehopImages = async () =>
    (await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:rolehop:created-by', Values: ['rolehop'] }] }))).Images ?? [];
  const snapshots = async () =>
    ((await ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'owner-id', Values: [account] }] }))).Snapshots ?? []).filter(
      (s) => s.SnapshotId !== baseSnapshot,
    );

  before(async () => {
    world = await startWorld({ proxy: true, targets: 1, moto: { env: { MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' } }, env: { AWS_PROFILE: 'alice' } });
    ({ proxy, env } = world);
    account = world.accounts[0]!;
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
    const sts = new STSClient({ region: REGION, endpoint: world.moto.url, credentials: MOTO_ROOT_CREDENTIALS });
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'seed' })))
      .Credentials!;
    sts.destroy();
    ec2 = new EC2Client({
      region: REGION,
      endpoint: world.moto.url,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    });
    const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 8 }));
    baseSnapshot = (await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId! }))).SnapshotId!;
    const base = await ec2.send(
      new RegisterImageCommand({
        Name: 'golden-base',
        RootDeviceName: '/dev/sda1',
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: baseSnapshot } }],
      }),
    );
    await ec2.send(
      new RunInstancesCommand({
        ImageId: base.ImageId!,
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'backup', Value: 'daily' }] }],
      }),
    );
  });
  after(async () => {
    ec2?.destroy();
    await world?.stop();
  });

  it('Ctrl-C after CreateImage: exit 130, and the AMI already carries its ownership mark', async () => {
    const r = await cli(['ami', 'create', ...sel(), '--filter', 'tag:backup=daily'], interruptAt('CreateTags', 2000));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /ami create: interrupted; what this run made carries rolehop:run-id=\S+/);
    const images = await rolehopImages();
    assert.equal(images.length, 1);
    const tags = tagsOf(images[0]!.Tags);
    assert.equal(tags['rolehop:created-by'], 'rolehop');
    assert.ok(tags['rolehop:run-id'] && tags['rolehop:source-instance']);
    // Cut before the snapshots were tagged: they are rolehop's through their AMI only, for now.
    assert.ok((await snapshots()).every((s) => !tagsOf(s.Tags)['rolehop:created-by']));
  });

  it('Ctrl-C between DeregisterImage and DeleteSnapshot leaves marked snapshots, and prune again deletes them', async () => {
    const newer = await cli(['ami', 'create', ...sel(), '--filter', 'tag:backup=daily']);
    assert.equal(newer.code, 0, newer.stderr);
    const [old, kept] = (await rolehopImages()).sort((a, b) => Date.parse(a.CreationDate!) - Date.parse(b.CreationDate!));
    const oldSnapshots = old!.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!);

    const r = await cli(['ami', 'prune', ...sel(), '--keep', '1', '--yes'], interruptAt('DeleteSnapshot', 2000));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(
      (await rolehopImages()).map((i) => i.ImageId),
      [kept!.ImageId],
      'the old AMI is deregistered',
    );
    const left = (await snapshots()).filter((s) => oldSnapshots.includes(s.SnapshotId!));
    assert.equal(left.length, oldSnapshots.length, 'its snapshots are still there');
    for (const s of left) {
      const tags = tagsOf(s.Tags);
      assert.equal(tags['rolehop:created-by'], 'rolehop', 'marked as rolehop’s before the AMI went');
      assert.equal(tags['rolehop:image-id'], old!.ImageId);
    }

    const again = await cli(['--json', 'ami', 'prune', ...sel(), '--keep', '1', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    const rows = again.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; image: string; snapshots: string[] });
    assert.deepEqual(rows, [
      {
        ...rows[0],
        action: 'snapshots-deleted',
        image: old!.ImageId,
        snapshots: oldSnapshots,
      },
    ]);
    assert.deepEqual(
      (await snapshots()).filter((s) => oldSnapshots.includes(s.SnapshotId!)),
      [],
    );
    assert.deepEqual(
      (await rolehopImages()).map((i) => i.ImageId),
      [kept!.ImageId],
      'the newest backup stays',
    );
  });
});
