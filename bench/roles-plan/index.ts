// Roles-plan benchmark, called by bench/run.ts (`npm run bench roles-plan`)
// or on its own: node --import tsx bench/roles-plan/index.ts
// rolehop's role-bundle plan for N accounts (default 1,000) x 3 roles against
// moto, in the steady state of a daily drift check: the roles already exist,
// so the plan is all noop. Beside it, in the same run against the same moto,
// the least an SDK v3 script does to read the same state. Both run as fresh
// child processes through the counting proxy (which gives calls per
// account), alternating which goes first. Each child reports its wall time,
// its own CPU (process.cpuUsage; moto's and the proxy's are not counted) and
// its peak RSS. Writes bench/results/roles-plan.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMoto, type MotoServer } from '../../test/helpers/moto.js';
import { startCountingProxy, type CountingProxy } from '../../test/helpers/counting-proxy.js';
import { createOrg } from '../../test/engine/moto-org.js';
import { parseBundle } from '../../src/bundles/bundle-file.js';
import { median, runJsonChild, type SpanMeasure } from '../children.js';
import { BENCH_BUNDLE } from './bundle.js';
import { seedRoles } from './seed.js';

const HERE = resolve(import.meta.dirname);

/** Goals from the issue. */
const GOAL_RATIO = 1.3;
const GOAL_WALL_MS = 60_000;

/** Options of {@link runRolesPlanBenchmark}. */
export interface RolesPlanBenchOptions {
  /** Accounts planned; default ROLEHOP_BENCH_ACCOUNTS or 1000. */
  accounts?: number;
  /** Runs of each child; default ROLEHOP_BENCH_ROUNDS or 3. */
  rounds?: number;
  /** The baseline's worker pool; the plan uses rolehop's default, which is 32. */
  concurrency?: number;
}

/** What a child prints: its span and whatever else it counted. */
type ChildOut = SpanMeasure & Record<string, unknown>;

/** One child's run: its own measures plus what the proxy saw during it. */
type Run = ChildOut & { calls: { all: number; iam: number; assumeRole: number; getSessionToken: number; failed: number } };

/** Medians of a side's runs (peak RSS: the highest). */
function summary(runs: Run[], n: number) {
  const m = (f: (r: Run) => number) => median(runs.map(f));
  return {
    wallMsMedian: m((r) => r.wallMs),
    cpuMsMedian: m((r) => r.cpuMs),
    peakRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
    iamCallsPerAccount: m((r) => r.calls.iam) / n,
    assumeRolePerAccount: m((r) => r.calls.assumeRole) / n,
    callsPerAccount: m((r) => r.calls.all) / n,
    getSessionTokenCalls: m((r) => r.calls.getSessionToken),
    failedCalls: Math.max(...runs.map((r) => r.calls.failed)),
    runs,
  };
}

/** Runs the benchmark; returns JSON and a Markdown section, and writes bench/results/roles-plan.json. */
export async function runRolesPlanBenchmark(opts: RolesPlanBenchOptions = {}): Promise<{ json: unknown; markdown: string }> {
  const n = opts.accounts ?? Number(process.env.ROLEHOP_BENCH_ACCOUNTS ?? 1000);
  const rounds = opts.rounds ?? Number(process.env.ROLEHOP_BENCH_ROUNDS ?? 3);
  const concurrency = opts.concurrency ?? 32;
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-bench-roles-'));
  const load0 = loadavg()[0]!;
  let moto: MotoServer | undefined;
  let proxy: CountingProxy | undefined;
  try {
    // Without AWS managed policies: every new account would load ~1,300 of them.
    moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' } });
    proxy = await startCountingProxy(moto.url);
    let t0 = performance.now();
    const accounts = await createOrg(moto.url, n);
    const orgMs = performance.now() - t0;
    const bundle = parseBundle(BENCH_BUNDLE, 'bench.yaml');
    t0 = performance.now();
    const seedCalls = await seedRoles(
      moto.url,
      bundle,
      accounts.map((a) => a.id),
    );
    const seedMs = performance.now() - t0;
    const file = join(dir, 'accounts.json');
    writeFileSync(file, JSON.stringify(accounts));

    const p = proxy;
    const measure = async (script: string, args: string[]): Promise<Run> => {
      p.reset();
      const r = await runJsonChild<ChildOut>(join(HERE, script), args);
      const calls = p.calls;
      return {
        ...r,
        calls: {
          all: calls.length,
          iam: calls.filter((c) => c.service === 'iam').length,
          assumeRole: p.count('AssumeRole'),
          getSessionToken: p.count('GetSessionToken'),
          failed: calls.filter((c) => (c.status ?? 0) >= 400).length,
        },
      };
    };
    const engineRuns: Run[] = [];
    const baselineRuns: Run[] = [];
    const order: string[] = [];
    for (let i = 0; i < rounds; i++) {
      // moto grows with every session (each run adds N): alternating who goes first spreads that evenly.
      const pair = [
        async () => engineRuns.push(await measure('engine-child.ts', [p.url, file])),
        async () => baselineRuns.push(await measure('baseline-child.ts', [p.url, file, String(concurrency)])),
      ];
      if (i % 2 === 1) pair.reverse();
      for (const f of pair) await f();
      order.push(i % 2 === 1 ? 'baseline, plan' : 'plan, baseline');
    }
    // Figures of a plan that did not see the steady state (or of failed calls) would measure something else.
    const want = n * bundle.roles.length;
    for (const r of engineRuns) {
      const noop = (r['byAction'] as Record<string, number> | undefined)?.['noop'];
      if (r['entries'] !== want || noop !== want) throw new Error(`roles-plan: expected ${want} noop entries, got ${JSON.stringify(r['byAction'])}`);
    }
    const failedCalls = [...engineRuns, ...baselineRuns].reduce((k, r) => k + r.calls.failed, 0);
    if (failedCalls > 0) throw new Error(`roles-plan: ${failedCalls} calls failed (HTTP >= 400)`);
    const engine = summary(engineRuns, n);
    const baseline = summary(baselineRuns, n);
    const byAction = engineRuns[0]?.['byAction'] as Record<string, number> | undefined;
    const wallRatio = engine.wallMsMedian / baseline.wallMsMedian;
    const cpuRatio = engine.cpuMsMedian / baseline.cpuMsMedian;
    const load1 = loadavg()[0]!;
    const json = {
      accounts: n,
      rolesPerAccount: bundle.roles.length,
      rounds,
      concurrency,
      order,
      state: 'steady: every bundle role exists as rolehop would create it (inline policies only), so the plan is all noop',
      setup: { createAccountsMs: orgMs, seedRolesMs: seedMs, seedCalls },
      loadAverage1m: { start: load0, end: load1 },
      plan: { ...engine, entriesByAction: byAction },
      baseline,
      wallRatio,
      cpuRatio,
      goals: { wallUnder60s: engine.wallMsMedian < GOAL_WALL_MS, within1_3xOfBaseline: wallRatio <= GOAL_RATIO },
    };
    mkdirSync(resolve('bench/results'), { recursive: true });
    writeFileSync(resolve('bench/results/roles-plan.json'), `${JSON.stringify(json, null, 2)}\n`);

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const x = (r: number) => `${r.toFixed(2)}x`;
    const per = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));
    const yes = (b: boolean) => (b ? 'met' : '**not met**');
    const noisy = Math.max(load0, load1) > 1.5;
    const markdown = [
      `## Roles plan: ${n} accounts × ${bundle.roles.length} roles, all noop, against moto (median of ${rounds}, alternating)`,
      '',
      `Setup (not timed below): ${n} accounts created in moto in ${s(orgMs)}, ${n * bundle.roles.length} roles seeded in ${s(seedMs)} (${seedCalls} calls; inline policies only, no AWS managed policies loaded). ` +
        `Both sides are fresh processes talking to moto through the counting proxy; runs alternate (${order.join('; ')}). ` +
        `CPU: the child's own user + system, not moto's or the proxy's. Peak RSS: the highest of the runs. ` +
        `Load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end${noisy ? ' on a shared 2-core machine: figures are noisy' : ''}.`,
      '',
      `| measure | rolehop \`planBundle\` (default c=32) | minimal SDK v3 loop (c=${concurrency}) | plan / loop | goal |`,
      '|---|---|---|---|---|',
      `| wall | ${s(engine.wallMsMedian)} | ${s(baseline.wallMsMedian)} | ${x(wallRatio)} | plan < 60 s: ${yes(engine.wallMsMedian < GOAL_WALL_MS)}; ≤ 1.3x: ${yes(wallRatio <= GOAL_RATIO)} |`,
      `| CPU | ${s(engine.cpuMsMedian)} | ${s(baseline.cpuMsMedian)} | ${x(cpuRatio)} | |`,
      `| peak RSS | ${engine.peakRssMb.toFixed(0)} MB | ${baseline.peakRssMb.toFixed(0)} MB | ${x(engine.peakRssMb / baseline.peakRssMb)} | |`,
      `| IAM calls / account | ${per(engine.iamCallsPerAccount)} | ${per(baseline.iamCallsPerAccount)} | | |`,
      `| STS AssumeRole / account | ${per(engine.assumeRolePerAccount)} | ${per(baseline.assumeRolePerAccount)} | | |`,
      `| all calls / account (with the one GetSessionToken) | ${per(engine.callsPerAccount)} | ${per(baseline.callsPerAccount)} | | |`,
      `| plan entries | ${Object.entries(byAction ?? {})
        .map(([a, k]) => `${k} ${a}`)
        .join(', ')} | | | ${want} noop |`,
    ].join('\n');
    return { json, markdown };
  } finally {
    await proxy?.stop();
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runRolesPlanBenchmark();
  process.stdout.write(`${r.markdown}\n`);
}
