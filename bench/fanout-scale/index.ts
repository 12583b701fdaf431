// Fan-out at scale (issue 16), called by bench/run.ts (`npm run bench
// fanout-scale`) or on its own: node --import tsx bench/fanout-scale/index.ts
// rolehop's engine over N accounts (default 10,000) × the 17 regions `--regions
// all` means, each target one GetCallerIdentity, against a zero-latency
// loopback STS stub (so the engine is what is measured, not an emulator),
// beside the least SDK loop making the same calls, in the same run. Reports
// the engine's CPU per target and its overhead over the loop, peak and
// sampled RSS (results are streamed, never held) with the breakdown of
// process.memoryUsage() for both sides, and AssumeRole calls per account as
// the stub counted them. Writes bench/results/fanout-scale.json.
// Environment: ROLEHOP_BENCH_SCALE_ACCOUNTS (default 10000),
// ROLEHOP_BENCH_SCALE_GC_ACCOUNTS (the --expose-gc run, default 3000),
// ROLEHOP_BENCH_SCALE_NODE_FLAGS (node/V8 flags for both children, on every
// runtime). Runs on this Node and on Node 24 when installed (scaleRuntimes).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_ENABLED_REGIONS } from '../../src/engine/regions.js';
import { HEAP_GROWING_FLAG, SEMI_SPACE_FLAG } from '../../src/cli/fan-out-heap.js';
import { accountIds, NODE24, runJsonChild, type SpanMeasure } from '../children.js';
import type { MemorySample } from './memory-samples.js';
import { startStsStub } from './sts-stub.js';

const HERE = resolve(import.meta.dirname);
/** Goal of the issue: flat and under this. */
const GOAL_RSS_MB = 300;

type Child = SpanMeasure & {
  ok: number;
  rssFirstMb?: number;
  rssLastMb?: number;
  rssSamples?: number;
  memoryFirst?: MemorySample;
  memoryLast?: MemorySample;
  /** Steady growth of each part, KB per account. */
  growthKbPerAccount?: { rss: number; heapTotal: number; outsideHeap: number; external: number };
  failed?: number;
  assumeCalls?: number;
  /** [targets done, live heap MB]. */
  liveHeapFrom?: [number, number];
  liveHeapTo?: [number, number];
};

const fixed = (v: number | undefined, digits = 0) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));
/** "a → b MB" for one part of the breakdown. */
const span = (c: Child, pick: (s: MemorySample) => number) =>
  c.memoryFirst && c.memoryLast ? `${pick(c.memoryFirst).toFixed(0)} → ${pick(c.memoryLast).toFixed(0)} MB` : 'n/a';
/** Every part of the breakdown, first and last sample. */
const breakdown = (c: Child) =>
  [
    `rss ${span(c, (m) => m.rss)}`,
    `heapTotal ${span(c, (m) => m.heapTotal)}`,
    `heapUsed ${span(c, (m) => m.heapUsed)}`,
    `external ${span(c, (m) => m.external)}`,
    `arrayBuffers ${span(c, (m) => m.arrayBuffers)}`,
    `rss − heapTotal ${span(c, (m) => m.rss - m.heapTotal)}`,
  ].join('; ');
const growth = (c: Child) => {
  const g = c.growthKbPerAccount;
  return g ? `rss ${fixed(g.rss, 2)}; heapTotal ${fixed(g.heapTotal, 2)}; rss − heapTotal ${fixed(g.outsideHeap, 2)}; external ${fixed(g.external, 2)}` : 'n/a';
};
const mb = (s: [number, number] | undefined) => (s ? `${s[1].toFixed(1)} MB` : 'n/a');
const accountsAt = (s: [number, number] | undefined, regions: number) => (s ? Math.round(s[0] / regions).toLocaleString('en') : 'n/a');
/** Live heap gained per account between the two samples, KB (NaN without them). */
function liveGrowth(c: Child, regions: number): number {
  if (!c.liveHeapFrom || !c.liveHeapTo || c.liveHeapTo[0] <= c.liveHeapFrom[0]) return NaN;
  return ((c.liveHeapTo[1] - c.liveHeapFrom[1]) * 1024) / ((c.liveHeapTo[0] - c.liveHeapFrom[0]) / regions);
}

/** One runtime the benchmark runs on: its label, its node, and the node flags both children get. */
interface ScaleRuntime {
  label: string;
  node: string;
  nodeFlags: string[];
  /** Why these flags, for the report. */
  why?: string;
}

/**
 * The runtimes to measure: this process's Node and Node 24 when installed,
 * each with the V8 flags the CLI runs its fan-out commands with there
 * (src/cli/fan-out-heap.ts: the growing factor, set in-process, everywhere;
 * the semi-space cap, by a restart, on Node 24), given to both children on
 * the command line, so the figures are those of `rolehop run` and the loop
 * runs under the same heap. ROLEHOP_BENCH_SCALE_NODE_FLAGS, to weigh another
 * heap setting side by side, replaces the flags of both ("none": no flags).
 */
function scaleRuntimes(nodeFlags: string[] | undefined): ScaleRuntime[] {
  const env = process.env.ROLEHOP_BENCH_SCALE_NODE_FLAGS;
  const given = nodeFlags ?? (env ? env.split(/\s+/).filter((f) => f && f !== 'none') : undefined);
  const why = given ? undefined : 'as the CLI runs its fan-out commands on this runtime';
  const runtimes: ScaleRuntime[] = [
    { label: `Node ${process.version}`, node: process.execPath, nodeFlags: given ?? [HEAP_GROWING_FLAG], ...(why ? { why } : {}) },
  ];
  if (existsSync(NODE24)) runtimes.push({ label: 'Node 24', node: NODE24, nodeFlags: given ?? [SEMI_SPACE_FLAG, HEAP_GROWING_FLAG], ...(why ? { why } : {}) });
  return runtimes;
}

/** Runs the benchmark on each runtime; returns JSON and Markdown sections, and writes bench/results/fanout-scale.json. */
export async function runFanoutScaleBenchmark(
  opts: { accounts?: number; concurrency?: number; nodeFlags?: string[] } = {},
): Promise<{ json: unknown; markdown: string }> {
  const json: Record<string, unknown> = {};
  const markdown: string[] = [];
  for (const runtime of scaleRuntimes(opts.nodeFlags)) {
    const r = await runOnRuntime(runtime, opts);
    json[runtime.label] = r.json;
    markdown.push(r.markdown);
  }
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(resolve('bench/results/fanout-scale.json'), `${JSON.stringify(json, null, 2)}\n`);
  return { json, markdown: markdown.join('\n\n') };
}

/** The benchmark on one runtime. */
async function runOnRuntime(runtime: ScaleRuntime, opts: { accounts?: number; concurrency?: number }): Promise<{ json: unknown; markdown: string }> {
  const n = opts.accounts ?? Number(process.env.ROLEHOP_BENCH_SCALE_ACCOUNTS ?? 10_000);
  const concurrency = opts.concurrency ?? 32;
  const v8Flags = runtime.nodeFlags;
  const regions = [...DEFAULT_ENABLED_REGIONS];
  const targets = n * regions.length;
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-bench-scale-'));
  const stub = await startStsStub();
  const load0 = loadavg()[0]!;
  try {
    const file = join(dir, 'accounts.txt');
    writeFileSync(file, accountIds(n).join('\n'));
    const args = [stub.url, file, regions.join(','), String(concurrency)];
    const measure = async (script: string, childArgs = args, nodeArgs: string[] = []) => {
      stub.assumes.clear();
      const r = await runJsonChild<Child>(join(HERE, script), childArgs, [...v8Flags, ...nodeArgs], runtime.node);
      const counts = [...stub.assumes.values()];
      return { ...r, assumedAccounts: stub.assumes.size, maxAssumesPerAccount: counts.length ? Math.max(...counts) : 0 };
    };
    const ceiling = await measure('ceiling-child.ts');
    const engine = await measure('engine-child.ts');
    // Kept or high-water? A smaller run that collects before every sample: its live heap must not grow with the accounts.
    const gcAccounts = Math.min(n, Number(process.env.ROLEHOP_BENCH_SCALE_GC_ACCOUNTS ?? 3000));
    const gcFile = join(dir, 'accounts-gc.txt');
    writeFileSync(gcFile, accountIds(gcAccounts).join('\n'));
    const collected = await measure('engine-child.ts', [stub.url, gcFile, regions.join(','), String(concurrency)], ['--expose-gc']);
    if (engine.ok !== targets || engine.assumedAccounts !== n || engine.maxAssumesPerAccount !== 1)
      throw new Error(
        `fanout-scale: ${engine.ok}/${targets} targets ok, ${engine.assumedAccounts} accounts assumed, at most ${engine.maxAssumesPerAccount} AssumeRole per account`,
      );
    const load1 = loadavg()[0]!;
    const perTarget = (ms: number) => (ms * 1000) / targets;
    const json = {
      runtime: runtime.label,
      accounts: n,
      regions: regions.length,
      targets,
      concurrency,
      nodeFlags: v8Flags,
      loadAverage1m: { start: load0, end: load1 },
      engine: { ...engine, cpuUsPerTarget: perTarget(engine.cpuMs), wallUsPerTarget: perTarget(engine.wallMs) },
      ceiling: { ...ceiling, cpuUsPerTarget: perTarget(ceiling.cpuMs), wallUsPerTarget: perTarget(ceiling.wallMs) },
      engineOverheadCpuUsPerTarget: perTarget(engine.cpuMs - ceiling.cpuMs),
      wallRatio: engine.wallMs / ceiling.wallMs,
      cpuRatio: engine.cpuMs / ceiling.cpuMs,
      growthKbPerAccount: (((engine.rssLastMb ?? 0) - (engine.rssFirstMb ?? 0)) * 1024) / n,
      collected: {
        accounts: gcAccounts,
        liveHeapFrom: collected.liveHeapFrom,
        liveHeapTo: collected.liveHeapTo,
        rssFirstMb: collected.rssFirstMb,
        rssLastMb: collected.rssLastMb,
        memoryFirst: collected.memoryFirst,
        memoryLast: collected.memoryLast,
        liveHeapGrowthKbPerAccount: liveGrowth(collected, regions.length),
      },
      goals: {
        peakRssUnder300Mb: engine.maxRssMb < GOAL_RSS_MB,
        // Flat: the end no more than a tenth above the first second's (a fixed cost, then nothing held per target).
        flat: (engine.rssLastMb ?? Infinity) <= (engine.rssFirstMb ?? 0) * 1.1,
        oneAssumeRolePerAccount: engine.maxAssumesPerAccount === 1,
      },
    };
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const us = (v: number) => `${v.toFixed(0)} µs`;
    const markdown = [
      `## Fan-out at scale, ${runtime.label}: ${n.toLocaleString('en')} accounts × ${regions.length} regions (${targets.toLocaleString('en')} targets), zero-latency STS stub`,
      '',
      `Each target: one GetCallerIdentity with the account's role credentials; the engine assumes each account's role once. Both sides are fresh processes, concurrency ${concurrency}${v8Flags.length ? `, node flags \`${v8Flags.join(' ')}\`${runtime.why ? ` (${runtime.why})` : ''}` : ', default node flags'}, against the same loopback stub (in the parent process). CPU: the child's own user + system. Load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end.`,
      '',
      '| measure | rolehop `fanOut` | least SDK loop, same calls | engine / loop |',
      '|---|---|---|---|',
      `| wall | ${s(engine.wallMs)} (${us(json.engine.wallUsPerTarget)} per target) | ${s(ceiling.wallMs)} | ${json.wallRatio.toFixed(2)}x |`,
      `| CPU | ${s(engine.cpuMs)} (${us(json.engine.cpuUsPerTarget)} per target) | ${s(ceiling.cpuMs)} (${us(json.ceiling.cpuUsPerTarget)} per target) | ${json.cpuRatio.toFixed(2)}x; engine − loop: ${us(json.engineOverheadCpuUsPerTarget)} per target |`,
      `| peak RSS | ${engine.maxRssMb.toFixed(0)} MB (sampled each second: ${engine.rssFirstMb?.toFixed(0)} MB after 1 s, ${engine.rssLastMb?.toFixed(0)} MB at the end: ${json.growthKbPerAccount.toFixed(1)} KB more per account) | ${ceiling.maxRssMb.toFixed(0)} MB | < ${GOAL_RSS_MB} MB: ${json.goals.peakRssUnder300Mb ? 'met' : '**not met**'}; flat: ${json.goals.flat ? 'met' : '**not met**'} |`,
      `| memory after 1 s → at the end (\`process.memoryUsage()\`) | ${breakdown(engine)} | ${breakdown(ceiling)} | the part that grows; outside the JS heap: sockets, Buffers, malloc |`,
      `| steady growth, KB per account (least squares from a quarter of the run to the end) | ${growth(engine)} | ${growth(ceiling)} | heapTotal growing while the live heap stays flat is V8 sizing its heap, not memory kept |`,
      `| live heap after a full GC (a run of ${gcAccounts.toLocaleString('en')} accounts under \`--expose-gc\`, collected before each sample) | ${mb(json.collected.liveHeapFrom)} at ${accountsAt(json.collected.liveHeapFrom, regions.length)} accounts, ${mb(json.collected.liveHeapTo)} at ${accountsAt(json.collected.liveHeapTo, regions.length)} (${json.collected.liveHeapGrowthKbPerAccount.toFixed(2)} KB per account); RSS ${json.collected.rssFirstMb?.toFixed(0)} → ${json.collected.rssLastMb?.toFixed(0)} MB | – | RSS gained beyond the live heap is V8's and malloc's high-water mark, not memory kept |`,
      `| AssumeRole | ${engine.assumedAccounts.toLocaleString('en')} accounts, at most ${engine.maxAssumesPerAccount} per account | ${ceiling.assumedAccounts.toLocaleString('en')} accounts | one per account: ${json.goals.oneAssumeRolePerAccount ? 'met' : '**not met**'} |`,
    ].join('\n');
    return { json, markdown };
  } finally {
    await stub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runFanoutScaleBenchmark();
  process.stdout.write(`${r.markdown}\n`);
}
