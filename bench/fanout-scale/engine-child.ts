// Child of the 10,000-account fan-out benchmark: rolehop's engine over
// accounts × regions, each target one GetCallerIdentity against the STS
// stub (the engine's AssumeRole goes there too). Results are counted as
// they stream, never kept. process.memoryUsage() is sampled every second
// (rss, heapTotal, heapUsed, external, arrayBuffers) to show which part, if
// any, grows; under --expose-gc each sample collects first and records the
// live heap too, which tells memory kept from V8's and malloc's high-water
// mark. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fanOut } from '../../src/engine/fan-out.js';
import { motoBroker } from '../../test/engine/moto-org.js';
import { report, startSpan } from '../children.js';
import { growthKbPerAccount, memorySample, type MemorySample } from './memory-samples.js';

const [url, file, regionList, concurrency] = process.argv.slice(2) as [string, string, string, string];
const ids = readFileSync(file, 'utf8').trim().split('\n');
const regions = regionList.split(',');
const samples: MemorySample[] = [];
/** [targets done, live heap MB] at each sample under --expose-gc. */
const liveHeap: Array<[number, number]> = [];
let done = 0;
const gc = (globalThis as { gc?: () => void }).gc;
const sampler = setInterval(() => {
  if (gc) {
    gc();
    liveHeap.push([done, process.memoryUsage().heapUsed / 2 ** 20]);
  }
  samples.push(memorySample(done));
}, 1000);
const span = startSpan();
const run = fanOut(
  ids.flatMap((account) => regions.map((region) => ({ account, region }))),
  async (ctx) => {
    const r = await ctx.client(STSClient).send(new GetCallerIdentityCommand({}), { abortSignal: ctx.signal });
    return r.Account === ctx.account;
  },
  { broker: motoBroker(url), endpoints: { sts: url }, concurrency: Number(concurrency) },
);
let ok = 0;
let rightAccount = 0;
for await (const r of run) {
  done++;
  if (r.ok) ok++;
  if (r.ok && r.value === true) rightAccount++;
}
clearInterval(sampler);
const measured = span();
const first = samples[0];
const last = samples.at(-1);
const slope = (pick: (s: MemorySample) => number) => growthKbPerAccount(samples, pick, regions.length);
report({
  ...measured,
  ok,
  rightAccount,
  failed: run.stats.failed,
  assumeCalls: run.stats.assumeCalls,
  rssFirstMb: first?.rss ?? measured.maxRssMb,
  rssLastMb: last?.rss ?? measured.maxRssMb,
  rssSamples: samples.length,
  // The whole breakdown after 1 s and at the end, and each part's steady growth (KB per account, least squares past the first quarter).
  memoryFirst: first,
  memoryLast: last,
  growthKbPerAccount: {
    rss: slope((s) => s.rss),
    heapTotal: slope((s) => s.heapTotal),
    outsideHeap: slope((s) => s.rss - s.heapTotal),
    external: slope((s) => s.external),
  },
  // From a quarter of the way, past the warm-up (SDK modules, caches), to the last sample.
  ...(gc ? { liveHeapFrom: liveHeap.find(([n]) => n >= ok / 4) ?? liveHeap[0], liveHeapTo: liveHeap.at(-1) } : {}),
});
