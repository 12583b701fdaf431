// One MFA code across regions: an STS session serves every region of its
// partition, so a child in another region (--region, or a profile with its
// own `region` on the same source and role) reuses the MFA session and the
// role session, and still gets its own AWS_REGION. Before, the cache keys
// held the region: each region cost a code, a GetSessionToken and an AssumeRole.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hasSessionBus } from '../helpers/sandbox.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

/** Profiles on one source (alice, with MFA through a logging mfa_process), one role in two regions. */
function regionConfig(world: World, mfaLog: string, opts: { sourceRegion?: string }): string {
  const role = `arn:aws:iam::${world.accounts[0]}:role/OrganizationAccountAccessRole`;
  return [
    '[profile alice]',
    ...(opts.sourceRegion ? [`region = ${opts.sourceRegion}`] : []),
    `mfa_serial = ${world.alice.mfaSerial}`,
    `mfa_process = echo asked >> ${mfaLog}; echo 123456`,
    '',
    '[profile prod-admin]',
    `role_arn = ${role}`,
    'source_profile = alice',
    '',
    '[profile prod-admin-eu]',
    `role_arn = ${role}`,
    'source_profile = alice',
    'region = eu-central-1',
    '',
  ].join('\n');
}

const asked = (mfaLog: string): number => readFileSync(mfaLog, 'utf8').trim().split('\n').length;

describe('one MFA code across regions', () => {
  let world: World;
  let mfaLog: string;

  before(async () => {
    world = await startWorld({ proxy: true, targets: 1 });
    mfaLog = join(world.box.home, 'mfa.log');
    world.box.writeConfig(regionConfig(world, mfaLog, { sourceRegion: 'us-east-1' }));
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('exec into three regions from one source asks for MFA once, and each child gets its own region', { timeout: 120_000 }, async () => {
    world.proxy.reset();
    const child = ['--', 'sh', '-c', 'echo "$AWS_REGION $AWS_DEFAULT_REGION $AWS_ACCESS_KEY_ID"; aws sts get-caller-identity --query Account --output text'];
    const seen: Array<{ region: string; keyId: string }> = [];
    for (const [args, region] of [
      [['exec', 'prod-admin'], 'us-east-1'],
      [['exec', '-r', 'us-west-2', 'prod-admin'], 'us-west-2'],
      [['exec', 'prod-admin-eu'], 'eu-central-1'],
    ] as const) {
      const r = await runCli([...args, ...child], { env: world.env });
      assert.equal(r.code, 0, r.stderr);
      const [line, account] = r.stdout.trim().split('\n');
      const [childRegion, defaultRegion, keyId] = line!.split(' ');
      assert.equal(childRegion, region, args.join(' '));
      assert.equal(defaultRegion, region, args.join(' '));
      assert.equal(account, world.accounts[0], 'the shared session works in this region');
      seen.push({ region: childRegion!, keyId: keyId! });
    }
    assert.equal(asked(mfaLog), 1, 'MFA asked once for three regions');
    assert.equal(world.proxy.count('GetSessionToken'), 1);
    assert.equal(world.proxy.count('AssumeRole'), 1, 'one role session for the same role in every region');
    assert.equal(new Set(seen.map((s) => s.keyId)).size, 1, 'every child got the same role session');
  });
});

describe('one MFA code across regions on the keychain hot path', { skip: hasSessionBus() ? false : 'no D-Bus session bus' }, () => {
  let world: World;
  let env: Record<string, string>;
  let mfaLog: string;
  let alone: string;

  before(async () => {
    world = await startWorld({ proxy: true, targets: 1, env: { ROLEHOP_BACKEND: 'keychain', ROLEHOP_FILE_PASSPHRASE: undefined }, envOptions: { dbus: true } });
    env = world.env;
    mfaLog = join(world.box.home, 'mfa.log');
    // No region on the source: prod-admin's region comes from AWS_REGION, which the hot path reads too.
    world.box.writeConfig(regionConfig(world, mfaLog, {}));
    await world.storeKey();
    // The executable and the keychain bundle without main.mjs: it can answer only from the session copy.
    const dir = join(world.box.home, 'hot-only');
    mkdirSync(dir);
    for (const f of ['cli.cjs', 'hot-keychain.cjs']) copyFileSync(join(dirname(CLI_PATH), f), join(dir, f));
    alone = join(dir, 'cli.cjs');
  });
  after(async () => {
    if (env) await runCli(['remove', 'alice'], { env });
    await world?.stop();
  });

  const exportCp = (profile: string, region: string, cli?: string) =>
    runCli(['export', profile, '--format', 'credential-process'], { env: { ...env, AWS_REGION: region }, ...(cli ? { cli } : {}) });

  it('serves a second region of the same chain from the same copy, and another profile from the cache', { timeout: 120_000 }, async () => {
    world.proxy.reset();
    const first = await exportCp('prod-admin', 'us-east-1');
    assert.equal(first.code, 0, first.stderr);
    const keyId = (JSON.parse(first.stdout) as { AccessKeyId: string }).AccessKeyId;

    const hot = await exportCp('prod-admin', 'us-west-2', alone);
    assert.equal(hot.code, 0, `the copy made in us-east-1 serves us-west-2: ${hot.stderr}`);
    assert.equal(hot.stderr, '');
    assert.equal((JSON.parse(hot.stdout) as { AccessKeyId: string }).AccessKeyId, keyId);

    // prod-admin-eu has no copy of its own yet: the hot path hands over, the broker answers from its cache.
    const miss = await exportCp('prod-admin-eu', 'us-east-1', alone);
    assert.notEqual(miss.code, 0);
    assert.match(miss.stderr, /main\.mjs/);
    const eu = await exportCp('prod-admin-eu', 'us-east-1');
    assert.equal(eu.code, 0, eu.stderr);
    assert.equal((JSON.parse(eu.stdout) as { AccessKeyId: string }).AccessKeyId, keyId, 'the same role session');
    const euHot = await exportCp('prod-admin-eu', 'us-east-1', alone);
    assert.equal(euHot.code, 0, euHot.stderr);

    assert.equal(asked(mfaLog), 1, 'MFA asked once');
    assert.equal(world.proxy.count('GetSessionToken'), 1);
    assert.equal(world.proxy.count('AssumeRole'), 1);
  });
});
