// Cache-hit `rolehop export --format credential-process` wall and CPU time
// against bare `node -e 0`, both runtimes, keychain and file backends, one run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measureInterleaved, type Measured, type Timed } from './timing.js';
import { startMoto } from '../test/helpers/moto.js';
import { seedMotoIdentity } from '../test/helpers/run-cli.js';

/**
 * One runtime's results. Wall times are medians; CPU times (user + system of
 * the client process, not of the keychain daemon or moto it talks to) are
 * means over the same runs (see {@link measureInterleaved}).
 */
export interface ColdStartResult {
  runtime: string;
  /** `node -e 0` beside the fast backends. */
  nodeMs: number;
  nodeCpuMs: number;
  /**
   * One row a backend; `nodeMs`/`nodeCpuMs` are the `node -e 0` runs
   * interleaved with that row's (the file backend has its own), and the
   * ratios are to them.
   */
  rows: Array<{ backend: string; ms: number; ratio: number; cpuMs: number; cpuRatio: number; nodeMs: number; nodeCpuMs: number }>;
}

/** Runs the cold-start benchmark; `runtimes` maps a label to a node binary. */
export async function coldStart(runtimes: Record<string, string>, runs = 31): Promise<ColdStartResult[]> {
  const cli = resolve('dist/cli.cjs');
  const moto = await startMoto();
  const home = mkdtempSync(join(tmpdir(), 'rolehop-bench-'));
  try {
    const alice = await seedMotoIdentity(moto.url);
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile alice]\nregion = us-east-1\nmfa_serial = ${alice.mfaSerial}\n\n[profile target]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = alice\n`,
    );
    const backends = process.env.DBUS_SESSION_BUS_ADDRESS ? ['keychain', 'file'] : ['file'];
    const results: ColdStartResult[] = [];
    for (const [label, node] of Object.entries(runtimes)) {
      if (!existsSync(node)) continue;
      // Same minimal environment as the rolehop runs: variables such as
      // NODE_EXTRA_CA_CERTS alone add ~60 ms to every Node start here.
      const bare: Timed = { cmd: node, args: ['-e', '0'], env: { PATH: process.env.PATH, HOME: home } };
      const hits: Timed[] = [];
      for (const backend of backends) {
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH,
          HOME: home,
          ROLEHOP_HOME: join(home, `.rolehop-${backend}`),
          AWS_CONFIG_FILE: join(home, '.aws', 'config'),
          AWS_ENDPOINT_URL: moto.url,
          ROLEHOP_BACKEND: backend,
          ROLEHOP_FILE_PASSPHRASE: 'bench',
          // This row is the file backend without an agent: every call pays the KDF.
          ROLEHOP_AGENT_AUTOSTART: '0',
          ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}),
        };
        const add = spawnSync(node, [cli, 'add', 'alice', '--env'], {
          env: { ...env, AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey },
        });
        if (add.status !== 0) throw new Error(`add failed: ${add.stderr}`);
        // First call fills the cache (one MFA code), the timed ones are hits.
        const warm = spawnSync(node, [cli, '--mfa-token', '123456', 'export', 'target', '--format', 'credential-process'], { env });
        if (warm.status !== 0) throw new Error(`warm-up failed: ${warm.stderr}`);
        hits.push({ cmd: node, args: [cli, 'export', 'target', '--format', 'credential-process'], env });
      }
      // The fast commands interleaved with many runs; the file backend (the
      // KDF, ~0.5 s a call) with fewer, beside its own node -e 0 runs.
      const fast = backends.filter((b) => b !== 'file');
      const row = (backend: string, n: Measured, m: Measured) => ({
        backend,
        ms: m.wallMs,
        ratio: m.wallMs / n.wallMs,
        cpuMs: m.cpuMs,
        cpuRatio: m.cpuMs / n.cpuMs,
        nodeMs: n.wallMs,
        nodeCpuMs: n.cpuMs,
      });
      const [node0, ...fastM] = measureInterleaved([bare, ...hits.filter((_, i) => backends[i] !== 'file')], runs);
      const rows: ColdStartResult['rows'] = fast.map((backend, i) => row(backend, node0!, fastM[i]!));
      const fileAt = backends.indexOf('file');
      if (fileAt >= 0) {
        const [n, f] = measureInterleaved([bare, hits[fileAt]!], Math.min(runs, 9));
        rows.push(row('file', n!, f!));
      }
      results.push({ runtime: label, nodeMs: node0!.wallMs, nodeCpuMs: node0!.cpuMs, rows });
    }
    return results;
  } finally {
    await moto.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
