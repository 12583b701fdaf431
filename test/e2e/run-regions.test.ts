// `rolehop run --regions all` and a listed opt-in region through the built
// CLI against moto (which answers DescribeRegions with me-south-1 and
// others "not-opted-in"): each account is asked once, with the role
// credentials the run then uses, so still one AssumeRole per account.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 3;

interface Line {
  account: string;
  region: string;
  ok: boolean;
  error: { code: string; stage: string; message: string } | null;
}
const parse = (s: string): Line[] =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe('run --regions asks each account', () => {
  let world: World;

  before(async () => {
    world = await startWorld({ proxy: true, targets: N, env: { AWS_PROFILE: 'alice' } });
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
  });
  after(async () => world?.stop());

  it('all: the regions each account has enabled, one DescribeRegions and one AssumeRole per account', { timeout: 180_000 }, async () => {
    world.proxy.reset();
    const r = await runCli(['--mfa-token', '123456', '--json', 'run', '--accounts', world.accounts.join(','), '--regions', 'all', '--', 'true'], {
      env: world.env,
      timeoutMs: 170_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const lines = parse(r.stdout);
    assert.ok(lines.every((l) => l.ok));
    const regions = new Set(lines.map((l) => l.region));
    assert.ok(regions.has('eu-west-1') && !regions.has('me-south-1'), [...regions].join(','));
    assert.equal(lines.length, N * regions.size);
    assert.equal(world.proxy.count('DescribeRegions'), N);
    assert.equal(world.proxy.count('AssumeRole'), N);
  });

  it('a listed opt-in region an account has not enabled: a failed row with its reason, exit 10, the rest runs', { timeout: 120_000 }, async () => {
    world.proxy.reset();
    const r = await runCli(
      ['--mfa-token', '123456', '--json', 'run', '--accounts', world.accounts.join(','), '--regions', 'eu-west-1,me-south-1', '--', 'true'],
      {
        env: world.env,
        timeoutMs: 110_000,
      },
    );
    assert.equal(r.code, 10, r.stderr);
    const lines = parse(r.stdout);
    assert.equal(lines.length, N * 2);
    for (const l of lines.filter((x) => x.region === 'me-south-1')) {
      assert.equal(l.ok, false);
      assert.equal(l.error?.code, 'ERR_REGION_NOT_ENABLED');
      assert.equal(l.error?.stage, 'regions');
    }
    assert.ok(lines.filter((x) => x.region === 'eu-west-1').every((l) => l.ok));
    assert.match(r.stderr, /ERR_REGION_NOT_ENABLED/);
    assert.equal(world.proxy.count('AssumeRole'), N);
  });
});
