// The cold path (issue 16), called by bench/run.ts (`npm run bench
// cold-path`): an empty-cache `rolehop export target --format
// credential-process` of a two-hop chain (MFA session with GetSessionToken,
// then AssumeRole) against moto, keychain backend when a Secret Service is
// running (else the file backend, whose KDF then dominates), beside `node -e
// 0` and the least SDK v3 script making the same two calls, interleaved in
// one run, on each runtime. Then the same three under `--cpu-prof`, their
// CPU split by phase (see phases.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { measureInterleaved, type Timed } from '../timing.js';
import { PHASES, sourceLocator, splitProfile, type Phase } from './phases.js';
import { startMoto } from '../../test/helpers/moto.js';
import { seedMotoIdentity } from '../../test/helpers/run-cli.js';

const ROLE_ARN = 'arn:aws:iam::210987654321:role/Admin';
const LABELS = ['node -e 0', 'least SDK script', 'rolehop cold export'] as const;

/** One runtime's figures: wall medians and CPU means of the interleaved runs, and the profiled phase split (ms per run). */
export interface ColdPathRuntime {
  runtime: string;
  backend: string;
  rows: Array<{ what: string; wallMs: number; cpuMs: number }>;
  /** Mean sampled ms per phase under --cpu-prof, by command (the profiler's own overhead inflates these a little). */
  phases: Record<string, Record<Phase, number>>;
}

/** Runs the benchmark on each runtime (label → node binary); returns JSON and a Markdown section. */
export async function runColdPathBenchmark(runtimes: Record<string, string>, runs = 15, profiled = 5): Promise<{ json: unknown; markdown: string }> {
  const cli = resolve('dist/cli.cjs');
  const moto = await startMoto();
  const home = mkdtempSync(join(tmpdir(), 'rolehop-bench-cold-'));
  try {
    const alice = await seedMotoIdentity(moto.url);
    mkdirSync(join(home, '.aws'));
    // mfa_process: the code without a flag, so the call is the exact credential_process line.
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\nmfa_process = echo 123456\n\n[profile target]\nrole_arn = ${ROLE_ARN}\nsource_profile = alice\n`,
    );
    const baseline = join(home, 'sdk-baseline.mjs');
    await build({
      entryPoints: [resolve(import.meta.dirname, 'sdk-baseline.ts')],
      outfile: baseline,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      logLevel: 'warning',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
    const backend = bus ? 'keychain' : 'file';
    const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const env: NodeJS.ProcessEnv = {
      ...base,
      ROLEHOP_HOME: join(home, '.rolehop'),
      AWS_CONFIG_FILE: join(home, '.aws', 'config'),
      AWS_ENDPOINT_URL: moto.url,
      ROLEHOP_BACKEND: backend,
      ROLEHOP_FILE_PASSPHRASE: 'bench',
      ROLEHOP_AGENT_AUTOSTART: '0',
      ...(bus ? { DBUS_SESSION_BUS_ADDRESS: bus } : {}),
    };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const baselineEnv = {
      ...base,
      BASELINE_ENDPOINT: moto.url,
      BASELINE_KEY_ID: alice.accessKeyId,
      BASELINE_SECRET: alice.secretAccessKey,
      BASELINE_MFA_SERIAL: alice.mfaSerial,
      BASELINE_ROLE_ARN: ROLE_ARN,
    };
    const out: ColdPathRuntime[] = [];
    for (const [label, node] of Object.entries(runtimes)) {
      if (!existsSync(node)) continue;
      const add = spawnSync(node, [cli, 'add', 'alice', '--env'], {
        env: { ...env, AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey },
      });
      if (add.status !== 0) throw new Error(`add failed: ${add.stderr}`);
      // Every timed export starts from an empty session cache.
      const clear = () => {
        const r = spawnSync(node, [cli, 'clear'], { env });
        if (r.status !== 0) throw new Error(`clear failed: ${r.stderr}`);
      };
      const commands = (nodeArgs: string[] = []): Timed[] => [
        { cmd: node, args: [...nodeArgs, '-e', '0'], env: base },
        { cmd: node, args: [...nodeArgs, baseline], env: baselineEnv },
        { cmd: node, args: [...nodeArgs, cli, 'export', 'target', '--format', 'credential-process'], env, before: clear },
      ];
      const measured = measureInterleaved(commands(), runs);
      const profDir = join(home, `prof-${out.length}`);
      const phases: ColdPathRuntime['phases'] = {};
      const locate = sourceLocator();
      commands([]).forEach((_, i) => {
        const dir = join(profDir, String(i));
        measureInterleaved([commands(['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', dir])[i]!], profiled);
        const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
        const sum = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
        for (const f of files)
          for (const [p, ms] of Object.entries(splitProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')), locate))) sum[p as Phase] += ms / files.length;
        phases[LABELS[i]!] = sum;
      });
      out.push({ runtime: label, backend, rows: measured.map((m, i) => ({ what: LABELS[i]!, wallMs: m.wallMs, cpuMs: m.cpuMs })), phases });
    }
    return { json: out, markdown: markdown(out, runs, profiled) };
  } finally {
    await moto.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

function markdown(out: ColdPathRuntime[], runs: number, profiled: number): string {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const lines = [
    '## Cold path: empty-cache `export --format credential-process`, MFA session + AssumeRole',
    '',
    `Against moto; ${out[0]?.backend ?? 'keychain'} backend; the MFA code from \`mfa_process = echo 123456\`; every rolehop run after \`rolehop clear\` (not timed). ${runs} interleaved runs; wall medians, CPU means (the client process and the processes it waited for, not moto). The least SDK script is the same two STS calls with keys from the environment, bundled by esbuild like rolehop.`,
    '',
    '| runtime | command | wall | CPU | wall / node -e 0 | CPU / node -e 0 | CPU / least SDK |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of out) {
    const [node0, sdk] = r.rows;
    for (const row of r.rows)
      lines.push(
        `| ${r.runtime} | ${row.what} | ${ms(row.wallMs)} | ${ms(row.cpuMs)} | ${(row.wallMs / node0!.wallMs).toFixed(2)}x | ${(row.cpuMs / node0!.cpuMs).toFixed(2)}x | ${(row.cpuMs / sdk!.cpuMs).toFixed(2)}x |`,
      );
  }
  lines.push(
    '',
    `CPU split by phase: mean sampled ms per run of ${profiled} runs each under \`--cpu-prof\` (which adds its own overhead); each sample's phase is read off its stack by the bundled module it ran in (bench/cold-path/phases.ts).`,
    '',
    `| phase | ${out.flatMap((r) => LABELS.map((l) => `${r.runtime}: ${l}`)).join(' | ')} |`,
    `|---|${out.flatMap(() => LABELS.map(() => '---')).join('|')}|`,
  );
  for (const p of [...PHASES, 'total'] as const)
    lines.push(
      `| ${p} | ${out
        .flatMap((r) => LABELS.map((l) => r.phases[l]!))
        .map((s) => ms(p === 'total' ? Object.values(s).reduce((a, b) => a + b, 0) : s[p]))
        .join(' | ')} |`,
    );
  return lines.join('\n');
}
