// Runs every *.test.ts under src/ (unit), bench/ (the benchmarks' own helpers)
// and test/ (integration, e2e) with
// node's test runner through tsx. Usage: node scripts/test.mjs [paths...]
// ROLEHOP_TEST_NODE selects the node binary (CI runs Node 20 and Node 24).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const files = args.length
  ? args.flatMap((a) => (statSync(a).isDirectory() ? collect(a, []) : [a]))
  : [...collect('src', []), ...collect('bench', []), ...collect('test', [])];
files.sort();
const node = process.env.ROLEHOP_TEST_NODE || process.execPath;
const r = spawnSync(node, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
