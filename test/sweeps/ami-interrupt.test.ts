// Ctrl-C in the middle of `rolehop ami create` and `ami prune`, through the
// built CLI against moto: SIGINT is sent while the call after CreateImage
// (tagging the snapshots) or after DeregisterImage (DeleteSnapshot) is held
// up in the counting proxy. A first Ctrl-C lets the target finish the AMI it
// is on and exits 130 with a summary; a second ends it at once. The AMI
// carries its ownership mark from CreateImage itself; prune marks the
// snapshots before it deregisters, so the snapshots a cut prune leaves
// behind are found and deleted by the next.
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
  type Image,
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

  /**
   * Sends SIGINT (`times` times) to the CLI when the first `action` arrives.
   * Once: that call is forwarded after `delayMs`. Twice: it is answered with
   * a 500 after `delayMs` and never reaches moto (the CLI is gone by then).
   */
  function interruptAt(action: string, times: 1 | 2, delayMs: number): (child: ChildProcess) => void {
    let sent = false;
    return (child) =>
      proxy.setFault((call) => {
        if (sent || call.action !== action) return undefined;
        sent = true;
        child.kill('SIGINT');
        if (times === 1) return { delayMs };
        setTimeout(() => child.kill('SIGINT'), 200);
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

  const byAge = (images: Image[]) => [...images].sort((a, b) => Date.parse(a.CreationDate!) - Date.parse(b.CreationDate!));
  const snapshotsOfImage = (image: Image) => image.BlockDeviceMappings!.flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
  const create = async () => {
    const r = await cli(['ami', 'create', ...sel(), '--filter', 'tag:backup=daily']);
    assert.equal(r.code, 0, r.stderr);
  };

  it('a first Ctrl-C after CreateImage still tags its snapshots, says what was made, exits 130', async () => {
    const r = await cli(['ami', 'create', ...sel(), '--filter', 'tag:backup=daily'], interruptAt('CreateTags', 1, 1500));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stdout, /✓ \d{12} us-east-1 i-\w+: created ami-\w+ \("i-\w+-\d{8}T\d{6}Z"\), 1 snapshot tagged/);
    assert.match(
      r.stderr,
      /ami create: interrupted: created 1 AMI \(run \S+, tagged rolehop:run-id\); 0 AMIs and 0 targets not started; ami create again makes a new backup of every instance/,
    );
    const [image] = await rolehopImages();
    const tags = tagsOf(image!.Tags);
    assert.equal(tags['rolehop:created-by'], 'rolehop');
    for (const s of (await snapshots()).filter((x) => snapshotsOfImage(image!).includes(x.SnapshotId!)))
      assert.equal(tagsOf(s.Tags)['rolehop:image-id'], image!.ImageId);
  });

  it('a second Ctrl-C ends it at once: the AMI already carries its ownership mark from CreateImage', async () => {
    const r = await cli(['ami', 'create', ...sel(), '--filter', 'tag:backup=daily'], interruptAt('CreateTags', 2, 2000));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    const images = byAge(await rolehopImages());
    assert.equal(images.length, 2);
    const cut = images[1]!;
    const tags = tagsOf(cut.Tags);
    assert.equal(tags['rolehop:created-by'], 'rolehop');
    assert.ok(tags['rolehop:run-id'] && tags['rolehop:source-instance']);
    // Cut before its snapshots were tagged: they are rolehop's through their AMI only, for now.
    for (const s of (await snapshots()).filter((x) => snapshotsOfImage(cut).includes(x.SnapshotId!)))
      assert.equal(tagsOf(s.Tags)['rolehop:created-by'], undefined);
  });

  it('a first Ctrl-C in prune finishes the AMI it is deleting (snapshots too), exits 130', async () => {
    await create();
    await create();
    const [oldest] = byAge(await rolehopImages());
    const r = await cli(['ami', 'prune', ...sel(), '--keep', '3', '--yes'], interruptAt('DeleteSnapshot', 1, 1500));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stdout, new RegExp(`✓ .*: deregistered ${oldest!.ImageId} .*, deleted 1 snapshot`));
    assert.match(r.stderr, /ami prune: interrupted: deregistered 1 AMI, deleted 1 snapshot; 0 AMIs and 0 targets not started/);
    assert.ok(!(await rolehopImages()).some((i) => i.ImageId === oldest!.ImageId));
    assert.deepEqual(
      (await snapshots()).filter((x) => snapshotsOfImage(oldest!).includes(x.SnapshotId!)),
      [],
    );
  });

  it('a second Ctrl-C between DeregisterImage and DeleteSnapshot leaves marked snapshots, and prune again deletes them', async () => {
    const images = byAge(await rolehopImages());
    assert.equal(images.length, 3);
    const due = images.slice(0, 2);
    const kept = images[2]!;
    const dueSnapshots = due.flatMap(snapshotsOfImage);

    const r = await cli(['ami', 'prune', ...sel(), '--keep', '1', '--yes'], interruptAt('DeleteSnapshot', 2, 2000));
    proxy.setFault(undefined);
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(
      (await rolehopImages()).map((i) => i.ImageId),
      [kept.ImageId],
      'the old AMIs are deregistered',
    );
    const left = (await snapshots()).filter((s) => dueSnapshots.includes(s.SnapshotId!));
    assert.ok(left.length > 0, 'the cut left snapshots behind');
    for (const s of left) {
      const tags = tagsOf(s.Tags);
      assert.equal(tags['rolehop:created-by'], 'rolehop', 'marked as rolehop’s before the AMI went (one was cut before its create tagged it)');
      assert.ok(due.some((i) => i.ImageId === tags['rolehop:image-id']));
    }

    const again = await cli(['--json', 'ami', 'prune', ...sel(), '--keep', '1', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    const rows = again.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; snapshots: string[] });
    assert.ok(rows.length > 0 && rows.every((x) => x.action === 'snapshots-deleted'));
    assert.deepEqual(
      (await snapshots()).filter((s) => dueSnapshots.includes(s.SnapshotId!)),
      [],
    );
    assert.deepEqual(
      (await rolehopImages()).map((i) => i.ImageId),
      [kept.ImageId],
      'the newest backup stays',
    );
  });
});
