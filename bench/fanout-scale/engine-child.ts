// Child of the 10,000-account fan-out benchmark: rolehop's engine over
// accounts × regions, each target one GetCallerIdentity against the STS
// stub (the engine's AssumeRole goes there too). Results are counted as
// they stream, never kept. RSS is sampled every second to show it stays
// flat; under --expose-gc each sample collects first and records the live
// heap too, which tells memory kept from V8's and malloc's high-water mark.
// Prints one JSON line.
import { readFileSync } from 'node:fs';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fanOut } from '../../src/engine/fan-out.js';
import { motoBroker } from '../../test/engine/moto-org.js';
import { report, startSpan } from '../children.js';

const [url, file, regionList, concurrency] = process.argv.slice(2) as [string, string, string, string];
const ids = readFileSync(file, 'utf8').trim().split('\n');
const regions = regionList.split(',');
const rss: number[] = [];
/** [targets done, live heap MB] at each sample under --expose-gc. */
const liveHeap: Array<[number, number]> = [];
let done = 0;
const gc = (globalThis as { gc?: () => void }).gc;
const sampler = setInterval(() => {
  if (gc) {
    gc();
    liveHeap.push([done, process.memoryUsage().heapUsed / 2 ** 20]);
  }
  rss.push(process.memoryUsage().rss / 2 ** 20);
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
report({
  ...measured,
  ok,
  rightAccount,
  failed: run.stats.failed,
  assumeCalls: run.stats.assumeCalls,
  rssFirstMb: rss[0] ?? measured.maxRssMb,
  rssLastMb: rss.at(-1) ?? measured.maxRssMb,
  rssSamples: rss.length,
  // From a quarter of the way, past the warm-up (SDK modules, caches), to the last sample.
  ...(gc ? { liveHeapFrom: liveHeap.find(([n]) => n >= ok / 4) ?? liveHeap[0], liveHeapTo: liveHeap.at(-1) } : {}),
});
