// Child process of the sweeps benchmark: the ceiling for one sweep, the
// most direct SDK v3 loop making the same AWS calls as the job on the
// engine: one GetSessionToken, one AssumeRole per account from that session
// (shared by its regions), then the job's reads per (account, region)
// (ceiling-reads.ts), in a pool of N workers over the same targets. One
// shared keep-alive agent, fresh clients per target. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { baselineSession } from '../baseline-sts.js';
import { report, startSpan } from '../children.js';
import { CEILING_READS, type CeilingUnit } from './ceiling-reads.js';
import { sweepTargets, type SweepJobName } from './targets.js';

const [url, file, name, concurrency] = process.argv.slice(2) as [string, string, SweepJobName, string];
const accounts = readFileSync(file, 'utf8').trim().split('\n');
const span = startSpan();
const now = Date.now();
// The same (account, region) list as the engine's, so the work and its order match.
const targets = sweepTargets(name, accounts);
const { requestHandler, sts } = await baselineSession(url);
const keys = new Map<string, Promise<CeilingUnit['credentials']>>();
const keysOf = (account: string) => {
  let k = keys.get(account);
  if (!k) {
    k = sts
      .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'ceiling' }))
      .then(({ Credentials: c }) => ({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! }));
    keys.set(account, k);
  }
  return k;
};
const read = CEILING_READS[name];
let next = 0;
let items = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < targets.length) {
      const { account, region } = targets[next++]!;
      const found = await read({ account, region, endpoint: url, requestHandler, credentials: await keysOf(account), now });
      items += found;
    }
  }),
);
report({ ...span(), units: targets.length, items });
