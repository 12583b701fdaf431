// Child of the 10,000-account fan-out benchmark: the same calls as the
// engine child with the least code: one GetSessionToken, one AssumeRole per
// account, then one GetCallerIdentity per region with a client per account,
// N workers, one keep-alive agent. Its memory is sampled as the engine
// child's is: the control for what the SDK alone makes V8 grow. Prints one
// JSON line.
import { readFileSync } from 'node:fs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { baselineSession } from '../baseline-sts.js';
import { report, startSpan } from '../children.js';
import { growthKbPerAccount, memorySample, type MemorySample } from './memory-samples.js';

const [url, file, regionList, concurrency] = process.argv.slice(2) as [string, string, string, string];
const ids = readFileSync(file, 'utf8').trim().split('\n');
const regions = regionList.split(',');
let done = 0;
const samples: MemorySample[] = [];
const sampler = setInterval(() => samples.push(memorySample(done)), 1000);
const span = startSpan();
const { requestHandler, sts: source } = await baselineSession(url);
let next = 0;
let ok = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < ids.length) {
      const account = ids[next++]!;
      const c = (
        await source.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'ceiling' }))
      ).Credentials!;
      const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
      for (const region of regions) {
        const sts = new STSClient({ region, endpoint: url, credentials, requestHandler });
        const r = await sts.send(new GetCallerIdentityCommand({}));
        done++;
        if (r.Account === account) ok++;
      }
    }
  }),
);
clearInterval(sampler);
const slope = (pick: (s: MemorySample) => number) => growthKbPerAccount(samples, pick, regions.length);
report({
  ...span(),
  ok,
  memoryFirst: samples[0],
  memoryLast: samples.at(-1),
  growthKbPerAccount: {
    rss: slope((s) => s.rss),
    heapTotal: slope((s) => s.heapTotal),
    outsideHeap: slope((s) => s.rss - s.heapTotal),
    external: slope((s) => s.external),
  },
});
