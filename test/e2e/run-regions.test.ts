// `rolehop run --regions all` and a listed opt-in region through the built
// CLI against moto (which answers DescribeRegions with me-south-1 and
// others "not-opted-in"): each account is asked once, with the role
// credentials the run then uses, so still one AssumeRole per account. The
// regional sweeps (`certs`, `ami create`) do the same: the regions their
// jobs call are read from the SigV4 scopes the counting proxy saw.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { partitionOf } from '../../src/aws/partition.js';
import { DEFAULT_ENABLED_REGIONS } from '../../src/engine/regions.js';
import { CLI_PATH, MOTO_ROOT_CREDENTIALS, runCli } from '../helpers/run-cli.js';
import { hasPythonPty, runInPty } from '../helpers/pty.js';
import { renderScreen } from '../helpers/screen.js';
import { startWorld, type World } from '../helpers/world.js';

const N = 3;
const WIDTH = 100;
/** The status line drawn while the accounts are asked, on a terminal only. */
const LOOKUP = /Asking \d+ accounts? for (its|their) enabled regions/;
// The terminal control characters the status line is drawn with.
// oxlint-disable-next-line no-control-regex
const CONTROL = /[\r\x1b]/;
const noPty = hasPythonPty ? false : 'python3 with the pty module is not installed';

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
    // The summary counts the AssumeRole calls made while asking for the regions.
    assert.match(r.stderr, new RegExp(`, ${N} AssumeRole calls`));
    assert.doesNotMatch(r.stderr, LOOKUP);
    assert.doesNotMatch(r.stderr, CONTROL);
  });

  it('all off a terminal, as text: stderr is the summary and nothing else, no status line', { timeout: 180_000 }, async () => {
    const r = await runCli(['--mfa-token', '123456', 'run', '--accounts', world.accounts.join(','), '--regions', 'all', '--', 'true'], {
      env: world.env,
      timeoutMs: 170_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^rolehop: (\\d+)/\\1 targets succeeded, 0 failed in [^\n]*, ${N} AssumeRole calls\n$`));
    assert.doesNotMatch(r.stderr, CONTROL);
  });

  it("all on a terminal: the accounts are counted while they are asked, then the run's bar replaces the line", { skip: noPty, timeout: 180_000 }, async () => {
    // Slow answers, so the count is drawn between answers too.
    world.proxy.setFault((c) => (c.action === 'DescribeRegions' ? { delayMs: 400 } : undefined));
    try {
      const r = await runInPty(
        [
          process.execPath,
          CLI_PATH,
          '--mfa-token',
          '123456',
          'run',
          '--accounts',
          world.accounts.join(','),
          '--regions',
          'all',
          '--concurrency',
          '1',
          '--yes',
          '--',
          'true',
        ],
        { env: world.env, cols: WIDTH, captureStdout: true, timeoutMs: 170_000 },
      );
      const screen = renderScreen(r.transcript, WIDTH);
      const text = screen.join('\n');
      assert.equal(r.code, 0, text);
      const first = r.transcript.indexOf(`Asking ${N} accounts for their enabled regions  0/${N}`);
      const last = r.transcript.indexOf(`Asking ${N} accounts for their enabled regions  ${N - 1}/${N}`);
      const bar = r.transcript.indexOf('ETA');
      assert.ok(first >= 0 && last > first, `the count went up:\n${JSON.stringify(r.transcript)}`);
      assert.ok(bar > last, "the run's bar came after the lookup");
      assert.ok(!screen.some((l) => LOOKUP.test(l) || /ETA/.test(l)), `both lines are gone at the end:\n${text}`);
      assert.match(text, /targets succeeded, 0 failed/);
    } finally {
      world.proxy.setFault(undefined);
    }
  });

  it('Ctrl-C while the accounts are asked stops the run with 130, and the line is gone', { skip: noPty, timeout: 180_000 }, async () => {
    // Answers that never come in time: the interrupt lands while every account is being asked.
    world.proxy.setFault((c) => (c.action === 'DescribeRegions' ? { delayMs: 15_000 } : undefined));
    try {
      const r = await runInPty(
        [process.execPath, CLI_PATH, '--mfa-token', '123456', 'run', '--accounts', world.accounts.join(','), '--regions', 'all', '--yes', '--', 'true'],
        { env: world.env, cols: WIDTH, captureStdout: true, answers: [[`enabled regions  0/${N}`, '\x03']], timeoutMs: 170_000 },
      );
      const screen = renderScreen(r.transcript, WIDTH);
      const text = screen.join('\n');
      assert.equal(r.code, 130, text);
      assert.match(text, /rolehop: interrupted: 0 finished/);
      assert.doesNotMatch(text, /could not list the enabled regions/, 'an interrupt is no refusal to answer');
      assert.ok(!screen.some((l) => LOOKUP.test(l) || /ETA/.test(l)), `no status line is left:\n${text}`);
      assert.equal(r.stdout, '');
    } finally {
      world.proxy.setFault(undefined);
    }
  });

  it('the preview of all names no region count: it asks no account, and says each is asked when the run starts', { timeout: 60_000 }, async () => {
    world.proxy.reset();
    const preview = (regions: string, json = false) =>
      runCli([...(json ? ['--json'] : []), 'run', '--accounts', world.accounts.join(','), '--regions', regions], { env: world.env });
    const text = await preview('all');
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(`^${N} accounts × each account's enabled regions \\(asked when the run starts\\), role OrganizationAccountAccessRole$`, 'm'),
    );
    assert.doesNotMatch(text.stdout, /17 regions|targets/);
    const plus = await preview('all,me-south-1');
    assert.match(plus.stdout, /× each account's enabled regions and me-south-1 \(asked when the run starts\), role /);
    const json = await preview('all', true);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as { regions: string[]; allEnabledRegions?: boolean; targets: number | null; accounts: unknown[] };
    assert.deepEqual([doc.regions, doc.allEnabledRegions, doc.targets, doc.accounts.length], [[], true, null, N]);
    assert.equal(world.proxy.count('DescribeRegions'), 0);
    assert.equal(world.proxy.count('AssumeRole'), 0);
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

describe('the regional sweeps ask each account too', () => {
  let world: World;
  /** What moto says every account has enabled, filtered as rolehop filters it. */
  let enabled: Set<string>;
  const sweep = (args: string[]) =>
    runCli(['--mfa-token', '123456', '--json', ...args, '--accounts', world.accounts.join(',')], { env: world.env, timeoutMs: 170_000 });
  /** The signing regions of the calls to `action` since the last reset. */
  const regionsOf = (action: string) => new Set(world.proxy.calls.filter((c) => c.action === action).map((c) => c.region));

  before(async () => {
    world = await startWorld({ proxy: true, targets: N, env: { AWS_PROFILE: 'alice' } });
    world.box.writeConfig(`[profile alice]\nregion = us-east-1\nmfa_serial = ${world.alice.mfaSerial}\n`);
    await world.storeKey();
    const ec2 = new EC2Client({ endpoint: world.moto.url, region: 'us-east-1', credentials: MOTO_ROOT_CREDENTIALS });
    const r = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    ec2.destroy();
    enabled = new Set((r.Regions ?? []).filter((x) => x.OptInStatus !== 'not-opted-in' && partitionOf(x.RegionName) === 'aws').map((x) => x.RegionName!));
  });
  after(async () => {
    world?.proxy.setFault(undefined);
    await world?.stop();
  });

  it('certs --regions all: the regions each account reports, one DescribeRegions and one AssumeRole per account', { timeout: 180_000 }, async () => {
    // More than the defaults (moto reports af-south-1 opted in), fewer than all (me-south-1 is not).
    assert.ok(enabled.has('af-south-1') && !enabled.has('me-south-1'), [...enabled].join(','));
    world.proxy.reset();
    const r = await sweep(['certs', '--regions', 'all']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...regionsOf('ListCertificates')].sort(), [...enabled].sort());
    assert.equal(world.proxy.count('DescribeRegions'), N);
    assert.equal(world.proxy.count('AssumeRole'), N);
    assert.match(r.stderr, new RegExp(`${N * enabled.size} targets`));
  });

  it('certs with a listed opt-in region: a not-run failed row per account, exit 10; us-east-1 is still added', { timeout: 180_000 }, async () => {
    world.proxy.reset();
    const r = await sweep(['certs', '--regions', 'eu-west-1,me-south-1']);
    assert.equal(r.code, 10, r.stderr);
    const failed = parse(r.stdout).filter((l) => l.error);
    assert.equal(failed.length, N);
    assert.ok(failed.every((l) => l.region === 'me-south-1' && l.error?.code === 'ERR_REGION_NOT_ENABLED'));
    assert.deepEqual([...regionsOf('ListCertificates')].sort(), ['eu-west-1', 'us-east-1']);
    assert.equal(world.proxy.count('AssumeRole'), N);
  });

  it('ami create --dry-run --regions all looks in the regions each account reports', { timeout: 180_000 }, async () => {
    world.proxy.reset();
    const r = await sweep(['ami', 'create', '--dry-run', '--regions', 'all', '--filter', 'tag:backup=daily']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...regionsOf('DescribeInstances')].sort(), [...enabled].sort());
    assert.equal(world.proxy.count('DescribeRegions'), N);
    assert.equal(world.proxy.count('AssumeRole'), N);
  });

  it('accounts that cannot be asked get the default regions and a warning', { timeout: 180_000 }, async () => {
    world.proxy.reset();
    world.proxy.setFault((c) => (c.action === 'DescribeRegions' ? { status: 403, code: 'UnauthorizedOperation', message: 'not authorized' } : undefined));
    try {
      const r = await sweep(['certs', '--regions', 'all']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`warning: could not list the enabled regions of ${N} accounts .*17 regions`));
      assert.deepEqual([...regionsOf('ListCertificates')].sort(), [...DEFAULT_ENABLED_REGIONS].sort());
      assert.equal(world.proxy.count('AssumeRole'), N);
      assert.doesNotMatch(r.stderr, LOOKUP);
      assert.doesNotMatch(r.stderr, CONTROL);
    } finally {
      world.proxy.setFault(undefined);
    }
  });

  it(
    'on a terminal, accounts that cannot be asked are counted failed, then warned about below the erased line',
    { skip: noPty, timeout: 180_000 },
    async () => {
      // Slow denials, so the count is drawn between them.
      world.proxy.setFault((c) =>
        c.action === 'DescribeRegions' ? { status: 403, code: 'UnauthorizedOperation', message: 'not authorized', delayMs: 400 } : undefined,
      );
      try {
        const r = await runInPty(
          [process.execPath, CLI_PATH, '--mfa-token', '123456', 'certs', '--regions', 'all', '--concurrency', '1', '--accounts', world.accounts.join(',')],
          {
            env: world.env,
            cols: WIDTH,
            captureStdout: true,
            timeoutMs: 170_000,
          },
        );
        const screen = renderScreen(r.transcript, WIDTH);
        const text = screen.join('\n');
        assert.equal(r.code, 0, text);
        // The line is erased as soon as the last answer comes, so it never shows N/N.
        assert.match(r.transcript, new RegExp(`Asking ${N} accounts for their enabled regions  [1-${N - 1}]/${N} \\| failed [1-${N - 1}]`));
        // The warning wraps at the terminal's width: read it as one text.
        assert.match(screen.join(''), new RegExp(`rolehop: warning: could not list the enabled regions of ${N} accounts \\(\\d+: ERR_AWS`));
        assert.ok(!screen.some((l) => LOOKUP.test(l) || /ETA/.test(l)), `no status line is left:\n${text}`);
      } finally {
        world.proxy.setFault(undefined);
      }
    },
  );
});
