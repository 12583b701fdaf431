// `npm run bench`: every benchmark side by side in one run on this machine.
// Results go to bench/results/latest.json and latest.md (quoted in README).
// `npm run bench <section>...` runs only those sections (cold-start,
// cold-path, commands-start, servers, fanout, roles-plan, fanout-scale, sweeps) and keeps the others' last results.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NODE24 } from './children.js';
import { coldStart } from './cold-start.js';
import { clockTicksPerSecond } from './cpu.js';
import { markedSections, markSection, mergeSections, sectionDates } from './results-file.js';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

const JSON_FILE = 'bench/results/latest.json';
const MD_FILE = 'bench/results/latest.md';
const now = new Date().toISOString();
const results: Record<string, unknown> = {
  machine: { cores: (await import('node:os')).cpus().length, date: now, clockTicksPerSecond: clockTicksPerSecond() },
  cpu: 'user + system ms; commands: mean over the runs whose median wall time is given',
};
/** The Markdown of the section running now; moved into `fresh` when it ends. */
const md: string[] = [];
const fresh = new Map<string, string>();

async function section(name: string, fn: () => Promise<void>) {
  if (!want(name)) return;
  process.stderr.write(`bench: ${name}...\n`);
  try {
    await fn();
  } catch (e) {
    results[name] = { error: String((e as Error)?.message ?? e) };
    md.push(`## ${name}`, '', `failed: ${String((e as Error)?.message ?? e)}`, '');
  }
  const text = md.splice(0).join('\n');
  if (text.trim()) fresh.set(name, markSection(name, text));
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

await section('cold-path', async () => {
  const { runColdPathBenchmark } = await import('./cold-path/index.js');
  const r = await runColdPathBenchmark({ [`node ${process.version}`]: process.execPath, ...(existsSync(NODE24) ? { 'node 24': NODE24 } : {}) });
  results['cold-path'] = r.json;
  md.push(r.markdown, '');
});

for (const [name, path, fnName] of [
  ['commands-start', './commands-start/index.js', 'runCommandsStartBenchmark'],
  ['servers', './servers/index.js', 'runServerBenchmarks'],
  ['fanout', './fanout/index.js', 'runFanoutBenchmarks'],
  ['roles-plan', './roles-plan/index.js', 'runRolesPlanBenchmark'],
  ['fanout-scale', './fanout-scale/index.js', 'runFanoutScaleBenchmark'],
  ['sweeps', './sweeps/index.js', 'runSweepsBenchmark'],
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

// A partial run keeps the sections it did not run, with the date they ran.
const previousMd = only.length > 0 && existsSync(MD_FILE) ? markedSections(readFileSync(MD_FILE, 'utf8')) : new Map<string, string>();
const previousJson = only.length > 0 && existsSync(JSON_FILE) ? (JSON.parse(readFileSync(JSON_FILE, 'utf8')) as Record<string, unknown>) : undefined;
const kept = [...previousMd.keys()].filter((name) => !fresh.has(name));
const runAt: Record<string, string> = { ...sectionDates(previousJson, kept), ...Object.fromEntries([...fresh.keys()].map((name) => [name, now])) };
for (const name of kept) if (previousJson && name in previousJson) results[name] = previousJson[name];
results['runAt'] = runAt;
const keptNote = kept.length
  ? ` (${[...fresh.keys()].join(', ')}; kept from earlier runs: ${kept.map((name) => `${name} of ${runAt[name] ?? 'an unknown date'}`).join(', ')})`
  : '';
const page = [
  '# Latest benchmark run',
  '',
  `Run on ${now}${keptNote}. Wall times are medians. CPU times are user + system; for commands, the mean over the same runs (Linux counts CPU in ${1000 / clockTicksPerSecond()} ms ticks, too coarse for a median of runs a few ticks long).`,
  '',
  mergeSections(previousMd, fresh).join('\n\n'),
].join('\n');
mkdirSync('bench/results', { recursive: true });
writeFileSync(JSON_FILE, JSON.stringify(results, null, 2) + '\n');
writeFileSync(MD_FILE, page + '\n');
process.stdout.write(page + '\n');
