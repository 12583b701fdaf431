// Sweeps benchmark (issue 13), called by bench/run.ts (`npm run bench sweeps`)
// or on its own: node --import tsx bench/sweeps/index.ts
// Each built-in sweep (`audit trust`, `certs`, `ami create --dry-run`,
// `ami prune --dry-run`) over N accounts (default 1,000) against one moto
// with a light seed (seed.ts), on rolehop's engine the way the CLI runs it,
// beside the ceiling: the most direct SDK v3 loop making the same AWS calls,
// at the same concurrency, in the same run. Both are fresh child processes
// through the counting proxy, alternating which goes first; the proxy's
// counts prove both made the same calls (else the section fails). Each
// child reports its wall time, its own CPU (process.cpuUsage; moto's and
// the proxy's are not counted) and its peak RSS. Writes bench/results/sweeps.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMoto, type MotoServer } from '../../test/helpers/moto.js';
import { startCountingProxy, type CountingProxy } from '../../test/helpers/counting-proxy.js';
import { DEFAULT_CONCURRENCY } from '../../src/engine/fan-out.js';
import { accountIds, runJsonChild, type SpanMeasure } from '../children.js';
import { callDifferences, perAccount, tallyCalls, type CallTally } from './calls.js';
import { seedSweeps } from './seed.js';
import { ratios, sideSummary } from './summary.js';
import { BENCH_REGIONS, SWEEP_JOBS, sweepTargets, type SweepJobName } from './targets.js';

const HERE = resolve(import.meta.dirname);

/** Options of {@link runSweepsBenchmark}. */
export interface SweepsBenchOptions {
  /** Accounts swept; default ROLEHOP_BENCH_ACCOUNTS or 1000. */
  accounts?: number;
  /**
   * Runs of each child per sweep; default ROLEHOP_BENCH_ROUNDS or 2. Not 3 as
   * elsewhere: at 1,000 accounts each round is 8 child runs of 30-150 s, and
   * 2 rounds plus the seed already took 23-25 minutes on the shared 2-core
   * machine under load (less when it is quiet).
   */
  rounds?: number;
}

/** A child's line: its span and whatever else it counted. */
type ChildOut = SpanMeasure & { units: number; items: number; failed?: number; retries?: number };
/** One child's run with what the proxy saw during it. */
type Run = ChildOut & { calls: CallTally };

/** How each sweep is called in the report. */
const TITLES: Record<SweepJobName, string> = {
  'audit-trust': '`audit trust`',
  certs: '`certs`',
  'ami-create': '`ami create --dry-run`',
  'ami-prune': '`ami prune --dry-run`',
};

/** Runs the benchmark; returns JSON and a Markdown section, and writes bench/results/sweeps.json. */
export async function runSweepsBenchmark(opts: SweepsBenchOptions = {}): Promise<{ json: unknown; markdown: string }> {
  const n = opts.accounts ?? Number(process.env.ROLEHOP_BENCH_ACCOUNTS ?? 1000);
  const rounds = opts.rounds ?? Number(process.env.ROLEHOP_BENCH_ROUNDS ?? 2);
  const concurrency = DEFAULT_CONCURRENCY;
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-bench-sweeps-'));
  const load0 = loadavg()[0]!;
  let moto: MotoServer | undefined;
  let proxy: CountingProxy | undefined;
  try {
    // No AWS managed policies (IAM) and no public AMI catalogue (EC2): neither is what the sweeps read.
    moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false', MOTO_EC2_LOAD_DEFAULT_AMIS: 'false' } });
    proxy = await startCountingProxy(moto.url);
    const accounts = accountIds(n);
    const file = join(dir, 'accounts.txt');
    writeFileSync(file, accounts.join('\n'));
    const t0 = performance.now();
    const seed = await seedSweeps(moto.url, accounts);
    const seedMs = performance.now() - t0;

    const p = proxy;
    const measure = async (script: string, args: string[]): Promise<Run> => {
      p.reset();
      const r = await runJsonChild<ChildOut>(join(HERE, script), args);
      return { ...r, calls: tallyCalls(p.calls) };
    };
    const jobs: Record<string, unknown> = {};
    const problems: string[] = [];
    const rows: string[] = [];
    const order: string[] = [];
    const byJob = new Map(SWEEP_JOBS.map((name) => [name, { engine: [] as Run[], ceiling: [] as Run[] }]));
    for (let i = 0; i < rounds; i++) {
      order.push(i % 2 === 1 ? 'ceiling first' : 'rolehop first');
      for (const name of SWEEP_JOBS) {
        const runs = byJob.get(name)!;
        const pair = [
          async () => runs.engine.push(await measure('engine-child.ts', [p.url, file, name])),
          async () => runs.ceiling.push(await measure('ceiling-child.ts', [p.url, file, name, String(concurrency)])),
        ];
        if (i % 2 === 1) pair.reverse();
        for (const f of pair) await f();
        process.stderr.write(`bench: sweeps ${name} round ${i + 1}/${rounds}\n`);
      }
    }
    for (const name of SWEEP_JOBS) {
      const { engine, ceiling } = byJob.get(name)!;
      const units = sweepTargets(name, accounts).length;
      for (const [k, e] of engine.entries()) {
        const c = ceiling[k]!;
        const diff = callDifferences(e.calls.byAction, c.calls.byAction);
        if (diff.length) problems.push(`${name} round ${k + 1}: rolehop and the ceiling made different calls (${diff.join(', ')})`);
        if (e.calls.failed || c.calls.failed) problems.push(`${name} round ${k + 1}: ${e.calls.failed + c.calls.failed} calls failed (HTTP >= 400)`);
        if (e.units !== units || (e.failed ?? 0) > 0) problems.push(`${name} round ${k + 1}: ${e.failed} of ${e.units} targets failed`);
      }
      const job = sideSummary(engine, n, units);
      const ceil = sideSummary(ceiling, n, units);
      const ratio = ratios(job, ceil);
      const calls = perAccount(engine[0]?.calls.byAction ?? {}, n);
      const ceilingCalls = perAccount(ceiling[0]?.calls.byAction ?? {}, n);
      jobs[name] = {
        units,
        items: engine[0]?.items,
        callsPerAccount: calls,
        ceilingCallsPerAccount: ceilingCalls,
        rolehop: job,
        ceiling: ceil,
        ratio,
        runs: { engine, ceiling },
      };
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      const x = (r: number) => `${r.toFixed(2)}x`;
      const all = (engine[0]?.calls.all ?? 0) / n;
      rows.push(
        `| ${TITLES[name]} | ${units} | ${all.toFixed(3)} | ${s(job.wallMsMedian)} | ${s(ceil.wallMsMedian)} | **${x(ratio.wall)}** | ${s(job.cpuMsMedian)} | ${s(ceil.cpuMsMedian)} | **${x(ratio.cpu)}** | ` +
          `${job.accountsPerSecond.toFixed(0)} / ${job.unitsPerSecond.toFixed(0)} | ${ceil.accountsPerSecond.toFixed(0)} / ${ceil.unitsPerSecond.toFixed(0)} | ${job.peakRssMb.toFixed(0)} / ${ceil.peakRssMb.toFixed(0)} MB |`,
      );
    }
    if (problems.length) throw new Error(`sweeps: ${problems.join('; ')}`);
    const load1 = loadavg()[0]!;
    const json = {
      accounts: n,
      regions: [...BENCH_REGIONS],
      rounds,
      concurrency,
      order,
      setup: { seedMs, ...seed },
      loadAverage1m: { start: load0, end: load1 },
      jobs,
    };
    mkdirSync(resolve('bench/results'), { recursive: true });
    writeFileSync(resolve('bench/results/sweeps.json'), `${JSON.stringify(json, null, 2)}\n`);
    const noisy = Math.max(load0, load1) > 1.5;
    const callLines = SWEEP_JOBS.map((name) => {
      const c = (jobs[name] as { callsPerAccount: Record<string, number> }).callsPerAccount;
      return `${TITLES[name]}: ${Object.entries(c)
        .map(([a, v]) => `${a} ${v}`)
        .join(', ')}`;
    });
    const markdown = [
      `## Sweeps: ${n} accounts against moto, rolehop's jobs vs the same calls as a bare SDK loop (median of ${rounds}, alternating)`,
      '',
      `Setup (not timed): one moto; ${seed.seededAccounts} accounts seeded (2 roles, 4 imported ACM certificates, an IAM server certificate; per region 3 instances, 4 rolehop AMIs, a launch template whose AMI is an SSM parameter) and every other account's IAM, ACM and EC2 touched once in ${BENCH_REGIONS.join(' and ')}, ${seed.calls} calls in ${(seedMs / 1000).toFixed(1)} s. ` +
        `rolehop: the job on \`fanOut\` as \`src/cli/sweep-run.ts\` runs it (one source session, default role, default concurrency ${concurrency}). ` +
        `Ceiling: one GetSessionToken, one AssumeRole per account, then the same reads per target, ${concurrency} workers, one keep-alive agent. ` +
        `Both are fresh processes through the counting proxy, which checked that both made the same calls, none failed; runs alternate (${order.join('; ')}). ` +
        `CPU: the child's own user + system, not moto's or the proxy's. Throughput at the median wall time. ` +
        `Load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end${noisy ? ' on a shared 2-core machine: figures are noisy' : ''}.`,
      '',
      '| sweep | units | calls / account | rolehop wall | ceiling wall | wall ratio | rolehop CPU | ceiling CPU | CPU ratio | rolehop accounts/s / units/s | ceiling accounts/s / units/s | peak RSS rolehop / ceiling |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Calls per account, the same on both sides: ${callLines.join('; ')}.`,
    ].join('\n');
    return { json, markdown };
  } finally {
    await proxy?.stop();
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runSweepsBenchmark();
  process.stdout.write(`${r.markdown}\n`);
}
