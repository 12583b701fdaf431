// Child process of the roles-plan benchmark: rolehop's planBundle over every
// target (3 bundle roles each) with the default concurrency, from a fresh
// process, against the URL given (the counting proxy in front of moto).
// Prints one JSON line: its span, the fan-out's counters and the plan
// entries by action.
import { readFileSync } from 'node:fs';
import { parseBundle } from '../../src/bundles/bundle-file.js';
import { planBundle } from '../../src/bundles/plan-bundle.js';
import type { BundleTarget } from '../../src/bundles/account-filter.js';
import { motoBroker } from '../../test/engine/moto-org.js';
import { report, startSpan } from '../children.js';
import { BENCH_BUNDLE, BENCH_ROLES } from './bundle.js';

const [url, file] = process.argv.slice(2) as [string, string];
const accounts = JSON.parse(readFileSync(file, 'utf8')) as { id: string; name: string }[];
const span = startSpan();
// Parsing the bundle and building the targets are part of what `roles plan` does.
const bundle = parseBundle(BENCH_BUNDLE, 'bench.yaml');
const targets: BundleTarget[] = accounts.map((a) => ({ account: a.id, name: a.name, roles: BENCH_ROLES }));
const run = planBundle(bundle, targets, { broker: motoBroker(url), profile: 'bench', endpoints: { sts: url, iam: url, organizations: url } });
const byAction: Record<string, number> = {};
let entries = 0;
for await (const p of run)
  for (const e of p.entries) {
    byAction[e.action] = (byAction[e.action] ?? 0) + 1;
    entries++;
  }
const stats = run.stats;
report({ ...span(), entries, byAction, failed: stats?.failed, assumeCalls: stats?.assumeCalls, retries: stats?.retries });
