// Child process of the fan-out benchmark: the rolehop engine over N accounts
// (AssumeRole + iam:ListAccountAliases) against moto. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { fanOut } from '../../src/engine/fan-out.js';
import { motoBroker } from '../../test/engine/moto-org.js';
import job from '../../test/engine/fixtures/list-aliases.mjs';
import { report, startSpan } from '../children.js';

const [url, file, concurrency] = process.argv.slice(2) as [string, string, string];
const ids = readFileSync(file, 'utf8').trim().split('\n');
const span = startSpan();
const run = fanOut(
  ids.map((account) => ({ account, region: 'us-east-1' })),
  job,
  { broker: motoBroker(url), endpoints: { sts: url, iam: url }, concurrency: Number(concurrency) },
);
let ok = 0;
for await (const r of run) if (r.ok) ok++;
report({ ...span(), ok, failed: run.stats.failed, assumeCalls: run.stats.assumeCalls, retries: run.stats.retries });
