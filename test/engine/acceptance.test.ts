// Acceptance of the fan-out (issue 5) against moto behind the counting,
// fault-injecting proxy: an organization of ROLEHOP_FANOUT_N (default 200;
// the 1,000-account figure lives in bench/fanout) accounts created here,
// the real `run` command handler in-process.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MotoServer } from '../helpers/moto.js';
import type { CountingProxy } from '../helpers/counting-proxy.js';
import { startWorld, type World } from '../helpers/world.js';
import { createOrg, motoBroker } from './moto-org.js';
import { runInProcess } from './cli-harness.js';

const N = Number(process.env.ROLEHOP_FANOUT_N ?? 200);
const JOB = join(import.meta.dirname, 'fixtures', 'list-roles.mjs');

interface Line {
  account: string;
  region: string;
  name: string | null;
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
  value?: { arns: string[] };
  stdout?: string;
  error: { code: string; stage: string } | null;
}
const parse = (s: string): Line[] =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe(`fan-out acceptance: ${N} accounts against moto`, { timeout: 600_000 }, () => {
  let moto: MotoServer;
  let proxy: CountingProxy;
  let home: string;
  let accounts: { id: string; name: string }[];
  let accountsArg: string;
  let world: World;

  before(async () => {
    world = await startWorld({ build: false, proxy: true, identity: false, sandbox: false });
    ({ moto, proxy } = world);
    const t0 = Date.now();
    accounts = await createOrg(moto.url, N);
    console.log(`# created ${N} accounts in ${Date.now() - t0} ms`);
    accountsArg = accounts.map((a) => a.id).join(',');
    home = await mkdtemp(join(tmpdir(), 'rolehop-fanout-'));
  });

  after(async () => {
    await world?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('reaches every account in 2 regions with exactly N AssumeRole; 5% denied are reported; exit 10', async () => {
    const denied = new Set(accounts.filter((_, i) => i % 20 === 7).map((a) => a.id));
    proxy.reset();
    proxy.setFault((c) =>
      c.action === 'AssumeRole' && denied.has(c.roleArn?.split(':')[4] ?? '') ? { status: 403, code: 'AccessDenied', message: 'not allowed' } : undefined,
    );
    const broker = motoBroker(proxy.url);
    const t0 = Date.now();
    const r = await runInProcess(broker, [], { accounts: accountsArg, regions: 'us-east-1,eu-west-1', job: JOB }, { json: true, rolehopHome: home });
    const wall = Date.now() - t0;
    console.log(`# ${N}x2 sweep with ${denied.size} denied: ${wall} ms`);
    proxy.setFault(undefined);
    assert.equal(r.code, 10, r.stderr);
    const lines = parse(r.stdout);
    assert.equal(lines.length, N * 2);
    for (const l of lines) {
      if (denied.has(l.account)) {
        assert.equal(l.ok, false);
        assert.equal(l.error?.code, 'ERR_AWS_ACCESS_DENIED');
        assert.equal(l.error?.stage, 'credentials');
      } else {
        assert.equal(l.ok, true, JSON.stringify(l));
        assert.deepEqual(l.value?.arns, [`arn:aws:iam::${l.account}:role/OrganizationAccountAccessRole`]);
      }
    }
    assert.equal(new Set(lines.map((l) => `${l.account}/${l.region}`)).size, N * 2);
    assert.equal(proxy.count('AssumeRole'), N, 'exactly one AssumeRole per account, denied ones included');
    assert.ok(proxy.count('GetSessionToken') <= 1);
    assert.equal(proxy.count('GetCallerIdentity'), 0);
    assert.equal(proxy.count('ListRoles'), (N - denied.size) * 2);
    assert.match(r.stderr, new RegExp(`ERR_AWS_ACCESS_DENIED \\(${denied.size * 2}\\)`));
  });

  it('with 20% of STS and IAM calls throttled: 0 failed targets', async () => {
    proxy.reset();
    let n = 0;
    // Deterministic 20%: every fifth STS/IAM call.
    proxy.setFault((c) =>
      (c.action === 'AssumeRole' || c.action === 'ListRoles') && ++n % 5 === 0 ? { status: 400, code: 'Throttling', message: 'Rate exceeded' } : undefined,
    );
    const t0 = Date.now();
    const r = await runInProcess(motoBroker(proxy.url), [], { accounts: accountsArg, regions: 'us-west-2', job: JOB }, { json: true, rolehopHome: home });
    console.log(`# ${N} throttled sweep: ${Date.now() - t0} ms, ${proxy.calls.filter((c) => c.faulted).length} throttled answers`);
    proxy.setFault(undefined);
    assert.equal(r.code, 0, r.stderr);
    const lines = parse(r.stdout);
    assert.equal(lines.length, N);
    assert.equal(lines.filter((l) => !l.ok).length, 0);
    assert.ok(proxy.calls.some((c) => c.faulted));
  });

  it('--org lists ACTIVE accounts through empty pages, caches the inventory, filters by name', async () => {
    proxy.reset();
    let pages = 0;
    // Every third page of ListAccounts comes back empty but with a NextToken
    // that resumes where the real page would have.
    proxy.setFault((c) => {
      if (c.action !== 'ListAccounts') return undefined;
      if (!c.params.NextToken || pages++ % 3 !== 1) return undefined;
      return { status: 200, body: JSON.stringify({ Accounts: [], NextToken: c.params.NextToken }), headers: { 'content-type': 'application/x-amz-json-1.1' } };
    });
    const r = await runInProcess(motoBroker(proxy.url), [], { org: true, regions: 'us-east-1' }, { json: true, rolehopHome: home });
    proxy.setFault(undefined);
    assert.equal(r.code, 0, r.stderr);
    const sel = JSON.parse(r.stdout) as { accounts: { account: string; name: string }[]; targets: number };
    // The management account is ACTIVE in the organization too.
    assert.ok(sel.accounts.length >= N && sel.accounts.length <= N + 1, String(sel.accounts.length));
    for (const a of accounts) assert.ok(sel.accounts.some((s) => s.account === a.id && s.name === a.name));
    const listCalls = proxy.count('ListAccounts');
    assert.ok(listCalls > N / 20, `paged ${listCalls} times`);
    assert.ok(
      proxy.calls.some((c) => c.faulted),
      'empty pages were served',
    );

    proxy.reset();
    const warm = await runInProcess(motoBroker(proxy.url), [], { org: true, name: 'acct-000?', exclude: accounts[0]!.id }, { json: true, rolehopHome: home });
    assert.equal(proxy.count('ListAccounts'), 0, 'warm run makes no Organizations call');
    const warmSel = JSON.parse(warm.stdout) as { accounts: { account: string }[] };
    assert.equal(warmSel.accounts.length, Math.min(N, 10) - 1);

    proxy.reset();
    await runInProcess(motoBroker(proxy.url), [], { org: true, refreshOrg: true }, { json: true, rolehopHome: home });
    assert.ok(proxy.count('ListAccounts') > 0, '--refresh-org bypasses the cache');
  });

  it('runs a command per target with credentials, placeholders, --output-dir, shard and resume', async () => {
    const few = accounts.slice(0, 6);
    const file = join(home, 'accounts.txt');
    await writeFile(file, `# a comment\n${few.map((a) => `${a.id} ${a.name}`).join('\n')}\n`);
    const out = join(home, 'out');
    proxy.reset();
    const script = 'echo "$AWS_ACCESS_KEY_ID|$AWS_REGION|$AWS_DEFAULT_REGION|${AWS_PROFILE:-none}|$1|$2|$3"; [ "$3" != "acct-0002" ]';
    const r = await runInProcess(
      motoBroker(proxy.url),
      ['sh', '-c', script, 'sh', '{account}', '{region}', '{name}'],
      { accountsFile: file, regions: 'us-east-1,eu-west-1', outputDir: out },
      {
        json: true,
        rolehopHome: home,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_PROFILE: 'stale', AWS_ACCESS_KEY_ID: 'AKIASTALE' },
      },
    );
    assert.equal(r.code, 10, r.stderr);
    const lines = parse(r.stdout);
    assert.equal(lines.length, 12);
    for (const l of lines) {
      const [key, region, defRegion, profile, acc, reg, name] = l.stdout!.trim().split('|');
      assert.match(key!, /^ASIA/);
      assert.equal(region, l.region);
      assert.equal(defRegion, l.region);
      assert.equal(profile, 'none');
      assert.equal(acc, l.account);
      assert.equal(reg, l.region);
      assert.equal(name, l.name);
      assert.equal(l.exitCode, name === 'acct-0002' ? 1 : 0);
      if (name === 'acct-0002') assert.equal(l.error?.code, 'ERR_EXIT');
    }
    assert.equal(proxy.count('AssumeRole'), 6);
    assert.equal((await readdir(out)).filter((f) => f.endsWith('.stdout')).length, 12);

    // Shards split the accounts; each shard assumes only into its own.
    const seen: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const s = await runInProcess(motoBroker(proxy.url), ['true'], { accountsFile: file, shard }, { json: true, rolehopHome: home });
      seen.push(...parse(s.stdout).map((l) => l.account));
    }
    assert.deepEqual(seen.sort(), few.map((a) => a.id).sort());

    // Resume: failed targets run again, done ones do not.
    const journal = join(home, 'j', 'sweep.ndjson');
    const first = await runInProcess(
      motoBroker(proxy.url),
      ['sh', '-c', '[ "$1" != "acct-0003" ]', 'sh', '{name}'],
      { accountsFile: file, resume: journal },
      { json: true, rolehopHome: home },
    );
    assert.equal(first.code, 10);
    const second = await runInProcess(motoBroker(proxy.url), ['true'], { accountsFile: file, resume: journal }, { json: true, rolehopHome: home });
    assert.equal(second.code, 0);
    assert.deepEqual(
      parse(second.stdout).map((l) => l.name),
      ['acct-0003'],
    );
    assert.match(await readFile(journal, 'utf8'), /"ok":true/);
  });
});
