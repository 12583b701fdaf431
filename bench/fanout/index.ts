// Fan-out benchmarks (issue 5), called by bench/run.ts or on their own:
//   node --import tsx bench/fanout/index.ts
// 1. rolehop's engine over 1,000 accounts (AssumeRole + iam:ListAccountAliases)
//    against moto: wall time and peak RSS, next to the emulator's own ceiling
//    measured in the same run by a minimal SDK loop of the same calls.
// 2. The same job as the sequential shell loop people write today
//    (`aws sts assume-role` + `aws iam list-account-aliases`) on 20 accounts,
//    compared per account.
// CPU time (user + system) beside every wall time: each child reports its own
// (process.cpuUsage over the span of its wall time); the shell loop's is read
// from /proc/self/stat (its reaped children). moto's own CPU is not counted.
// Writes bench/results/fanout.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMoto, type MotoServer } from '../../test/helpers/moto.js';
import { childrenCpuMs, totalMs } from '../cpu.js';
import { accountIds, median, runJsonChild } from '../children.js';

const HERE = resolve(import.meta.dirname);

const child = (script: string, args: string[]) => runJsonChild(join(HERE, script), args);

/** Options of {@link runFanoutBenchmarks}. */
export interface FanoutBenchOptions {
  accounts?: number;
  rounds?: number;
  concurrency?: number;
  shellAccounts?: number;
}

/** Runs the fan-out benchmarks; returns JSON and a Markdown section, and writes bench/results/fanout.json. */
export async function runFanoutBenchmarks(opts: FanoutBenchOptions = {}): Promise<{ json: unknown; markdown: string }> {
  const n = opts.accounts ?? Number(process.env.ROLEHOP_BENCH_ACCOUNTS ?? 1000);
  const rounds = opts.rounds ?? Number(process.env.ROLEHOP_BENCH_ROUNDS ?? 3);
  const concurrency = opts.concurrency ?? 32;
  const shellN = opts.shellAccounts ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-bench-'));
  let moto: MotoServer | undefined;
  try {
    moto = await startMoto();
    const file = join(dir, 'accounts.txt');
    const ids = accountIds(n);
    writeFileSync(file, ids.join('\n'));
    const engine: Record<string, number>[] = [];
    const ceiling: Record<string, number>[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate, on a fresh emulator each time (its session store slows look-ups as it fills).
      await moto.reset();
      ceiling.push(await child('ceiling-child.ts', [moto.url, file, String(concurrency)]));
      await moto.reset();
      engine.push(await child('engine-child.ts', [moto.url, file, String(concurrency)]));
    }
    // The shell loop people write: two AWS CLI processes per account, in sequence.
    await moto.reset();
    const script = [
      'set -e',
      `for a in ${ids.slice(0, shellN).join(' ')}; do`,
      '  set -- $(aws sts assume-role --role-arn "arn:aws:iam::$a:role/OrganizationAccountAccessRole" --role-session-name loop --query "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]" --output text)',
      '  AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2 AWS_SESSION_TOKEN=$3 aws iam list-account-aliases > /dev/null',
      'done',
    ].join('\n');
    const c0 = totalMs(childrenCpuMs());
    const t0 = performance.now();
    const sh = spawnSync('bash', ['-c', script], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        AWS_ENDPOINT_URL: moto.url,
        AWS_ACCESS_KEY_ID: 'AKIAMANAGEMENT000001',
        AWS_SECRET_ACCESS_KEY: 'management-secret',
        AWS_DEFAULT_REGION: 'us-east-1',
      },
      encoding: 'utf8',
    });
    const shellMs = performance.now() - t0;
    const shellCpuMs = totalMs(childrenCpuMs()) - c0;
    if (sh.status !== 0) throw new Error(`shell loop failed: ${sh.stderr.slice(-500)}`);

    const engineWall = median(engine.map((r) => r.wallMs!));
    const ceilingWall = median(ceiling.map((r) => r.wallMs!));
    const engineCpu = median(engine.map((r) => r.cpuMs!));
    const ceilingCpu = median(ceiling.map((r) => r.cpuMs!));
    const engineRss = Math.max(...engine.map((r) => r.maxRssMb!));
    const perAccountEngine = engineWall / n;
    const perAccountShell = shellMs / shellN;
    const cpuPerAccountEngine = engineCpu / n;
    const cpuPerAccountShell = shellCpuMs / shellN;
    const json = {
      accounts: n,
      rounds,
      concurrency,
      engine: { wallMsMedian: engineWall, cpuMsMedian: engineCpu, peakRssMb: engineRss, runs: engine },
      ceiling: { wallMsMedian: ceilingWall, cpuMsMedian: ceilingCpu, runs: ceiling },
      ratioToCeiling: engineWall / ceilingWall,
      cpuRatioToCeiling: engineCpu / ceilingCpu,
      shellLoop: { accounts: shellN, wallMs: shellMs, msPerAccount: perAccountShell, cpuMs: shellCpuMs, cpuMsPerAccount: cpuPerAccountShell },
      speedupPerAccountVsShell: perAccountShell / perAccountEngine,
      cpuRatioPerAccountShellToEngine: cpuPerAccountShell / cpuPerAccountEngine,
      goals: {
        wallUnder30s: engineWall <= 30_000,
        rssUnder200MB: engineRss <= 200,
        within1_3xOfCeiling: engineWall / ceilingWall <= 1.3,
        atLeast60xShell: perAccountShell / perAccountEngine >= 60,
      },
    };
    mkdirSync(resolve('bench/results'), { recursive: true });
    writeFileSync(resolve('bench/results/fanout.json'), `${JSON.stringify(json, null, 2)}\n`);
    const markdown = [
      `## Fan-out: ${n} accounts × AssumeRole + iam:ListAccountAliases against moto (median of ${rounds})`,
      '',
      'CPU: user + system of the measured process (the shell loop: of all its `aws` processes), not of moto.',
      '',
      '| measure | wall (or value) | CPU | goal |',
      '|---|---|---|---|',
      `| rolehop engine (c=${concurrency}) | ${(engineWall / 1000).toFixed(1)} s | ${(engineCpu / 1000).toFixed(1)} s | wall ≤ 30 s |`,
      `| peak RSS of the engine process | ${engineRss.toFixed(0)} MB | | ≤ 200 MB |`,
      `| emulator ceiling (minimal SDK loop, same calls) | ${(ceilingWall / 1000).toFixed(1)} s | ${(ceilingCpu / 1000).toFixed(1)} s | |`,
      `| engine / ceiling | ${(engineWall / ceilingWall).toFixed(2)}x | ${(engineCpu / ceilingCpu).toFixed(2)}x | wall ≤ 1.3x |`,
      `| sequential \`aws\` CLI loop, ${shellN} accounts | ${(perAccountShell / 1000).toFixed(2)} s/account | ${(cpuPerAccountShell / 1000).toFixed(2)} s/account | |`,
      `| rolehop engine, per account | ${perAccountEngine.toFixed(1)} ms/account | ${cpuPerAccountEngine.toFixed(1)} ms/account | |`,
      `| shell loop / engine, per account | ${(perAccountShell / perAccountEngine).toFixed(0)}x | ${(cpuPerAccountShell / cpuPerAccountEngine).toFixed(0)}x | wall ≥ 60x |`,
    ].join('\n');
    return { json, markdown };
  } finally {
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runFanoutBenchmarks();
  process.stdout.write(`${r.markdown}\n`);
}
