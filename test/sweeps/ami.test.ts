// `rolehop ami create|prune` through the built CLI against moto (no default
// AMI catalogue), 20 accounts x 2 regions behind the counting proxy: tagged,
// untagged, stopped and terminated instances; an unrelated AMI and one that
// only looks like rolehop's; AMIs kept by a launch template (directly, and
// through an SSM parameter), by a launch configuration and by an instance,
// and none deleted where that use cannot be read. The retention clock is
// tested through the library job.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateImageCommand,
  CreateLaunchTemplateCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteLaunchTemplateCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RegisterImageCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Image,
  type Tag,
} from '@aws-sdk/client-ec2';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { SSMClient, PutParameterCommand } from '@aws-sdk/client-ssm';
import { AutoScalingClient, CreateLaunchConfigurationCommand } from '@aws-sdk/client-auto-scaling';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import { CLI_PATH, MOTO_ROOT_CREDENTIALS, runCli } from '../helpers/run-cli.js';
import { hasPythonPty, runInPty } from '../helpers/pty.js';
import { renderScreen } from '../helpers/screen.js';
import { startWorld, type World } from '../helpers/world.js';
import type { JobContext } from '../../src/index.js';
import { amiPruneJob, type AmiRow } from '../../src/sweeps/ami/index.js';

const N = 20;
const REGIONS = ['us-east-1', 'eu-west-1'];
const DAY = 86_400_000;

interface Seeded {
  account: string;
  region: string;
  /** Instances that --filter tag:backup=daily must image (running or stopped). */
  daily: Map<string, string | undefined>;
  /** The instances it must not: untagged, another value, terminated. */
  others: string[];
  baseImage: string;
  baseSnapshot: string;
  impostor?: string;
}

const key = (account: string, region: string) => `${account} ${region}`;
const tagsOf = (tags: Tag[] | undefined): Record<string, string | undefined> => Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value]));
const parse = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AmiRow & { error?: { code: string } });

describe(`rolehop ami: ${N} accounts x ${REGIONS.length} regions against moto`, { timeout: 900_000 }, () => {
  let world: World;
  let proxy: CountingProxy;
  let env: Record<string, string>;
  let accounts: string[];
  const seeded = new Map<string, Seeded>();
  const creds = new Map<string, Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }>>();
  const clients: EC2Client[] = [];
  const runIds: string[] = [];

  /** The account's administrator, straight to moto (no proxy): seeding and checking. */
  function credsOf(account: string) {
    let c = creds.get(account);
    if (!c) {
      c = (async () => {
        const sts = new STSClient({ region: 'us-east-1', endpoint: world.moto.url, credentials: MOTO_ROOT_CREDENTIALS });
        const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'seed' }));
        sts.destroy();
        return { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! };
      })();
      creds.set(account, c);
    }
    return c;
  }
  async function ec2Of(account: string, region: string): Promise<EC2Client> {
    const c = new EC2Client({ region, endpoint: world.moto.url, credentials: await credsOf(account) });
    clients.push(c);
    return c;
  }
  async function rolehopImages(account: string, region: string): Promise<Image[]> {
    const ec2 = await ec2Of(account, region);
    const r = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:rolehop:created-by', Values: ['rolehop'] }] }));
    return r.Images ?? [];
  }
  async function snapshotsOf(account: string, region: string) {
    const ec2 = await ec2Of(account, region);
    return (await ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'owner-id', Values: [account] }] }))).Snapshots ?? [];
  }
  const cli = (args: string[], timeoutMs = 300_000) => runCli(['--mfa-token', '123456', ...args], { env, timeoutMs });
  const all = () => ['--accounts', accounts.join(','), '--regions', REGIONS.join(',')];

  async function seed(account: string, region: string): Promise<Seeded> {
    const ec2 = await ec2Of(account, region);
    const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 8 }));
    const snap = await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId! }));
    const base = await ec2.send(
      new RegisterImageCommand({
        Name: 'golden-base',
        RootDeviceName: '/dev/sda1',
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: snap.SnapshotId! } }],
      }),
    );
    const run = async (tags: Record<string, string>, count = 1) => {
      const r = await ec2.send(
        new RunInstancesCommand({
          ImageId: base.ImageId!,
          MinCount: count,
          MaxCount: count,
          ...(Object.keys(tags).length
            ? { TagSpecifications: [{ ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] }
            : {}),
        }),
      );
      return r.Instances!.map((i) => i.InstanceId!);
    };
    const [named] = await run({ backup: 'daily', Name: `web-${account.slice(-4)}` });
    const [unnamed] = await run({ backup: 'daily' });
    const [stopped] = await run({ backup: 'daily', Name: 'batch' });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped!] }));
    const [terminated] = await run({ backup: 'daily', Name: 'gone' });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [terminated!] }));
    const [weekly] = await run({ backup: 'weekly' });
    const [bare] = await run({});
    return {
      account,
      region,
      daily: new Map([
        [named!, `web-${account.slice(-4)}`],
        [unnamed!, undefined],
        [stopped!, 'batch'],
      ]),
      others: [terminated!, weekly!, bare!],
      baseImage: base.ImageId!,
      baseSnapshot: snap.SnapshotId!,
    };
  }

  before(async () => {
    world = await startWorld({ proxy: true, targets: N, moto: { env: { MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' } }, env: { AWS_PROFILE: 'alice' } });
    ({ proxy, env, accounts } = world);
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
    const t0 = Date.now();
    const pairs = accounts.flatMap((a) => REGIONS.map((r) => [a, r] as const));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < pairs.length) {
          const [a, r] = pairs[next++]!;
          seeded.set(key(a, r), await seed(a, r));
        }
      }),
    );
    // An AMI that carries rolehop's source tag but not its ownership mark: never rolehop's to delete.
    const s = seeded.get(key(accounts[0]!, 'us-east-1'))!;
    const ec2 = await ec2Of(s.account, s.region);
    const [someone] = [...s.daily.keys()];
    s.impostor = (
      await ec2.send(
        new CreateImageCommand({
          InstanceId: someone!,
          Name: 'made-by-hand',
          TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'rolehop:source-instance', Value: someone! }] }],
        }),
      )
    ).ImageId!;
    console.log(`# seeded ${pairs.length} targets in ${Date.now() - t0} ms`);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await world?.stop();
  });

  it('a malformed filter, a bad template or a missing --keep is refused before any AWS call (exit 2)', async () => {
    proxy.reset();
    for (const args of [
      ['ami', 'create', ...all(), '--filter', 'backup=daily'],
      ['ami', 'create', ...all(), '--filter', 'tag:backup'],
      ['ami', 'create', ...all()],
      ['ami', 'create', ...all(), '--filter', 'tag:backup=daily', '--name-template', 'nightly-{utc}'],
      ['ami', 'create', ...all(), '--filter', 'tag:backup=daily', '--copy-to', 'eu-wset-1'],
      ['ami', 'prune', ...all(), '--keep', '1', '--filter', 'tag-key:', '--yes'],
      ['ami', 'prune', ...all(), '--keep', 'two', '--yes'],
      ['ami', 'prune', ...all(), '--keep', '1', '--older-than', '6m', '--yes'],
      ['ami', 'prune', ...all(), '--keep', '1'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}\n${r.stderr}`);
      assert.match(r.stderr, /hint: /, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.equal(proxy.calls.length, 0, 'no AWS call at all');
  });

  it('create --dry-run lists exactly the matching running and stopped instances and changes nothing', async () => {
    proxy.reset();
    const r = await cli(['--json', 'ami', 'create', ...all(), '--filter', 'tag:backup=daily', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    const rows = parse(r.stdout);
    assert.ok(rows.every((x) => x.action === 'would-create' && x.image === null && /^i-[0-9a-f]+-\d{8}T\d{6}Z$/.test(x.name!)));
    const want = [...seeded.values()].flatMap((s) => [...s.daily.keys()].map((i) => `${key(s.account, s.region)} ${i}`)).sort();
    assert.deepEqual(rows.map((x) => `${key(x.account, x.region)} ${x.instance}`).sort(), want);
    assert.equal(proxy.count('CreateImage'), 0);
    assert.equal(proxy.count('CreateTags'), 0);
    assert.equal(proxy.count('AssumeRole'), N, 'one AssumeRole per account for both regions');
  });

  it('create makes exactly one AMI per matching instance, none for the others, and tags the AMI and every snapshot', async () => {
    proxy.reset();
    const t0 = Date.now();
    const r = await cli(['--json', 'ami', 'create', ...all(), '--filter', 'tag:backup=daily']);
    const ms = Date.now() - t0;
    assert.equal(r.code, 0, r.stderr);
    const rows = parse(r.stdout);
    assert.equal(rows.length, N * REGIONS.length * 3);
    assert.ok(rows.every((x) => x.action === 'created' && x.image!.startsWith('ami-') && x.snapshots.length === 1));
    assert.equal(proxy.count('CreateImage'), rows.length);
    const run = /\(run (\S+)\)/.exec(r.stderr)?.[1];
    assert.ok(run, r.stderr);
    runIds.push(run);
    console.log(`# create: ${rows.length} AMIs in ${N * REGIONS.length} targets, ${ms} ms, ${proxy.calls.length} calls`);

    for (const s of seeded.values()) {
      const images = await rolehopImages(s.account, s.region);
      assert.equal(images.length, 3, key(s.account, s.region));
      const bySource = new Map(images.map((i) => [tagsOf(i.Tags)['rolehop:source-instance']!, i]));
      assert.deepEqual([...bySource.keys()].sort(), [...s.daily.keys()].sort(), 'the matching instances, no other');
      for (const o of s.others) assert.ok(!bySource.has(o));
      const snaps = new Map((await snapshotsOf(s.account, s.region)).map((x) => [x.SnapshotId, tagsOf(x.Tags)]));
      for (const [instance, name] of s.daily) {
        const image = bySource.get(instance)!;
        const want: Record<string, string> = {
          'rolehop:source-instance': instance,
          'rolehop:run-id': run,
          'rolehop:created-by': 'rolehop',
          ...(name ? { Name: name } : {}),
        };
        assert.deepEqual(tagsOf(image.Tags), want);
        const ids = image.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!);
        assert.ok(ids.length > 0);
        for (const id of ids) assert.deepEqual(snaps.get(id), { ...want, 'rolehop:image-id': image.ImageId }, `snapshot ${id} of ${image.ImageId}`);
      }
    }
  });

  it('later runs (one with --wait) add one AMI per instance each', async () => {
    // Something keeps using two first-run AMIs: a launch template's default version, and an instance.
    const a = seeded.get(key(accounts[0]!, 'us-east-1'))!;
    const aImage = (await rolehopImages(a.account, a.region))[0]!.ImageId!;
    await (await ec2Of(a.account, a.region)).send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: aImage } }));
    const b = seeded.get(key(accounts[1]!, 'eu-west-1'))!;
    const bImage = (await rolehopImages(b.account, b.region))[0]!.ImageId!;
    await (await ec2Of(b.account, b.region)).send(new RunInstancesCommand({ ImageId: bImage, MinCount: 1, MaxCount: 1 }));
    // One only through the SSM parameter a launch template names, one only by an Auto Scaling launch configuration.
    const c = seeded.get(key(accounts[8]!, 'us-east-1'))!;
    const cImage = (await rolehopImages(c.account, c.region))[0]!.ImageId!;
    const ssm = new SSMClient({ region: c.region, endpoint: world.moto.url, credentials: await credsOf(c.account) });
    await ssm.send(new PutParameterCommand({ Name: '/rolehop-test/golden', Type: 'String', DataType: 'aws:ec2:image', Value: cImage }));
    ssm.destroy();
    await (
      await ec2Of(c.account, c.region)
    ).send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'ssm-web', LaunchTemplateData: { ImageId: 'resolve:ssm:/rolehop-test/golden' } }));
    const d = seeded.get(key(accounts[9]!, 'eu-west-1'))!;
    const dImage = (await rolehopImages(d.account, d.region))[0]!.ImageId!;
    const asg = new AutoScalingClient({ region: d.region, endpoint: world.moto.url, credentials: await credsOf(d.account) });
    await asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'legacy-lc', ImageId: dImage, InstanceType: 't3.micro' }));
    asg.destroy();
    for (const [s, image] of [
      [a, aImage],
      [b, bImage],
      [c, cImage],
      [d, dImage],
    ] as const)
      Object.assign(s, { protectedImage: image });

    for (const extra of [[], ['--wait', '--wait-timeout', '5m']]) {
      await new Promise((res) => setTimeout(res, 1100)); // moto's CreationDate has whole seconds
      const r = await cli(['--json', 'ami', 'create', ...all(), '--filter', 'tag:backup=daily', ...extra]);
      assert.equal(r.code, 0, r.stderr);
      const rows = parse(r.stdout);
      assert.equal(rows.filter((x) => x.action === 'created').length, N * REGIONS.length * 3);
      if (extra.length) assert.ok(rows.every((x) => x.state === 'available'));
      runIds.push(/\(run (\S+)\)/.exec(r.stderr)![1]!);
    }
    for (const s of seeded.values()) assert.equal((await rolehopImages(s.account, s.region)).length, 9);
  });

  it('the retention clock, through the library job: nothing is old enough now, all but the newest are 31 days later', async () => {
    const s = seeded.get(key(accounts[2]!, 'us-east-1'))!;
    const credentials = await credsOf(s.account);
    const made: EC2Client[] = [];
    const ctx = {
      account: s.account,
      region: s.region,
      name: undefined,
      roleArn: `arn:aws:iam::${s.account}:role/OrganizationAccountAccessRole`,
      credentials: async () => credentials,
      signal: new AbortController().signal,
      attempt: 1,
      client: (C: typeof EC2Client, config?: Record<string, unknown>) => {
        const c = new C({ region: s.region, endpoint: world.moto.url, credentials, ...config });
        made.push(c);
        return c;
      },
    } as unknown as JobContext;
    try {
      const now = Date.now();
      const policy = { keep: 1, olderThanMs: 30 * DAY };
      assert.deepEqual(await amiPruneJob({ ...policy, now: () => now, dryRun: true })(ctx), []);
      const later = await amiPruneJob({ ...policy, now: () => now + 31 * DAY, dryRun: true })(ctx);
      assert.equal(later.length, 6);
      assert.ok(later.every((x) => x.action === 'would-deregister' && x.snapshots.length === 1));
      assert.ok(
        later.every((x) => !x.name!.endsWith(runIds[2]!.slice(0, 16))),
        'the newest of each instance is kept',
      );
      assert.equal((await rolehopImages(s.account, s.region)).length, 9, 'a dry run changes nothing');
    } finally {
      for (const c of made) c.destroy();
    }
  });

  it('prune --dry-run shows what --keep 1 would delete, keeps what is in use, and changes nothing', async () => {
    proxy.reset();
    const r = await cli(['--json', 'ami', 'prune', ...all(), '--keep', '1', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    const rows = parse(r.stdout);
    const kept = rows.filter((x) => x.action === 'kept');
    assert.deepEqual(kept.map((x) => x.reason!.replace(/ i-\S+/, ' i-…').replace(/\d+/g, 'N')).sort(), [
      'in use by instance i-… (running)',
      'in use by launch configuration legacy-lc',
      'in use by launch template ssm-web version N (default) through SSM parameter /rolehop-test/golden',
      'in use by launch template web version N (default)',
    ]);
    assert.equal(rows.filter((x) => x.action === 'would-deregister').length, N * REGIONS.length * 6 - 4);
    assert.equal(proxy.count('DeregisterImage') + proxy.count('DeleteSnapshot'), 0);
  });

  it('prune --keep 1 --yes deregisters exactly the older AMIs, deletes their snapshots, and leaves the rest alone', async () => {
    proxy.reset();
    const before = new Map<string, { images: Image[]; snapshots: Set<string> }>();
    for (const s of seeded.values())
      before.set(key(s.account, s.region), {
        images: await rolehopImages(s.account, s.region),
        snapshots: new Set((await snapshotsOf(s.account, s.region)).map((x) => x.SnapshotId!)),
      });
    const t0 = Date.now();
    const r = await cli(['--json', 'ami', 'prune', ...all(), '--keep', '1', '--yes']);
    const ms = Date.now() - t0;
    assert.equal(r.code, 0, r.stderr);
    const rows = parse(r.stdout);
    const gone = rows.filter((x) => x.action === 'deregistered');
    assert.equal(gone.length, N * REGIONS.length * 6 - 4);
    assert.equal(proxy.count('DeregisterImage'), gone.length);
    assert.equal(proxy.count('DeleteSnapshot'), gone.length, 'one snapshot per moto AMI, each deleted once');
    console.log(`# prune: ${gone.length} AMIs and their snapshots in ${N * REGIONS.length} targets, ${ms} ms`);

    const newest = runIds[2]!;
    for (const s of seeded.values()) {
      const k = key(s.account, s.region);
      const was = before.get(k)!;
      const left = await rolehopImages(s.account, s.region);
      const protectedImage = (s as Seeded & { protectedImage?: string }).protectedImage;
      const want = was.images
        .filter((i) => tagsOf(i.Tags)['rolehop:run-id'] === newest || i.ImageId === protectedImage)
        .map((i) => i.ImageId)
        .sort();
      assert.deepEqual(left.map((i) => i.ImageId).sort(), want, k);
      const snapshots = new Set((await snapshotsOf(s.account, s.region)).map((x) => x.SnapshotId!));
      const deleted = was.images.filter((i) => !want.includes(i.ImageId)).flatMap((i) => i.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!));
      for (const id of deleted) assert.ok(!snapshots.has(id), `snapshot ${id} deleted with its AMI`);
      assert.deepEqual(snapshots, new Set([...was.snapshots].filter((id) => !deleted.includes(id))), 'no other snapshot touched');
      assert.ok(snapshots.has(s.baseSnapshot));
      const ec2 = await ec2Of(s.account, s.region);
      const others = await ec2.send(new DescribeImagesCommand({ ImageIds: [s.baseImage, ...(s.impostor ? [s.impostor] : [])] }));
      assert.equal(others.Images?.length, s.impostor ? 2 : 1, 'the unrelated AMI (and the look-alike) stay');
    }
  });

  it('a second prune changes nothing', async () => {
    proxy.reset();
    const r = await cli(['--json', 'ami', 'prune', ...all(), '--keep', '1', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      parse(r.stdout).map((x) => x.action),
      ['kept', 'kept', 'kept', 'kept'],
    );
    for (const action of ['DeregisterImage', 'DeleteSnapshot', 'CreateImage', 'CreateTags']) assert.equal(proxy.count(action), 0, action);
  });

  it('where what uses AMIs cannot be read (an SSM parameter, launch configurations denied), prune deletes nothing and says why', async () => {
    const s = seeded.get(key(accounts[10]!, 'us-east-1'))!;
    const sel = ['--accounts', s.account, '--regions', s.region];
    const made = await cli(['--json', 'ami', 'create', ...sel, '--filter', 'tag:backup=daily']);
    assert.equal(made.code, 0, made.stderr);
    const ec2 = await ec2Of(s.account, s.region);
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'ghost', LaunchTemplateData: { ImageId: 'resolve:ssm:/rolehop-test/missing' } }));
    const keptOnly = async (why: RegExp) => {
      proxy.reset();
      const r = await cli(['--json', 'ami', 'prune', ...sel, '--keep', '1', '--yes']);
      assert.equal(r.code, 0, r.stderr);
      const rows = parse(r.stdout);
      assert.deepEqual(
        rows.map((x) => x.action),
        ['kept', 'kept', 'kept'],
        r.stdout,
      );
      for (const x of rows) assert.match(x.reason!, why);
      assert.match(r.stderr, /kept 3 in use or of unknown use/);
      assert.equal(proxy.count('DeregisterImage') + proxy.count('DeleteSnapshot'), 0);
      assert.equal((await rolehopImages(s.account, s.region)).length, 6);
    };
    await keptOnly(
      /^usage unknown, so not deleted: SSM parameter \/rolehop-test\/missing of launch template ghost version 1 \(default\) could not be read \(ParameterNotFound\)$/,
    );

    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'ghost' }));
    proxy.setFault((c) => (c.action === 'DescribeLaunchConfigurations' ? { status: 403, code: 'AccessDenied', message: 'not authorized' } : undefined));
    try {
      await keptOnly(/^usage unknown, so not deleted: launch configurations could not be listed \(AccessDenied\)$/);
    } finally {
      proxy.setFault(undefined);
    }

    const r = await cli(['--json', 'ami', 'prune', ...sel, '--keep', '1', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(parse(r.stdout).filter((x) => x.action === 'deregistered').length, 3, 'once it can be read, the older three go');
  });

  it('snapshots left behind by an AMI deregistered elsewhere are found and deleted, once', async () => {
    const s = seeded.get(key(accounts[5]!, 'us-east-1'))!;
    const [image] = await rolehopImages(s.account, s.region);
    const snapshot = image!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    await (await ec2Of(s.account, s.region)).send(new DeregisterImageCommand({ ImageId: image!.ImageId! }));
    const sel = ['--accounts', s.account, '--regions', s.region];
    const r = await cli(['--json', 'ami', 'prune', ...sel, '--keep', '1', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parse(r.stdout), [
      {
        account: s.account,
        region: s.region,
        instance: tagsOf(image!.Tags)['rolehop:source-instance'],
        image: image!.ImageId,
        snapshots: [snapshot],
        action: 'snapshots-deleted',
      },
    ]);
    assert.ok(!(await snapshotsOf(s.account, s.region)).some((x) => x.SnapshotId === snapshot));
    const again = await cli(['--json', 'ami', 'prune', ...sel, '--keep', '1', '--yes']);
    assert.equal(again.stdout, '');
  });

  it('--copy-to copies each new AMI to the backup region, tagged there with its snapshots', async () => {
    const s = seeded.get(key(accounts[3]!, 'us-east-1'))!;
    const r = await cli([
      '--json',
      'ami',
      'create',
      '--accounts',
      s.account,
      '--regions',
      'us-east-1',
      '--filter',
      'tag:backup=daily',
      '--copy-to',
      'eu-west-1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rows = parse(r.stdout);
    const created = rows.filter((x) => x.action === 'created');
    const copied = rows.filter((x) => x.action === 'copied');
    assert.equal(created.length, 3);
    assert.equal(copied.length, 3);
    const ec2 = await ec2Of(s.account, 'eu-west-1');
    const snaps = new Map((await snapshotsOf(s.account, 'eu-west-1')).map((x) => [x.SnapshotId, tagsOf(x.Tags)]));
    for (const c of copied) {
      assert.equal(c.region, 'eu-west-1');
      assert.equal(c.sourceRegion, 'us-east-1');
      assert.ok(created.some((x) => x.image === c.sourceImage && x.instance === c.instance));
      const [image] = (await ec2.send(new DescribeImagesCommand({ ImageIds: [c.image!] }))).Images!;
      const tags = tagsOf(image!.Tags);
      assert.equal(tags['rolehop:created-by'], 'rolehop');
      assert.equal(tags['rolehop:source-instance'], c.instance);
      assert.equal(c.snapshots.length, 1);
      assert.deepEqual(snaps.get(c.snapshots[0]!), { ...tags, 'rolehop:image-id': c.image });
    }
  });

  it('one AMI that fails is its own failure row (exit 10), and a snapshot that could not be deleted is cleaned up by the next prune', async () => {
    const s = seeded.get(key(accounts[6]!, 'us-east-1'))!;
    const sel = ['--accounts', s.account, '--regions', s.region];
    const [refused, ...rest] = [...s.daily.keys()];
    proxy.setFault((c) =>
      c.action === 'CreateImage' && c.params.InstanceId === refused
        ? { status: 403, code: 'UnauthorizedOperation', message: 'You are not authorized' }
        : undefined,
    );
    let rows: AmiRow[];
    try {
      const r = await cli(['--json', 'ami', 'create', ...sel, '--filter', 'tag:backup=daily']);
      assert.equal(r.code, 10, r.stderr);
      rows = parse(r.stdout);
    } finally {
      proxy.setFault(undefined);
    }
    assert.deepEqual(
      rows.map((x) => `${x.instance} ${x.action} ${x.error?.code ?? ''}`).sort(),
      [`${refused} failed ERR_AWS_ACCESS_DENIED`, ...rest.map((i) => `${i} created `)].sort(),
    );
    assert.match(rows.find((x) => x.action === 'failed')!.error!.message, /CreateImage .* UnauthorizedOperation/);

    // Two instances now have two AMIs: prune deletes the older two, but one snapshot refuses.
    const older = (await rolehopImages(s.account, s.region)).filter((i) => tagsOf(i.Tags)['rolehop:run-id'] === runIds[2]);
    const stuck = older.find((i) => rest.includes(tagsOf(i.Tags)['rolehop:source-instance']!))!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    proxy.setFault((c) =>
      c.action === 'DeleteSnapshot' && c.params.SnapshotId === stuck ? { status: 403, code: 'UnauthorizedOperation', message: 'no' } : undefined,
    );
    try {
      const r = await cli(['--json', 'ami', 'prune', ...sel, '--keep', '1', '--yes']);
      assert.equal(r.code, 10, r.stderr);
      const pruned = parse(r.stdout);
      assert.equal(pruned.filter((x) => x.action === 'deregistered').length, 2);
      const partial = pruned.find((x) => x.error)!;
      assert.equal(partial.action, 'deregistered');
      assert.deepEqual(partial.snapshots, []);
      assert.match(partial.error!.message, new RegExp(`DeleteSnapshot ${stuck}`));
    } finally {
      proxy.setFault(undefined);
    }
    const again = await cli(['--json', 'ami', 'prune', ...sel, '--keep', '1', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      parse(again.stdout).map((x) => `${x.action} ${x.snapshots.join(',')}`),
      [`snapshots-deleted ${stuck}`],
    );
  });

  it(
    'on a terminal prune shows the list and asks; no changes nothing, yes deletes what was shown',
    { skip: hasPythonPty ? false : 'python3 with the pty module is not installed' },
    async () => {
      const s = seeded.get(key(accounts[7]!, 'eu-west-1'))!;
      const sel = ['--accounts', s.account, '--regions', s.region];
      const made = await cli(['ami', 'create', ...sel, '--filter', 'tag:backup=daily']);
      assert.equal(made.code, 0, made.stderr);
      assert.equal((made.stdout.match(/^✓ .*: created ami-\S+ \("i-[0-9a-f]+-\d{8}T\d{6}Z"\), 1 snapshot tagged/gm) ?? []).length, 3, made.stdout);
      const argv = [process.execPath, CLI_PATH, '--mfa-token', '123456', 'ami', 'prune', ...sel, '--keep', '1'];
      const no = await runInPty(argv, { env, cols: 240, rows: 40, answers: [['? [y/N]', 'n\r']] });
      const noText = renderScreen(no.transcript, 240).join('\n');
      assert.equal(no.code, 130, noText);
      assert.match(noText, /Account .*Region .*Instance .*AMI .*Name .*Created .*Snapshots/);
      assert.match(noText, /Deregister 3 AMIs and delete 3 snapshots in 1 account\? \[y\/N\]/);
      assert.match(noText, /Cancelled; nothing was deleted/);
      assert.equal((await rolehopImages(s.account, s.region)).length, 6);

      const yes = await runInPty(argv, { env, cols: 240, rows: 40, answers: [['? [y/N]', 'y\r']] });
      const yesText = renderScreen(yes.transcript, 240).join('\n');
      assert.equal(yes.code, 0, yesText);
      assert.equal((yesText.match(/✓ .*: deregistered ami-\S+ .*, deleted 1 snapshot/g) ?? []).length, 3, yesText);
      assert.match(yesText, /ami prune: deregistered 3 AMIs, deleted 3 snapshots in 1 target/);
      assert.equal((await rolehopImages(s.account, s.region)).length, 3);
    },
  );

  it('an account that denies the role gives failure rows with an ERR_ code and exit 10; the others finish', async () => {
    const denied = accounts[4]!;
    proxy.setFault((c) =>
      c.action === 'AssumeRole' && c.roleArn?.split(':')[4] === denied ? { status: 403, code: 'AccessDenied', message: 'not authorized' } : undefined,
    );
    try {
      const r = await cli(['--json', 'ami', 'create', ...all(), '--filter', 'tag:backup=daily', '--dry-run']);
      assert.equal(r.code, 10, r.stderr);
      const rows = parse(r.stdout);
      const failures = rows.filter((x) => x.error);
      assert.deepEqual(
        failures.map((x) => `${x.account} ${x.region} ${x.error!.code}`).sort(),
        REGIONS.map((g) => `${denied} ${g} ERR_AWS_ACCESS_DENIED`).sort(),
      );
      assert.equal(rows.filter((x) => x.action === 'would-create').length, (N - 1) * REGIONS.length * 3);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      const text = await cli(['ami', 'prune', ...all(), '--keep', '1', '--dry-run']);
      assert.equal(text.code, 10, text.stderr);
      assert.match(text.stderr, new RegExp(`✗ ${denied} .*ERR_AWS_ACCESS_DENIED`));
      assert.match(text.stderr, /2 targets failed/);
    } finally {
      proxy.setFault(undefined);
    }
  });
});
