// `npm run bench`: every benchmark side by side in one run on this machine.
// Results go to bench/results/latest.json and latest.md (quoted in README).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { coldStart } from './cold-start.js';
import { clockTicksPerSecond } from './cpu.js';

const NODE24 = resolve('.cache/node24/node_modules/node/bin/node');
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

const results: Record<string, unknown> = {
  machine: { cores: (await import('node:os')).cpus().length, date: new Date().toISOString(), clockTicksPerSecond: clockTicksPerSecond() },
  cpu: 'user + system ms; commands: mean over the runs whose median wall time is given',
};
const md: string[] = [
  '# Latest benchmark run',
  '',
  `Run on ${new Date().toISOString()}. Wall times are medians. CPU times are user + system; for commands, the mean over the same runs (Linux counts CPU in ${1000 / clockTicksPerSecond()} ms ticks, too coarse for a median of runs a few ticks long).`,
  '',
];

async function section(name: string, fn: () => Promise<void>) {
  if (!want(name)) return;
  process.stderr.write(`bench: ${name}...\n`);
  try {
    await fn();
  } catch (e) {
    results[name] = { error: String((e as Error)?.message ?? e) };
    md.push(`## ${name}`, '', `failed: ${String((e as Error)?.message ?? e)}`, '');
  }
}

await section('cold-start', async () => {
  const runtimes: Record<string, string> = { [`node ${process.version}`]: process.execPath };
  if (existsSync(NODE24)) runtimes['node 24'] = NODE24;
  const r = await coldStart(runtimes);
  results['cold-start'] = r;
  md.push(
    '## Cache-hit `export --format credential-process` vs bare `node -e 0`',
    '',
    'Each row beside its own `node -e 0` runs (31 interleaved; file backend 9). CPU: the client process only, not the keychain daemon or moto.',
    '',
    '| runtime | node -e 0 wall | node -e 0 CPU | backend | rolehop wall | rolehop CPU | wall ratio | CPU ratio |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const row of r)
    for (const b of row.rows)
      md.push(
        `| ${row.runtime} | ${b.nodeMs.toFixed(0)} ms | ${b.nodeCpuMs.toFixed(0)} ms | ${b.backend} | ${b.ms.toFixed(0)} ms | ${b.cpuMs.toFixed(0)} ms | ${b.ratio.toFixed(2)}x | ${b.cpuRatio.toFixed(2)}x |`,
      );
  md.push('');
});

for (const [name, path, fnName] of [
  ['servers', './servers/index.js', 'runServerBenchmarks'],
  ['fanout', './fanout/index.js', 'runFanoutBenchmarks'],
] as const) {
  await section(name, async () => {
    if (!existsSync(resolve('bench', path.replace(/\.js$/, '.ts')))) return;
    const mod = (await import(path)) as Record<string, (() => Promise<{ json: unknown; markdown: string }>) | undefined>;
    const fn = mod[fnName];
    if (!fn) return;
    const r = await fn();
    results[name] = r.json;
    md.push(r.markdown, '');
  });
}

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify(results, null, 2) + '\n');
writeFileSync('bench/results/latest.md', md.join('\n') + '\n');
process.stdout.write(md.join('\n') + '\n');
