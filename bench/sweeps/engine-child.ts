// Child process of the sweeps benchmark: one built-in sweep's job on
// rolehop's engine, run the way `src/cli/sweep-run.ts` runs it (the source
// session asked for once and passed in, the default role and concurrency,
// the command's session name, the plan's endpoints), from a fresh process,
// against the URL given (the counting proxy in front of moto). Prints one
// JSON line: its span, the fan-out's counters and the items the job found.
import { readFileSync } from 'node:fs';
import { fanOut } from '../../src/engine/fan-out.js';
import { safeSessionName } from '../../src/config/session-name.js';
import { motoBroker } from '../../test/engine/moto-org.js';
import { report, startSpan } from '../children.js';
import { sweepJob } from './jobs.js';
import type { SweepJobName } from './targets.js';

const [url, file, name] = process.argv.slice(2) as [string, string, SweepJobName];
// EC2 and ACM clients find moto the way the CLI's do in the tests: through the SDK's AWS_ENDPOINT_URL.
process.env.AWS_ENDPOINT_URL = url;
const accounts = readFileSync(file, 'utf8').trim().split('\n');
const span = startSpan();
const broker = motoBroker(url);
const plan = broker.plan('bench');
const { credentials: session } = await broker.sessionCredentials('bench');
const spec = sweepJob(name, accounts, Date.now());
const run = fanOut(spec.targets, spec.job, {
  broker,
  profile: 'bench',
  sourceSession: session,
  roleSessionName: safeSessionName(`${spec.sessionName}-bench`),
  endpoints: plan.endpoints,
});
let ok = 0;
let items = 0;
for await (const r of run)
  if (r.ok) {
    ok++;
    items += r.value?.length ?? 0;
  }
const stats = run.stats;
report({ ...span(), units: stats.total, ok, items, failed: stats.failed, assumeCalls: stats.assumeCalls, retries: stats.retries, byCode: stats.byCode });
