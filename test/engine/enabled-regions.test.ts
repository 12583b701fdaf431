// `--regions all` and opt-in regions against moto behind the counting proxy:
// each account is asked for its enabled regions with DescribeRegions (moto
// answers me-south-1 and others "not-opted-in"), and asking and running
// together still make one AssumeRole per account.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startMoto, type MotoServer } from '../helpers/moto.js';
import { failAction, Faults, startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { motoBroker } from './moto-org.js';
import { createSharedHandler } from '../../src/aws/http.js';
import { accountTargets, needsRegionCheck } from '../../src/engine/enabled-regions.js';
import { createSweepPool, fanOut } from '../../src/engine/fan-out.js';
import { DEFAULT_ENABLED_REGIONS, parseRegionChoice } from '../../src/engine/regions.js';
import { accountIds } from '../../bench/children.js';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';

const ACCOUNTS = accountIds(6).map((account) => ({ account }));

describe('regions asked of each account', { timeout: 120_000 }, () => {
  let moto: MotoServer;
  let proxy: CountingProxy;

  before(async () => {
    moto = await startMoto();
    proxy = await startCountingProxy(moto.url);
    // EC2 has no plan endpoint: the SDK takes it from the environment, as in the CLI.
    process.env.AWS_ENDPOINT_URL = proxy.url;
  });
  after(async () => {
    delete process.env.AWS_ENDPOINT_URL;
    await proxy?.stop();
    await moto?.stop();
  });
  beforeEach(() => {
    proxy.setFault(undefined);
    proxy.reset();
  });

  /** Asks the accounts for `spec`, then runs GetCallerIdentity in every target on the same pool; returns the targets and results. */
  async function sweep(spec: string) {
    const handler = createSharedHandler({ maxSockets: 16 });
    const options = { broker: motoBroker(proxy.url), profile: 'mgmt', endpoints: { sts: proxy.url }, concurrency: 4, backoff: { baseMs: 1, capMs: 5 } };
    try {
      const pool = createSweepPool(options, handler);
      const planned = await accountTargets(ACCOUNTS, parseRegionChoice(spec, 'us-east-1'), 'us-east-1', { ...options, pool, handler });
      const results = await fanOut(
        planned.targets,
        async (ctx) => (await ctx.client(STSClient).send(new GetCallerIdentityCommand({}), { abortSignal: ctx.signal })).Account,
        { ...options, pool, handler },
      ).all();
      return { ...planned, results };
    } finally {
      handler.close();
    }
  }

  it('all: each account runs in the regions it has enabled, not the opted-out ones; one AssumeRole per account', async () => {
    const { targets, unchecked, results } = await sweep('all');
    assert.equal(unchecked.length, 0);
    assert.equal(proxy.count('DescribeRegions'), ACCOUNTS.length);
    assert.equal(proxy.count('AssumeRole'), ACCOUNTS.length, 'asking and running share each account’s AssumeRole');
    const regions = new Set(targets.map((t) => t.region));
    assert.ok(!regions.has('me-south-1'), 'moto has me-south-1 not opted in');
    for (const r of DEFAULT_ENABLED_REGIONS) assert.ok(regions.has(r), r);
    assert.ok(targets.every((t) => !t.notRun));
    assert.equal(targets.length, ACCOUNTS.length * regions.size);
    assert.ok(results.every((r) => r.ok));
    // Default regions first, in their usual order.
    assert.deepEqual(
      targets
        .filter((t) => t.account === ACCOUNTS[0]!.account)
        .slice(0, DEFAULT_ENABLED_REGIONS.length)
        .map((t) => t.region),
      [...DEFAULT_ENABLED_REGIONS],
    );
  });

  it('a listed opt-in region the account has not enabled is a failed row with a reason, never run', async () => {
    const { targets, results } = await sweep('us-east-1,me-south-1');
    assert.equal(targets.length, ACCOUNTS.length * 2);
    const notEnabled = results.filter((r) => r.region === 'me-south-1');
    assert.equal(notEnabled.length, ACCOUNTS.length);
    for (const r of notEnabled) {
      assert.equal(r.ok, false);
      assert.equal(r.error?.code, 'ERR_REGION_NOT_ENABLED');
      assert.equal(r.error?.stage, 'regions');
      assert.match(r.error?.message ?? '', /me-south-1 is not enabled in account \d{12}/);
    }
    assert.ok(results.filter((r) => r.region === 'us-east-1').every((r) => r.ok));
    assert.equal(proxy.calls.filter((c) => c.action === 'GetCallerIdentity').length, ACCOUNTS.length, 'nothing ran in me-south-1');
    assert.equal(proxy.count('AssumeRole'), ACCOUNTS.length);
  });

  it('regions every account has are not asked about', async () => {
    assert.equal(needsRegionCheck(parseRegionChoice('us-east-1,eu-west-1')), false);
    const { targets } = await sweep('us-east-1,eu-west-1');
    assert.equal(proxy.count('DescribeRegions'), 0);
    assert.equal(targets.length, ACCOUNTS.length * 2);
  });

  it('an account that cannot be asked (no ec2:DescribeRegions): all means the default regions there, and it is reported', async () => {
    proxy.setFault(failAction('DescribeRegions', Faults.accessDenied()));
    const { targets, unchecked, results } = await sweep('all');
    assert.equal(unchecked.length, ACCOUNTS.length);
    assert.ok(unchecked.every((r) => r.error?.code === 'ERR_AWS_ACCESS_DENIED'));
    assert.deepEqual([...new Set(targets.map((t) => t.region))], [...DEFAULT_ENABLED_REGIONS]);
    assert.ok(results.every((r) => r.ok));
    assert.equal(proxy.count('AssumeRole'), ACCOUNTS.length);
  });
});
